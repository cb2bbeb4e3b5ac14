"""The HTTP/1.1 protocol the gateway is served with: uvicorn's httptools protocol, answering a request it cannot
read (an over-long URL, a malformed request line) with a GraphQL error instead of plain text; and the server that
ends live subscriptions on shutdown."""

from __future__ import annotations

import socket

import orjson
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.http.protocol import error_entry

MAX_URL_BYTES = 8_192
"""A longer URL than this, when the request could not be read, is reported as ``URI_TOO_LONG``."""
_STATUS = {400: b"HTTP/1.1 400 Bad Request\r\n", 414: b"HTTP/1.1 414 URI Too Long\r\n"}


class GraphQLHttpToolsProtocol(HttpToolsProtocol):
    """Pass as ``uvicorn.Config(http=...)``; everything else is uvicorn's."""

    def send_400_response(self, msg: str) -> None:
        url: bytes = getattr(self, "url", b"")
        if len(url) > MAX_URL_BYTES:
            status, code = 414, "URI_TOO_LONG"
            message = "The URL is too long; send the query with POST (or as a persisted operation)."
        else:
            status, code = 400, "BAD_REQUEST"
            message = "The HTTP request could not be read."
        body = orjson.dumps({"errors": [error_entry(message, code)]})
        head = [_STATUS[status]]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: application/json\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(head))
        self.transport.close()


class GatewayServer(uvicorn.Server):
    """uvicorn's server, ending the app's live subscriptions first when it shuts down (WebSockets close with 1001,
    SSE streams send ``complete``); uvicorn alone would wait for SSE streams that never end."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        end = getattr(self.config.app, "end_streams", None)
        if end is not None:
            await end()
        await super().shutdown(sockets)
