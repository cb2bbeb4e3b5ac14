"""Provider metadata (OIDC Discovery §3, RFC 8414) and the public signing keys (RFC 7517)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from identity.context import IdentityContext
from identity.keys import ALGORITHM
from identity.settings import IdentitySettings

SCOPES = (
    "openid",
    "profile",
    "offline_access",
    "entities:read",
    "entities:write",
    "permits:read",
    "permits:write",
    "supervision:read",
    "supervision:write",
    "enforcement:read",
    "enforcement:write",
    "detection:read",
    "detection:write",
    "jurisdiction:city",
    "enterprise:confirm",
    "devices:ingest",
)


def metadata(settings: IdentitySettings) -> dict[str, Any]:
    issuer = settings.issuer
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": settings.token_endpoint,
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks.json",
        "introspection_endpoint": f"{issuer}/introspect",
        "revocation_endpoint": f"{issuer}/revoke",
        "end_session_endpoint": f"{issuer}/logout",
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256", "EdDSA"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt", "none"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "name",
            "preferred_username",
            "roles",
            "population",
            "org_path",
            "jurisdiction_level",
            "usccs",
            "sid",
        ],
        "prompt_values_supported": ["none", "login", "consent"],
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "require_request_uri_registration": False,
        "ui_locales_supported": ["zh-CN", "en"],
        "frontchannel_logout_supported": False,
        "backchannel_logout_supported": False,
    }


async def openid_configuration(request: Request) -> Response:
    settings = IdentityContext.of(request).provider.settings
    return JSONResponse(metadata(settings), headers={"Cache-Control": "public, max-age=300"})


async def jwks(request: Request) -> Response:
    """Public keys only; short caching so that a rotation is seen within a minute."""
    keys = IdentityContext.of(request).provider.keys
    return JSONResponse(keys.jwks(), headers={"Cache-Control": "public, max-age=60"})
