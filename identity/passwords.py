"""Argon2id password and client-secret hashing (RFC 9106), with a constant-time miss."""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("zhijian-no-such-account")


def hash_password(password: str) -> str:
    """An Argon2id PHC string for ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still costs one verification (no timing oracle)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def fingerprint(secret: str) -> str:
    """SHA-256 hex of a high-entropy random secret (codes, refresh tokens, session ids) for lookup by hash."""
    return hashlib.sha256(secret.encode()).hexdigest()
