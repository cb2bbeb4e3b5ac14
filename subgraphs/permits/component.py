"""The permits subgraph's manifest (许可): port 4002, its schema, tables, scopes, services, jobs and seeds."""

from __future__ import annotations

from subgraphs.common.component import SubgraphComponent
from subgraphs.common.jurisdiction import Scopes
from subgraphs.permits import seed
from subgraphs.permits.consumers import CONSUMERS
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.jobs import JOBS
from subgraphs.permits.loaders import PermitLoaders
from subgraphs.permits.models import Base
from subgraphs.permits.schema import schema
from subgraphs.permits.services import REGISTRY_CLIENT, PermitServices

component: SubgraphComponent[PermitServices, PermitLoaders] = SubgraphComponent(
    name="permits",
    port=4002,
    schema=schema,
    models=Base,
    scopes=Scopes(read=("permits:read", "permits:write"), write="permits:write"),
    codes=PermitsCode,
    services=PermitServices.build,
    loaders=PermitLoaders,
    jobs=JOBS,
    consumers=CONSUMERS,
    seed_demo=seed.seed_demo,
    seed=seed.seed,
    machine_client=REGISTRY_CLIENT,
)
