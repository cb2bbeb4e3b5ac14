"""The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2): validate, ensure a session and consent, issue a
code.

Every redirect back to the client carries ``iss`` (RFC 9207 §2), errors included; an error whose client or
redirect URI could not be verified is shown here and never redirected (RFC 6749 §4.1.2.1). Parameters we do not
support are refused with their registered codes (OIDC Core §6: ``request_not_supported``,
``request_uri_not_supported``, ``registration_not_supported``; a ``response_mode`` other than ``query`` is an
``invalid_request``), never ignored. Third-party clients get a consent screen; the consent is remembered until the
user withdraws it (:mod:`identity.consent_pages`).
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, quote, urlencode

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.errors import AccessDeniedError, InvalidRequestError, OAuth2Error
from authlib.oidc.core.errors import ConsentRequiredError, LoginRequiredError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.context import IdentityContext, client_ip, locale_of
from identity.csrf import CSRF_COOKIE
from identity.login import safe_return_to
from identity.pages import consent_page, error_page
from identity.records import Client, SignedIn
from identity.sessions import SESSION_COOKIE
from identity.starlette_oauth import FormTooLarge, FrozenRequest, OAuthResponse, freeze, read_form, to_response

UNSUPPORTED = {
    "request": "request_not_supported",
    "request_uri": "request_uri_not_supported",
    "registration": "registration_not_supported",
}
"""Request parameters of OIDC Core §6 and §7.2.1 this provider does not support, with their registered error codes."""


class _Unsupported(OAuth2Error):  # type: ignore[misc]
    """A registered error code Authlib has no class for."""

    def __init__(self, error: str, description: str, redirect_uri: str | None) -> None:
        super().__init__(description=description, redirect_uri=redirect_uri)
        self.error = error


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


def _unsupported(frozen: FrozenRequest, redirect_uri: str) -> OAuth2Error | None:
    data = frozen.payload.data
    for name, code in UNSUPPORTED.items():
        if name in data:
            return _Unsupported(code, f"The '{name}' parameter is not supported.", redirect_uri)
    mode = data.get("response_mode")
    if mode is not None and mode != "query":
        return InvalidRequestError("Only response_mode=query is supported.", redirect_uri=redirect_uri)
    return None


def _again(request: Request, drop: tuple[str, ...]) -> str:
    """This authorization request without ``drop`` (after a login or a consent it must not ask again)."""
    query = urlencode([(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k not in drop])
    return f"/authorize?{query}"


async def authorize(request: Request) -> Response:
    context = IdentityContext.of(request)
    provider = context.provider
    frozen = await freeze(request, provider.settings.issuer)
    try:
        grant = await context.in_thread(context.server.get_consent_grant, frozen, None)
    except OAuth2Error as error:
        return await _refuse(context, request, frozen, error)
    except ValueError:  # a parameter Authlib cannot even describe (quotes, backslashes): never a redirect
        return error_page(locale_of(request), "invalid_request", "malformed authorization request parameters")
    unsupported = _unsupported(frozen, grant.redirect_uri)
    if unsupported is not None:
        return await _refuse(context, request, frozen, unsupported)
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
        target = f"/login?return_to={quote(_again(request, ('prompt', 'max_age')), safe='')}"
        if data.get("ui_locales"):
            target += f"&ui_locales={quote(data['ui_locales'], safe='')}"
        return RedirectResponse(target, status_code=303)
    client: Client = grant.request.client
    if not client.first_party:
        asked = "consent" in prompt
        if asked or not await provider.consents.covers(signed_in.account, client.client_id, grant.request.scope):
            if "none" in prompt:
                return await _refuse(context, request, frozen, ConsentRequiredError(redirect_uri=grant.redirect_uri))
            return _ask_consent(context, request, client, signed_in, grant.request.scope, grant.redirect_uri)
    answer = await context.in_thread(context.server.create_authorization_response, frozen, signed_in, grant)
    await provider.audit.record(
        "authorization",
        "code_issued" if answer.status == 302 else "refused",
        subject=signed_in.account.id,
        client_id=client.client_id,
        ip=client_ip(request),
    )
    return _with_issuer(context, answer)


def _ask_consent(
    context: IdentityContext, request: Request, client: Client, user: SignedIn, scope: str, redirect_uri: str
) -> Response:
    cookie, token = context.csrf_token(request)
    page = consent_page(
        locale_of(request),
        csrf=token,
        client=client,
        account=user.account,
        scopes=scope.split(),
        return_to=_again(request, ("prompt",)),
        redirect_uri=redirect_uri,
    )
    context.set_cookie(page, CSRF_COOKIE, cookie)
    return page


async def decide_consent(request: Request) -> Response:
    """POST ``/consent``: the user allows (remembered) or denies the third-party client; back to ``/authorize``."""
    context = IdentityContext.of(request)
    provider = context.provider
    try:
        form = dict(await read_form(request))
    except FormTooLarge:
        return error_page(locale_of(request), "invalid_request", None, 413)
    locale = locale_of(request, form.get("ui_locales"))
    return_to = safe_return_to(form.get("return_to"))
    signed_in = await provider.sessions.resolve(request.cookies.get(SESSION_COOKIE))
    if return_to is None or signed_in is None:
        return error_page(locale, "invalid_request", "return_to")
    if not context.csrf.check(request.cookies.get(CSRF_COOKIE), form.get("csrf")):
        return error_page(locale, "invalid_request", "csrf", 403)
    params = dict(parse_qsl(return_to.partition("?")[2]))
    client = await provider.directory.client(params.get("client_id", ""))
    if client is None:
        return error_page(locale, "invalid_client", None)
    if form.get("decision") != "allow":
        await provider.audit.record("consent", "denied", subject=signed_in.account.id, client_id=client.client_id)
        redirect_uri = params.get("redirect_uri")
        if redirect_uri is None or not client.check_redirect_uri(redirect_uri):
            return error_page(locale, "access_denied", None, 403)
        denied = AccessDeniedError("The user did not allow this client.", redirect_uri=redirect_uri)
        denied.state = params.get("state")
        status, _, headers = denied()
        return _with_issuer(context, OAuthResponse(status, "", tuple(headers)))
    scope = client.get_allowed_scope(params.get("scope")) or ""
    await provider.consents.grant(signed_in.account, client.client_id, scope)
    await provider.audit.record(
        "consent", "granted", subject=signed_in.account.id, client_id=client.client_id, scope=scope
    )
    return RedirectResponse(return_to, status_code=303)
