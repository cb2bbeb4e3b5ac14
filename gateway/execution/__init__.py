"""Stage 5: run plans against subgraphs and shape the response (the only stage doing I/O)."""

from gateway.execution.asgi_client import AsgiSubgraphClient
from gateway.execution.client import SubgraphClient
from gateway.execution.errors import (
    SubgraphBadResponse,
    SubgraphRequestError,
    SubgraphTimeout,
    SubgraphUnavailable,
)
from gateway.execution.executor import ExecutionLimits, Executor
from gateway.execution.http_client import HttpSubgraphClient
from gateway.execution.httpx_client import HttpxSubgraphClient
from gateway.execution.service import Gateway, PlannedOperation
from gateway.execution.subscribe import AsgiSubscriber, SubgraphSubscriber, WebSocketSubscriber
from gateway.execution.transports import http_client_for

__all__ = [
    "AsgiSubgraphClient",
    "AsgiSubscriber",
    "ExecutionLimits",
    "Executor",
    "Gateway",
    "HttpSubgraphClient",
    "HttpxSubgraphClient",
    "PlannedOperation",
    "SubgraphBadResponse",
    "SubgraphClient",
    "SubgraphRequestError",
    "SubgraphSubscriber",
    "SubgraphTimeout",
    "SubgraphUnavailable",
    "WebSocketSubscriber",
    "http_client_for",
]
