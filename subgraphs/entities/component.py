"""The entities subgraph's manifest (商事主体): port 4001, its schema, tables, scopes, services, jobs and seeds."""

from __future__ import annotations

from subgraphs.common.component import SubgraphComponent
from subgraphs.common.jurisdiction import Scopes
from subgraphs.entities import seed
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.jobs import JOBS
from subgraphs.entities.loaders import EntityLoaders
from subgraphs.entities.models import Base
from subgraphs.entities.schema import schema
from subgraphs.entities.services import EntityServices

component: SubgraphComponent[EntityServices, EntityLoaders] = SubgraphComponent(
    name="entities",
    port=4001,
    schema=schema,
    models=Base,
    scopes=Scopes(read=("entities:read", "entities:write"), write="entities:write"),
    codes=EntitiesCode,
    services=EntityServices.build,
    loaders=EntityLoaders,
    jobs=JOBS,
    seed_demo=seed.seed_demo,
    seed=seed.seed,
)
