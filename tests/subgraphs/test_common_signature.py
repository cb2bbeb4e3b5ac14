"""A subgraph answers only requests whose identity the gateway signed; everything else gets 401 UNAUTHENTICATED."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry

from kernel.db import Database
from kernel.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner, generate_private_pem
from subgraphs.common.app import federation_schema
from subgraphs.common.context import RequestContext
from subgraphs.common.services import SubgraphServices
from subgraphs.common.signature import WithoutSignature
from tests.support.components import bare_component
from tests.support.identities import CITY_OFFICER, TEST_SIGNER, signed, verifier

Info = strawberry.Info[RequestContext[None, SubgraphServices], None]
QUERY = {"query": "{ whoami }"}


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: Info) -> str | None:
        return None if info.context.caller is None else str(info.context.caller.subject)


SCHEMA = federation_schema(query=Query)


@pytest.fixture
async def http(sqlite_database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    database = Database.from_url(sqlite_database_url, ())
    app = bare_component(SCHEMA).create_app(database, SubgraphServices(), verifier())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client
    await database.dispose()


def _refused(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 401, response.text
    body: dict[str, Any] = response.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]
    return body


async def test_a_signed_identity_reaches_the_resolvers(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json=QUERY, headers=signed(CITY_OFFICER))
    assert response.json() == {"data": {"whoami": CITY_OFFICER.subject}}


async def test_no_identity_is_refused(http: httpx.AsyncClient) -> None:
    _refused(await http.post("/graphql", json=QUERY))
    _refused(await http.get("/graphql", params=QUERY))


async def test_a_forged_identity_is_refused(http: httpx.AsyncClient) -> None:
    forged = signed(CITY_OFFICER)[FORWARDED_IDENTITY_HEADER]
    header, payload, signature = forged.split(".")
    tampered = f"{header}.{payload[:-4]}AAAA.{signature}"
    _refused(await http.post("/graphql", json=QUERY, headers={FORWARDED_IDENTITY_HEADER: tampered}))
    _refused(await http.post("/graphql", json=QUERY, headers={FORWARDED_IDENTITY_HEADER: "city-officer"}))


async def test_an_identity_signed_with_another_key_is_refused(http: httpx.AsyncClient) -> None:
    headers = signed(CITY_OFFICER, signer=IdentitySigner.from_private_pem(generate_private_pem()))
    body = _refused(await http.post("/graphql", json=QUERY, headers=headers))
    assert "signature" in body["errors"][0]["message"]


async def test_an_expired_identity_is_refused(http: httpx.AsyncClient) -> None:
    headers = signed(CITY_OFFICER, now=time.time() - 120)  # 30 s lifetime, 5 s leeway
    body = _refused(await http.post("/graphql", json=QUERY, headers=headers))
    assert "expired" in body["errors"][0]["message"]


async def test_an_unsigned_token_is_refused(http: httpx.AsyncClient) -> None:
    """``alg: none`` cannot choose how it is checked (RFC 8725 §3.1)."""
    token = TEST_SIGNER.sign(CITY_OFFICER)
    _, payload, _ = token.split(".")
    none_header = "eyJhbGciOiJub25lIiwidHlwIjoiemhpamlhbi1pZGVudGl0eStqd3QifQ"  # {"alg":"none","typ":…}
    _refused(await http.post("/graphql", json=QUERY, headers={FORWARDED_IDENTITY_HEADER: f"{none_header}.{payload}."}))


async def test_without_signature_is_explicit(sqlite_database_url: str) -> None:
    database = Database.from_url(sqlite_database_url, ())
    app = bare_component(SCHEMA).create_app(database, SubgraphServices(), WithoutSignature(CITY_OFFICER))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.post("/graphql", json=QUERY)).json() == {"data": {"whoami": CITY_OFFICER.subject}}
    await database.dispose()


async def test_no_path_skips_the_check(http: httpx.AsyncClient) -> None:
    for path in ("/health", "/", "/graphql/"):
        _refused(await http.post(path, json=QUERY))
