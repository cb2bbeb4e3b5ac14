"""The hub's one frozen settings object, read from ``ZHIJIAN_*`` environment variables at the entry point."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SUBGRAPH_PORTS: Mapping[str, int] = {"entities": 4001, "permits": 4002}
"""Default local ports of the subgraphs (ARCHITECTURE.md, "Local addresses")."""


class SettingsError(ValueError):
    """A ``ZHIJIAN_*`` variable holds a value we cannot use."""

    code = "INVALID_SETTING"


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a port number, not {raw!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name} must be between 1 and 65535, not {port}")
    return port


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


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
    forwarding_secret: str | None
    """HS256 secret the gateway signs forwarded identities with and subgraphs verify; generated when unset."""

    @property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.gateway_port}/graphql"

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.identity_port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("ZHIJIAN_DATA_DIR", ".zhijian"))
        database_url = env.get("ZHIJIAN_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'zhijian.db'}"
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise SettingsError(
                "ZHIJIAN_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
                f"not {database_url.split('://')[0]!r}"
            )
        log_level = env.get("ZHIJIAN_LOG_LEVEL", "info").lower()
        if log_level not in ("debug", "info", "warning", "error"):
            raise SettingsError(f"ZHIJIAN_LOG_LEVEL must be debug, info, warning or error, not {log_level!r}")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("ZHIJIAN_REDIS_URL") or None,
            host=env.get("ZHIJIAN_HOST", "127.0.0.1"),
            gateway_port=_port(env, "ZHIJIAN_GATEWAY_PORT", 4000),
            identity_port=_port(env, "ZHIJIAN_IDENTITY_PORT", 4010),
            subgraph_ports={
                name: _port(env, f"ZHIJIAN_{name.upper()}_PORT", default) for name, default in SUBGRAPH_PORTS.items()
            },
            seed_demo=_flag(env, "ZHIJIAN_SEED_DEMO", True),
            log_level=log_level,
            forwarding_secret=env.get("ZHIJIAN_FORWARDING_SECRET") or None,
        )
