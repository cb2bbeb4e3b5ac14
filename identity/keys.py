"""The provider's signing keys on disk: one active RSA key, retired keys published until their tokens expire.

RFC 7517 (JWK sets), OIDC Core §10.1.1 (rotation: a verifier re-fetches the JWKS on an unknown ``kid``).
"""

from __future__ import annotations

import fcntl
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from kernel.keyfiles import kept_secret, write_private
from kernel.settings import Secret

ALGORITHM = "RS256"
_PUBLISH_GRACE = 60


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One RSA key with its life: ``retired_at`` is set once a newer key took over."""

    key: RSAKey
    created_at: int
    retired_at: int | None

    @property
    def kid(self) -> str:
        kid = self.key.kid
        assert kid is not None
        return kid


class KeyRing:
    """Signing keys kept as JWK files under ``<key_dir>/signing``; a process-wide resource.

    Several processes may share the directory: changes are made under an exclusive file lock, and each
    process re-reads the directory when its modification time changes (so a rotation is seen everywhere).
    """

    def __init__(self, key_dir: Path, max_token_ttl: int) -> None:
        self._dir = key_dir / "signing"
        self._max_token_ttl = max_token_ttl
        self._keys: list[SigningKey] = []
        self._seen = -1

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with open(self._dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> None:
        keys = []
        for path in sorted(self._dir.glob("*.json")):
            data = json.loads(path.read_text())
            keys.append(SigningKey(RSAKey.import_key(data["jwk"]), data["created_at"], data.get("retired_at")))
        self._keys = sorted(keys, key=lambda k: k.created_at)
        self._seen = self._dir.stat().st_mtime_ns

    def load(self) -> KeyRing:
        """Read the keys from disk, creating the first one when there is none."""
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._exclusive():
            self._read()
            if not any(k.retired_at is None for k in self._keys):
                self._rotate(int(time.time()))
        return self

    def refresh(self) -> None:
        """Re-read the keys if another process changed them."""
        if self._dir.stat().st_mtime_ns != self._seen:
            with self._exclusive():
                self._read()

    def _save(self, key: SigningKey) -> None:
        record = {"jwk": key.key.as_dict(private=True), "created_at": key.created_at, "retired_at": key.retired_at}
        write_private(self._dir / f"{key.kid}.json", json.dumps(record))

    def rotate(self, now: int | None = None) -> SigningKey:
        """Make a new active key; the old one is retired but stays published while its tokens live."""
        with self._exclusive():
            self._read()
            return self._rotate(int(time.time()) if now is None else now)

    def _rotate(self, now: int) -> SigningKey:
        kid = f"{time.strftime('%Y%m%d', time.gmtime(now))}-{secrets.token_hex(4)}"
        fresh = SigningKey(
            RSAKey.generate_key(2048, {"kid": kid, "alg": ALGORITHM, "use": "sig"}, private=True), now, None
        )
        kept = []
        for key in self._keys:
            if key.retired_at is None:
                key = SigningKey(key.key, key.created_at, now)
                self._save(key)
            kept.append(key)
        self._save(fresh)
        self._keys = [*kept, fresh]
        self._prune(now)
        self._seen = self._dir.stat().st_mtime_ns
        return fresh

    def prune(self, now: int | None = None) -> None:
        """Forget retired keys whose every token has expired."""
        with self._exclusive():
            self._prune(int(time.time()) if now is None else now)
            self._seen = self._dir.stat().st_mtime_ns

    def _prune(self, now: int) -> None:
        for key in list(self._keys):
            if key.retired_at is not None and key.retired_at + self._max_token_ttl + _PUBLISH_GRACE < now:
                (self._dir / f"{key.kid}.json").unlink(missing_ok=True)
                self._keys.remove(key)

    @property
    def active(self) -> SigningKey:
        return next(k for k in reversed(self._keys) if k.retired_at is None)

    def published(self) -> list[SigningKey]:
        """Every key a verifier may still need; expired retired keys are dropped from the list (not the disk)."""
        self.refresh()
        now = int(time.time())
        return [
            k for k in self._keys if k.retired_at is None or k.retired_at + self._max_token_ttl + _PUBLISH_GRACE >= now
        ]

    def jwks(self) -> dict[str, Any]:
        """The public JWK set for ``/jwks.json``."""
        return {"keys": [k.key.as_dict(private=False) for k in self.published()]}

    def verification_keys(self) -> KeySet:
        return KeySet([k.key for k in self.published()])

    def sign(self, claims: dict[str, Any], typ: str) -> str:
        """Sign ``claims`` with the active key; ``kid`` and ``typ`` go in the header."""
        self.refresh()
        key = self.active
        return jwt.encode({"alg": ALGORITHM, "typ": typ, "kid": key.kid}, claims, key.key, algorithms=[ALGORITHM])


def cookie_secret(key_dir: Path, configured: Secret | None) -> bytes:
    """The HMAC key for CSRF tokens: configured, or generated once and kept in ``key_dir``."""
    if configured is not None:
        return configured.reveal().encode()
    return kept_secret(key_dir / "cookie_secret", lambda: secrets.token_urlsafe(32)).encode()
