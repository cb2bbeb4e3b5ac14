"""The supervision subgraph's manifest (监督): port 4003, its schema, tables, scopes, services, consumers, seeds."""

from __future__ import annotations

from subgraphs.common.component import SubgraphComponent
from subgraphs.common.jurisdiction import Scopes
from subgraphs.supervision import seed
from subgraphs.supervision.consumers import CONSUMERS
from subgraphs.supervision.errors import SupervisionCode
from subgraphs.supervision.loaders import SupervisionLoaders
from subgraphs.supervision.models import Base
from subgraphs.supervision.schema import schema
from subgraphs.supervision.services import SupervisionServices

component: SubgraphComponent[SupervisionServices, SupervisionLoaders] = SubgraphComponent(
    name="supervision",
    port=4003,
    schema=schema,
    models=Base,
    scopes=Scopes(read=("supervision:read", "supervision:write"), write="supervision:write"),
    codes=SupervisionCode,
    services=SupervisionServices.build,
    loaders=SupervisionLoaders,
    consumers=CONSUMERS,
    seed_demo=seed.seed_demo,
    seed=seed.seed,
)
