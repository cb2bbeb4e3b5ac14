"""What every route needs, stored on ``app.state.identity`` by :func:`identity.app.create_app`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from identity.csrf import CSRF_COOKIE, CsrfGuard
from identity.i18n import Locale, choose_locale
from identity.oauth_server import ZhijianAuthorizationServer
from identity.provider import Provider
from identity.throttle import LoginThrottle

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class IdentityContext:
    """The provider, its Authlib server, and the browser-facing guards."""

    provider: Provider
    server: ZhijianAuthorizationServer
    csrf: CsrfGuard
    throttle: LoginThrottle

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


def client_ip(request: Request) -> str:
    """The peer address (proxies' X-Forwarded-For is not trusted here)."""
    return request.client.host if request.client else "unknown"


def locale_of(request: Request, ui_locales: str | None = None) -> Locale:
    return choose_locale(ui_locales or request.query_params.get("ui_locales"), request.headers.get("accept-language"))
