"""Log lines as JSON or text, each with the request's id; the request id accepted or minted at every server."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kernel.logs import RequestLog, configure_logging, current_request_id

TOKEN = "eyJhbGciOiJFZERTQSJ9.secret-token-body.signature"


@pytest.fixture
def stderr() -> Iterator[io.StringIO]:
    """What the configured handler writes; the root logger's handlers are restored afterwards."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    buffer = io.StringIO()
    yield buffer
    root.handlers[:] = saved
    root.setLevel(level)


def app() -> RequestLog:
    async def hello(request: Request) -> PlainTextResponse:
        logging.getLogger("zhijian.sample").info("working on %s", "it")
        return PlainTextResponse(f"seen {current_request_id.get()}")

    async def health(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return RequestLog(Starlette(routes=[Route("/graphql", hello), Route("/health", health)]), "sample")


async def test_json_lines_carry_the_callers_request_id_and_no_query_or_token(stderr: io.StringIO) -> None:
    configure_logging("info", "json", stderr)
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sample") as client:
        answer = await client.get(
            "/graphql?code=secret-code",
            headers={"x-request-id": "req-9", "authorization": f"Bearer {TOKEN}"},
        )
        await client.get("/health")
    assert answer.headers["x-request-id"] == "req-9" and answer.text == "seen req-9"
    lines = [orjson.loads(line) for line in stderr.getvalue().splitlines()]
    event = next(line for line in lines if line["logger"] == "zhijian.sample")
    assert event["message"] == "working on it" and event["request_id"] == "req-9" and event["level"] == "info"
    access = [line for line in lines if line["logger"] == "zhijian.sample.access"]
    assert len(access) == 1, "a probe is logged only at debug"
    assert access[0] | {"ms": 0} == {
        "time": access[0]["time"],
        "level": "info",
        "logger": "zhijian.sample.access",
        "event": "request",
        "method": "GET",
        "path": "/graphql",
        "status": 200,
        "ms": 0,
        "request_id": "req-9",
    }
    assert "secret-code" not in stderr.getvalue() and TOKEN not in stderr.getvalue()


async def test_a_missing_or_malformed_request_id_is_replaced_by_a_minted_one(stderr: io.StringIO) -> None:
    configure_logging("info", "text", stderr)
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sample") as client:
        minted = await client.get("/graphql", headers={"x-request-id": "bad id\twith tab"})
        other = await client.get("/graphql")
    assert len(minted.headers["x-request-id"]) == 24 and minted.headers["x-request-id"] != other.headers["x-request-id"]
    text = stderr.getvalue()
    assert f"INFO zhijian.sample: working on it [request {minted.headers['x-request-id']}]" in text
    assert "bad id" not in text
    assert current_request_id.get() is None, "the id belongs to the request, not to what runs after it"


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="xml"):
        configure_logging("info", "xml")
