"""Persisted operations over real HTTP: Apollo's APQ round trip, and trusted documents required for all but free
clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from hashlib import sha256
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from gateway.auth import TokenValidator, builtin_issuer
from gateway.errors import InternalError
from gateway.http import create_app
from gateway.settings import GatewaySettings
from tests.gateway.auth.issuer import AUDIENCE, Issuer
from tests.gateway.market import market_federation
from tests.gateway.servers import serving

QUERY = 'query Entity { entity(uscc: "91440300B") { name } }'
ANSWER = {"data": {"entity": {"name": "便利店"}}}


def apq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def first_error(response: httpx.Response) -> tuple[str, str]:
    error = response.json()["errors"][0]
    return error["extensions"]["code"], error["message"]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports())
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


async def test_automatic_persisted_queries_round_trip(http: httpx.AsyncClient) -> None:
    digest = sha256(QUERY.encode()).hexdigest()
    unknown = await http.post("/graphql", json={"extensions": apq(digest)})
    assert first_error(unknown) == ("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
    registered = await http.post("/graphql", json={"query": QUERY, "extensions": apq(digest)})
    assert registered.json() == ANSWER
    by_hash = await http.post("/graphql", json={"extensions": apq(digest)})
    assert by_hash.json() == ANSWER
    over_get = await http.get("/graphql", params={"extensions": orjson.dumps(apq(digest)).decode()})
    assert over_get.json() == ANSWER


async def test_a_wrong_hash_or_an_invalid_document_is_not_learned(http: httpx.AsyncClient) -> None:
    mismatch = await http.post("/graphql", json={"query": QUERY, "extensions": apq("0" * 64)})
    assert first_error(mismatch)[0] == "PERSISTED_QUERY_HASH_MISMATCH"
    invalid = "{ nope }"
    digest = sha256(invalid.encode()).hexdigest()
    refused = await http.post("/graphql", json={"query": invalid, "extensions": apq(digest)})
    assert first_error(refused)[0] == "GRAPHQL_VALIDATION_FAILED"
    assert first_error(await http.post("/graphql", json={"extensions": apq(digest)}))[0] == "PERSISTED_QUERY_NOT_FOUND"


async def test_apq_can_be_switched_off() -> None:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(apq=False), fed.transports())
    digest = sha256(QUERY.encode()).hexdigest()
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post("/graphql", json={"query": QUERY, "extensions": apq(digest)})
    assert first_error(response) == ("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")


@pytest.mark.parametrize("shape", ["apollo", "guild"])
async def test_only_trusted_documents_run_except_for_free_clients(tmp_path: Path, shape: str) -> None:
    manifest = tmp_path / "persisted-documents.json"
    if shape == "apollo":
        operations = [{"id": "entity-v1", "name": "Entity", "type": "query", "body": QUERY}]
        manifest.write_bytes(orjson.dumps({"format": "apollo-persisted-query-manifest", "version": 1,
                                           "operations": operations}))  # fmt: skip
    else:
        manifest.write_bytes(orjson.dumps({"entity-v1": QUERY}))
    issuer = Issuer()
    fed = market_federation()
    settings = GatewaySettings(
        trusted_documents=manifest, trusted_documents_only=True, free_clients=("zhijian-graphiql",)
    )
    async with serving(issuer.app) as issuer_url, httpx.AsyncClient() as keys:
        issuer.url = issuer_url
        validator = TokenValidator([builtin_issuer(issuer_url, AUDIENCE)], keys)
        app = create_app(fed.supergraph_sdl, settings, fed.transports(), validator=validator)
        async with serving(app) as url, httpx.AsyncClient(base_url=url) as client:
            officer_app = {"authorization": f"Bearer {issuer.token()}"}
            free_text = await client.post("/graphql", json={"query": QUERY}, headers=officer_app)
            assert first_error(free_text)[0] == "PERSISTED_QUERY_ID_REQUIRED"
            trusted = await client.post("/graphql", json={"documentId": "entity-v1"}, headers=officer_app)
            assert trusted.json() == ANSWER
            assert (await client.post("/graphql", json={"extensions": apq("entity-v1")})).json() == ANSWER
            digest = sha256(QUERY.encode()).hexdigest()
            registering = await client.post("/graphql", json={"query": QUERY, "extensions": apq(digest)})
            assert first_error(registering)[0] == "PERSISTED_QUERY_NOT_FOUND"
            graphiql = {"authorization": f"Bearer {issuer.token(client_id='zhijian-graphiql')}"}
            assert (await client.post("/graphql", json={"query": QUERY}, headers=graphiql)).json() == ANSWER


def test_an_unreadable_manifest_stops_the_start(tmp_path: Path) -> None:
    manifest = tmp_path / "broken.json"
    manifest.write_text("[1, 2]")
    fed = market_federation()
    with pytest.raises(InternalError, match="trusted documents"):
        create_app(fed.supergraph_sdl, GatewaySettings(trusted_documents=manifest), fed.transports())
