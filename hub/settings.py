"""The hub's one frozen settings object, read from ``ZHIJIAN_*`` environment variables at the entry point."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hub.components import MACHINE_CLIENTS, SUBGRAPHS
from kernel.logs import FORMATS
from kernel.settings import Env, Secret, SettingsError

__all__ = ["Settings", "SettingsError"]

_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the hub process is configured with; built once by :meth:`from_env`."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    host: str
    gateway_port: int
    identity_port: int
    subgraph_ports: Mapping[str, int]
    """Where each subgraph is also served directly (``ZHIJIAN_<NAME>_PORT``)."""
    seed_demo: bool
    log_level: str
    log_format: str
    """``text`` (a person at a terminal) or ``json`` (one object per line, for a log collector)."""
    forwarding_key_file: Path | None
    """Ed25519 private key (PEM) the gateway signs forwarded identities with; generated under ``data_dir`` when
    unset. Subgraphs are handed only its public key."""
    client_secrets: Mapping[str, Secret]
    """Secrets of the components' machine clients (``ZHIJIAN_<NAME>_CLIENT_SECRET``); the embedded hub generates
    and registers the ones not given."""
    subgraph_urls: Mapping[str, str] = field(default_factory=dict)
    """Where the gateway reaches each subgraph (``ZHIJIAN_<NAME>_URL``) when it runs apart from them
    (``zhijian serve gateway``); default ``http://<host>:<port>/graphql``."""
    gateway_address: str | None = None
    """The gateway's GraphQL URL as components asking the graph reach it (``ZHIJIAN_GATEWAY_URL``), when it is not
    ``http://<host>:<gateway port>/graphql`` (a split deployment: ``http://gateway:4000/graphql``)."""
    provider_address: str | None = None
    """The identity provider's base URL inside the deployment (``ZHIJIAN_IDENTITY_URL``): machine clients get their
    tokens from ``<it>/token`` instead of the public issuer's."""
    forwarding_public_key_file: Path | None = None
    """The gateway's Ed25519 public key (PEM) a subgraph served alone verifies forwarded identities with."""
    shutdown_grace: float = 25.0
    database_read_url: str | None = field(default=None, repr=False)
    """A PostgreSQL read replica (``ZHIJIAN_DATABASE_READ_URL``): subgraphs' GraphQL reads until a request writes."""
    """Seconds a server stopped by SIGTERM waits for in-flight requests (``ZHIJIAN_SHUTDOWN_GRACE``)."""
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    """The environment as read here, for components configured by variables of their own (the adapters)."""

    @property
    def gateway_url(self) -> str:
        return self.gateway_address or f"http://{self.host}:{self.gateway_port}/graphql"

    def subgraph_url(self, name: str) -> str:
        """Where the gateway reaches subgraph ``name``."""
        return self.subgraph_urls.get(name) or f"http://{self.host}:{self.subgraph_ports[name]}/graphql"

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.identity_port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        env = Env(environ)
        data_dir = env.path("ZHIJIAN_DATA_DIR", Path(".zhijian"))
        database_url = env.text("ZHIJIAN_DATABASE_URL", f"sqlite+aiosqlite:///{data_dir / 'zhijian.db'}")
        if not database_url.startswith(_DATABASE_SCHEMES):
            raise SettingsError(
                "ZHIJIAN_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
                f"not {database_url.split('://')[0]!r}"
            )
        read_url = env.get("ZHIJIAN_DATABASE_READ_URL")
        if read_url is not None and not (database_url.startswith("postgresql") and read_url.startswith("postgresql")):
            raise SettingsError(
                "ZHIJIAN_DATABASE_READ_URL must be a postgresql+asyncpg:// replica of a PostgreSQL ZHIJIAN_DATABASE_URL"
            )
        key_file = env.get("ZHIJIAN_FORWARDING_KEY_FILE")
        public_key_file = env.get("ZHIJIAN_FORWARDING_PUBLIC_KEY_FILE")
        secrets = {
            owner: secret
            for owner, _client in MACHINE_CLIENTS
            if (secret := env.secret(f"ZHIJIAN_{owner.upper()}_CLIENT_SECRET", min_bytes=16)) is not None
        }
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            database_read_url=read_url,
            redis_url=env.get("ZHIJIAN_REDIS_URL"),
            host=env.text("ZHIJIAN_HOST", "127.0.0.1"),
            gateway_port=env.port("ZHIJIAN_GATEWAY_PORT", 4000),
            identity_port=env.port("ZHIJIAN_IDENTITY_PORT", 4010),
            subgraph_ports={
                component.name: env.port(f"ZHIJIAN_{component.name.upper()}_PORT", component.port)
                for component in SUBGRAPHS
            },
            seed_demo=env.flag("ZHIJIAN_SEED_DEMO", True),
            log_level=env.choice("ZHIJIAN_LOG_LEVEL", "info", ("debug", "info", "warning", "error")),
            log_format=env.choice("ZHIJIAN_LOG_FORMAT", "text", FORMATS),
            forwarding_key_file=None if key_file is None else Path(key_file),
            client_secrets=secrets,
            subgraph_urls={
                component.name: url
                for component in SUBGRAPHS
                if (url := env.get(f"ZHIJIAN_{component.name.upper()}_URL")) is not None
            },
            gateway_address=env.get("ZHIJIAN_GATEWAY_URL"),
            provider_address=(env.get("ZHIJIAN_IDENTITY_URL") or "").rstrip("/") or None,
            forwarding_public_key_file=None if public_key_file is None else Path(public_key_file),
            shutdown_grace=env.seconds("ZHIJIAN_SHUTDOWN_GRACE", 25.0),
            environ=dict(environ),
        )
