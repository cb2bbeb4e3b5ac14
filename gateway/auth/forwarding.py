"""The caller's identity, signed by the gateway for subgraphs; a subgraph refuses requests without it.

The gateway validates the client's token once, then sends ``x-zhijian-identity: <JWS>`` to each subgraph:
a 30-second token with ``aud`` ``zhijian-subgraphs``, signed with Ed25519 (subgraphs hold only the public
key) or HS256 with a shared secret of at least 32 bytes. The verifier pins the one algorithm its key
allows, so a token cannot choose how it is checked (RFC 8725 §3.1). The gateway must drop any
``x-zhijian-identity`` header a client sends.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OctKey, OKPKey
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth.claims import check_org_path, unverified_parts
from gateway.auth.errors import InvalidToken
from gateway.auth.principal import Principal

FORWARDED_IDENTITY_HEADER = "x-zhijian-identity"
FORWARDED_TYPE = "zhijian-identity+jwt"
GATEWAY_ISSUER = "zhijian-gateway"
SUBGRAPH_AUDIENCE = "zhijian-subgraphs"
MIN_SECRET_BYTES = 32

SigningKey = OctKey | OKPKey


def _algorithm(key: SigningKey) -> str:
    if isinstance(key, OctKey):
        return "HS256"
    if key.curve_name != "Ed25519":
        raise ValueError("forwarded identities are signed with Ed25519 or HS256")
    return "Ed25519"  # RFC 9864 fully-specified name


def _secret_key(secret: str) -> OctKey:
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise ValueError(f"the forwarding secret must have at least {MIN_SECRET_BYTES} bytes")
    return OctKey.import_key(secret.encode())


@dataclass(frozen=True, slots=True)
class IdentitySigner:
    """Held by the gateway: turns a validated :class:`Principal` into a short-lived signed header value."""

    key: SigningKey
    ttl: int = 30

    @classmethod
    def from_secret(cls, secret: str) -> IdentitySigner:
        return cls(_secret_key(secret))

    @classmethod
    def from_private_pem(cls, pem: bytes) -> IdentitySigner:
        return cls(OKPKey.import_key(pem))

    def sign(self, principal: Principal, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
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
        }
        payload = orjson.dumps(claims)
        if isinstance(self.key, OctKey):
            return _hs256_compact(payload, self.key.raw_value)
        header = {"alg": _algorithm(self.key), "typ": FORWARDED_TYPE}
        return jws.serialize_compact(header, payload, self.key, algorithms=[header["alg"]])


def _b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


_HS256_HEADER = _b64url(orjson.dumps({"alg": "HS256", "typ": FORWARDED_TYPE}))


def _hs256_compact(payload: bytes, secret: bytes) -> str:
    """HS256 JWS compact serialization (RFC 7515 §7.1) with the standard library: it runs once per gateway
    request, so it is kept cheap; the verifier still checks it with joserfc."""
    signing_input = _HS256_HEADER + b"." + _b64url(payload)
    signature = hmac.digest(secret, signing_input, "sha256")
    return (signing_input + b"." + _b64url(signature)).decode("ascii")


@dataclass(frozen=True, slots=True)
class IdentityVerifier:
    """Held by each subgraph: checks the gateway's signature and rebuilds the :class:`Principal`."""

    key: SigningKey
    leeway: int = 5
    clock: Callable[[], float] = time.time

    @classmethod
    def from_secret(cls, secret: str) -> IdentityVerifier:
        return cls(_secret_key(secret))

    @classmethod
    def from_public_pem(cls, pem: bytes) -> IdentityVerifier:
        key = OKPKey.import_key(pem)
        if key.is_private:
            raise ValueError("a subgraph needs only the gateway's public key")
        return cls(key)

    def verify(self, token: str) -> Principal:
        header, _ = unverified_parts(token)
        alg = _algorithm(self.key)
        if header.get("alg") != alg or header.get("typ") != FORWARDED_TYPE:
            raise InvalidToken("not a gateway-signed identity")
        try:
            claims: dict[str, Any] = json.loads(jws.deserialize_compact(token, self.key, algorithms=[alg]).payload)
        except (JoseError, ValueError):
            raise InvalidToken("bad gateway signature") from None
        now = self.clock()
        if claims.get("iss") != GATEWAY_ISSUER or claims.get("aud") != SUBGRAPH_AUDIENCE:
            raise InvalidToken("not addressed to subgraphs")
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int) or not isinstance(iat, int) or now > exp + self.leeway or now < iat - self.leeway:
            raise InvalidToken("forwarded identity expired")
        return Principal(
            subject=str(claims["sub"]),
            issuer=str(claims["src_iss"]),
            roles=frozenset(claims.get("roles") or ()),
            scopes=frozenset(str(claims.get("scope") or "").split()),
            org_path=check_org_path(claims.get("org_path")),
            client_id=claims.get("client_id"),
            expires_at=int(claims["src_exp"]),
        )


def verify_forwarded(token: str | None, verifier: IdentityVerifier) -> Principal:
    """The caller a subgraph request carries; :class:`InvalidToken` when the gateway did not sign it."""
    if not token:
        raise InvalidToken("no gateway-signed identity")
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
        except InvalidToken as error:
            await self._refuse(scope, send, error)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, error: InvalidToken) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401})
            return
        body = json.dumps({"errors": [{"message": error.message, "extensions": {"code": error.code}}]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
