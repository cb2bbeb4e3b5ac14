"""A real token issuer for the gateway tests: an RS256 key, its JWKS served over HTTP, and a minting function."""

from __future__ import annotations

import time
import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

AUDIENCE = "http://127.0.0.1:4000/graphql"
_KEY = RSAKey.generate_key(2048, {"kid": "gw-test-1", "alg": "RS256", "use": "sig"}, private=True)


class Issuer:
    """Serves ``/jwks.json`` (counting fetches) and mints access tokens (RFC 9068) once its URL is known."""

    def __init__(self, key: RSAKey | None = None) -> None:
        self.key = key or _KEY
        self.url = ""
        self.fetches = 0
        self.app = Starlette(routes=[Route("/jwks.json", self.jwks)])

    async def jwks(self, request: Request) -> JSONResponse:
        self.fetches += 1
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    def public_pem(self) -> bytes:
        return self.key.as_pem(private=False)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": "officer-7",
            "client_id": "zhijian-officer-app",
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
            "scope": "openid pii:read",
            "roles": ["INSPECTOR"],
            "org_path": "440300/440304",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, *, header: dict[str, Any] | None = None, **claims: Any) -> str:
        """A token signed with the served key; ``header`` overrides ``typ`` / ``kid``."""
        head = {"alg": "RS256", "typ": "at+jwt", "kid": "gw-test-1", **(header or {})}
        return jwt.encode(head, self.claims(**claims), self.key, algorithms=["RS256"])
