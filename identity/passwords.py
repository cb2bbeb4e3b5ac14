"""Hashing of what people and clients prove themselves with.

Passwords (chosen by people) and configured client secrets get Argon2id (RFC 9106): slow on purpose, with a
constant-time miss. Secrets *we generate* (``secrets.token_urlsafe(32)``: 256 random bits) cannot be guessed, so
a slow hash protects nothing and would only let one unauthenticated request buy 64 MiB and tens of milliseconds of
CPU: they are stored as ``sha256$<hex>`` and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("zhijian-no-such-account")
GENERATED_PREFIX = "sha256$"


def hash_password(password: str) -> str:
    """An Argon2id PHC string for ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still costs one verification (no timing oracle)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_secret() -> str:
    """A new client secret of 256 random bits (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hash_generated_secret(secret: str) -> str:
    """The stored form of a secret from :func:`generate_secret`: its SHA-256, cheap to check."""
    return GENERATED_PREFIX + fingerprint(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    """A client secret against its stored form: SHA-256 in constant time for generated secrets, else Argon2id."""
    if secret_hash.startswith(GENERATED_PREFIX):
        return hmac.compare_digest(secret_hash, hash_generated_secret(secret))
    return verify_password(secret_hash, secret)


def fingerprint(secret: str) -> str:
    """SHA-256 hex of a high-entropy random secret (codes, refresh tokens, session ids) for lookup by hash."""
    return hashlib.sha256(secret.encode()).hexdigest()
