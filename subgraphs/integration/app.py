"""The integration subgraph's app: GraphQL, plus ``GET /metrics`` for Prometheus (the port is internal, as every
subgraph's is; the metrics carry counts and states, no record)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from subgraphs.common.app import SubgraphApp
from subgraphs.integration.metrics import CONTENT_TYPE, render


class IntegrationApp(SubgraphApp):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/metrics" and scope["method"] == "GET":
            body = await render(self.database, self.services.now())
            await Response(body, media_type=CONTENT_TYPE)(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
