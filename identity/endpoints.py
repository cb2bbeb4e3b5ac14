"""Token (RFC 6749 §3.2), introspection (RFC 7662), revocation (RFC 7009) and userinfo (OIDC Core §5.3)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from identity.context import IdentityContext, client_ip
from identity.starlette_oauth import FormTooLarge, OAuthResponse, freeze, to_response


def _too_large() -> Response:
    return JSONResponse({"error": "invalid_request", "error_description": "body too large"}, status_code=413)


async def token(request: Request) -> Response:
    context = IdentityContext.of(request)
    try:
        frozen = await freeze(request, context.provider.settings.issuer)
    except FormTooLarge:
        return _too_large()
    answer: OAuthResponse = await context.in_thread(context.server.create_token_response, frozen)
    if answer.status >= 400:
        await context.provider.audit.record(
            "token",
            "refused",
            client_id=frozen.payload.client_id,
            ip=client_ip(request),
            grant_type=frozen.payload.grant_type,
            error=answer.error,
        )
    return to_response(answer)


async def _endpoint(request: Request, name: str) -> Response:
    context = IdentityContext.of(request)
    try:
        frozen = await freeze(request, context.provider.settings.issuer)
    except FormTooLarge:
        return _too_large()
    answer: OAuthResponse = await context.in_thread(context.server.create_endpoint_response, name, frozen)
    if answer.status >= 400:
        await context.provider.audit.record(name, "refused", ip=client_ip(request), error=answer.error)
    return to_response(answer)


async def introspect(request: Request) -> Response:
    return await _endpoint(request, "introspection")


async def revoke(request: Request) -> Response:
    return await _endpoint(request, "revocation")


def _bearer_error(error: str, status: int) -> Response:
    header = f'Bearer error="{error}"' if error else "Bearer"
    return JSONResponse({"error": error or "invalid_request"}, status_code=status, headers={"WWW-Authenticate": header})


async def userinfo(request: Request) -> Response:
    """Claims about the signed-in officer for an access token with scope ``openid`` (RFC 6750 §2.1 header)."""
    provider = IdentityContext.of(request).provider
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _bearer_error("", 401)
    claims = await provider.verify_access_token(token.strip())
    if claims is None:
        return _bearer_error("invalid_token", 401)
    if (
        "openid" not in str(claims.get("scope", "")).split()
        or not claims.get("org_path")
        or "preferred_username" not in claims
    ):
        return _bearer_error("insufficient_scope", 403)
    officer = await provider.directory.officer(str(claims["sub"]))
    if officer is None or officer.disabled:
        return _bearer_error("invalid_token", 401)
    return JSONResponse(
        {
            "sub": officer.id,
            "name": officer.display_name,
            "preferred_username": officer.username,
            "roles": [r.value for r in officer.roles],
            "org_path": officer.org_path,
            "jurisdiction_level": officer.level.value,
        },
        headers={"Cache-Control": "no-store"},
    )
