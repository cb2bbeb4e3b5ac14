"""The provider's signing keys on disk: sealed at rest, published before they sign, published after until their
tokens expire.

RFC 7517 (JWK sets), OIDC Core §10.1.1 (rotation). A gateway caches our JWKS for minutes and re-reads it at most
every half minute on an unknown ``kid``; so a new key is *published* ``publish_ahead`` seconds before it *signs*
(:meth:`KeyRing.rotate`), and every gateway that fetched keys since has it before the first token it signs. A key
stays published after the next one took over until the longest token it signed has expired.

Each key file (``signing/<kid>.json``, mode 0600) holds the public JWK in clear and the private key sealed by a
:class:`KeyWrapper`: AES-256-GCM under the key-encryption key from the environment or a mounted secret
(:class:`LocalKeyWrapper`); a KMS or HSM is another implementation of the same two methods.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from kernel.keyfiles import kept_secret, write_private
from kernel.settings import Secret

ALGORITHM = "RS256"
_PUBLISH_GRACE = 60
log = logging.getLogger(__name__)


class KeyWrapper(Protocol):
    """Seals private key material at rest; a KMS or HSM implements the same two calls."""

    name: str

    def seal(self, plaintext: bytes, context: bytes) -> bytes: ...

    def open(self, sealed: bytes, context: bytes) -> bytes:
        """The plaintext; ``ValueError`` when the sealed bytes or their context were tampered with."""


class LocalKeyWrapper:
    """AES-256-GCM with a key derived from the configured key-encryption key; the key id is the context (AAD)."""

    name = "aes256gcm"

    def __init__(self, key_encryption_key: Secret) -> None:
        self._aead = AESGCM(hashlib.sha256(b"zhijian signing keys\x00" + key_encryption_key.reveal().encode()).digest())

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:12], sealed[12:], context)
        except InvalidTag:
            raise ValueError("the signing key does not open with this key-encryption key") from None


def key_wrapper(key_dir: Path, configured: Secret | None) -> KeyWrapper:
    """The configured key-encryption key, or one generated once beside the key directory (local demo only)."""
    if configured is None:
        path = key_dir.parent / "secrets" / "key-encryption.key"
        configured = Secret(kept_secret(path, lambda: secrets.token_urlsafe(32)))
        log.info("signing keys are sealed with a generated key in %s; set ZHIJIAN_IDENTITY_KEY_ENCRYPTION_KEY", path)
    return LocalKeyWrapper(configured)


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One RSA key with its life: it signs from ``activates_at`` until the next key activates."""

    key: RSAKey
    created_at: int
    activates_at: int

    @property
    def kid(self) -> str:
        kid = self.key.kid
        assert kid is not None
        return kid


class KeyRing:
    """Signing keys kept as sealed JWK files under ``<key_dir>/signing``; a process-wide resource.

    Several processes may share the directory: changes are made under an exclusive file lock, and each process
    re-reads the directory when its modification time changes (so a rotation is seen everywhere).
    """

    def __init__(
        self,
        key_dir: Path,
        max_token_ttl: int,
        wrapper: KeyWrapper,
        *,
        publish_ahead: int = 600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._dir = key_dir / "signing"
        self._max_token_ttl = max_token_ttl
        self._wrapper = wrapper
        self._publish_ahead = publish_ahead
        self._clock = clock
        self._keys: list[SigningKey] = []
        self._seen = -1

    def _now(self) -> int:
        return int(self._clock())

    @property
    def publish_ahead(self) -> int:
        """Seconds between a rotation (the new key is published) and the new key's first signature."""
        return self._publish_ahead

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with open(self._dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> None:
        keys, unsealed = [], []
        for path in sorted(self._dir.glob("*.json")):
            data = json.loads(path.read_text())
            if "sealed" in data:
                kid = data["public"]["kid"]
                private = json.loads(self._wrapper.open(base64.b64decode(data["sealed"]), kid.encode()))
            else:  # written before keys were sealed: seal it now
                private = data["jwk"]
                unsealed.append(path)
            created = data["created_at"]
            keys.append(SigningKey(RSAKey.import_key(private), created, data.get("activates_at", created)))
        self._keys = sorted(keys, key=lambda k: (k.activates_at, k.created_at))
        for key in self._keys:
            if any(path.stem == key.kid for path in unsealed):
                self._save(key)
        self._seen = self._dir.stat().st_mtime_ns

    def load(self) -> KeyRing:
        """Read the keys from disk, creating the first one (signing at once) when there is none."""
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._exclusive():
            self._read()
            if not self._keys:
                self._add(self._now(), activates_at=self._now())
        return self

    def refresh(self) -> None:
        """Re-read the keys if another process changed them."""
        if self._dir.stat().st_mtime_ns != self._seen:
            with self._exclusive():
                self._read()

    def _save(self, key: SigningKey) -> None:
        private = json.dumps(key.key.as_dict(private=True)).encode()
        record = {
            "public": key.key.as_dict(private=False),
            "sealed": base64.b64encode(self._wrapper.seal(private, key.kid.encode())).decode("ascii"),
            "wrapper": self._wrapper.name,
            "created_at": key.created_at,
            "activates_at": key.activates_at,
        }
        write_private(self._dir / f"{key.kid}.json", json.dumps(record))

    def rotate(self, now: int | None = None) -> SigningKey:
        """Make a new key; it is published now and signs once ``publish_ahead`` seconds have passed."""
        with self._exclusive():
            self._read()
            moment = self._now() if now is None else now
            return self._add(moment, activates_at=moment + self._publish_ahead)

    def _add(self, now: int, *, activates_at: int) -> SigningKey:
        kid = f"{time.strftime('%Y%m%d', time.gmtime(now))}-{secrets.token_hex(4)}"
        fresh = SigningKey(
            RSAKey.generate_key(2048, {"kid": kid, "alg": ALGORITHM, "use": "sig"}, private=True), now, activates_at
        )
        self._save(fresh)
        self._keys = sorted([*self._keys, fresh], key=lambda k: (k.activates_at, k.created_at))
        self._prune(now)
        self._seen = self._dir.stat().st_mtime_ns
        return fresh

    def prune(self, now: int | None = None) -> None:
        """Forget keys that were replaced long enough ago that every token they signed has expired."""
        with self._exclusive():
            self._prune(self._now() if now is None else now)
            self._seen = self._dir.stat().st_mtime_ns

    def _replaced_at(self, key: SigningKey, now: int) -> int | None:
        """When the next key took over from ``key`` (None while ``key`` is the newest active one)."""
        later = [k.activates_at for k in self._keys if k.activates_at > key.activates_at and k.activates_at <= now]
        return min(later) if later else None

    def _expired(self, key: SigningKey, now: int) -> bool:
        replaced = self._replaced_at(key, now)
        return replaced is not None and replaced + self._max_token_ttl + _PUBLISH_GRACE < now

    def _prune(self, now: int) -> None:
        for key in [k for k in self._keys if self._expired(k, now)]:
            (self._dir / f"{key.kid}.json").unlink(missing_ok=True)
            self._keys.remove(key)

    def state(self, key: SigningKey, now: int | None = None) -> str:
        """``pending`` (published, not yet signing), ``active`` or ``retired``."""
        moment = self._now() if now is None else now
        if key.activates_at > moment:
            return "pending"
        return "retired" if self._replaced_at(key, moment) is not None else "active"

    @property
    def active(self) -> SigningKey:
        now = self._now()
        return next(k for k in reversed(self._keys) if k.activates_at <= now)

    def published(self) -> list[SigningKey]:
        """Every key a verifier may need now or soon: pending, active, and retired ones whose tokens may live."""
        self.refresh()
        now = self._now()
        return [k for k in self._keys if not self._expired(k, now)]

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
    """The HMAC key for CSRF tokens and device cookies: configured, or generated once and kept in ``key_dir``."""
    if configured is not None:
        return configured.reveal().encode()
    return kept_secret(key_dir / "cookie_secret", lambda: secrets.token_urlsafe(32)).encode()
