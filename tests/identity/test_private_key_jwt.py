"""Client credentials with ``private_key_jwt`` (RFC 7523 §2.2): signed assertions, one use each."""

from __future__ import annotations

import time
import uuid

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette

from tests.identity import forge
from tests.identity.conftest import ISSUER

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CLIENT_ID = "samr-exchange-db"


async def _register(app: Starlette) -> RSAKey:
    key = RSAKey.generate_key(2048, {"kid": "adapter-1", "alg": "RS256"}, private=True)
    await app.state.identity.provider.directory.add_client(
        CLIENT_ID,
        "前置库 exchange",
        token_endpoint_auth_method="private_key_jwt",
        grant_types=["client_credentials"],
        scopes=["entities:write"],
        jwks=KeySet([key]).as_dict(private=False),
        org_path="440300/440304",
    )
    return key


def _assertion(key: RSAKey, alg: str = "RS256", **claims: object) -> str:
    now = int(time.time())
    body = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": f"{ISSUER}/token",
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
    }
    body.update(claims)
    return jwt.encode({"alg": alg, "kid": "adapter-1"}, body, key, algorithms=[alg])


async def _token(http: httpx.AsyncClient, assertion: str) -> httpx.Response:
    return await http.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
    )


async def test_private_key_jwt_client_credentials(app: Starlette, http: httpx.AsyncClient) -> None:
    key = await _register(app)
    response = await _token(http, _assertion(key))
    assert response.status_code == 200, response.text
    keys = KeySet.import_key_set((await http.get("/jwks.json")).json())
    claims = jwt.decode(response.json()["access_token"], keys, algorithms=["RS256"]).claims
    assert claims["sub"] == CLIENT_ID
    assert claims["org_path"] == "440300/440304"


async def test_replayed_assertion_is_refused(app: Starlette, http: httpx.AsyncClient) -> None:
    key = await _register(app)
    assertion = _assertion(key)
    assert (await _token(http, assertion)).status_code == 200
    replay = await _token(http, assertion)
    assert replay.status_code in (400, 401)
    assert replay.json()["error"] == "invalid_client"


async def test_assertion_signed_by_another_key_or_for_another_audience_is_refused(
    app: Starlette, http: httpx.AsyncClient
) -> None:
    await _register(app)
    stranger = RSAKey.generate_key(2048, {"kid": "adapter-1"}, private=True)
    assert (await _token(http, _assertion(stranger))).json()["error"] == "invalid_client"
    registered = await app.state.identity.provider.directory.client(CLIENT_ID)
    public_pem = RSAKey.import_key(registered.jwks["keys"][0]).as_pem(private=False)
    now = int(time.time())
    claims = {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": f"{ISSUER}/token", "exp": now + 60, "jti": "x"}
    for forged in (forge.hs256(claims, public_pem, kid="adapter-1"), forge.unsigned(claims, kid="adapter-1")):
        assert (await _token(http, forged)).json()["error"] == "invalid_client"


async def test_expired_or_misaddressed_assertion_is_refused(app: Starlette, http: httpx.AsyncClient) -> None:
    key = await _register(app)
    past = int(time.time()) - 3600
    assert (await _token(http, _assertion(key, iat=past, exp=past + 60))).json()["error"] == "invalid_client"
    assert (await _token(http, _assertion(key, aud="https://other.example/token"))).json()["error"] == "invalid_client"
