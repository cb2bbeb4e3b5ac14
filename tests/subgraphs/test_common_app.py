"""The subgraph glue: error codes at the edge, masking of the unexpected, and a transaction per request."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from sqlalchemy import text

from kernel.db import Database
from kernel.errors import InternalError, NotFoundError
from subgraphs.common.app import SubgraphApp, federation_schema
from subgraphs.common.context import RequestContext
from subgraphs.common.services import SubgraphServices
from tests.support.components import bare_component
from tests.support.identities import CITY_OFFICER, signed, verifier

Info = strawberry.Info[RequestContext[None, SubgraphServices], None]


@strawberry.type
class Query:
    @strawberry.field
    def missing(self) -> int:
        raise NotFoundError("no such thing", details={"hint": "look elsewhere"})

    @strawberry.field
    async def absent(self) -> int | None:
        raise NotFoundError("not here")

    @strawberry.field
    def crash(self) -> int:
        raise RuntimeError("password=hunter2 at 10.0.0.7")

    @strawberry.field
    def caller(self, info: Info) -> str:
        return "nobody" if info.context.caller is None else info.context.caller.subject

    @strawberry.field
    async def noted_then_missing(self, info: Info) -> int | None:
        """A query that writes (as the audit trail does) and then meets an error elsewhere."""
        await info.context.session.execute(text("INSERT INTO note_for_test (body) VALUES ('read audited')"))
        return None


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def note(self, info: Info, body: str, fail: bool = False) -> str:
        await info.context.session.execute(text("INSERT INTO note_for_test (body) VALUES (:b)"), {"b": body})
        if fail:
            raise NotFoundError("the second step failed")
        return body

    @strawberry.mutation
    async def broken(self, info: Info, id_number: str) -> str:
        """A statement the database refuses, carrying personal data as a parameter."""
        await info.context.session.execute(text("INSERT INTO no_such_table (x) VALUES (:v)"), {"v": id_number})
        return id_number


@strawberry.federation.type(keys=["code"])
class Thing:
    code: strawberry.ID

    @classmethod
    def resolve_references(cls, info: Info, keys: list[dict[str, Any]]) -> list[Thing | None]:
        raise RuntimeError("the store is down")


SCHEMA = federation_schema(query=Query, mutation=Mutation, types=[Thing])


@pytest.fixture
async def client(sqlite_database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    database = Database.from_url(sqlite_database_url, ())
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE note_for_test (body TEXT)"))
    app = bare_component(SCHEMA).create_app(database, SubgraphServices(), verifier())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=signed(CITY_OFFICER)) as http:
        yield http, database
    await database.dispose()


async def post(http: httpx.AsyncClient, query: str) -> dict[str, Any]:
    body: dict[str, Any] = (await http.post("/graphql", json={"query": query})).json()
    return body


async def notes(database: Database) -> list[str]:
    async with database.transaction() as session:
        return list(await session.scalars(text("SELECT body FROM note_for_test")))


async def test_our_errors_keep_message_code_and_details(client: tuple[httpx.AsyncClient, Database]) -> None:
    error = (await post(client[0], "{ missing }"))["errors"][0]
    assert error["message"] == "no such thing"
    assert error["extensions"] == {"code": "NOT_FOUND", "hint": "look elsewhere"}


async def test_unexpected_errors_are_masked_and_logged(
    client: tuple[httpx.AsyncClient, Database], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        error = (await post(client[0], "{ crash }"))["errors"][0]
    assert error == {
        "message": "Internal server error",
        "locations": [{"line": 1, "column": 3}],
        "path": ["crash"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
    assert "hunter2" in caplog.text  # the operator sees it; the client does not


async def test_a_failed_batch_is_each_representations_error_and_one_incident(
    client: tuple[httpx.AsyncClient, Database], caplog: pytest.LogCaptureFixture
) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { code } } }"
    representations = [{"__typename": "Thing", "code": str(n)} for n in range(50)]
    with caplog.at_level(logging.ERROR):
        response = await client[0].post("/graphql", json={"query": query, "variables": {"r": representations}})
    body = response.json()
    assert body["data"] == {"_entities": [None] * 50}
    assert [error["path"] for error in body["errors"]] == [["_entities", n] for n in range(50)]
    assert {error["extensions"]["code"] for error in body["errors"]} == {"INTERNAL_SERVER_ERROR"}
    logged = [record for record in caplog.records if record.name == "subgraphs.common.error_codes"]
    assert [record.getMessage() for record in logged] == ["unexpected error at _entities.0"]
    assert "the store is down" in caplog.text


@pytest.mark.parametrize(
    ("query", "code"),
    [("{ missing", "GRAPHQL_PARSE_FAILED"), ("{ nothing }", "GRAPHQL_VALIDATION_FAILED")],
)
async def test_request_errors_have_codes(client: tuple[httpx.AsyncClient, Database], query: str, code: str) -> None:
    assert (await post(client[0], query))["errors"][0]["extensions"]["code"] == code


async def test_caller_is_the_gateway_signed_principal(client: tuple[httpx.AsyncClient, Database]) -> None:
    assert (await post(client[0], "{ caller }"))["data"] == {"caller": CITY_OFFICER.subject}


async def test_a_query_keeps_its_writes_despite_an_error_elsewhere(client: tuple[httpx.AsyncClient, Database]) -> None:
    http, database = client
    body = await post(http, "{ notedThenMissing absent }")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await notes(database) == ["read audited"]


async def test_the_request_owns_the_transaction(client: tuple[httpx.AsyncClient, Database]) -> None:
    http, database = client
    assert "errors" not in await post(http, 'mutation { note(body: "kept") }')
    body = await post(http, 'mutation { a: note(body: "lost") b: note(body: "also lost", fail: true) }')
    assert [e["message"] for e in body["errors"]] == ["the second step failed"]
    assert await notes(database) == ["kept"]


def test_a_schema_without_the_transaction_extension_is_refused(sqlite_database_url: str) -> None:
    plain = strawberry.federation.Schema(query=Query)
    with pytest.raises(InternalError):
        SubgraphApp(
            bare_component(plain), Database.from_url(sqlite_database_url, ()), SubgraphServices(), auth=verifier()
        )


async def test_a_database_error_logs_no_parameter(
    client: tuple[httpx.AsyncClient, Database], caplog: pytest.LogCaptureFixture
) -> None:
    """SQL parameters hold personal data (ID numbers, phones): the engine hides them from logs and messages."""
    resident_id = "440304199001011234"
    with caplog.at_level(logging.DEBUG):
        body = await post(client[0], f'mutation {{ broken(idNumber: "{resident_id}") }}')
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "no_such_table" in caplog.text and "parameters hidden" in caplog.text
    assert resident_id not in caplog.text and resident_id not in str(body)


@pytest.mark.parametrize(
    ("content", "status", "answer"),
    [
        (b'{"query": "{ caller }"}', 200, '{"data":{"caller":"city-officer"}}'),
        (b'{"query": "{ caller }", "variables": null, "extensions": {}}', 200, '{"data":{"caller":"city-officer"}}'),
        (b'{"query": "query A { caller } query B { caller }", "operationName": "B"}', 200, '{"data":{"caller"'),
        (b'{"query": "{ nope }"}', 200, "Cannot query field 'nope' on type 'Query'"),
        (b'{"query": "query A { caller }", "operationName": "C"}', 400, 'Unknown operation named "C".'),
        (b'{"query": "query A { caller } query B { caller }"}', 200, '{"data":{"caller"'),  # as the view does
        (b'{"query": "{ caller }"', 400, "Unable to parse request body as JSON"),
        (b'{"query": "{ caller }", "variables": 1}', 400, "`variables` must be an object or null"),
        (b'{"query": 7}', 400, "`query` must be a string or null"),
        (b'{"query": "{ caller }", "extensions": []}', 400, "`extensions` must be an object or null"),
    ],
)
async def test_a_json_post_is_answered_as_strawberrys_view_answers_it(
    client: tuple[httpx.AsyncClient, Database], content: bytes, status: int, answer: str
) -> None:
    """The gateway's fetches (JSON over POST) skip strawberry's view (issue 17); every body, well-formed or not,
    gets the answer the view gives: the result, or the view's own 400."""
    response = await client[0].post("/graphql", content=content, headers={"content-type": "application/json"})
    assert (response.status_code, answer in response.text) == (status, True), response.text
    if status == 200:
        assert response.headers["content-type"] == "application/json"
