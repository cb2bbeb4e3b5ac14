"""JOSE helpers shared by the provider, the gateway and the forwarded identity: base64url and unverified JWT parts.

Nothing here verifies a signature; it only takes compact JWS apart (RFC 7515 §7.1) before a verifier checks it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

MAX_TOKEN_BYTES = 16 * 1024
"""Longer tokens are refused before they are decoded."""


class MalformedToken(ValueError):
    """A token that is not a well-formed compact JWS; ``reason`` says what is wrong (never the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def b64url_encode(data: bytes) -> str:
    """base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of unpadded base64url; ``ValueError`` when ``text`` is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _segment(value: str) -> dict[str, Any]:
    try:
        decoded = json.loads(b64url_decode(value))
    except (ValueError, TypeError, RecursionError):
        raise MalformedToken("malformed") from None
    if not isinstance(decoded, dict):
        raise MalformedToken("malformed")
    return decoded


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload *before* any check, to choose the issuer and key; never trust them alone."""
    if len(token) > MAX_TOKEN_BYTES:
        raise MalformedToken("too large")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise MalformedToken("not a signed JWT")
    return _segment(parts[0]), _segment(parts[1])


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT *we just minted* (for bookkeeping only; never for a token we received)."""
    return unverified_parts(token)[1]


def normalized_type(typ: object) -> str:
    """``typ`` lower-cased without ``application/`` (RFC 7515 §4.1.9)."""
    return str(typ).lower().removeprefix("application/")
