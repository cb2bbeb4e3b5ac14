"""The provider's few HTML pages (login, errors, logout), rendered with escaping and a strict CSP."""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlsplit

from starlette.responses import HTMLResponse

from identity.i18n import Locale, text


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
            f"default-src 'none'; style-src 'unsafe-inline'; form-action {targets}; frame-ancestors 'none'"
        ),
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }


def _redirect_uri_in(return_to: str) -> str | None:
    """The ``redirect_uri`` of the authorization request a login will resume."""
    values = parse_qs(urlsplit(return_to).query).get("redirect_uri")
    return values[0] if values else None


_STYLE = (
    "body{font-family:sans-serif;max-width:22rem;margin:4rem auto}"
    "label,input,button{display:block;width:100%;margin:.4rem 0}"
)


def _page(locale: Locale, body: str, status: int = 200, redirect_uri: str | None = None) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8"><title>{escape(text(locale, "title"))}'
        f"</title><style>{_STYLE}</style></head><body><h1>{escape(text(locale, 'title'))}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_headers(redirect_uri))


def login_page(
    locale: Locale, *, csrf: str, return_to: str, username: str = "", error: str | None = None, status: int = 200
) -> HTMLResponse:
    notice = f'<p role="alert">{escape(text(locale, error))}</p>' if error else ""
    body = (
        f'{notice}<form method="post" action="/login">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<input type="hidden" name="return_to" value="{escape(return_to)}">'
        f'<input type="hidden" name="ui_locales" value="{escape(locale)}">'
        f'<label>{escape(text(locale, "username"))}<input name="username" value="{escape(username)}" '
        'autocomplete="username" required></label>'
        f'<label>{escape(text(locale, "password"))}<input name="password" type="password" '
        'autocomplete="current-password" required></label>'
        f'<button type="submit">{escape(text(locale, "sign_in"))}</button></form>'
    )
    return _page(locale, body, status, redirect_uri=_redirect_uri_in(return_to))


def error_page(locale: Locale, error: str, description: str | None, status: int = 400) -> HTMLResponse:
    """An error we must not redirect (unknown client, unregistered redirect URI: RFC 6749 §4.1.2.1)."""
    detail = f"<p>{escape(description)}</p>" if description else ""
    return _page(
        locale, f"<h2>{escape(text(locale, 'bad_request'))}: <code>{escape(error)}</code></h2>{detail}", status
    )


def logout_confirm_page(locale: Locale, *, csrf: str, fields: dict[str, str]) -> HTMLResponse:
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items())
    body = (
        f'<form method="post" action="/logout"><p>{escape(text(locale, "confirm_logout"))}</p>'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">{hidden}'
        f'<button type="submit">{escape(text(locale, "sign_out"))}</button></form>'
    )
    return _page(locale, body, redirect_uri=fields.get("post_logout_redirect_uri"))


def signed_out_page(locale: Locale) -> HTMLResponse:
    return _page(locale, f"<p>{escape(text(locale, 'signed_out'))}</p>")
