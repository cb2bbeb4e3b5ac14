"""The glue every subgraph uses: a Federation v2 schema with our extensions, served as a Strawberry ASGI app."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import strawberry
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionContext

from kernel.db import Database
from kernel.errors import InternalError
from subgraphs.common.context import RequestContext, RequestTransaction
from subgraphs.common.error_codes import ErrorCodes
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
    """A federation schema that leaves error logging to :class:`ErrorCodes` (client errors are not incidents)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


def federation_schema(*, query: type, mutation: type | None = None, types: Iterable[type] = ()) -> SubgraphSchema:
    """A Federation v2 subgraph schema with the shared scalars, error shaping and request transaction.

    Federation 2 is strawberry's default since 0.24x (``enable_federation_2`` is gone); ErrorCodes is
    listed first so it runs last and also shapes an error raised by the commit. Parsed and validated
    documents are cached: clients and the gateway send the same few operations again and again.
    """
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        types=tuple(types),
        extensions=(
            ErrorCodes,
            RequestTransaction,
            lambda: QuietParserCache(maxsize=DOCUMENT_CACHE_SIZE),  # factories: the LRU caches are module-level
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        ),
        scalar_overrides=SCALAR_OVERRIDES,  # type: ignore[arg-type]
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
        await super().__call__(scope, receive, send)

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
        )
