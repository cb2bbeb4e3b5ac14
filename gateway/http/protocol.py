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
    """The three GraphQL request parameters."""

    query: str
    operation_name: str | None
    variables: dict[str, Any] | None


def params_from_json(body: bytes) -> GraphQLParams:
    """Parse a POST body (`application/json`)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest("The request body is not valid JSON.") from error
    if not isinstance(payload, dict):
        raise BadRequest("The request body must be a JSON object with a `query`.")
    return _params(payload.get("query"), payload.get("operationName"), payload.get("variables"))


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
    return _params(first("query"), first("operationName") or None, variables or None)


def _params(query: Any, operation_name: Any, variables: Any) -> GraphQLParams:
    if not isinstance(query, str) or not query.strip():
        raise BadRequest("The request has no `query` string.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest("`operationName` must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest("`variables` must be a JSON object.")
    return GraphQLParams(query, operation_name or None, variables)


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
