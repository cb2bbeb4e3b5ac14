"""The officers' console (`console/`, built by Vite) served at `/console/` from the gateway's own origin.

A single-page app: files that exist are sent as they are (hashed `assets/` for a year), every other path under the
prefix gets `index.html` so the app's own routes survive a reload, and `config.json` tells the app where to sign in.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from gateway.settings import GatewaySettings

PREFIX = "/console"
CONFIG_NAME = "config.json"
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
_IMMUTABLE = ((b"cache-control", b"public, max-age=31536000, immutable"),)
_REVALIDATE = ((b"cache-control", b"no-cache"),)
_NO_STORE = ((b"cache-control", b"no-store"),)


@dataclass(frozen=True, slots=True)
class ConsoleResponse:
    """What to send for one console path."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class _File:
    body: bytes
    gzipped: bytes | None
    content_type: str


class ConsoleFiles:
    """The built console under `root`, with the sign-in settings the app reads from `/console/config.json`."""

    def __init__(self, root: Path, config: dict[str, str | None]) -> None:
        self.root = root.resolve()
        self.config = json.dumps(config, ensure_ascii=False).encode()
        self._cache: dict[tuple[Path, int], _File] = {}

    @classmethod
    def of(cls, settings: GatewaySettings) -> ConsoleFiles | None:
        """The console the settings name (`ZHIJIAN_GATEWAY_CONSOLE_DIR`), or None: no `/console/` at all."""
        if settings.console_dir is None:
            return None
        config = {
            "issuer": settings.oidc_issuer,
            "clientId": settings.console_client_id,
            "graphqlPath": settings.graphql_path,
        }
        return cls(Path(settings.console_dir), config)

    def response(self, path: str, accept_encoding: str = "") -> ConsoleResponse:
        """The answer to a GET of `path` (which starts with `/console`)."""
        if path == PREFIX:
            return ConsoleResponse(308, "text/plain; charset=utf-8", b"See /console/.", ((b"location", b"/console/"),))
        relative = path[len(PREFIX) + 1 :]
        if relative == CONFIG_NAME:
            return ConsoleResponse(200, "application/json", self.config, _NO_STORE)
        target = self._inside(relative)
        if target is not None and target.is_file():
            cache = _IMMUTABLE if relative.startswith("assets/") else _REVALIDATE
            return self._send(target, accept_encoding, cache)
        if relative.startswith("assets/") or target is None:
            return ConsoleResponse(404, "text/plain; charset=utf-8", b"Not found.")
        index = self.root / "index.html"
        if not index.is_file():
            message = f"The console is not built ({index} is missing): run `make up`, or `npm run build` in console/."
            return ConsoleResponse(503, "text/plain; charset=utf-8", message.encode(), _NO_STORE)
        return self._send(index, accept_encoding, _REVALIDATE)

    def _inside(self, relative: str) -> Path | None:
        """`relative` under the root, or None when it would leave it (`..`, absolute, backslashes)."""
        if "\\" in relative or "\x00" in relative:
            return None
        candidate = (self.root / relative).resolve()
        return candidate if candidate == self.root or self.root in candidate.parents else None

    def _send(self, file: Path, accept_encoding: str, cache: tuple[tuple[bytes, bytes], ...]) -> ConsoleResponse:
        loaded = self._load(file)
        if loaded.gzipped is not None and "gzip" in accept_encoding:
            headers = ((b"content-encoding", b"gzip"), (b"vary", b"accept-encoding"), *cache)
            return ConsoleResponse(200, loaded.content_type, loaded.gzipped, headers)
        vary = ((b"vary", b"accept-encoding"),) if loaded.gzipped is not None else ()
        return ConsoleResponse(200, loaded.content_type, loaded.body, (*vary, *cache))

    def _load(self, file: Path) -> _File:
        """The file's bytes (and gzip of text), read again only when its modification time changes (a rebuild)."""
        key = (file, file.stat().st_mtime_ns)
        found = self._cache.get(key)
        if found is None:
            body = file.read_bytes()
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            text = content_type.startswith(_COMPRESSIBLE)
            if content_type.startswith("text/") or content_type.endswith(("javascript", "json")):
                content_type += "; charset=utf-8"
            found = _File(body, gzip.compress(body, 6, mtime=0) if text and len(body) > 1024 else None, content_type)
            self._cache = {k: v for k, v in self._cache.items() if k[0] != file}
            self._cache[key] = found
        return found
