"""The gateway's bearer-token validator against the real provider's JWKS and a second, Keycloak-shaped issuer."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.auth import InvalidToken, MissingToken, TokenValidator, builtin_issuer, challenge, keycloak_issuer
from gateway.auth.errors import KeysUnavailable
from identity.keys import KeyRing
from identity.seed import DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET
from tests.identity import forge
from tests.identity.browser import Browser
from tests.identity.conftest import ISSUER

AUDIENCE = "http://127.0.0.1:4000/graphql"
KEYCLOAK = "http://127.0.0.1:8080/realms/samr"


_KEYCLOAK_KEY = RSAKey.generate_key(2048, {"kid": "kc-1", "alg": "RS256", "use": "sig"}, private=True)


class KeycloakLike:
    """A second issuer on real HTTP: its own RSA key, ``realm_access.roles`` and ``scp`` claims."""

    def __init__(self) -> None:
        self.key = _KEYCLOAK_KEY
        self.app = Starlette(routes=[Route("/realms/samr/protocol/openid-connect/certs", self.certs)])

    async def certs(self, request: Request) -> JSONResponse:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    def token(self, **claims: Any) -> str:
        now = int(time.time())
        body = {
            "iss": KEYCLOAK,
            "aud": AUDIENCE,
            "sub": "kc-user-1",
            "exp": now + 300,
            "iat": now,
            "azp": "spa",
            "realm_access": {"roles": ["inspector"]},
            "scp": ["entities:read"],
            "org_path": "440300/440305",
        }
        body.update(claims)
        return jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": "kc-1"}, body, self.key, algorithms=["RS256"])


class Router(httpx.AsyncBaseTransport):
    """Routes JWKS requests by host to the right real ASGI app, and counts them."""

    def __init__(self, apps: dict[str, Starlette]) -> None:
        self.transports = {host: httpx.ASGITransport(app=app) for host, app in apps.items()}
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return await self.transports[f"{request.url.host}:{request.url.port}"].handle_async_request(request)


@pytest.fixture
def keycloak() -> KeycloakLike:
    return KeycloakLike()


@pytest.fixture
async def router(app: Starlette, keycloak: KeycloakLike) -> Router:
    return Router({"127.0.0.1:4010": app, "127.0.0.1:8080": keycloak.app})


@pytest.fixture
async def validator(router: Router) -> AsyncIterator[TokenValidator]:
    async with httpx.AsyncClient(transport=router) as http:
        yield TokenValidator(
            [builtin_issuer(ISSUER, AUDIENCE), keycloak_issuer(KEYCLOAK, AUDIENCE)],
            http,
            leeway=30,
        )


def _provider_keys(app: Starlette) -> KeyRing:
    keys: KeyRing = app.state.identity.provider.keys
    return keys


def _own(app: Starlette, typ: str = "at+jwt", **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "officer-1",
        "exp": now + 300,
        "iat": now,
        "nbf": now,
        "scope": "openid",
        "roles": ["inspector"],
        "org_path": "440300/440304",
        "client_id": "app",
        "jti": str(uuid.uuid4()),
    }
    body.update(claims)
    return _provider_keys(app).sign({k: v for k, v in body.items() if v is not None}, typ)


async def test_real_access_token_becomes_a_principal(validator: TokenValidator, browser: Browser) -> None:
    tokens = await browser.tokens("futian.station")
    principal = await validator.authenticate(f"Bearer {tokens['access_token']}")
    assert principal.issuer == ISSUER
    assert principal.roles == {"inspector"}
    assert principal.scopes == {"openid", "profile", "offline_access"}
    assert principal.org_path == "440300/440304/440304001" and principal.usccs == frozenset()
    assert principal.client_id == "zhijian-officer-app"


async def test_machine_token_becomes_a_principal(validator: TokenValidator, http: httpx.AsyncClient) -> None:
    body = (
        await http.post(
            "/token", data={"grant_type": "client_credentials"}, auth=(DEMO_MACHINE_CLIENT, DEMO_MACHINE_SECRET)
        )
    ).json()
    principal = await validator.validate(body["access_token"])
    assert principal.subject == DEMO_MACHINE_CLIENT
    assert principal.has_scopes("entities:write")
    assert principal.roles == {"registry_feed", "permit_archive"}  # the integration's roles, from its registration


async def test_keycloak_claims_are_mapped(validator: TokenValidator, keycloak: KeycloakLike) -> None:
    principal = await validator.validate(keycloak.token())
    assert principal.issuer == KEYCLOAK
    assert principal.roles == {"inspector"}
    assert principal.scopes == {"entities:read"}
    assert principal.client_id == "spa"
    assert principal.org_path == "440300/440305"


async def test_alg_none_is_refused(validator: TokenValidator, app: Starlette) -> None:
    kid = _provider_keys(app).active.kid
    token = forge.unsigned(
        {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": int(time.time()) + 60}, typ="at+jwt", kid=kid
    )
    with pytest.raises(InvalidToken, match="not a signed JWT"):
        await validator.validate(token)
    with pytest.raises(InvalidToken, match="algorithm"):
        await validator.validate(token + "c2lnbmF0dXJl")


async def test_hs256_signed_with_the_rsa_public_key_is_refused(validator: TokenValidator, app: Starlette) -> None:
    active = _provider_keys(app).active
    public_pem = active.key.as_pem(private=False)
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": int(time.time()) + 60}
    with pytest.raises(InvalidToken, match="algorithm"):
        await validator.validate(forge.hs256(claims, public_pem, typ="at+jwt", kid=active.kid))


async def test_rs256_header_over_an_ec_key_is_refused(validator: TokenValidator) -> None:
    from joserfc.jwk import ECKey

    from gateway.auth.claims import verify_signature

    key = ECKey.generate_key("P-256", private=True)
    token = jwt.encode({"alg": "ES256"}, {"sub": "x"}, key, algorithms=["ES256"])
    with pytest.raises(InvalidToken, match="key type"):
        verify_signature(token, key, "RS256")


@pytest.mark.parametrize("typ", ["JWT", None, "id+jwt", "at+jwt+evil"])
async def test_wrong_typ_is_refused(validator: TokenValidator, app: Starlette, typ: str | None) -> None:
    keys = _provider_keys(app)
    now = int(time.time())
    header: dict[str, Any] = {"alg": "RS256", "kid": keys.active.kid}
    if typ:
        header["typ"] = typ
    token = jwt.encode(
        header, {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": now + 60}, keys.active.key, algorithms=["RS256"]
    )
    with pytest.raises(InvalidToken, match="typ"):
        await validator.validate(token)


async def test_id_token_is_not_an_access_token(validator: TokenValidator, browser: Browser) -> None:
    tokens = await browser.tokens()
    with pytest.raises(InvalidToken, match="typ"):
        await validator.validate(tokens["id_token"])


def _from_now(seconds: int) -> Callable[[int], int]:
    """A claim value relative to the moment the test runs (never to when the tests were collected)."""
    return lambda now: now + seconds


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": _from_now(-120)}, "expired"),
        ({"nbf": _from_now(120)}, "not yet valid"),
        ({"iat": _from_now(120)}, "future"),
        ({"aud": "zhijian-officer-app"}, "audience"),
        ({"aud": None}, "audience"),
        ({"exp": None}, "exp"),
        ({"sub": None}, "subject"),
        ({"org_path": "440300/"}, "org_path"),
        ({"org_path": "440300/../440305"}, "org_path"),
    ],
)
async def test_claim_checks(validator: TokenValidator, app: Starlette, claims: dict[str, Any], reason: str) -> None:
    now = int(time.time())
    resolved = {name: value(now) if callable(value) else value for name, value in claims.items()}
    with pytest.raises(InvalidToken, match=reason):
        await validator.validate(_own(app, **resolved))


async def test_small_clock_skew_is_tolerated(validator: TokenValidator, app: Starlette) -> None:
    now = int(time.time())
    assert await validator.validate(_own(app, exp=now - 10, nbf=now + 10, iat=now + 10))


async def test_wrong_issuer_is_refused(validator: TokenValidator, app: Starlette, keycloak: KeycloakLike) -> None:
    with pytest.raises(InvalidToken, match="untrusted issuer"):
        await validator.validate(_own(app, iss="http://127.0.0.1:4011"))
    # signed by the built-in provider's key but claiming to be Keycloak: the key is not Keycloak's
    with pytest.raises(InvalidToken, match="unknown signing key"):
        await validator.validate(_own(app, iss=KEYCLOAK))
    near_miss = jwt.encode(
        {"alg": "RS256", "typ": "at+jwt", "kid": "kc-1"},
        {"iss": ISSUER + "/", "aud": AUDIENCE, "sub": "x", "exp": int(time.time()) + 60},
        keycloak.key,
        algorithms=["RS256"],
    )
    with pytest.raises(InvalidToken, match="untrusted issuer"):
        await validator.validate(near_miss)


async def test_tampered_payload_is_refused(validator: TokenValidator, app: Starlette) -> None:
    header, payload, signature = _own(app).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="signature"):
        await validator.validate(f"{header}.{forged}.{signature}")


async def test_unknown_kid_flood_fetches_at_most_once(
    validator: TokenValidator, app: Starlette, router: Router
) -> None:
    await validator.validate(_own(app))
    assert router.requests == 1
    keys = _provider_keys(app)
    for _ in range(200):
        now = int(time.time())
        token = jwt.encode(
            {"alg": "RS256", "typ": "at+jwt", "kid": uuid.uuid4().hex},
            {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": now + 60},
            keys.active.key,
            algorithms=["RS256"],
        )
        with pytest.raises(InvalidToken, match="unknown signing key"):
            await validator.validate(token)
    assert router.requests == 1
    assert validator.jwks(ISSUER).fetches == 1


async def test_rotation_is_picked_up_on_unknown_kid(router: Router, app: Starlette) -> None:
    async with httpx.AsyncClient(transport=router) as http:
        validator = TokenValidator([builtin_issuer(ISSUER, AUDIENCE)], http, min_refetch_interval=0)
        before = _own(app)
        await validator.validate(before)
        keys = _provider_keys(app)
        keys.rotate(now=int(time.time()) - keys.publish_ahead)  # a rotation long enough ago: the new key signs
        principal = await validator.validate(_own(app))  # new kid: one refetch
        assert await validator.validate(before)  # the retired key is still published until its tokens expire
    assert principal.subject == "officer-1"
    assert validator.jwks(ISSUER).fetches == 2


async def test_unreachable_jwks_is_an_upstream_error() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=Starlette())) as http:
        validator = TokenValidator([builtin_issuer(ISSUER, AUDIENCE)], http)
        token = jwt.encode(
            {"alg": "RS256", "typ": "at+jwt", "kid": "k"},
            {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": int(time.time()) + 60},
            RSAKey.generate_key(2048, private=True),
            algorithms=["RS256"],
        )
        with pytest.raises(KeysUnavailable):
            await validator.validate(token)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a.b",
        "a.b.c.d",
        "..",
        "!!!.@@@.###",
        f"{_b64(b'[1]')}.{_b64(b'{}')}.c2ln",
        f"{_b64(b'{}')}.{_b64(b'[' * 5000)}.c2ln",
        f"{_b64(b'{}')}.{_b64(json.dumps({'iss': [ISSUER]}).encode())}.c2ln",
        f"{_b64(b'{}')}.{_b64(json.dumps({'iss': {'x': 1}}).encode())}.c2ln",
        _b64(b"{}") + "." + _b64(bytes([0xFF, 0xFE])) + ".c2ln",
        "x" * 20_000,
    ],
)
async def test_malformed_tokens_are_refused_cleanly(validator: TokenValidator, token: str) -> None:
    with pytest.raises(InvalidToken):
        await validator.validate(token)


async def test_header_parameters_that_name_keys_are_refused(validator: TokenValidator, app: Starlette) -> None:
    keys = _provider_keys(app)
    now = int(time.time())
    for extra in ({"jku": "https://evil.example/jwks"}, {"jwk": {"kty": "oct"}}, {"crit": ["kid"]}):
        header = {"alg": "RS256", "typ": "at+jwt", "kid": keys.active.kid, **extra}
        token = jwt.encode(header, {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": now + 60}, keys.active.key,
                           algorithms=["RS256"])  # fmt: skip
        with pytest.raises(InvalidToken, match="header"):
            await validator.validate(token)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer   "])
async def test_missing_bearer_token(validator: TokenValidator, header: str | None) -> None:
    with pytest.raises(MissingToken):
        await validator.authenticate(header)


def test_issuer_config_refuses_symmetric_and_none() -> None:
    from gateway.auth import IssuerConfig

    for algorithms in (("HS256",), ("none",), ("RS256", "HS512"), ()):
        with pytest.raises(ValueError, match="public-key"):
            IssuerConfig(issuer=ISSUER, jwks_uri=f"{ISSUER}/jwks.json", audiences=(AUDIENCE,), algorithms=algorithms)


async def test_caller_is_anonymous_without_a_header_and_refused_with_a_bad_one(
    validator: TokenValidator, browser: Browser
) -> None:
    assert await validator.caller(None) is None
    assert await validator.caller("") is None
    tokens = await browser.tokens()
    assert (await validator.caller(f"Bearer {tokens['access_token']}")) is not None
    with pytest.raises(InvalidToken) as refused:
        await validator.caller("Bearer not-a-token")
    assert challenge(refused.value) == (401, {"WWW-Authenticate": 'Bearer realm="zhijian", error="invalid_token"'})
    with pytest.raises(MissingToken) as missing:
        await validator.caller("Basic dXNlcjpwdw==")
    assert challenge(missing.value)[0] == 401
    assert challenge(KeysUnavailable("down"))[0] == 503
