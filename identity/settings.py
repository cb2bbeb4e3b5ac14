"""The identity provider's frozen settings, read from ``ZHIJIAN_IDENTITY_*`` variables at the entry point."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kernel.settings import Env, Secret, SettingsError


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or origin == "*":
            raise SettingsError(f"ZHIJIAN_IDENTITY_CORS_ORIGINS: {origin!r} is not an origin (scheme://host[:port])")
    return origins


def _is_loopback(host: str | None) -> bool:
    return host in ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True, slots=True)
class IdentitySettings:
    """Everything the OpenID provider is configured with; built once by :meth:`from_env`."""

    issuer: str
    """Issuer identifier (OIDC Discovery §3): https, or http on a loopback address for local use."""
    gateway_audience: str
    """``aud`` of every access token (RFC 9068 §3): the gateway, never the client id."""
    key_dir: Path
    access_token_ttl: int = 300
    id_token_ttl: int = 300
    refresh_token_ttl: int = 8 * 3600
    authorization_code_ttl: int = 60
    session_ttl: int = 8 * 3600
    lockout_threshold: int = 5
    """Consecutive wrong passwords after which an officer account is locked."""
    lockout_seconds: int = 900
    login_attempts_per_ip_per_minute: int = 30
    cookie_secret: Secret | None = None
    """HMAC key for CSRF tokens; generated and kept in ``key_dir`` when not set."""
    cors_origins: tuple[str, ...] = ("http://127.0.0.1:4000", "http://localhost:5173")
    """Browser origins of single-page apps that call ``/token``, ``/userinfo``, ``/revoke`` with fetch."""

    @property
    def secure_cookies(self) -> bool:
        return self.issuer.startswith("https://")

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def max_token_ttl(self) -> int:
        """How long a retired signing key must stay published: the longest-lived JWT it signed."""
        return max(self.access_token_ttl, self.id_token_ttl)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> IdentitySettings:
        env = Env(environ)
        issuer = env.text("ZHIJIAN_IDENTITY_ISSUER", "http://127.0.0.1:4010").rstrip("/")
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname)):
            raise SettingsError(
                f"ZHIJIAN_IDENTITY_ISSUER must be an https URL (http only on 127.0.0.1/localhost), not {issuer!r}"
            )
        if parts.query or parts.fragment:
            raise SettingsError("ZHIJIAN_IDENTITY_ISSUER must not have a query or fragment (OIDC Discovery §2)")

        def positive(name: str, default: int) -> int:
            return env.integer(name, default, minimum=1)

        return cls(
            issuer=issuer,
            gateway_audience=env.text("ZHIJIAN_IDENTITY_GATEWAY_AUDIENCE", "http://127.0.0.1:4000/graphql"),
            key_dir=env.path("ZHIJIAN_IDENTITY_KEY_DIR", Path(".zhijian") / "keys"),
            access_token_ttl=positive("ZHIJIAN_IDENTITY_ACCESS_TOKEN_TTL", 300),
            id_token_ttl=positive("ZHIJIAN_IDENTITY_ID_TOKEN_TTL", 300),
            refresh_token_ttl=positive("ZHIJIAN_IDENTITY_REFRESH_TOKEN_TTL", 8 * 3600),
            authorization_code_ttl=positive("ZHIJIAN_IDENTITY_AUTHORIZATION_CODE_TTL", 60),
            session_ttl=positive("ZHIJIAN_IDENTITY_SESSION_TTL", 8 * 3600),
            lockout_threshold=positive("ZHIJIAN_IDENTITY_LOCKOUT_THRESHOLD", 5),
            lockout_seconds=positive("ZHIJIAN_IDENTITY_LOCKOUT_SECONDS", 900),
            login_attempts_per_ip_per_minute=positive("ZHIJIAN_IDENTITY_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", 30),
            cookie_secret=env.secret("ZHIJIAN_IDENTITY_COOKIE_SECRET"),
            cors_origins=_origins(
                env.text("ZHIJIAN_IDENTITY_CORS_ORIGINS", "http://127.0.0.1:4000,http://localhost:5173")
            ),
        )
