"""One request/response at the edge: its request id, W3C trace context passed on, and the answer it got."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import orjson

from gateway.errors import GatewayError
from gateway.http.protocol import error_body
from kernel.logs import REQUEST_ID_HEADER, request_id

__all__ = ["REQUEST_ID_HEADER", "Answer", "Exchange", "child_traceparent", "request_id"]

_TRACEPARENT = re.compile(rb"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")


def child_traceparent(parent: bytes) -> str | None:
    """The `traceparent` for subgraph calls: the caller's trace, the gateway as the new parent (W3C Trace Context
    §3.2); None for a malformed header, which is then not passed on."""
    match = _TRACEPARENT.fullmatch(parent.strip().lower())
    if match is None or match[1] == b"ff" or match[2] == b"0" * 32 or match[3] == b"0" * 16:
        return None
    return f"00-{match[2].decode()}-{os.urandom(8).hex()}-{match[4].decode()}"


@dataclass(slots=True)
class Exchange:
    """What the access log says about one request (never tokens, documents or variables)."""

    request_id: str
    client_id: str | None = None
    operation: str | None = None
    """The name of the operation run (once its document is prepared)."""

    def log_fields(self, answer: Answer, seconds: float) -> dict[str, object]:
        return {
            "event": "request",
            "request_id": self.request_id,
            "client_id": self.client_id,
            "operation": self.operation,
            "status": answer.status,
            "outcome": answer.outcome,
            "codes": sorted(set(answer.codes)) or None,
            "ms": round(seconds * 1000, 2),
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """A GraphQL response ready to send."""

    status: int
    body: bytes
    outcome: str
    """ok, partial, refused, unauthenticated, rate_limited, timeout or error (a metrics label)."""
    codes: tuple[str, ...] = ()
    headers: tuple[tuple[bytes, bytes], ...] = ()
    media: str | None = None
    """The response's media type when it is not the request's (incremental delivery: multipart/mixed)."""

    @classmethod
    def error(
        cls, error: GatewayError, status: int, outcome: str, headers: tuple[tuple[bytes, bytes], ...] = ()
    ) -> Answer:
        return cls(status, orjson.dumps(error_body(error)), outcome, (error.code,), headers)
