"""The sign-in page (GET/POST ``/login``): two entrances (officers 政务人员, enterprises 企业用户) on one CSRF-checked
form, throttled per address and per account name with a progressive delay (:mod:`identity.throttle`), a fresh
SSO session on success.

A wrong password, an unknown username and a disabled account get the same answer; a slowed attempt gets the same
answer whether the username exists or not (its password is not even checked).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from identity.context import IdentityContext, client_ip, locale_of
from identity.csrf import CSRF_COOKIE
from identity.pages import error_page, login_page
from identity.sessions import SESSION_COOKIE
from identity.starlette_oauth import FormTooLarge, read_form
from kernel.roles import Population

DEVICE_COOKIE = "zj_device"
"""Set in a browser where an account signed in; failures of that account elsewhere do not slow it here."""
DEVICE_COOKIE_AGE = 90 * 24 * 3600
ENTRANCES = (Population.OFFICER, Population.ENTERPRISE)


def safe_return_to(value: str | None) -> str | None:
    """Only a path on this server's authorization endpoint: never a scheme, host, or ``//`` (open redirect)."""
    if not value or not value.startswith("/authorize?") or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path != "/authorize":
        return None
    return value


def entrance_of(value: str | None) -> Population:
    """The population a sign-in is for: officers unless the enterprise entrance was chosen."""
    return Population.ENTERPRISE if value == Population.ENTERPRISE.value else Population.OFFICER


async def show_login(request: Request) -> Response:
    context = IdentityContext.of(request)
    locale = locale_of(request)
    return_to = safe_return_to(request.query_params.get("return_to"))
    if return_to is None:
        return error_page(locale, "invalid_request", "return_to")
    cookie, token = context.csrf_token(request)
    entrance = entrance_of(request.query_params.get("entrance"))
    response = login_page(locale, csrf=token, return_to=return_to, entrance=entrance)
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
    ip = client_ip(request, settings.trusted_proxies)
    return_to = safe_return_to(form.get("return_to"))
    if return_to is None:
        return error_page(locale, "invalid_request", "return_to")
    cookie, token = context.csrf_token(request)
    username = form.get("username", "")[:64]
    population = entrance_of(form.get("population"))

    def again(error: str, status: int, retry_after: int = 0) -> Response:
        response = login_page(
            locale,
            csrf=token,
            return_to=return_to,
            entrance=population,
            username=username,
            error=error,
            retry_after=retry_after,
            status=status,
        )
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
        context.set_cookie(response, CSRF_COOKIE, cookie)
        return response

    if not context.csrf.check(request.cookies.get(CSRF_COOKIE), form.get("csrf")):
        await provider.audit.record("login", "csrf_failed", ip=ip, username=username)
        return again("csrf", 403)
    throttle = context.login_throttle
    verdict = await throttle.check(population, username, ip, request.cookies.get(DEVICE_COOKIE))
    if not verdict.allowed:
        await provider.audit.record("login", verdict.reason, ip=ip, username=username, population=population)
        return again(verdict.reason, 429, verdict.retry_after)
    account = await provider.directory.check_password(population, username, form.get("password", ""))
    if account is None:
        await throttle.failed(population, username, ip)
        await provider.audit.record("login", "invalid", ip=ip, username=username, population=population)
        return again("invalid", 401)
    await throttle.succeeded(population, username)
    opened = await provider.sessions.open(account, settings.session_ttl, replacing=request.cookies.get(SESSION_COOKIE))
    await provider.audit.record("login", "ok", subject=account.id, ip=ip, sid=opened.sid, population=population)
    response = RedirectResponse(return_to, status_code=303)
    context.set_cookie(response, SESSION_COOKIE, opened.cookie, max_age=settings.session_ttl)
    context.set_cookie(response, CSRF_COOKIE, context.csrf.issue(None)[0])
    context.set_cookie(response, DEVICE_COOKIE, throttle.device_token(population, username), max_age=DEVICE_COOKIE_AGE)
    return response
