"""The integration subgraph's manifest (数据对接): port 4006, the adapters' bookkeeping for operators."""

from __future__ import annotations

from subgraphs.common.component import SubgraphComponent
from subgraphs.common.jurisdiction import Scopes
from subgraphs.integration.app import IntegrationApp
from subgraphs.integration.errors import IntegrationCode
from subgraphs.integration.health import advisories
from subgraphs.integration.models import Base
from subgraphs.integration.schema import schema
from subgraphs.integration.services import IntegrationServices

component: SubgraphComponent[IntegrationServices, None] = SubgraphComponent(
    name="integration",
    port=4006,
    schema=schema,
    models=Base,
    scopes=Scopes(read=("integration:read", "integration:write"), write="integration:write"),
    codes=IntegrationCode,
    services=IntegrationServices.build,
    loaders=lambda _session, _services: None,
    app=IntegrationApp,
    advisory_checks=lambda _services, database: advisories(database),
)
