"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–§3); the session's tokens are revoked at every
gateway within seconds (:meth:`identity.provider.Provider.end_session`).

``post_logout_redirect_uri`` must exactly match one registered for the client named by ``client_id`` or
by the ``id_token_hint``'s audience; otherwise nothing is redirected. Without a valid hint the user is
asked to confirm (logout CSRF).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from authlib.common.urls import add_params_to_uri
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.context import IdentityContext, client_ip, locale_of
from identity.csrf import CSRF_COOKIE
from identity.pages import error_page, logout_confirm_page, signed_out_page
from identity.sessions import SESSION_COOKIE
from identity.starlette_oauth import FormTooLarge, read_form

_FIELDS = ("id_token_hint", "post_logout_redirect_uri", "state", "client_id", "ui_locales")


async def logout(request: Request) -> Response:
    context = IdentityContext.of(request)
    provider = context.provider
    try:
        form = dict(await read_form(request)) if request.method == "POST" else {}
    except FormTooLarge:
        return error_page(locale_of(request), "invalid_request", None, 413)
    params = form or dict(parse_qsl(request.url.query, keep_blank_values=True))
    locale = locale_of(request, params.get("ui_locales"))
    hint = provider.own_jwt_claims(params["id_token_hint"]) if params.get("id_token_hint") else None
    if params.get("id_token_hint") and hint is None:
        return error_page(locale, "invalid_request", "id_token_hint")
    client_id = params.get("client_id") or (str(hint["aud"]) if hint and isinstance(hint.get("aud"), str) else None)
    if hint and params.get("client_id") and hint.get("aud") != params["client_id"]:
        return error_page(locale, "invalid_request", "client_id")
    redirect = params.get("post_logout_redirect_uri")
    if redirect:
        client = await provider.directory.client(client_id) if client_id else None
        if client is None or redirect not in client.post_logout_redirect_uris:
            await provider.audit.record(
                "logout",
                "refused",
                client_id=client_id,
                ip=client_ip(request),
                error="unregistered_post_logout_redirect_uri",
            )
            return error_page(locale, "invalid_request", "post_logout_redirect_uri")
    signed_in = await provider.sessions.resolve(request.cookies.get(SESSION_COOKIE))
    confirmed = request.method == "POST" and context.csrf.check(request.cookies.get(CSRF_COOKIE), form.get("csrf"))
    if signed_in and not confirmed and (hint is None or hint.get("sub") != signed_in.account.id):
        cookie, token = context.csrf_token(request)
        page = logout_confirm_page(locale, csrf=token, fields={k: params[k] for k in _FIELDS if params.get(k)})
        context.set_cookie(page, CSRF_COOKIE, cookie)
        return page
    if signed_in:
        await provider.end_session(signed_in.session_id)
        await provider.audit.record(
            "logout",
            "ok",
            subject=signed_in.account.id,
            client_id=client_id,
            ip=client_ip(request),
            sid=signed_in.session_id,
        )
    response: Response
    if redirect:
        target = add_params_to_uri(redirect, {"state": params["state"]}) if params.get("state") else redirect
        response = RedirectResponse(target, status_code=303)
    else:
        response = signed_out_page(locale)
    context.delete_cookie(response, SESSION_COOKIE)
    return response
