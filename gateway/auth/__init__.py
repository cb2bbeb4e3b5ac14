"""Bearer-token validation at the gateway edge and enforcement of the auth directives.

Public surface: :class:`TokenValidator`, :class:`IssuerConfig`, :class:`ClaimMapping`, :class:`AccessPolicy`
(auth directives), and the errors in :mod:`gateway.auth.errors`. The caller (:class:`kernel.principal.Principal`)
and the identity the gateway signs for subgraphs (:mod:`kernel.forwarding`) live in the kernel.
"""

from gateway.auth.access import UNAUTHORIZED_CODE, AccessPolicy, unauthorized_error
from gateway.auth.errors import AuthError, InvalidToken, KeysUnavailable, MissingToken, challenge
from gateway.auth.issuers import ClaimMapping, IssuerConfig, builtin_issuer, keycloak_issuer
from gateway.auth.validator import TokenValidator, bearer_token

__all__ = [
    "UNAUTHORIZED_CODE",
    "AccessPolicy",
    "AuthError",
    "ClaimMapping",
    "InvalidToken",
    "IssuerConfig",
    "KeysUnavailable",
    "MissingToken",
    "TokenValidator",
    "bearer_token",
    "builtin_issuer",
    "challenge",
    "keycloak_issuer",
    "unauthorized_error",
]
