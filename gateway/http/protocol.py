"""GraphQL over HTTP: request parameters, media types and status codes.

Spec: https://graphql.github.io/graphql-over-http/draft/ (§5 Request, §6 Response).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson

from gateway.errors import ClientError, GatewayError

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


class BadRequest(ClientError):
    """The HTTP request is not a well-formed GraphQL request (spec §5.1)."""

    code = "BAD_REQUEST"


class RequestTimeout(GatewayError):
    """The request ran past the gateway's end-to-end timeout (`request_timeout_s`)."""

    code = "REQUEST_TIMEOUT"


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    """The three GraphQL request parameters, and the id of a persisted document."""

    query: str | None
    """None when only `document_id` is sent."""
    operation_name: str | None
    variables: dict[str, Any] | None
    document_id: str | None = None
    """`documentId` (trusted documents) or `extensions.persistedQuery.sha256Hash` (Apollo's APQ, version 1)."""


def params_from_json(body: bytes) -> GraphQLParams:
    """Parse a POST body (`application/json`)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest("The request body is not valid JSON.") from error
    if not isinstance(payload, dict):
        raise BadRequest("The request body must be a JSON object with a `query`.")
    extensions = payload.get("extensions")
    return _params(
        payload.get("query"),
        payload.get("operationName"),
        payload.get("variables"),
        payload.get("documentId") or (_persisted_id(extensions) if extensions is not None else None),
    )


def params_from_query_string(raw: bytes) -> GraphQLParams:
    """Parse GET parameters; `variables` arrives JSON-encoded (spec §5.1.1)."""
    values = parse_qs(raw.decode("latin-1"), keep_blank_values=True)

    def first(name: str) -> str | None:
        items = values.get(name)
        return items[0] if items else None

    variables: Any = first("variables")
    if variables:
        try:
            variables = orjson.loads(variables)
        except orjson.JSONDecodeError as error:
            raise BadRequest("The `variables` parameter is not valid JSON.") from error
    extensions: Any = first("extensions")
    if extensions:
        try:
            extensions = orjson.loads(extensions)
        except orjson.JSONDecodeError as error:
            raise BadRequest("The `extensions` parameter is not valid JSON.") from error
    document_id = first("documentId") or (_persisted_id(extensions) if extensions else None)
    return _params(first("query"), first("operationName") or None, variables or None, document_id)


def _persisted_id(extensions: Any) -> str | None:
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise BadRequest("`extensions.persistedQuery` must have version 1 and a `sha256Hash`.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not digest:
        raise BadRequest("`extensions.persistedQuery` must have version 1 and a `sha256Hash`.")
    return digest


def _params(query: Any, operation_name: Any, variables: Any, document_id: Any = None) -> GraphQLParams:
    if document_id is not None and not isinstance(document_id, str):
        raise BadRequest("`documentId` must be a string.")
    if (query is not None or not document_id) and (not isinstance(query, str) or not query.strip()):
        raise BadRequest("The request has no `query` string.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest("`operationName` must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest("`variables` must be a JSON object.")
    return GraphQLParams(query, operation_name or None, variables, document_id or None)


def response_media_type(accept: str) -> str | None:
    """Pick the response media type from an Accept header (spec §6.2); None when nothing fits."""
    if not accept:
        return JSON
    best: str | None = None
    best_q = -1.0
    for part in accept.split(","):
        pieces = part.strip().split(";")
        media = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media == GRAPHQL_RESPONSE_JSON:
            candidate = GRAPHQL_RESPONSE_JSON
        elif media in (JSON, "application/*", "*/*"):
            candidate = JSON
        else:
            continue
        if q > best_q or (q == best_q and candidate == GRAPHQL_RESPONSE_JSON):
            best, best_q = candidate, q
    return best if best_q > 0 else None


def error_body(error: GatewayError) -> dict[str, Any]:
    """A GraphQL response carrying one request-level error."""
    return {"errors": [error_entry(error.message, error.code)]}


def error_entry(message: str, code: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One GraphQL error with `extensions.code`."""
    entry: dict[str, Any] = {"message": message}
    if extra:
        entry.update(extra)
    entry["extensions"] = {"code": code}
    return entry


MULTIPART = 'multipart/mixed; boundary="-"; deferSpec=20220824'
"""Incremental delivery as Apollo Router and Hive Gateway send it (`@defer`)."""


def accepts_multipart(accept: str) -> bool:
    """The client takes `multipart/mixed` (it sends `@defer` expecting incremental delivery)."""
    return any(part.strip().split(";")[0].strip().lower() == "multipart/mixed" for part in accept.split(","))


def multipart(payloads: list[bytes]) -> bytes:
    """The payloads as one multipart/mixed body with boundary ``-`` (each part JSON; the last closes it)."""
    head = b"\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n"
    return b"".join(head + payload for payload in payloads) + b"\r\n-----\r\n"
