"""The gateway-signed identity a subgraph trusts: Ed25519, short-lived, addressed to subgraphs, not forgeable;
subgraphs hold only the public key."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kernel.forwarding import (
    FORWARDED_IDENTITY_HEADER,
    KEY_FILE,
    ForwardedIdentityError,
    IdentitySigner,
    IdentityVerifier,
    RequireGatewaySignature,
    generate_private_pem,
    kept_private_pem,
    verify_forwarded,
)
from kernel.principal import Principal
from tests.identity import forge

NOW = 1_790_000_000.0
OFFICER = Principal(
    subject="officer-1",
    issuer="http://127.0.0.1:4010",
    roles=frozenset({"inspector"}),
    scopes=frozenset({"openid", "entities:read"}),
    org_path="440300/440304",
    client_id="app",
    expires_at=int(NOW) + 300,
)
PRIVATE_PEM = generate_private_pem()
SIGNER = IdentitySigner.from_private_pem(PRIVATE_PEM, clock=lambda: NOW)
VERIFIER = IdentityVerifier.from_public_pem(SIGNER.public_pem(), clock=lambda: NOW)


def test_round_trip() -> None:
    assert verify_forwarded(SIGNER.sign(OFFICER), VERIFIER) == OFFICER


def test_a_busy_caller_reuses_one_signature_for_half_its_lifetime() -> None:
    moment = [NOW]
    signer = IdentitySigner.from_private_pem(PRIVATE_PEM, clock=lambda: moment[0])
    first = signer.sign(OFFICER)
    moment[0] += 14
    assert signer.sign(OFFICER) == first
    moment[0] += 2
    assert signer.sign(OFFICER) != first


def test_spoofed_identities_are_refused() -> None:
    claims = {
        "iss": "zhijian-gateway",
        "aud": "zhijian-subgraphs",
        "iat": int(NOW),
        "exp": int(NOW) + 30,
        "sub": "attacker",
        "src_iss": "x",
        "src_exp": 0,
        "roles": ["admin"],
    }
    spoofs = [
        (forge.unsigned(claims, typ="zhijian-identity+jwt"), "not a gateway-signed identity"),
        (forge.hs256(claims, SIGNER.public_pem().encode(), typ="zhijian-identity+jwt"), "not a gateway-signed"),
        (IdentitySigner.from_private_pem(generate_private_pem()).sign(OFFICER, now=NOW), "bad gateway signature"),
        ("x.y.z", "not a gateway-signed identity"),
    ]
    for token, reason in spoofs:
        with pytest.raises(ForwardedIdentityError, match=reason) as refused:
            VERIFIER.verify(token)
        assert refused.value.code == "UNAUTHENTICATED"
    with pytest.raises(ForwardedIdentityError, match="no gateway-signed identity"):
        verify_forwarded(None, VERIFIER)


def test_a_tampered_payload_is_refused() -> None:
    header, payload, signature = SIGNER.sign(OFFICER, now=NOW).split(".")
    with pytest.raises(ForwardedIdentityError, match="bad gateway signature"):
        VERIFIER.verify(f"{header}.{payload[:-4]}AAAA.{signature}")


def test_expired_forwarded_identity_is_refused() -> None:
    token = SIGNER.sign(OFFICER, now=NOW - 120)  # 30 s lifetime, 5 s leeway
    with pytest.raises(ForwardedIdentityError, match="expired"):
        VERIFIER.verify(token)


def test_subgraphs_take_only_a_public_key() -> None:
    with pytest.raises(ValueError, match="public key"):
        IdentityVerifier.from_public_pem(PRIVATE_PEM)
    with pytest.raises(ValueError, match="private key"):
        IdentitySigner.from_private_pem(SIGNER.public_pem())


def test_the_embedded_hub_generates_its_key_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = kept_private_pem(tmp_path / "data")
    assert kept_private_pem(tmp_path / "data") == first
    assert stat.S_IMODE((tmp_path / "data" / KEY_FILE).stat().st_mode) == 0o600
    assert (
        IdentitySigner.from_private_pem(first)
        .verifier()
        .verify(IdentitySigner.from_private_pem(first).sign(OFFICER))
        .subject
        == "officer-1"
    )


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

    verifier = IdentityVerifier.from_public_pem(SIGNER.public_pem())  # the real clock: a live request
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
        token = IdentitySigner.from_private_pem(PRIVATE_PEM).sign(OFFICER, now=time.time())
        ok = await http.get("/graphql", headers={FORWARDED_IDENTITY_HEADER: token})
        assert ok.json() == {"sub": "officer-1", "org_path": "440300/440304"}
