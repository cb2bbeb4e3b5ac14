"""The caller's identity, signed by the gateway for subgraphs; a subgraph refuses requests without it.

The gateway validates the client's token once, then sends ``x-zhijian-identity: <JWS>`` to each subgraph:
a 30-second compact JWS with ``aud`` ``zhijian-subgraphs``, signed with Ed25519 (RFC 8037; ``alg`` by its
fully-specified name, RFC 9864). Only the gateway holds the private key; subgraphs hold the public key, so a
compromised subgraph cannot forge anyone. The verifier accepts exactly one header (algorithm and type), so a
token cannot choose how it is checked (RFC 8725 §3.1). The gateway must drop any ``x-zhijian-identity``
header a client sends.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from starlette.types import ASGIApp, Receive, Scope, Send

from kernel import jose
from kernel.errors import Code, ZhijianError
from kernel.keyfiles import kept_secret
from kernel.orgtree import parse_org_path
from kernel.principal import Principal

FORWARDED_IDENTITY_HEADER = "x-zhijian-identity"
FORWARDED_TYPE = "zhijian-identity+jwt"
GATEWAY_ISSUER = "zhijian-gateway"
SUBGRAPH_AUDIENCE = "zhijian-subgraphs"
KEY_FILE = "forwarding-ed25519.pem"
"""Where the embedded hub keeps the gateway's private key under its data directory."""

_HEADER = jose.b64url_encode(orjson.dumps({"alg": "Ed25519", "typ": FORWARDED_TYPE}))
_CACHED = 4096
"""Principals whose signed identity the gateway reuses, and tokens a subgraph remembers as verified."""


class ForwardedIdentityError(ZhijianError):
    """The request carries no gateway-signed identity, or one that does not verify (HTTP 401)."""

    code = Code.UNAUTHENTICATED

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid token: {reason}")
        self.reason = reason


def generate_private_pem() -> str:
    """A new Ed25519 private key, PKCS#8 PEM."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def kept_private_pem(data_dir: Path) -> str:
    """The embedded hub's key: generated once into ``<data_dir>/forwarding-ed25519.pem`` (mode 0600)."""
    return kept_secret(data_dir / KEY_FILE, generate_private_pem)


def _private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError:
        raise ValueError("the gateway's forwarding key must be an Ed25519 private key (PEM)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the forwarding key must be an Ed25519 private key (PEM)")
    return key


def _public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        raise ValueError("a subgraph needs only the gateway's Ed25519 public key (PEM)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the forwarding key must be an Ed25519 public key (PEM)")
    return key


class _Recent(OrderedDict[Any, Any]):
    """A small LRU: what was just computed, kept while it is fresh."""

    def remember(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > _CACHED:
            self.popitem(last=False)


@dataclass(slots=True)
class IdentitySigner:
    """Held by the gateway only: turns a validated :class:`Principal` into a short-lived signed header value.

    A principal's token is reused for the first half of its lifetime, so a busy caller costs one signature
    per 15 seconds, not one per request.
    """

    key: Ed25519PrivateKey
    ttl: int = 30
    clock: Callable[[], float] = time.time
    _recent: _Recent = field(default_factory=_Recent, repr=False)

    @classmethod
    def from_private_pem(cls, pem: bytes | str, *, clock: Callable[[], float] = time.time) -> IdentitySigner:
        return cls(_private_key(pem.encode("ascii") if isinstance(pem, str) else pem), clock=clock)

    def verifier(self) -> IdentityVerifier:
        """The matching verifier (the embedded hub's subgraphs), on the same clock."""
        return IdentityVerifier(self.key.public_key(), clock=self.clock)

    def public_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode("ascii")
        )

    def sign(self, principal: Principal, now: float | None = None) -> str:
        moment = self.clock() if now is None else now
        reused = self._recent.get(principal) if now is None else None
        if reused is not None and moment < reused[0] + self.ttl / 2:
            return str(reused[1])
        issued = int(moment)
        claims = {
            "iss": GATEWAY_ISSUER,
            "aud": SUBGRAPH_AUDIENCE,
            "iat": issued,
            "exp": issued + self.ttl,
            "jti": os.urandom(16).hex(),
            "sub": principal.subject,
            "src_iss": principal.issuer,
            "src_exp": principal.expires_at,
            "roles": sorted(principal.roles),
            "scope": " ".join(sorted(principal.scopes)),
            "org_path": principal.org_path,
            "client_id": principal.client_id,
            "usccs": sorted(principal.usccs),
        }
        signing_input = f"{_HEADER}.{jose.b64url_encode(orjson.dumps(claims))}"
        token = f"{signing_input}.{jose.b64url_encode(self.key.sign(signing_input.encode('ascii')))}"
        if now is None:
            self._recent.remember(principal, (issued, token))
        return token


@dataclass(slots=True)
class IdentityVerifier:
    """Held by each subgraph: checks the gateway's signature with its public key and rebuilds the caller."""

    key: Ed25519PublicKey
    leeway: int = 5
    clock: Callable[[], float] = time.time
    _recent: _Recent = field(default_factory=_Recent, repr=False)

    @classmethod
    def from_public_pem(cls, pem: bytes | str, *, clock: Callable[[], float] = time.time) -> IdentityVerifier:
        return cls(_public_key(pem.encode("ascii") if isinstance(pem, str) else pem), clock=clock)

    def verify(self, token: str) -> Principal:
        known = self._recent.get(token)
        claims = known if known is not None else self._verified_claims(token)
        now = self.clock()
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int) or not isinstance(iat, int) or now > exp + self.leeway or now < iat - self.leeway:
            raise ForwardedIdentityError("forwarded identity expired")
        if known is None:
            self._recent.remember(token, claims)
        try:
            return Principal(
                subject=str(claims["sub"]),
                issuer=str(claims["src_iss"]),
                roles=frozenset(claims.get("roles") or ()),
                scopes=frozenset(str(claims.get("scope") or "").split()),
                org_path=parse_org_path(claims.get("org_path")),
                client_id=claims.get("client_id"),
                expires_at=int(claims["src_exp"]),
                usccs=frozenset(_string_list(claims.get("usccs"))),
            )
        except (KeyError, TypeError, ValueError):
            raise ForwardedIdentityError("malformed forwarded identity") from None

    def _verified_claims(self, token: str) -> dict[str, Any]:
        header, _, rest = token.partition(".")
        payload, _, signature = rest.partition(".")
        if header != _HEADER:
            raise ForwardedIdentityError("not a gateway-signed identity")
        try:
            self.key.verify(jose.b64url_decode(signature), f"{header}.{payload}".encode("ascii"))
            claims = orjson.loads(jose.b64url_decode(payload))
        except (InvalidSignature, ValueError, UnicodeEncodeError):
            raise ForwardedIdentityError("bad gateway signature") from None
        if (
            not isinstance(claims, dict)
            or claims.get("iss") != GATEWAY_ISSUER
            or claims.get("aud") != SUBGRAPH_AUDIENCE
        ):
            raise ForwardedIdentityError("not addressed to subgraphs")
        return claims


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of strings")
    return value


def verify_forwarded(token: str | None, verifier: IdentityVerifier) -> Principal:
    """The caller a subgraph request carries; :class:`ForwardedIdentityError` when the gateway did not sign it."""
    if not token:
        raise ForwardedIdentityError("no gateway-signed identity")
    return verifier.verify(token)


class RequireGatewaySignature:
    """ASGI middleware for subgraphs: 401 unless ``x-zhijian-identity`` verifies; the principal goes to
    ``request.state.principal``. Paths in ``open_paths`` (health checks) pass without one."""

    def __init__(self, app: ASGIApp, verifier: IdentityVerifier, open_paths: tuple[str, ...] = ("/health",)) -> None:
        self.app = app
        self.verifier = verifier
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(FORWARDED_IDENTITY_HEADER.encode())
        try:
            principal = verify_forwarded(raw.decode("latin-1") if raw else None, self.verifier)
        except ForwardedIdentityError as error:
            await self._refuse(scope, send, error)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, error: ForwardedIdentityError) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401})
            return
        body = orjson.dumps({"errors": [{"message": error.message, "extensions": {"code": str(error.code)}}]})
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
