"""The provider's HTML pages (sign-in, consent, registration, errors, logout), in the bureau's look.

zh-CN first with a visible 中文/English switch, responsive from phone to desktop, nothing fetched from elsewhere:
one stylesheet (``signin.css``) inlined and pinned by its hash in a strict CSP (no scripts at all), the emblem
drawn inline. Every value is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from html import escape
from importlib import resources
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.responses import HTMLResponse

from identity.i18n import LOCALES, Locale, text
from identity.records import Account, Client
from kernel.roles import Population

_EMBLEM = (
    '<svg class="emblem" viewBox="0 0 48 48" aria-hidden="true" focusable="false">'
    '<path d="M24 3 6 9v13c0 11.2 7.6 20.4 18 23 10.4-2.6 18-11.8 18-23V9z" fill="#fff"/>'
    '<path d="M24 7.5 10 12.3v9.9c0 9 5.9 16.6 14 18.9 8.1-2.3 14-9.9 14-18.9v-9.9z" fill="#0b4f9c"/>'
    '<circle cx="22" cy="21" r="6.5" fill="none" stroke="#fff" stroke-width="3"/>'
    '<path d="m26.8 25.8 5.4 5.4" stroke="#fff" stroke-width="3.4" stroke-linecap="round"/>'
    "</svg>"
)
"""A shield with a magnifier (supervision); deliberately not the national emblem."""
SECRET = "current-password"
_ALERT_ICON = (
    '<svg viewBox="0 0 20 20" aria-hidden="true" focusable="false"><circle cx="10" cy="10" r="9" fill="none" '
    'stroke="currentColor" stroke-width="2"/><path d="M10 5.5v5.5M10 13.6v.9" stroke="currentColor" '
    'stroke-width="2" stroke-linecap="round"/></svg>'
)


@cache
def _style() -> tuple[str, str]:
    """The stylesheet and its CSP hash source."""
    css = (resources.files("identity") / "signin.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def _headers(redirect_uri: str | None = None) -> dict[str, str]:
    """Strict headers; ``form-action`` also allows the origin the form's redirect chain ends at.

    Browsers apply ``form-action`` to every redirect after a form post (CSP 3 §6.2.2): the login form's
    POST /login → /authorize → the client's redirect URI must be allowed, or the browser stops on our page.
    /authorize refuses unregistered redirect URIs before redirecting, so naming the origin here opens nothing.
    """
    targets = "'self'"
    parts = urlsplit(redirect_uri or "")
    if parts.scheme in ("http", "https") and parts.netloc and not any(c in parts.netloc for c in " ;,'\""):
        targets += f" {parts.scheme}://{parts.netloc}"
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src {_style()[1]}; form-action {targets}; frame-ancestors 'none'; "
            "base-uri 'none'"
        ),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }


def _redirect_uri_in(return_to: str) -> str | None:
    """The ``redirect_uri`` of the authorization request a login will resume."""
    values = parse_qs(urlsplit(return_to).query).get("redirect_uri")
    return values[0] if values else None


def _switch(locale: Locale, path: str, params: Sequence[tuple[str, str]]) -> str:
    """The 中文 / English switch: this page again in the other language."""
    links = []
    for other, label in zip(LOCALES, ("中文", "English"), strict=True):
        href = f"{path}?{urlencode([*params, ('ui_locales', other)])}"
        current = ' aria-current="true"' if other == locale else ""
        links.append(f'<a href="{escape(href)}" lang="{other}" hreflang="{other}"{current}>{label}</a>')
    return f'<nav class="lang" aria-label="{escape(text(locale, "language"))} / Language">{"".join(links)}</nav>'


def _page(
    locale: Locale,
    heading: str,
    body: str,
    *,
    status: int = 200,
    redirect_uri: str | None = None,
    switch: tuple[str, Sequence[tuple[str, str]]] | None = None,
) -> HTMLResponse:
    language = _switch(locale, *switch) if switch else ""
    html = (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light"><meta name="referrer" content="no-referrer">'
        f"<title>{escape(text(locale, 'title'))}</title><style>{_style()[0]}</style></head><body>"
        f'<header class="masthead"><div class="brand">{_EMBLEM}<div><p class="brand-name">智监 zhijian</p>'
        f'<p class="brand-sub">{escape(text(locale, "bureau"))}</p></div></div>{language}</header>'
        f"<main><h1>{escape(heading)}</h1>{body}</main>"
        f'<footer class="foot">{escape(text(locale, "bureau"))} · 智监统一身份认证</footer></body></html>'
    )
    return HTMLResponse(html, status_code=status, headers=_headers(redirect_uri))


def _alert(message: str, hint: str = "", *, ok: bool = False) -> str:
    extra = f'<p class="hint">{escape(hint)}</p>' if hint else ""
    icon = "" if ok else _ALERT_ICON
    return (
        f'<div class="alert{" ok" if ok else ""}">{icon}<div><p role="alert">{escape(message)}</p>{extra}</div></div>'
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def _field(label: str, name: str, *, value: str = "", kind: str = "text", autocomplete: str, invalid: bool) -> str:
    state = ' aria-invalid="true" aria-describedby="problem"' if invalid else ""
    return (
        f'<div class="field"><label for="{name}">{escape(label)}</label>'
        f'<input id="{name}" name="{name}" type="{kind}" value="{escape(value)}" autocomplete="{autocomplete}" '
        f"required{state}></div>"
    )


def login_page(
    locale: Locale,
    *,
    csrf: str,
    return_to: str,
    entrance: Population = Population.OFFICER,
    username: str = "",
    error: str | None = None,
    retry_after: int = 0,
    status: int = 200,
) -> HTMLResponse:
    """The sign-in form of one entrance; the other entrance and the other language are one link away."""
    tabs = []
    for population, key in ((Population.OFFICER, "officer"), (Population.ENTERPRISE, "enterprise")):
        href = "/login?" + urlencode([("return_to", return_to), ("entrance", population.value), ("ui_locales", locale)])
        current = ' aria-current="page"' if population is entrance else ""
        name, hint = escape(text(locale, f"{key}_entrance")), escape(text(locale, f"{key}_entrance_hint"))
        tabs.append(
            f'<a class="entrance {key}" href="{escape(href)}"{current}><strong>{name}</strong><span>{hint}</span></a>'
        )
    wait = text(locale, "retry_after", seconds=str(retry_after)) if retry_after else ""
    notice = f'<div id="problem">{_alert(text(locale, error), wait)}</div>' if error else ""
    invalid = error in ("invalid", "slowed")
    if entrance is Population.ENTERPRISE:
        register = "/enterprise/register?" + urlencode([("return_to", return_to), ("ui_locales", locale)])
        link = f'<a href="{escape(register)}">{escape(text(locale, "register"))}</a>'
        help_text = f"{escape(text(locale, 'enterprise_help'))} {link}"
    else:
        help_text = escape(text(locale, "officer_help"))
    body = (
        f'<nav class="entrances" aria-label="{escape(text(locale, "title"))}">{"".join(tabs)}</nav>{notice}'
        '<form method="post" action="/login">'
        f"{_hidden('csrf', csrf)}{_hidden('return_to', return_to)}{_hidden('ui_locales', locale)}"
        f"{_hidden('population', entrance.value)}"
        f"{_field(text(locale, 'username'), 'username', value=username, autocomplete='username', invalid=invalid)}"
        f"{_field(text(locale, 'password'), 'password', kind='password', autocomplete=SECRET, invalid=invalid)}"
        f'<button type="submit">{escape(text(locale, "sign_in"))}</button></form>'
        f'<p class="help">{help_text}</p>'
    )
    switch = ("/login", [("return_to", return_to), ("entrance", entrance.value)])
    return _page(
        locale,
        text(locale, "title").split(" · ")[-1],
        body,
        status=status,
        redirect_uri=_redirect_uri_in(return_to),
        switch=switch,
    )


def error_page(locale: Locale, error: str, description: str | None, status: int = 400) -> HTMLResponse:
    """An error we must not redirect (unknown client, unregistered redirect URI: RFC 6749 §4.1.2.1)."""
    detail = f"<p>{escape(description)}</p>" if description else ""
    body = (
        f'<div class="alert">{_ALERT_ICON}<div><h2>{escape(text(locale, "bad_request"))}: <code>{escape(error)}</code>'
        f'</h2>{detail}</div></div><p class="help">{escape(text(locale, "error_help"))}</p>'
    )
    return _page(locale, text(locale, "bad_request"), body, status=status)


def logout_confirm_page(locale: Locale, *, csrf: str, fields: dict[str, str]) -> HTMLResponse:
    hidden = "".join(_hidden(k, v) for k, v in fields.items())
    body = (
        f'<form method="post" action="/logout"><p>{escape(text(locale, "confirm_logout"))}</p>'
        f"{_hidden('csrf', csrf)}{hidden}"
        f'<button type="submit">{escape(text(locale, "sign_out"))}</button></form>'
    )
    return _page(locale, text(locale, "sign_out"), body, redirect_uri=fields.get("post_logout_redirect_uri"))


def signed_out_page(locale: Locale) -> HTMLResponse:
    return _page(locale, text(locale, "sign_out"), _alert(text(locale, "signed_out"), ok=True))


def consent_page(
    locale: Locale,
    *,
    csrf: str,
    client: Client,
    account: Account,
    scopes: Sequence[str],
    return_to: str,
    redirect_uri: str,
) -> HTMLResponse:
    """Ask whether a third-party client may act for the signed-in user (OIDC Core §3.1.2.4)."""
    items = "".join(f"<li>{escape(text(locale, f'scope_{scope}'))}</li>" for scope in scopes)
    body = (
        f'<p>{escape(text(locale, "consent_intro", client=client.name))}</p><ul class="scopes">{items}</ul>'
        f'<p class="note">{escape(text(locale, "consent_signed_in_as", name=account.display_name))}. '
        f"{escape(text(locale, 'consent_remember'))}</p>"
        f'<form method="post" action="/consent">{_hidden("csrf", csrf)}{_hidden("return_to", return_to)}'
        f'{_hidden("ui_locales", locale)}<div class="actions">'
        f'<button type="submit" name="decision" value="deny" class="secondary">{escape(text(locale, "deny"))}</button>'
        f'<button type="submit" name="decision" value="allow">{escape(text(locale, "allow"))}</button></div></form>'
    )
    return _page(locale, text(locale, "consent_title"), body, redirect_uri=redirect_uri)


def consents_page(
    locale: Locale, *, csrf: str, granted: Sequence[tuple[str, str]], notice: str | None = None
) -> HTMLResponse:
    """The third-party clients the user allowed, each with a withdraw button; ``granted`` is (client id, name)."""
    if granted:
        rows = "".join(
            f'<li><span>{escape(name)}</span><form method="post" action="/account/consents">'
            f"{_hidden('csrf', csrf)}{_hidden('client_id', client_id)}{_hidden('ui_locales', locale)}"
            f'<button type="submit" class="secondary">{escape(text(locale, "withdraw"))}</button></form></li>'
            for client_id, name in granted
        )
        listing = f'<ul class="consents">{rows}</ul>'
    else:
        listing = f'<p class="note">{escape(text(locale, "consents_none"))}</p>'
    shown = _alert(text(locale, notice), ok=True) if notice else ""
    return _page(locale, text(locale, "consents_title"), shown + listing, switch=("/account/consents", []))


def register_page(
    locale: Locale,
    *,
    csrf: str,
    return_to: str,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """Self-service registration of an enterprise user, bound to a USCC; waits for the legal representative."""
    values = values or {}
    notice = _alert(text(locale, "register_invalid", detail=problem)) if problem else ""

    def field(name: str, kind: str = "text", autocomplete: str = "off") -> str:
        shown = "" if kind == "password" else values.get(name, "")
        return _field(text(locale, name), name, value=shown, kind=kind, autocomplete=autocomplete, invalid=False)

    body = (
        f'{notice}<p class="note">{escape(text(locale, "register_note"))}</p>'
        f'<form method="post" action="/enterprise/register">{_hidden("csrf", csrf)}{_hidden("return_to", return_to)}'
        f"{_hidden('ui_locales', locale)}{field('uscc')}{field('legal_representative')}"
        f"{field('display_name', autocomplete='name')}{field('username', autocomplete='username')}"
        f"{field('password', 'password', 'new-password')}"
        f'<button type="submit">{escape(text(locale, "register_submit"))}</button></form>'
    )
    return _page(
        locale, text(locale, "register_title"), body, status=status,
        switch=("/enterprise/register", [("return_to", return_to)]),
    )  # fmt: skip


def registered_page(locale: Locale, *, return_to: str) -> HTMLResponse:
    back = "/login?" + urlencode([("return_to", return_to), ("entrance", "enterprise"), ("ui_locales", locale)])
    body = (
        f"{_alert(text(locale, 'registered'), ok=True)}"
        f'<a class="button" href="{escape(back)}">{escape(text(locale, "back_to_sign_in"))}</a>'
    )
    return _page(locale, text(locale, "register_title"), body)
