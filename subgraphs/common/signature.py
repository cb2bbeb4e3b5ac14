"""Every subgraph request carries the caller's identity signed by the gateway; a request without one gets 401.

The check runs before GraphQL (:class:`kernel.forwarding.RequireGatewaySignature`), so the refusal is a GraphQL-shaped
body with ``extensions.code = "UNAUTHENTICATED"`` and a forged ``x-zhijian-identity`` reaches no resolver.
:class:`WithoutSignature` is the one explicit way round it, for tests of unrelated features.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp
from starlette.websockets import WebSocket

from kernel.forwarding import IdentityVerifier, RequireGatewaySignature
from kernel.principal import Principal

OPEN_PATHS: tuple[str, ...] = ()
"""None: the app answers GraphQL at every path, so no path may skip the check (a 401 still shows it is alive)."""


@dataclass(frozen=True, slots=True)
class WithoutSignature:
    """No signature check: every request is ``caller`` (``None`` reaches no rows). Never for a served subgraph."""

    caller: Principal | None = None


Authentication = IdentityVerifier | WithoutSignature
"""How a subgraph app learns its caller: the gateway's verification key, or explicitly not at all."""


def guard(app: ASGIApp, auth: Authentication) -> ASGIApp:
    """``app`` behind the signature check (the identity lands in ``scope["state"]["principal"]``)."""
    if isinstance(auth, WithoutSignature):
        return app
    return RequireGatewaySignature(app, auth, open_paths=OPEN_PATHS)


def caller_of(request: Request | WebSocket, auth: Authentication) -> Principal | None:
    """The verified caller of a request that passed :func:`guard`."""
    if isinstance(auth, WithoutSignature):
        return auth.caller
    principal: Principal = request.state.principal
    return principal
