"""The gateway's error tree: every error carries a machine `code` that becomes `extensions.code`."""

from __future__ import annotations


class GatewayError(Exception):
    """Base of every error the gateway raises on purpose."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ClientError(GatewayError):
    """The request is wrong; the client can fix it."""

    code = "BAD_REQUEST"


class UpstreamError(GatewayError):
    """A subgraph failed; the gateway itself is healthy."""

    code = "SUBGRAPH_ERROR"


class InternalError(GatewayError):
    """A defect or a broken deployment (bad supergraph, planner bug)."""

    code = "INTERNAL_SERVER_ERROR"
