"""Hand-made JWTs that libraries refuse to produce: ``alg=none`` and HS256 keyed with an RSA public key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signing_input(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def unsigned(claims: dict[str, Any], **header: Any) -> str:
    """``alg: none`` with an empty signature (RFC 7519 §6)."""
    return _signing_input({"alg": "none", **header}, claims) + "."


def hs256(claims: dict[str, Any], secret: bytes, **header: Any) -> str:
    """HS256 keyed with arbitrary bytes, e.g. the verifier's RSA public key PEM (key confusion)."""
    signing_input = _signing_input({"alg": "HS256", **header}, claims)
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"
