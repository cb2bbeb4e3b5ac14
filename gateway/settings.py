"""Gateway settings: one frozen value built at the entry point from `ZHIJIAN_GATEWAY_*` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gateway.errors import InternalError

PREFIX = "ZHIJIAN_GATEWAY_"


class SettingsError(InternalError):
    """A `ZHIJIAN_GATEWAY_*` variable has an unusable value."""

    code = "INVALID_SETTINGS"


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    """Everything the gateway can be told; see `gateway/README.md` for the variables."""

    host: str = "127.0.0.1"
    port: int = 4000
    workers: int = 1
    supergraph_path: str | None = None
    graphql_path: str = "/graphql"
    subgraph_timeout_s: float = 30.0
    subgraph_timeouts: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Per-subgraph overrides of `subgraph_timeout_s`."""
    max_connections_per_subgraph: int = 100
    plan_cache_size: int = 1024
    introspection: bool = True
    graphiql: bool = True
    oidc_issuer: str | None = None
    """Provider GraphiQL signs officers in with (code + PKCE in the browser); unset: no sign-in button."""
    oidc_client_id: str | None = None
    """Public PKCE client of that sign-in, registering `<gateway origin>/auth/callback` as a redirect URI."""
    console_dir: str | None = None
    """The built officers' console (`console/dist`), served at `/console/`; unset: no console."""
    console_client_id: str | None = None
    """The console's public PKCE client at `oidc_issuer`, registering `<gateway origin>/console/auth/callback`."""
    forward_headers: tuple[str, ...] = ()
    """Client request headers passed on to subgraphs (lower case); never ``x-zhijian-identity``."""
    max_request_bytes: int = 2_000_000
    issuer: str | None = None
    """The built-in provider's ``iss``; with no issuer at all, auth is off (no tokens, no directives)."""
    jwks_url: str | None = None
    """Where the built-in issuer's keys are; default ``<issuer>/jwks.json``."""
    audience: str | None = None
    """The ``aud`` tokens must carry; default this gateway's URL ``http://<host>:<port><graphql_path>``."""
    external_issuer: str | None = None
    """An enterprise IdP realm (Keycloak) trusted besides the built-in provider."""
    external_jwks_url: str | None = None
    external_client_roles: str | None = None
    """Keycloak client whose ``resource_access.<client>.roles`` count as roles."""
    external_token_types: tuple[str, ...] = ("at+jwt",)
    forwarding_secret: str | None = None
    """HS256 secret for the ``x-zhijian-identity`` the gateway signs for subgraphs (≥ 32 bytes)."""

    @property
    def auth_enabled(self) -> bool:
        return self.issuer is not None or self.external_issuer is not None

    @property
    def token_audience(self) -> str:
        return self.audience or f"http://{self.host}:{self.port}{self.graphql_path}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GatewaySettings:
        """Read `ZHIJIAN_GATEWAY_*` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        defaults = cls()

        def get(name: str) -> str | None:
            value = env.get(PREFIX + name)
            return value if value not in (None, "") else None

        return cls(
            host=get("HOST") or defaults.host,
            port=_int(get("PORT"), defaults.port, "PORT"),
            workers=_int(get("WORKERS"), defaults.workers, "WORKERS"),
            supergraph_path=get("SUPERGRAPH") or defaults.supergraph_path,
            graphql_path=get("GRAPHQL_PATH") or defaults.graphql_path,
            subgraph_timeout_s=_float(get("SUBGRAPH_TIMEOUT"), defaults.subgraph_timeout_s, "SUBGRAPH_TIMEOUT"),
            subgraph_timeouts=MappingProxyType(_timeouts(get("SUBGRAPH_TIMEOUTS"))),
            max_connections_per_subgraph=_int(
                get("MAX_CONNECTIONS"), defaults.max_connections_per_subgraph, "MAX_CONNECTIONS"
            ),
            plan_cache_size=_int(get("PLAN_CACHE_SIZE"), defaults.plan_cache_size, "PLAN_CACHE_SIZE"),
            introspection=_bool(get("INTROSPECTION"), defaults.introspection, "INTROSPECTION"),
            graphiql=_bool(get("GRAPHIQL"), defaults.graphiql, "GRAPHIQL"),
            oidc_issuer=(get("OIDC_ISSUER") or "").rstrip("/") or None,
            oidc_client_id=get("OIDC_CLIENT_ID"),
            console_dir=get("CONSOLE_DIR"),
            console_client_id=get("CONSOLE_CLIENT_ID"),
            forward_headers=_names(get("FORWARD_HEADERS"), defaults.forward_headers),
            max_request_bytes=_int(get("MAX_REQUEST_BYTES"), defaults.max_request_bytes, "MAX_REQUEST_BYTES"),
            issuer=get("ISSUER"),
            jwks_url=get("JWKS_URL"),
            audience=get("AUDIENCE"),
            external_issuer=get("EXTERNAL_ISSUER"),
            external_jwks_url=get("EXTERNAL_JWKS_URL"),
            external_client_roles=get("EXTERNAL_CLIENT_ROLES"),
            external_token_types=_names(get("EXTERNAL_TOKEN_TYPES"), defaults.external_token_types),
            forwarding_secret=get("FORWARDING_SECRET") or env.get("ZHIJIAN_FORWARDING_SECRET") or None,
        )


def _int(value: str | None, default: int, name: str) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise SettingsError(f"{PREFIX}{name} must be an integer, got {value!r}.") from error


def _float(value: str | None, default: float, name: str) -> float:
    if value is None:
        return default
    try:
        return float(value)
    except ValueError as error:
        raise SettingsError(f"{PREFIX}{name} must be a number of seconds, got {value!r}.") from error


def _bool(value: str | None, default: bool, name: str) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{PREFIX}{name} must be true or false, got {value!r}.")


def _names(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    """Parse `a, B` into lower-case names."""
    if value is None:
        return default
    return tuple(name.strip().lower() for name in value.split(",") if name.strip())


def _timeouts(value: str | None) -> dict[str, float]:
    """Parse `accounts=1.5,reviews=3` into a mapping."""
    result: dict[str, float] = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        name, sep, seconds = item.partition("=")
        if not sep:
            raise SettingsError(f"{PREFIX}SUBGRAPH_TIMEOUTS items look like name=seconds, got {item!r}.")
        result[name.strip()] = _float(seconds.strip(), 0.0, "SUBGRAPH_TIMEOUTS")
    return result
