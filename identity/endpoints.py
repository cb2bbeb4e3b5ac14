"""Token (RFC 6749 §3.2), introspection (RFC 7662), revocation (RFC 7009) and userinfo (OIDC Core §5.3).

In front of the first three: a client whose credentials failed too often (per client id, per address) is answered
``429`` before anything is verified (RFC 6749 §2.3.1), and credentials Authlib cannot even read (Basic credentials
that are not UTF-8, parameters that no error message may quote) are answered per RFC 6749 §5.2, never with a 500.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from identity.context import IdentityContext, client_ip
from identity.minting import account_claims
from identity.starlette_oauth import FormTooLarge, FrozenRequest, OAuthResponse, freeze, to_response
from kernel.jose import unverified_claims
from kernel.roles import Population

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(error: str, description: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers={**_NO_STORE, **(headers or {})}
    )


def _basic_credentials(request: Request) -> tuple[str | None, bool]:
    """``(client id, readable)`` of an ``Authorization: Basic`` header; readable is False for one that is not
    base64 of UTF-8 (RFC 7617 §2.1)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None, True
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, False
    return decoded.partition(":")[0] or None, True


def _claimed_client(request: Request, frozen: FrozenRequest) -> str | None:
    """Which client the request says it is (not yet verified): for counting its failures."""
    from_basic, _ = _basic_credentials(request)
    if from_basic:
        return from_basic
    assertion = frozen.form.get("client_assertion")
    if assertion:
        try:
            subject = unverified_claims(assertion).get("sub")
        except ValueError:
            return None
        return subject if isinstance(subject, str) else None
    return frozen.form.get("client_id")


async def _guarded(
    request: Request, name: str, answer: Callable[[FrozenRequest], Awaitable[OAuthResponse]]
) -> Response:
    context = IdentityContext.of(request)
    settings = context.provider.settings
    try:
        frozen = await freeze(request, settings.issuer)
    except FormTooLarge:
        return _error("invalid_request", "body too large", 413)
    _, readable = _basic_credentials(request)
    if not readable:
        challenge = {"WWW-Authenticate": 'Basic realm="zhijian"'}
        return _error("invalid_client", "Basic credentials must be base64 of UTF-8 text", 401, challenge)
    ip = client_ip(request, settings.trusted_proxies)
    client_id = _claimed_client(request, frozen)
    wait = await context.client_throttle.retry_after(client_id, ip)
    if wait:
        await context.provider.audit.record(name, "throttled", client_id=client_id, ip=ip)
        description = f"too many failed client authentications; retry after {wait} s"
        return _error("invalid_client", description, 429, {"Retry-After": str(wait)})
    try:
        result = await answer(frozen)
    except ValueError:  # Authlib could not phrase its own error (quotes or backslashes in a parameter)
        return _error("invalid_request", "malformed request parameters", 400)
    if result.status >= 400:
        if result.error == "invalid_client":
            await context.client_throttle.failed(client_id, ip)
        await context.provider.audit.record(
            name, "refused", client_id=client_id, ip=ip, grant_type=frozen.payload.grant_type, error=result.error
        )
    return to_response(result)


async def token(request: Request) -> Response:
    context = IdentityContext.of(request)

    async def answer(frozen: FrozenRequest) -> OAuthResponse:
        result: OAuthResponse = await context.in_thread(context.server.create_token_response, frozen)
        return result

    return await _guarded(request, "token", answer)


async def _endpoint(request: Request, name: str) -> Response:
    context = IdentityContext.of(request)

    async def answer(frozen: FrozenRequest) -> OAuthResponse:
        result: OAuthResponse = await context.in_thread(context.server.create_endpoint_response, name, frozen)
        return result

    return await _guarded(request, name, answer)


async def introspect(request: Request) -> Response:
    return await _endpoint(request, "introspection")


async def revoke(request: Request) -> Response:
    return await _endpoint(request, "revocation")


def _bearer_error(error: str, status: int) -> Response:
    header = f'Bearer error="{error}"' if error else "Bearer"
    return JSONResponse({"error": error or "invalid_request"}, status_code=status, headers={"WWW-Authenticate": header})


async def userinfo(request: Request) -> Response:
    """Claims about the signed-in account for an access token with scope ``openid`` (RFC 6750 §2.1 header)."""
    provider = IdentityContext.of(request).provider
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _bearer_error("", 401)
    claims = await provider.verify_access_token(token.strip())
    if claims is None:
        return _bearer_error("invalid_token", 401)
    population = str(claims.get("population", ""))
    if "openid" not in str(claims.get("scope", "")).split() or population not in ("officer", "enterprise"):
        return _bearer_error("insufficient_scope", 403)
    account = await provider.directory.account(Population(population), str(claims["sub"]))
    if account is None or account.disabled:
        return _bearer_error("invalid_token", 401)
    return JSONResponse(
        {"sub": account.id, "name": account.display_name, **account_claims(account)},
        headers={"Cache-Control": "no-store"},
    )
