"""Upstream failures while executing a plan; they become GraphQL errors with the subgraph named."""

from __future__ import annotations

from gateway.errors import UpstreamError


class SubgraphRequestError(UpstreamError):
    """A subgraph request failed; `subgraph` names it."""

    code = "SUBGRAPH_ERROR"

    def __init__(self, subgraph: str, message: str) -> None:
        super().__init__(message)
        self.subgraph = subgraph


class SubgraphUnavailable(SubgraphRequestError):
    """The subgraph could not be reached (refused, reset, DNS)."""

    code = "SUBGRAPH_UNAVAILABLE"


class SubgraphTimeout(SubgraphRequestError):
    """The subgraph did not answer within its timeout."""

    code = "SUBGRAPH_TIMEOUT"


class SubgraphBadResponse(SubgraphRequestError):
    """The subgraph answered with something that is not a GraphQL response."""

    code = "SUBGRAPH_BAD_RESPONSE"


class SubgraphUnauthenticated(SubgraphRequestError):
    """The subgraph refused an anonymous caller (HTTP 401): the client must sign in."""

    code = "UNAUTHENTICATED"

    def __init__(self, subgraph: str) -> None:
        super().__init__(
            subgraph,
            "Sign in to see this data: it needs an authenticated caller (send Authorization: Bearer <access token>).",
        )
