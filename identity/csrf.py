"""Login CSRF protection: a random cookie and an HMAC of it in the form (OWASP signed double-submit)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

CSRF_COOKIE = "zj_csrf"


@dataclass(frozen=True, slots=True)
class CsrfGuard:
    """Issues and checks form tokens bound to the browser's ``zj_csrf`` cookie."""

    secret: bytes

    def token_for(self, cookie: str) -> str:
        return hmac.new(self.secret, cookie.encode(), hashlib.sha256).hexdigest()

    def issue(self, cookie: str | None) -> tuple[str, str]:
        """``(cookie, form token)``; the browser's cookie is kept when it has one."""
        cookie = cookie if cookie and len(cookie) >= 32 else secrets.token_urlsafe(32)
        return cookie, self.token_for(cookie)

    def check(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.token_for(cookie), token)
