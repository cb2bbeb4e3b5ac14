"""The login page (GET/POST ``/login``): CSRF-checked form, per-IP throttle, account lockout, fresh SSO session."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.context import IdentityContext, client_ip, locale_of
from identity.csrf import CSRF_COOKIE
from identity.pages import error_page, login_page
from identity.sessions import SESSION_COOKIE
from identity.starlette_oauth import FormTooLarge, read_form


def safe_return_to(value: str | None) -> str | None:
    """Only a path on this server's authorization endpoint: never a scheme, host, or ``//`` (open redirect)."""
    if not value or not value.startswith("/authorize?") or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path != "/authorize":
        return None
    return value


async def show_login(request: Request) -> Response:
    context = IdentityContext.of(request)
    locale = locale_of(request)
    return_to = safe_return_to(request.query_params.get("return_to"))
    if return_to is None:
        return error_page(locale, "invalid_request", "return_to")
    cookie, token = context.csrf_token(request)
    response = login_page(locale, csrf=token, return_to=return_to)
    context.set_cookie(response, CSRF_COOKIE, cookie)
    return response


async def submit_login(request: Request) -> Response:
    context = IdentityContext.of(request)
    provider = context.provider
    settings = provider.settings
    try:
        form = dict(await read_form(request))
    except FormTooLarge:
        return error_page(locale_of(request), "invalid_request", None, 413)
    locale = locale_of(request, form.get("ui_locales"))
    ip = client_ip(request)
    return_to = safe_return_to(form.get("return_to"))
    if return_to is None:
        return error_page(locale, "invalid_request", "return_to")
    cookie, token = context.csrf_token(request)
    username = form.get("username", "")[:64]

    def again(error: str, status: int) -> Response:
        response = login_page(locale, csrf=token, return_to=return_to, username=username, error=error, status=status)
        context.set_cookie(response, CSRF_COOKIE, cookie)
        return response

    if not context.throttle.allow(ip):
        await provider.audit.record("login", "throttled", ip=ip, username=username)
        return again("throttled", 429)
    if not context.csrf.check(request.cookies.get(CSRF_COOKIE), form.get("csrf")):
        await provider.audit.record("login", "csrf_failed", ip=ip, username=username)
        return again("csrf", 403)
    check = await provider.directory.check_password(
        username,
        form.get("password", ""),
        threshold=settings.lockout_threshold,
        lockout_seconds=settings.lockout_seconds,
    )
    if check.officer is None:
        outcome = check.failure or "invalid"
        await provider.audit.record("login", outcome, ip=ip, username=username)
        return again(outcome, 429 if outcome == "locked" else 401)
    opened = await provider.sessions.open(
        check.officer.id, settings.session_ttl, replacing=request.cookies.get(SESSION_COOKIE)
    )
    await provider.audit.record("login", "ok", subject=check.officer.id, ip=ip, sid=opened.sid)
    response = RedirectResponse(return_to, status_code=303)
    context.set_cookie(response, SESSION_COOKIE, opened.cookie, max_age=settings.session_ttl)
    context.set_cookie(response, CSRF_COOKIE, context.csrf.issue(None)[0])
    return response
