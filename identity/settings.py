"""The identity provider's frozen settings, read from ``ZHIJIAN_*`` variables at the entry point.

Every address-shaped default follows the hub's host and port settings (``ZHIJIAN_HOST``, ``ZHIJIAN_IDENTITY_PORT``,
``ZHIJIAN_GATEWAY_PORT``), and everything kept on disk defaults to a place under ``ZHIJIAN_DATA_DIR``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kernel.settings import Env, Secret, SettingsError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or origin == "*":
            raise SettingsError(f"ZHIJIAN_IDENTITY_CORS_ORIGINS: {origin!r} is not an origin (scheme://host[:port])")
    return origins


def _networks(raw: str | None) -> tuple[Network, ...]:
    networks = []
    for item in (raw or "").split(","):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise SettingsError(
                f"ZHIJIAN_IDENTITY_TRUSTED_PROXIES: {item.strip()!r} is not an address or network (10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _is_loopback(host: str | None) -> bool:
    return host in ("127.0.0.1", "::1", "localhost")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True, slots=True)
class IdentitySettings:
    """Everything the OpenID provider is configured with; built once by :meth:`from_env`."""

    issuer: str
    """Issuer identifier (OIDC Discovery §3): https, or http on a loopback address for local use."""
    gateway_audience: str
    """``aud`` of every access token (RFC 9068 §3): the gateway, never the client id."""
    key_dir: Path
    gateway_origin: str = "http://127.0.0.1:4000"
    """Where the gateway (GraphiQL, the console) is reached: the demo browser clients' redirect URIs start here."""
    access_token_ttl: int = 300
    id_token_ttl: int = 300
    refresh_token_ttl: int = 8 * 3600
    refresh_reuse_grace: int = 10
    """Seconds in which a rotated refresh token may be presented again (two tabs refreshing at once)."""
    authorization_code_ttl: int = 60
    session_ttl: int = 8 * 3600
    login_free_failures: int = 5
    """Failed sign-ins of one account name before each further attempt waits (1 s, 2 s, 4 s …)."""
    login_max_delay: int = 60
    """The longest wait a run of failures imposes: never a lock."""
    login_failure_memory: int = 900
    """Seconds after the last failure when an account's failures are forgotten."""
    login_attempts_per_ip_per_minute: int = 30
    client_auth_failures: int = 10
    """Failed client authentications per client id, and per address, before the endpoint answers 429."""
    client_auth_window: int = 300
    key_publish_ahead: int = 600
    """A new signing key is published this many seconds before it signs (longer than any gateway's key cache)."""
    cookie_secret: Secret | None = None
    """HMAC key for CSRF tokens and device cookies; generated and kept in ``key_dir`` when not set."""
    key_encryption_key: Secret | None = None
    """Encrypts the signing keys at rest; from the environment or a mounted file, else generated (see keys)."""
    redis_url: str | None = None
    """Shared throttles and the revocation list when several processes serve (``ZHIJIAN_REDIS_URL``)."""
    trusted_proxies: tuple[Network, ...] = ()
    """Reverse proxies whose ``X-Forwarded-For`` names the real client address."""
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
        host = _url_host(env.text("ZHIJIAN_HOST", "127.0.0.1"))
        gateway_origin = f"http://{host}:{env.port('ZHIJIAN_GATEWAY_PORT', 4000)}"
        default_issuer = f"http://{host}:{env.port('ZHIJIAN_IDENTITY_PORT', 4010)}"
        issuer = env.text("ZHIJIAN_IDENTITY_ISSUER", default_issuer).rstrip("/")
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname)):
            raise SettingsError(
                f"ZHIJIAN_IDENTITY_ISSUER must be an https URL (http only on 127.0.0.1/localhost), not {issuer!r}"
            )
        if parts.query or parts.fragment:
            raise SettingsError("ZHIJIAN_IDENTITY_ISSUER must not have a query or fragment (OIDC Discovery §2)")
        data_dir = env.path("ZHIJIAN_DATA_DIR", Path(".zhijian"))
        key_file = env.get("ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY_FILE")
        kek = env.secret("ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY", min_bytes=32)
        if kek is None and key_file is not None:
            try:
                kek = Secret(Path(key_file).read_text(encoding="utf-8").strip())
            except OSError as error:
                raise SettingsError(
                    f"ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY_FILE: cannot read {key_file} ({error.strerror})"
                ) from None
            if len(kek.reveal().encode()) < 32:
                raise SettingsError("ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY_FILE must hold at least 32 bytes")

        def positive(name: str, default: int) -> int:
            return env.integer(name, default, minimum=1)

        return cls(
            issuer=issuer,
            gateway_audience=env.text("ZHIJIAN_IDENTITY_GATEWAY_AUDIENCE", f"{gateway_origin}/graphql"),
            key_dir=env.path("ZHIJIAN_IDENTITY_KEY_DIR", data_dir / "keys"),
            gateway_origin=gateway_origin,
            access_token_ttl=positive("ZHIJIAN_IDENTITY_ACCESS_TOKEN_TTL", 300),
            id_token_ttl=positive("ZHIJIAN_IDENTITY_ID_TOKEN_TTL", 300),
            refresh_token_ttl=positive("ZHIJIAN_IDENTITY_REFRESH_TOKEN_TTL", 8 * 3600),
            refresh_reuse_grace=env.integer("ZHIJIAN_IDENTITY_REFRESH_REUSE_GRACE", 10, minimum=0, maximum=60),
            authorization_code_ttl=positive("ZHIJIAN_IDENTITY_AUTHORIZATION_CODE_TTL", 60),
            session_ttl=positive("ZHIJIAN_IDENTITY_SESSION_TTL", 8 * 3600),
            login_free_failures=positive("ZHIJIAN_IDENTITY_LOGIN_FREE_FAILURES", 5),
            login_max_delay=positive("ZHIJIAN_IDENTITY_LOGIN_MAX_DELAY", 60),
            login_failure_memory=positive("ZHIJIAN_IDENTITY_LOGIN_FAILURE_MEMORY", 900),
            login_attempts_per_ip_per_minute=positive("ZHIJIAN_IDENTITY_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", 30),
            client_auth_failures=positive("ZHIJIAN_IDENTITY_CLIENT_AUTH_FAILURES", 10),
            client_auth_window=positive("ZHIJIAN_IDENTITY_CLIENT_AUTH_WINDOW", 300),
            key_publish_ahead=env.integer("ZHIJIAN_IDENTITY_KEY_PUBLISH_AHEAD", 600, minimum=0),
            cookie_secret=env.secret("ZHIJIAN_IDENTITY_COOKIE_SECRET"),
            key_encryption_key=kek,
            redis_url=env.get("ZHIJIAN_REDIS_URL"),
            trusted_proxies=_networks(env.get("ZHIJIAN_IDENTITY_TRUSTED_PROXIES")),
            cors_origins=_origins(env.text("ZHIJIAN_IDENTITY_CORS_ORIGINS", f"{gateway_origin},http://localhost:5173")),
        )
