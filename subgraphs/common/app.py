"""The glue every subgraph uses: a Federation v2 schema with our extensions, served as a Strawberry ASGI app."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

import orjson
import strawberry
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.federation.schema import FederationAny
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from kernel.asgi import replay
from kernel.db import Database
from kernel.errors import InternalError
from subgraphs.common.context import RequestContext, RequestTransaction
from subgraphs.common.error_codes import ErrorCodes
from subgraphs.common.execution import LeafFieldsExecution
from subgraphs.common.jurisdiction import Jurisdiction, open_request_session, request_sessions
from subgraphs.common.scalars import SCALAR_OVERRIDES
from subgraphs.common.signature import Authentication, caller_of, guard

if TYPE_CHECKING:
    from subgraphs.common.component import SubgraphComponent

DOCUMENT_CACHE_SIZE = 512
"""Distinct operation texts whose parse and validation results are kept (bounded: clients send arbitrary text)."""


class QuietParserCache(ParserCache):
    """strawberry's ParserCache, except that a syntax error is left for strawberry's own parse step to report.

    Raised inside the hook, the error would bypass every ``on_operation`` (no code, no session cleanup).
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        except GraphQLError:
            context.graphql_document = None
        yield


class SubgraphSchema(strawberry.federation.Schema):
    """A federation schema that leaves error logging to :class:`ErrorCodes` (client errors are not incidents) and
    resolves ``_entities`` a type at a time (:meth:`entities_resolver`)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None

    def entities_resolver(
        self, info: strawberry.Info, representations: list[FederationAny]
    ) -> list[FederationAny]:  # strawberry reads these annotations for the field; it may also be one awaitable
        """Federation ``_entities``: the representations of a type whose class defines
        ``resolve_references(info, keys)`` (their key fields, in order; a list, or an awaitable of one, of an object
        or None each) are resolved by one call, so N representations cost one loader batch and no coroutine each;
        any other type goes through strawberry's ``resolve_reference``, one by one. A failure is that
        representation's error, as with strawberry."""
        representations_: list[dict[str, Any]] = cast("list[dict[str, Any]]", representations)
        batches: dict[Any, list[int]] = {}
        singles: list[int] = []
        for index, representation in enumerate(representations_):
            origin = self._entity_origin(representation.get("__typename"))
            if origin is not None and hasattr(origin, "resolve_references"):
                batches.setdefault(origin, []).append(index)
            else:
                singles.append(index)
        if not batches:
            return super().entities_resolver(info, representations)
        results: list[Any] = [None] * len(representations)
        if singles:
            for index, result in zip(
                singles, super().entities_resolver(info, [representations[i] for i in singles]), strict=True
            ):
                results[index] = result
        pending: list[tuple[list[int], Awaitable[Any]]] = []
        for origin, indexes in batches.items():
            keys = [{k: v for k, v in representations_[i].items() if k != "__typename"} for i in indexes]
            try:
                found = origin.resolve_references(info, keys)
            except Exception as error:  # each representation's error, as strawberry reports it
                found = [error] * len(indexes)
            if inspect.isawaitable(found):
                pending.append((indexes, found))
            else:
                _scatter(results, indexes, found)
        pending += [([index], _one(results[index])) for index in singles if inspect.isawaitable(results[index])]
        if not pending:
            return results
        return cast("list[FederationAny]", _gathered(results, pending))

    def _entity_origin(self, type_name: Any) -> type | None:
        found = self.schema_converter.type_map.get(type_name) if isinstance(type_name, str) else None
        definition = getattr(found, "definition", None)
        origin = getattr(definition, "origin", None)
        return origin if isinstance(origin, type) else None


def _scatter(results: list[Any], indexes: list[int], found: Any) -> None:
    if isinstance(found, BaseException):
        found = [found] * len(indexes)
    for index, value in zip(indexes, found, strict=True):
        results[index] = value


async def _gathered(results: list[Any], pending: list[tuple[list[int], Awaitable[Any]]]) -> list[Any]:
    """``results`` with the awaited batches (and single references) put in their places."""
    outcomes = await asyncio.gather(*(awaitable for _, awaitable in pending), return_exceptions=True)
    for (indexes, _), found in zip(pending, outcomes, strict=True):
        _scatter(results, indexes, found)
    return results


async def _one(awaitable: Awaitable[Any]) -> list[Any]:
    return [await awaitable]


_Operation = tuple[str, dict[str, Any] | None, str | None, dict[str, Any] | None]
"""A request's query, variables, operation name and extensions."""

_POST_OPERATIONS = OperationType.from_http("POST")
_NO_RESPONSE = Response()
"""Stands for strawberry's sub-response in :meth:`SubgraphApp.get_context`, which never sets one."""


def _plain_json(scope: Scope) -> bool:
    """True for a JSON body asking for a JSON answer (not a stream: multipart or server-sent events)."""
    content_type = accept = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value
        elif name == b"accept":
            accept = value
    return content_type.startswith(b"application/json") and b"multipart" not in accept and b"event-stream" not in accept


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _operation(body: bytes) -> _Operation | None:
    """The operation in a well-formed body; None for anything else (malformed JSON, a batch, a field of the wrong
    type, no query), which strawberry's view then answers with its own error."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    query, variables, name, extensions = (data.get(k) for k in ("query", "variables", "operationName", "extensions"))
    if (
        not isinstance(query, str)
        or not isinstance(variables, dict | None)
        or not isinstance(name, str | None)
        or not isinstance(extensions, dict | None)
    ):
        return None
    return query, variables, name, extensions


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def federation_schema(
    *, query: type, mutation: type | None = None, subscription: type | None = None, types: Iterable[type] = ()
) -> SubgraphSchema:
    """A Federation v2 subgraph schema with the shared scalars, error shaping and request transaction (a
    subscription's live feeds: ``subgraphs/README.md``, Subscriptions).

    Federation 2 is strawberry's default since 0.24x (``enable_federation_2`` is gone); ErrorCodes is
    listed first so it runs last and also shapes an error raised by the commit. Parsed and validated
    documents are cached: clients and the gateway send the same few operations again and again.
    """
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=tuple(types),
        extensions=(
            ErrorCodes,
            RequestTransaction,
            lambda: QuietParserCache(maxsize=DOCUMENT_CACHE_SIZE),  # factories: the LRU caches are module-level
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        ),
        scalar_overrides=SCALAR_OVERRIDES,  # type: ignore[arg-type]
        execution_context_class=LeafFieldsExecution,
    )


class SubgraphApp(GraphQL[RequestContext[Any, Any], None]):
    """Strawberry's ASGI app for one component: each request gets a session scoped to its caller's jurisdiction,
    the component's loaders over it, and the component's services.

    Requests pass the gateway-signature check of ``auth`` first (:mod:`subgraphs.common.signature`).
    """

    def __init__(
        self, component: SubgraphComponent[Any, Any], database: Database, services: Any, *, auth: Authentication
    ) -> None:
        if not any(extension is RequestTransaction for extension in component.schema.extensions):
            raise InternalError("build subgraph schemas with federation_schema(), so that requests own a transaction")
        super().__init__(component.schema, graphql_ide=None)  # the gateway serves GraphiQL; subgraphs are internal
        self.component = component
        self.database = database
        self.services = services
        self.auth = auth
        self._sessions = request_sessions(database.engine)
        self._guarded = guard(self._serve, auth)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._guarded(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and _plain_json(scope):
            body = await _body(receive)
            if (operation := _operation(body)) is not None:
                await self._execute(scope, operation, send)
                return
            receive = replay(body)  # anything else is strawberry's to answer, as it would have
        await super().__call__(scope, receive, send)

    async def _execute(self, scope: Scope, operation: _Operation, send: Send) -> None:
        """One JSON-over-POST operation, the gateway's every fetch, answered as strawberry's view answers it
        (``execute_single``, ``process_result``, ``create_response``) without the view's per-request adapters,
        parsers and sub-response: about a tenth of a subgraph request's CPU (issue 17)."""
        request = Request(scope)
        context = await self.get_context(request, _NO_RESPONSE)
        query, variables, operation_name, extensions = operation
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=_POST_OPERATIONS,
                operation_extensions=extensions,
            )
        except (CannotGetOperationTypeError, InvalidOperationTypeError) as error:
            reason = (
                error.as_http_error_reason("POST")
                if isinstance(error, InvalidOperationTypeError)
                else error.as_http_error_reason()
            )
            await PlainTextResponse(reason, status_code=400)(scope, _no_body, send)
            return
        body = self.encode_json(await self.process_result(request, result))
        await Response(body, media_type="application/json")(scope, _no_body, send)

    def encode_json(self, data: object) -> bytes:
        """The response body: orjson (several times faster than ``json.dumps`` on a page of records)."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """The request body; orjson's error is a ``json.JSONDecodeError``, which strawberry answers with a 400."""
        return orjson.loads(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext[Any, Any]:
        jurisdiction = Jurisdiction.of(caller_of(request, self.auth), self.services.org_tree, self.component.scopes)
        session = open_request_session(self._sessions, jurisdiction, self.database.replica)
        return RequestContext(
            session=session,
            loaders=self.component.loaders(session, self.services),
            services=self.services,
            jurisdiction=jurisdiction,
            request=request,
            sessions=lambda: open_request_session(self._sessions, jurisdiction, self.database.replica),
        )
