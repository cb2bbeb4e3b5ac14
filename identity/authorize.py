"""The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2): validate, ensure a session, issue a code.

Every redirect back to the client carries ``iss`` (RFC 9207 §2), errors included; an error whose client
or redirect URI could not be verified is shown here and never redirected (RFC 6749 §4.1.2.1).
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, quote, urlencode

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.errors import AccessDeniedError, OAuth2Error
from authlib.oidc.core.errors import LoginRequiredError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.context import IdentityContext, client_ip, locale_of
from identity.pages import error_page
from identity.records import Client
from identity.sessions import SESSION_COOKIE
from identity.starlette_oauth import FrozenRequest, OAuthResponse, freeze, to_response


def _with_issuer(context: IdentityContext, answer: OAuthResponse) -> Response:
    location = answer.location
    if location is None:
        return to_response(answer)
    return to_response(answer, location=add_params_to_uri(location, {"iss": context.provider.settings.issuer}))


async def _refuse(context: IdentityContext, request: Request, frozen: FrozenRequest, error: OAuth2Error) -> Response:
    await context.provider.audit.record(
        "authorization", "refused", client_id=frozen.payload.client_id, ip=client_ip(request), error=error.error
    )
    if not getattr(error, "redirect_uri", None):
        return error_page(locale_of(request), error.error, error.description)
    error.state = frozen.payload.state
    answer: OAuthResponse = context.server.handle_error_response(frozen, error)
    return _with_issuer(context, answer)


async def authorize(request: Request) -> Response:
    context = IdentityContext.of(request)
    provider = context.provider
    frozen = await freeze(request, provider.settings.issuer)
    try:
        grant = await context.in_thread(context.server.get_consent_grant, frozen, None)
    except OAuth2Error as error:
        return await _refuse(context, request, frozen, error)
    data = frozen.payload.data
    prompt = (data.get("prompt") or "").split()
    signed_in = await provider.sessions.resolve(request.cookies.get(SESSION_COOKIE))
    max_age = data.get("max_age")
    if signed_in and max_age and max_age.isdigit() and int(time.time()) - signed_in.auth_time > int(max_age):
        signed_in = None
    if "login" in prompt:
        signed_in = None
    if signed_in is None:
        if "none" in prompt:
            return await _refuse(context, request, frozen, LoginRequiredError(redirect_uri=grant.redirect_uri))
        # after the login the same request comes back without prompt/max_age (else it could loop);
        # the fresh auth_time in the ID token answers max_age (OIDC Core §3.1.2.1)
        again = urlencode(
            [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k not in ("prompt", "max_age")]
        )
        target = f"/login?return_to={quote(f'/authorize?{again}', safe='')}"
        if data.get("ui_locales"):
            target += f"&ui_locales={quote(data['ui_locales'], safe='')}"
        return RedirectResponse(target, status_code=303)
    client: Client = grant.request.client
    if not client.first_party:
        denied = AccessDeniedError("Only first-party clients are supported; consent is not implemented.")
        denied.redirect_uri = grant.redirect_uri
        return await _refuse(context, request, frozen, denied)
    answer = await context.in_thread(context.server.create_authorization_response, frozen, signed_in, grant)
    await provider.audit.record(
        "authorization",
        "code_issued" if answer.status == 302 else "refused",
        subject=signed_in.officer.id,
        client_id=client.client_id,
        ip=client_ip(request),
    )
    return _with_issuer(context, answer)
