"""Attacks on the gateway's edge over real HTTP: a real JWKS server, the gateway and signature-checking subgraphs
on 127.0.0.1 sockets (RFC 8725 JWT best practices, RFC 6750 §3 challenges)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from gateway.execution import HttpSubgraphClient, SubgraphClient
from gateway.http.app import create_app
from gateway.settings import GatewaySettings
from kernel.forwarding import (
    FORWARDED_IDENTITY_HEADER,
    IdentitySigner,
    IdentityVerifier,
    RequireGatewaySignature,
    generate_private_pem,
)
from kernel.principal import Principal
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.auth.scenario import auth_federation
from tests.gateway.servers import serving
from tests.identity import forge

GATEWAY_KEY = generate_private_pem()
"""The gateway's forwarding key; subgraphs verify with its public half."""
VERIFIER = IdentitySigner.from_private_pem(GATEWAY_KEY).verifier()
ANOTHER_KEY = IdentitySigner.from_private_pem(generate_private_pem())
NOTICES = "{ notices { text } }"
ENTITIES = "{ entities { name phone riskScore } }"


class Recording:
    """Records the headers each subgraph request arrived with, then lets the real signature check decide."""

    def __init__(self, app: Any, verifier: IdentityVerifier) -> None:
        self.seen: list[dict[bytes, bytes]] = []
        self.guarded = RequireGatewaySignature(app, verifier)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append(dict(scope["headers"]))
        await self.guarded(scope, receive, send)


@dataclass
class Edge:
    url: str
    issuer: Issuer
    subgraphs: dict[str, Recording]
    subgraph_urls: dict[str, str]

    async def post(self, query: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async with httpx.AsyncClient(timeout=10) as http:
            return await http.post(f"{self.url}/graphql", json={"query": query}, headers=headers or {})

    async def bearer(self, token: str, query: str = ENTITIES) -> httpx.Response:
        return await self.post(query, {"authorization": f"Bearer {token}"})


@pytest.fixture
async def edge(tmp_path: Path) -> AsyncIterator[Edge]:
    federation = auth_federation()
    verifier = VERIFIER
    key_file = tmp_path / "forwarding.pem"
    key_file.write_text(GATEWAY_KEY, encoding="ascii")
    issuer = Issuer()
    async with AsyncExitStack() as stack:
        issuer.url = await stack.enter_async_context(serving(issuer.app))
        subgraphs = {name: Recording(app, verifier) for name, app in federation.apps.items()}
        urls = {name: await stack.enter_async_context(serving(app)) for name, app in subgraphs.items()}
        transports: dict[str, SubgraphClient] = {name: HttpSubgraphClient(name, url) for name, url in urls.items()}
        settings = GatewaySettings(issuer=issuer.url, audience=AUDIENCE, forwarding_key_file=key_file)
        app = create_app(federation.supergraph_sdl, settings, transports)
        url = await stack.enter_async_context(serving(app, lifespan="on"))
        yield Edge(url, issuer, subgraphs, urls)


def assert_refused(response: httpx.Response, reason: str) -> None:
    """401, RFC 6750 challenge, one UNAUTHENTICATED error naming the reason."""
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == 'Bearer realm="zhijian", error="invalid_token"'
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["message"] == f"invalid token: {reason}"


async def test_valid_token_gets_data_and_subgraphs_get_a_signed_identity_not_the_token(edge: Edge) -> None:
    response = await edge.bearer(edge.issuer.token(), "{ entities { name phone } }")
    assert response.status_code == 200
    assert response.json() == {
        "data": {"entities": [{"name": "福田酒家", "phone": "138"}, {"name": "南山餐厅", "phone": "139"}]}
    }
    (seen,) = edge.subgraphs["registry"].seen
    assert b"authorization" not in seen
    principal = VERIFIER.verify(seen[FORWARDED_IDENTITY_HEADER.encode()].decode())
    assert (principal.subject, principal.scopes, principal.org_path) == (
        "officer-7",
        frozenset({"openid", "pii:read"}),
        "440300/440304",
    )


@pytest.mark.parametrize(
    "signature,reason", [("", "not a signed JWT"), ("c2lnbmF0dXJl", "algorithm 'none' not allowed")]
)
async def test_alg_none_is_refused(edge: Edge, signature: str, reason: str) -> None:
    token = forge.unsigned(edge.issuer.claims(), typ="at+jwt", kid="gw-test-1") + signature
    assert_refused(await edge.bearer(token), reason)


async def test_hs256_keyed_with_the_rsa_public_key_is_refused(edge: Edge) -> None:
    token = forge.hs256(edge.issuer.claims(), edge.issuer.public_pem(), typ="at+jwt", kid="gw-test-1")
    assert_refused(await edge.bearer(token), "algorithm 'HS256' not allowed")


async def test_an_id_token_type_is_not_an_access_token(edge: Edge) -> None:
    assert_refused(await edge.bearer(edge.issuer.token(header={"typ": "JWT"})), "typ 'JWT' is not an access token type")


@pytest.mark.parametrize(
    "claims,reason",
    [
        ({"exp": 1_000_000}, "expired"),
        ({"nbf": 4_000_000_000}, "not yet valid"),
        ({"aud": "http://127.0.0.1:9999/graphql"}, "wrong audience"),
        ({"iss": "http://127.0.0.1:1/evil"}, "untrusted issuer"),
    ],
)
async def test_claims_that_do_not_fit_are_refused(edge: Edge, claims: dict[str, Any], reason: str) -> None:
    assert_refused(await edge.bearer(edge.issuer.token(**claims)), reason)


async def test_a_tampered_payload_fails_the_signature(edge: Edge) -> None:
    head, _, signature = edge.issuer.token().split(".")
    other = edge.issuer.token(sub="city.admin", roles=["ADMIN"]).split(".")[1]
    assert_refused(await edge.bearer(f"{head}.{other}.{signature}"), "bad signature")


async def test_a_flood_of_unknown_kids_costs_at_most_one_extra_jwks_fetch(edge: Edge) -> None:
    assert (await edge.bearer(edge.issuer.token())).status_code == 200
    assert edge.issuer.fetches == 1
    tokens = [edge.issuer.token(header={"kid": uuid.uuid4().hex}) for _ in range(40)]
    responses = await asyncio.gather(*(edge.bearer(token) for token in tokens))
    assert {r.status_code for r in responses} == {401}
    assert {r.json()["errors"][0]["message"] for r in responses} == {"invalid token: unknown signing key"}
    assert edge.issuer.fetches <= 2


async def test_a_non_bearer_authorization_header_is_refused_without_invalid_token(edge: Edge) -> None:
    response = await edge.post(ENTITIES, {"authorization": "Basic b2ZmaWNlcjpwYXNz"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="zhijian"'


async def test_spoofed_identity_from_the_client_never_reaches_a_subgraph(edge: Edge) -> None:
    forged = IdentitySigner.from_private_pem(GATEWAY_KEY).sign(
        Principal("city.admin", edge.issuer.url, frozenset({"ADMIN"}), frozenset({"pii:read"}), "440300", None, 0)
    )
    spoof = {FORWARDED_IDENTITY_HEADER: forged}
    anonymous = await edge.post(NOTICES, spoof)
    # `notices` is public in the supergraph, but the subgraph still wants a gateway signature: sign-in error.
    assert anonymous.status_code == 200
    assert anonymous.json()["data"] is None
    (error,) = anonymous.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and error["message"].startswith("Sign in")
    assert FORWARDED_IDENTITY_HEADER.encode() not in edge.subgraphs["registry"].seen[-1]

    signed_in = await edge.post(NOTICES, {**spoof, "authorization": f"Bearer {edge.issuer.token(sub='u-1')}"})
    assert signed_in.json() == {"data": {"notices": [{"text": "整改通知"}, {"text": "公告"}]}}
    sent = edge.subgraphs["registry"].seen[-1][FORWARDED_IDENTITY_HEADER.encode()].decode()
    assert sent != forged and VERIFIER.verify(sent).subject == "u-1"


@pytest.mark.parametrize(
    "identity",
    [
        ANOTHER_KEY.sign(Principal("city.admin", "x", frozenset(), frozenset(), "440300", None, 0)),
        forge.unsigned({"sub": "city.admin", "iss": "zhijian-gateway", "aud": "zhijian-subgraphs"}),
        None,
    ],
    ids=["wrong-key", "alg-none", "missing"],
)
async def test_a_subgraph_called_directly_with_a_forged_identity_answers_401(edge: Edge, identity: str | None) -> None:
    headers = {FORWARDED_IDENTITY_HEADER: identity} if identity else {}
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(edge.subgraph_urls["registry"], json={"query": NOTICES}, headers=headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_directives_remove_fields_over_http_and_the_rest_runs(edge: Edge) -> None:
    reader = await edge.bearer(edge.issuer.token())
    assert reader.status_code == 200
    body = reader.json()
    assert body["errors"] == [
        {
            "message": "Unauthorized field or type",
            "path": ["entities", "@", "riskScore"],
            "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
        }
    ]
    assert body["data"]["entities"][0] == {"name": "福田酒家", "phone": "138", "riskScore": None}
    inspector = await edge.bearer(edge.issuer.token(scope="openid", roles=["inspector"]))
    assert inspector.json()["data"]["entities"][1] == {"name": "南山餐厅", "phone": None, "riskScore": 1}
    anonymous = await edge.post(ENTITIES)
    assert anonymous.status_code == 200
    assert anonymous.json()["data"] is None
    assert len(edge.subgraphs["registry"].seen) == 2, "the anonymous request was refused before fetching"
