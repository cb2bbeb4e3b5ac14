"""The detection subgraph's app: GraphQL, plus ``GET /inference`` naming the detector backend and whether it is ready
(Triton's state when the hub is configured with one): 200, or 503 while it is not."""

from __future__ import annotations

from dataclasses import asdict

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from subgraphs.common.app import SubgraphApp


class DetectionApp(SubgraphApp):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/inference" and scope["method"] == "GET":
            status = await self.services.inference.status()
            body = {"status": "ok" if status.ready else "degraded", "inference": asdict(status)}
            await JSONResponse(body, status_code=200 if status.ready else 503)(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
