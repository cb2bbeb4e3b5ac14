"""Bearer-token validation at the gateway edge and the gateway-signed identity forwarded to subgraphs.

Public surface: :class:`TokenValidator`, :class:`IssuerConfig`, :class:`ClaimMapping`, :class:`Principal`,
:class:`AccessPolicy` (auth directives), :class:`IdentitySigner`, :class:`IdentityVerifier`,
:func:`verify_forwarded`, and the errors in :mod:`gateway.auth.errors`.
"""

from gateway.auth.access import UNAUTHORIZED_CODE, AccessPolicy, unauthorized_error
from gateway.auth.errors import AuthError, InvalidToken, KeysUnavailable, MissingToken, challenge
from gateway.auth.forwarding import (
    FORWARDED_IDENTITY_HEADER,
    IdentitySigner,
    IdentityVerifier,
    RequireGatewaySignature,
    verify_forwarded,
)
from gateway.auth.issuers import ClaimMapping, IssuerConfig, builtin_issuer, keycloak_issuer
from gateway.auth.principal import Principal
from gateway.auth.validator import TokenValidator, bearer_token

__all__ = [
    "FORWARDED_IDENTITY_HEADER",
    "UNAUTHORIZED_CODE",
    "AccessPolicy",
    "AuthError",
    "ClaimMapping",
    "IdentitySigner",
    "IdentityVerifier",
    "InvalidToken",
    "IssuerConfig",
    "KeysUnavailable",
    "MissingToken",
    "Principal",
    "RequireGatewaySignature",
    "TokenValidator",
    "bearer_token",
    "builtin_issuer",
    "challenge",
    "keycloak_issuer",
    "unauthorized_error",
    "verify_forwarded",
]
