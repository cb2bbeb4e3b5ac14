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
from gateway.execution.service import Gateway, PlannedOperation

__all__ = [
    "AsgiSubgraphClient",
    "ExecutionLimits",
    "Executor",
    "Gateway",
    "HttpSubgraphClient",
    "PlannedOperation",
    "SubgraphBadResponse",
    "SubgraphClient",
    "SubgraphRequestError",
    "SubgraphTimeout",
    "SubgraphUnavailable",
]
