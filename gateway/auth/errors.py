"""Why a caller was not authenticated; the codes become GraphQL ``extensions.code`` / HTTP 401 at the edge."""

from __future__ import annotations

from gateway.errors import ClientError, UpstreamError


class AuthError(ClientError):
    """The bearer token (or forwarded identity) is missing or not acceptable; HTTP 401."""

    code = "UNAUTHENTICATED"


class MissingToken(AuthError):
    """No ``Authorization: Bearer`` header where one is required."""


class InvalidToken(AuthError):
    """The token failed a check; ``reason`` says which, for logs (never echo the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid token: {reason}")
        self.reason = reason


class KeysUnavailable(UpstreamError):
    """The issuer's JWKS could not be fetched; the gateway cannot tell good tokens from bad (HTTP 503)."""

    code = "AUTH_KEYS_UNAVAILABLE"


def challenge(error: AuthError | KeysUnavailable) -> tuple[int, dict[str, str]]:
    """HTTP status and headers for a refused request (RFC 6750 §3: ``WWW-Authenticate: Bearer``)."""
    if isinstance(error, KeysUnavailable):
        return 503, {"Retry-After": "30"}
    if isinstance(error, MissingToken):
        return 401, {"WWW-Authenticate": 'Bearer realm="zhijian"'}
    return 401, {"WWW-Authenticate": 'Bearer realm="zhijian", error="invalid_token"'}
