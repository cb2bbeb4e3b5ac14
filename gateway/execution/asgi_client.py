"""In-process `SubgraphClient`: calls a subgraph's ASGI app directly, no sockets (embedded mode)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Scope

from gateway.execution.errors import SubgraphUnavailable
from kernel.asgi import replay


class AsgiSubgraphClient:
    """POSTs GraphQL bodies to an ASGI app (Starlette, Strawberry) at `path`."""

    def __init__(self, name: str, app: ASGIApp, path: str = "/graphql") -> None:
        self.name = name
        self.app = app
        self.path = path

    async def request(self, body: bytes, headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """Run one request through the app and collect its response."""
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"accept", b"application/graphql-response+json, application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"host", b"in-process"),
        ]
        raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": raw_headers,
            "client": ("127.0.0.1", 0),
            "server": ("in-process", 80),
            "state": {},
        }
        status = 0
        chunks: list[bytes] = []

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        try:
            await self.app(scope, replay(body), send)
        except Exception as error:  # an in-process subgraph crash must not take the gateway down
            raise SubgraphUnavailable(self.name, f"{self.name} failed: {error}") from error
        return status, b"".join(chunks)

    async def aclose(self) -> None:
        """Nothing to release."""
