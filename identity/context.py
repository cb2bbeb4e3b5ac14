"""What every route needs, stored on ``app.state.identity`` by :func:`identity.app.create_app`."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from identity.csrf import CSRF_COOKIE, CsrfGuard
from identity.i18n import Locale, choose_locale
from identity.oauth_server import ZhijianAuthorizationServer
from identity.provider import Provider
from identity.settings import Network
from identity.throttle import ClientAuthThrottle, LoginThrottle

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class IdentityContext:
    """The provider, its Authlib server, and the guards in front of them."""

    provider: Provider
    server: ZhijianAuthorizationServer
    csrf: CsrfGuard
    login_throttle: LoginThrottle
    client_throttle: ClientAuthThrottle

    @staticmethod
    def of(request: Request) -> IdentityContext:
        context: IdentityContext = request.app.state.identity
        return context

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run synchronous Authlib code in a worker thread; its store calls come back to this loop."""
        return await anyio.to_thread.run_sync(fn, *args)

    def _cookie_attributes(self) -> dict[str, Any]:
        """Cookies are HttpOnly, SameSite=Lax, and Secure whenever the issuer is https."""
        return {"httponly": True, "samesite": "lax", "secure": self.provider.settings.secure_cookies, "path": "/"}

    def set_cookie(self, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(name, value, max_age=max_age, **self._cookie_attributes())

    def delete_cookie(self, response: Response, name: str) -> None:
        """Expire a cookie set by :meth:`set_cookie` (same attributes, so the browser drops that one)."""
        response.delete_cookie(name, **self._cookie_attributes())

    def csrf_token(self, request: Request) -> tuple[str, str]:
        """``(cookie, form token)`` for a form page; set the cookie on the response that shows the form."""
        return self.csrf.issue(request.cookies.get(CSRF_COOKIE))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: Request, trusted_proxies: Sequence[Network] = ()) -> str:
    """The real client address: the peer, unless the peer is a trusted proxy; then the right-most address of
    ``X-Forwarded-For`` that is not itself a trusted proxy (addresses further left are the client's to invent)."""
    peer = request.client.host if request.client else "unknown"

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in trusted_proxies)

    if not trusted_proxies or not trusted(_address(peer)):
        return peer
    hops = [hop for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # a malformed chain: trust nothing in it
        if not trusted(address):
            return str(address)
    return peer


def locale_of(request: Request, ui_locales: str | None = None) -> Locale:
    return choose_locale(ui_locales or request.query_params.get("ui_locales"), request.headers.get("accept-language"))
