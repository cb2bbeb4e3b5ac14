"""The gateway-signed identity a subgraph trusts: signed, short-lived, addressed to subgraphs, not forgeable."""

from __future__ import annotations

import time

import httpx
import pytest
from joserfc.jwk import OKPKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.auth import (
    FORWARDED_IDENTITY_HEADER,
    IdentitySigner,
    IdentityVerifier,
    InvalidToken,
    Principal,
    RequireGatewaySignature,
    verify_forwarded,
)
from tests.identity import forge

SECRET = "a-shared-forwarding-secret-of-32+bytes!"
OFFICER = Principal(
    subject="officer-1",
    issuer="http://127.0.0.1:4010",
    roles=frozenset({"inspector"}),
    scopes=frozenset({"openid", "entities:read"}),
    org_path="440300/440304",
    client_id="app",
    expires_at=int(time.time()) + 300,
)
_ED25519 = OKPKey.generate_key("Ed25519", private=True)


def _ed25519_pair() -> tuple[IdentitySigner, IdentityVerifier]:
    return (
        IdentitySigner.from_private_pem(_ED25519.as_pem(private=True)),
        IdentityVerifier.from_public_pem(_ED25519.as_pem(private=False)),
    )


@pytest.mark.parametrize("kind", ["hs256", "ed25519"])
def test_round_trip(kind: str) -> None:
    if kind == "hs256":
        signer, verifier = IdentitySigner.from_secret(SECRET), IdentityVerifier.from_secret(SECRET)
    else:
        signer, verifier = _ed25519_pair()
    assert verify_forwarded(signer.sign(OFFICER), verifier) == OFFICER


def test_spoofed_identities_are_refused() -> None:
    verifier = IdentityVerifier.from_secret(SECRET)
    claims = {
        "iss": "zhijian-gateway",
        "aud": "zhijian-subgraphs",
        "iat": int(time.time()),
        "exp": int(time.time()) + 30,
        "sub": "attacker",
        "src_iss": "x",
        "src_exp": 0,
        "roles": ["admin"],
    }
    spoofs = [
        (forge.unsigned(claims, typ="zhijian-identity+jwt"), "not a signed JWT"),
        (forge.unsigned(claims, typ="zhijian-identity+jwt") + "c2ln", "not a gateway-signed identity"),
        (
            forge.hs256(claims, b"guessed-secret-guessed-secret-guessed", typ="zhijian-identity+jwt"),
            "bad gateway signature",
        ),
        (IdentitySigner.from_secret("another-secret-another-secret-another").sign(OFFICER), "bad gateway signature"),
        (_ed25519_pair()[0].sign(OFFICER), "not a gateway-signed identity"),  # EdDSA where the subgraph has HS256
    ]
    for token, reason in spoofs:
        with pytest.raises(InvalidToken, match=reason):
            verifier.verify(token)
    with pytest.raises(InvalidToken, match="no gateway-signed identity"):
        verify_forwarded(None, verifier)


def test_hs256_token_against_an_ed25519_verifier_is_refused() -> None:
    public_pem = _ED25519.as_pem(private=False)
    claims = {
        "iss": "zhijian-gateway",
        "aud": "zhijian-subgraphs",
        "iat": int(time.time()),
        "exp": int(time.time()) + 30,
        "sub": "attacker",
    }
    with pytest.raises(InvalidToken, match="not a gateway-signed identity"):
        _ed25519_pair()[1].verify(forge.hs256(claims, public_pem, typ="zhijian-identity+jwt"))


def test_expired_forwarded_identity_is_refused() -> None:
    signer = IdentitySigner.from_secret(SECRET)
    token = signer.sign(OFFICER, now=time.time() - 120)
    with pytest.raises(InvalidToken, match="expired"):
        IdentityVerifier.from_secret(SECRET).verify(token)


def test_weak_secret_and_private_key_on_subgraphs_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        IdentitySigner.from_secret("short")
    with pytest.raises(ValueError, match="public key"):
        IdentityVerifier.from_public_pem(_ED25519.as_pem(private=True))


def test_jurisdiction_compares_path_segments() -> None:
    district = OFFICER  # 440300/440304
    assert district.covers("440300/440304")
    assert district.covers("440300/440304/440304001")
    assert not district.covers("440300/4403041")
    assert not district.covers("440300/4403041/440304100")
    assert not district.covers("440300")
    assert not district.covers("440300/440305/440305001")
    station = Principal("s", "i", frozenset(), frozenset(), "440300/440304/440304001", None, 0)
    assert not station.covers("440300/440304/4403040011")
    assert not Principal("m", "i", frozenset(), frozenset(), None, None, 0).covers("440300")


async def test_subgraph_middleware_refuses_requests_without_gateway_signature() -> None:
    async def whoami(request: Request) -> JSONResponse:
        principal: Principal = request.state.principal
        return JSONResponse({"sub": principal.subject, "org_path": principal.org_path})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    verifier = IdentityVerifier.from_secret(SECRET)
    subgraph = RequireGatewaySignature(
        Starlette(routes=[Route("/graphql", whoami), Route("/health", health)]), verifier
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=subgraph), base_url="http://subgraph") as http:
        refused = await http.get("/graphql")
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        forged = await http.get("/graphql", headers={FORWARDED_IDENTITY_HEADER: "x.y.z"})
        assert forged.status_code == 401
        assert (await http.get("/health")).status_code == 200
        token = IdentitySigner.from_secret(SECRET).sign(OFFICER)
        ok = await http.get("/graphql", headers={FORWARDED_IDENTITY_HEADER: token})
        assert ok.json() == {"sub": "officer-1", "org_path": "440300/440304"}
