"""``/account/consents``: the signed-in user's remembered consents to third-party clients, each withdrawable; a
withdrawal also ends the client's tokens for the user, at the gateways too."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.context import IdentityContext, locale_of
from identity.csrf import CSRF_COOKIE
from identity.pages import consents_page, error_page
from identity.sessions import SESSION_COOKIE
from identity.starlette_oauth import FormTooLarge, read_form


async def consents(request: Request) -> Response:
    context = IdentityContext.of(request)
    provider = context.provider
    locale = locale_of(request)
    signed_in = await provider.sessions.resolve(request.cookies.get(SESSION_COOKIE))
    if signed_in is None:
        return error_page(locale, "login_required", "sign in first, then open this page again", 401)
    notice = None
    if request.method == "POST":
        try:
            form = dict(await read_form(request))
        except FormTooLarge:
            return error_page(locale, "invalid_request", None, 413)
        locale = locale_of(request, form.get("ui_locales"))
        if not context.csrf.check(request.cookies.get(CSRF_COOKIE), form.get("csrf")):
            return error_page(locale, "invalid_request", "csrf", 403)
        await provider.withdraw_consent(signed_in.account, form.get("client_id", ""))
        await provider.audit.record(
            "consent", "withdrawn", subject=signed_in.account.id, client_id=form.get("client_id", "")
        )
        return RedirectResponse(f"/account/consents?withdrawn=1&ui_locales={locale}", status_code=303)
    if request.query_params.get("withdrawn"):
        notice = "withdrawn"
    granted = []
    for consent in await provider.consents.of(signed_in.account):
        client = await provider.directory.client(consent.client_id)
        granted.append((consent.client_id, client.name if client else consent.client_id))
    cookie, token = context.csrf_token(request)
    page = consents_page(locale, csrf=token, granted=granted, notice=notice)
    context.set_cookie(page, CSRF_COOKIE, cookie)
    return page
