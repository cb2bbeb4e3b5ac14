"""Log lines: one per event, as text for a person at a terminal or as JSON for a log collector
(``ZHIJIAN_LOG_FORMAT=json|text``), each carrying the id of the request it belongs to.

The gateway accepts a caller's ``x-request-id`` (a plain token) or mints one, answers it in the response headers
and passes it to the subgraphs; :class:`RequestLog` does the same at every other server (provider, subgraphs), so
one id follows a request across processes. What is logged is the event, never the request's content: no
documents, variables, query strings, bodies, tokens or cookies (the access line names the method, the path, the
status and the time taken).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
FORMATS = ("text", "json")
QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})
"""Probes and scrapes: asked every few seconds, logged only at debug."""

current_request_id: ContextVar[str | None] = ContextVar("zhijian_request_id", default=None)
"""The id of the request being served in this task (None outside a request)."""

_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


def request_id(given: bytes | None) -> str:
    """The caller's ``x-request-id`` when it is a plain token (≤ 128 characters), else a new one."""
    if given is not None and _REQUEST_ID.fullmatch(given):
        return given.decode("ascii")
    return os.urandom(12).hex()


class _WithRequestId(logging.Filter):
    """Stamps every record with the current request's id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message or an event's fields, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields: Mapping[str, Any] | None = getattr(record, "fields", None)
        if fields is not None:
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        rid = getattr(record, "request_id", None)
        if rid is not None:
            line.setdefault("request_id", rid)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        rid = getattr(record, "request_id", None)
        return text if rid is None else f"{text} [request {rid}]"


def configure_logging(level: str, fmt: str = "text", stream: TextIO | None = None) -> None:
    """Every logger's records, one line each on ``stream`` (stderr), in ``fmt``; replaces what was configured."""
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r} is not one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(_WithRequestId())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request (readiness checks) says nothing
    logging.getLogger("arq").setLevel(logging.DEBUG if level == "debug" else logging.WARNING)


class RequestLog:
    """ASGI middleware: takes the caller's ``x-request-id`` or mints one, makes it :data:`current_request_id`
    while the request is served, answers it in the response headers, and logs one access line per request
    (``zhijian.<component>.access``: method, path without its query, status, milliseconds)."""

    def __init__(self, app: ASGIApp, component: str) -> None:
        self.app = app
        self.log = logging.getLogger(f"zhijian.{component}.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == REQUEST_ID_HEADER.encode()), None)
        rid = request_id(given)
        token = current_request_id.set(rid)
        status = 500
        started = time.perf_counter()

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(n, v) for n, v in message.get("headers", []) if n != REQUEST_ID_HEADER.encode()]
                message = {**message, "headers": [*headers, (REQUEST_ID_HEADER.encode(), rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            path = scope.get("path", "")
            level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
            if self.log.isEnabledFor(level):
                fields = {
                    "event": "request",
                    "method": scope.get("method"),
                    "path": path,
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                }
                self.log.log(level, " ".join(f"{k}={v}" for k, v in fields.items()), extra={"fields": fields})
            current_request_id.reset(token)
