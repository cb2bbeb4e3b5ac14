"""The detection subgraph's app: GraphQL, plus ``GET /inference`` naming the detector backend and whether it is ready
(Triton's state when the hub is configured with one): 200, or 503 while it is not; each request's committed alert moves
go to the live feed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from subgraphs.common.app import SubgraphApp
from subgraphs.common.context import RequestContext
from subgraphs.detection.alert_feed import announce_commits


class DetectionApp(SubgraphApp):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/inference" and scope["method"] == "GET":
            status = await self.services.inference.status()
            body = {"status": "ok" if status.ready else "degraded", "inference": asdict(status)}
            await JSONResponse(body, status_code=200 if status.ready else 503)(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext[Any, Any]:
        context = await super().get_context(request, response)
        announce_commits(context.session, self.services.alert_feed)
        return context
