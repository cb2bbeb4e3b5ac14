"""The enforcement subgraph's manifest (执法): port 4004, its schema, tables, scopes, services, consumers, seeds."""

from __future__ import annotations

from subgraphs.common.component import SubgraphComponent
from subgraphs.common.jurisdiction import Scopes
from subgraphs.enforcement import seed
from subgraphs.enforcement.consumers import CONSUMERS
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.loaders import EnforcementLoaders
from subgraphs.enforcement.models import Base
from subgraphs.enforcement.schema import schema
from subgraphs.enforcement.services import EnforcementServices

component: SubgraphComponent[EnforcementServices, EnforcementLoaders] = SubgraphComponent(
    name="enforcement",
    port=4004,
    schema=schema,
    models=Base,
    scopes=Scopes(read=("enforcement:read", "enforcement:write"), write="enforcement:write"),
    codes=EnforcementCode,
    services=EnforcementServices.build,
    loaders=EnforcementLoaders,
    consumers=CONSUMERS,
    seed_demo=seed.seed_demo,
    seed=seed.seed,
)
