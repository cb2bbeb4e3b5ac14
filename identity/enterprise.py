"""Enterprise accounts (市场通): self-service registration bound to a USCC, and the legal representative's
confirmation, recorded by an officer or by an external check.

A registration creates a user and a *pending* claim to act for the entity as its owner; the user can sign in, but
reaches nothing until the claim is confirmed. ``POST /enterprise/confirmations`` records the decision; it takes a
bearer access token of an administrator (an officer with the role ``admin``, at the city or a district bureau) or of
a machine client holding the scope ``enterprise:confirm`` (an external check, such as the electronic business
licence platform, after the legal representative confirmed there). Owners add staff (``zhijian enterprises
add-staff``); staff act at once.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from identity.context import IdentityContext, client_ip, locale_of
from identity.csrf import CSRF_COOKIE
from identity.directory import DirectoryError
from identity.i18n import text
from identity.login import safe_return_to
from identity.pages import error_page, register_page, registered_page
from identity.starlette_oauth import FormTooLarge, read_form
from kernel.roles import Role

CONFIRM_SCOPE = "enterprise:confirm"
MIN_PASSWORD = 12
FIELDS = ("uscc", "legal_representative", "display_name", "username")


async def show_register(request: Request) -> Response:
    context = IdentityContext.of(request)
    cookie, token = context.csrf_token(request)
    return_to = safe_return_to(request.query_params.get("return_to")) or ""
    page = register_page(locale_of(request), csrf=token, return_to=return_to)
    context.set_cookie(page, CSRF_COOKIE, cookie)
    return page


async def submit_register(request: Request) -> Response:
    context = IdentityContext.of(request)
    provider = context.provider
    try:
        form = dict(await read_form(request))
    except FormTooLarge:
        return error_page(locale_of(request), "invalid_request", None, 413)
    locale = locale_of(request, form.get("ui_locales"))
    return_to = safe_return_to(form.get("return_to")) or ""
    cookie, token = context.csrf_token(request)
    values = {name: form.get(name, "").strip()[:128] for name in FIELDS}

    def refuse(problem: str, status: int = 400) -> Response:
        page = register_page(locale, csrf=token, return_to=return_to, values=values, problem=problem, status=status)
        context.set_cookie(page, CSRF_COOKIE, cookie)
        return page

    if not context.csrf.check(request.cookies.get(CSRF_COOKIE), form.get("csrf")):
        return refuse(text(locale, "csrf"), 403)
    ip = client_ip(request, provider.settings.trusted_proxies)
    if await context.login_throttle.store.hit(f"register:{ip}", 3600.0) > 20:
        return refuse(text(locale, "throttled"), 429)
    password = form.get("password", "")
    if len(password) < MIN_PASSWORD or not all(values.values()):
        return refuse(f"every field is required and the password needs at least {MIN_PASSWORD} characters")
    try:
        account = await provider.directory.add_enterprise_user(
            values["username"], password, values["display_name"], values["uscc"], values["legal_representative"]
        )
    except DirectoryError as error:
        return refuse(str(error))
    await provider.audit.record("enterprise_registration", "pending", subject=account.id, ip=ip, uscc=values["uscc"])
    return registered_page(locale, return_to=return_to)


async def confirm(request: Request) -> Response:
    """Record the legal representative's confirmation (or refusal) of a pending registration: JSON body
    ``{"username": …, "uscc": …, "confirmed": true|false}``."""
    provider = IdentityContext.of(request).provider
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    claims = await provider.verify_access_token(bearer.strip()) if scheme.lower() == "bearer" and bearer else None
    if claims is None:
        return JSONResponse(
            {"error": "invalid_token"}, 401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )
    population = claims.get("population")
    found = claims.get("roles")
    roles = [str(role) for role in found] if isinstance(found, list) else []
    if population == "machine" and CONFIRM_SCOPE in str(claims.get("scope", "")).split():
        method = "external"
    elif population == "officer" and Role.ADMIN in roles and claims.get("jurisdiction_level") in ("CITY", "DISTRICT"):
        method = "officer"
    else:
        return JSONResponse(
            {
                "error": "insufficient_scope",
                "error_description": f"needs an administrator or the scope {CONFIRM_SCOPE}",
            },
            403,
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{CONFIRM_SCOPE}"'},
        )
    try:
        body = await request.json()
        username, uscc, confirmed = str(body["username"]), str(body["uscc"]), body["confirmed"]
        if not isinstance(confirmed, bool):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JSONResponse(
            {"error": "invalid_request", "error_description": "send {username, uscc, confirmed: true|false}"}, 400
        )
    try:
        binding = await provider.directory.decide_binding(
            username, uscc, confirmed=confirmed, by=str(claims["sub"]), method=method
        )
    except DirectoryError as error:
        return JSONResponse({"error": "invalid_request", "error_description": str(error)}, 400)
    await provider.audit.record(
        "enterprise_confirmation",
        binding.status.lower(),
        subject=binding.user_id,
        client_id=str(claims.get("client_id")),
        uscc=binding.uscc,
        method=method,
        by=str(claims["sub"]),
    )
    return JSONResponse(
        {"username": binding.username, "uscc": binding.uscc, "status": binding.status, "method": method}
    )
