"""The gateway service: document → plan (cached) → execution → shaped GraphQL response."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from hashlib import blake2b, sha256
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    execute_sync,
)

from gateway.auth.access import AccessPolicy, unauthorized_error
from gateway.execution.asgi_client import AsgiSubgraphClient
from gateway.execution.client import SubgraphClient
from gateway.execution.errors import SubgraphRequestError
from gateway.execution.executor import ExecutionLimits, Executor
from gateway.execution.shape import Shape, build_shape, shape_response
from gateway.execution.subscribe import AsgiSubscriber, SubgraphSubscriber, WebSocketSubscriber
from gateway.operation import (
    INTROSPECTION_FIELDS,
    CostModel,
    DocumentLimits,
    OperationError,
    PreparedOperation,
    coerce_variables,
    condition_values,
    normalize,
    prepare_operation,
)
from gateway.planner import LruCache, PlanningError, QueryPlan, build_plan
from gateway.planner.authorize import AccessIndex
from gateway.query_graph import QueryGraph
from gateway.supergraph import Supergraph, build_api_schema, parse_supergraph
from gateway.supergraph.records import AccessRecord
from kernel.forwarding import FORWARDED_IDENTITY_HEADER, IdentitySigner
from kernel.principal import Principal

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer


@dataclass(frozen=True, slots=True)
class PlannedOperation:
    """What a cached plan entry holds: the plan and how to shape its result."""

    plan: QueryPlan
    shape: Shape
    unauthorized: tuple[dict[str, Any], ...] = ()
    """One ``UNAUTHORIZED_FIELD_OR_TYPE`` error per selection removed for this caller's rights."""


class Gateway:
    """Serves GraphQL requests for one supergraph; stateless apart from its caches and clients."""

    def __init__(
        self,
        supergraph_sdl: str,
        clients: Mapping[str, SubgraphClient],
        limits: ExecutionLimits | None = None,
        plan_cache_size: int = 1024,
        introspection: bool = True,
        public_introspection: bool = True,
        access: AccessPolicy | None = None,
        signer: IdentitySigner | None = None,
        document_limits: DocumentLimits | None = None,
        document_cache_bytes: int = 16_000_000,
    ) -> None:
        self.supergraph: Supergraph = parse_supergraph(supergraph_sdl)
        self.version = sha256(supergraph_sdl.encode()).hexdigest()[:16]
        """The supergraph's version: the start of its SDL's SHA-256 (shown by ``/ready``)."""
        self.api_schema = build_api_schema(self.supergraph)
        self.graph = QueryGraph(self.supergraph)
        self.executor = Executor(clients, limits)
        self.introspection = introspection
        self.public_introspection = public_introspection
        """Whether callers without a principal get introspection (and, at the edge, "Did you mean" hints)."""
        self.document_limits = document_limits or DocumentLimits()
        self.costs = CostModel.of(self.supergraph, self.document_limits.default_list_size)
        self.access_index = AccessIndex(self.graph)
        self.access = None if access is None or self.access_index.empty else access
        """Enforces `@authenticated` / `@requiresScopes` / `@policy`; None = not enforced (auth off)."""
        self.signer = signer
        self._rules: LruCache[tuple[bytes, str | None, tuple[bool, ...]], tuple[AccessRecord, ...]] = LruCache(
            plan_cache_size
        )
        self._documents: LruCache[tuple[bytes, str | None], PreparedOperation] = LruCache(
            plan_cache_size, document_cache_bytes
        )
        """Weighed by each document's text length: its syntax tree (kept without locations) is about that size."""
        self.tracer: Tracer | None = None
        """OpenTelemetry spans for parse, validate, plan and each fetch (`gateway.tracing`); None = off."""
        self.subscribers: dict[str, SubgraphSubscriber] = {}
        """Per subgraph, how its subscriptions are reached (made on first use; see `subscriber`)."""
        self._refused: LruCache[tuple[bytes, str | None], OperationError] = LruCache(min(plan_cache_size, 256))
        """A small negative cache: refusals hold messages and locations, never the document's text."""
        self._plans: LruCache[tuple[bytes, str | None, tuple[bool, ...], tuple[bool, ...]], PlannedOperation] = (
            LruCache(plan_cache_size)
        )

    @property
    def caches(self) -> dict[str, LruCache[Any, Any]]:
        """The caches by name, for their hit and miss counts."""
        return {"documents": self._documents, "refused": self._refused, "plans": self._plans, "rules": self._rules}

    def prepare(self, query: str, operation_name: str | None) -> PreparedOperation:
        """Parse, validate and pick the operation within the document limits (cached, refusals in a small
        negative cache); raise `OperationError`."""
        key = (document_hash(query), operation_name)
        prepared = self._documents.get(key)
        if prepared is not None:
            return prepared
        refused = self._refused.get(key)
        if refused is not None:
            raise refused
        try:
            prepared = prepare_operation(
                self.api_schema, query, operation_name, self.document_limits, self.costs, self.tracer
            )
        except OperationError as error:
            error.__traceback__ = None  # frames hold the text
            self._refused.put(key, error)
            raise
        self._documents.put(key, prepared, len(query))
        return prepared

    def plan(
        self,
        query: str,
        operation_name: str | None,
        prepared: PreparedOperation,
        conditions: tuple[bool, ...],
        principal: Principal | None = None,
    ) -> PlannedOperation:
        """The cached plan for this document, operation, `@skip`/`@include` values and the caller's rights.

        The key holds which of the operation's access rules the caller meets (never the token), so two
        callers share a plan exactly when the same fields are removed for both.
        """
        rules: tuple[AccessRecord, ...] = ()
        outcome: tuple[bool, ...] = ()
        access = self.access
        digest = document_hash(query)
        if access is not None:
            rules_key = (digest, operation_name, conditions)
            cached_rules = self._rules.get(rules_key)
            if cached_rules is None:
                cached_rules = self.access_index.rules_of(
                    self._root_type(prepared.kind), normalize(prepared, conditions)
                )
                self._rules.put(rules_key, cached_rules)
            rules = cached_rules
            if rules:
                outcome = tuple([access.allows(rule, principal) for rule in rules])
        key = (digest, operation_name, conditions, outcome)
        planned = self._plans.get(key)
        if planned is None:
            planned = self._build(prepared, conditions, dict(zip(rules, outcome, strict=True)))
            self._plans.put(key, planned)
        return planned

    def _build(
        self, prepared: PreparedOperation, conditions: tuple[bool, ...], verdicts: dict[AccessRecord, bool]
    ) -> PlannedOperation:
        selections = normalize(prepared, conditions)
        root = self._root_type(prepared.kind)
        shape = build_shape(self.graph, self.api_schema, root, selections)
        unauthorized: tuple[dict[str, Any], ...] = ()
        if not all(verdicts.values()):
            authorized = self.access_index.authorize(root, selections, verdicts.__getitem__)
            selections = authorized.selections
            unauthorized = tuple(unauthorized_error(path) for path in authorized.removed)
        plan = build_plan(self.graph, prepared.kind, selections, prepared.variable_types)
        return PlannedOperation(plan, shape, unauthorized)

    def _root_type(self, kind: OperationType) -> str:
        sg = self.supergraph
        if kind is OperationType.MUTATION and sg.mutation_type:
            return sg.mutation_type
        if kind is OperationType.SUBSCRIPTION and sg.subscription_type:
            return sg.subscription_type
        return sg.query_type

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        prepared: PreparedOperation | None = None,
        principal: Principal | None = None,
    ) -> dict[str, Any]:
        """Run one operation for `principal` (None = anonymous); raise `OperationError` for client mistakes."""
        if prepared is None:
            prepared = self.prepare(query, operation_name)
        coerced = coerce_variables(self.api_schema, prepared, variables)
        conditions = condition_values(prepared, coerced) if prepared.condition_variables else ()
        try:
            if self.tracer is None:
                planned = self.plan(query, operation_name, prepared, conditions, principal)
            else:
                with self.tracer.start_as_current_span("graphql.plan"):
                    planned = self.plan(query, operation_name, prepared, conditions, principal)
        except PlanningError as error:
            return {"data": None, "errors": [{"message": error.message, "extensions": {"code": error.code}}]}
        if principal is not None and self.signer is not None and planned.plan.fetches:
            headers = {**(headers or {}), FORWARDED_IDENTITY_HEADER: self.signer.sign(principal)}
        data, errors = await self.executor.execute(planned.plan, coerced, headers)
        if planned.unauthorized:
            errors[:0] = [dict(error) for error in planned.unauthorized]
        shaped = shape_response(planned.shape, data, errors)
        if prepared.introspection:
            intro_data, intro_errors = self._introspect(prepared, coerced, principal)
            errors.extend(intro_errors)
            if shaped is not None:
                shaped.update(intro_data)
        response: dict[str, Any] = {}
        if errors:
            response["errors"] = errors
        response["data"] = shaped
        return response

    async def subscribe(
        self,
        query: str,
        operation_name: str | None = None,
        variables: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        prepared: PreparedOperation | None = None,
        principal: Principal | None = None,
        check: Callable[[], Awaitable[dict[str, Any] | None]] | None = None,
    ) -> AsyncGenerator[dict[str, Any], None]:
        """Run a subscription: its root field is subscribed to on the one subgraph that owns it, and each event
        is completed by the plan's entity fetches and shaped like a query's response.

        `check` runs before each event (the caller's token still valid?); an error it returns is the last
        response. Raises `OperationError` for client mistakes before the first response.
        """
        if prepared is None:
            prepared = self.prepare(query, operation_name)
        coerced = coerce_variables(self.api_schema, prepared, variables)
        conditions = condition_values(prepared, coerced) if prepared.condition_variables else ()
        try:
            if self.tracer is None:
                planned = self.plan(query, operation_name, prepared, conditions, principal)
            else:
                with self.tracer.start_as_current_span("graphql.plan"):
                    planned = self.plan(query, operation_name, prepared, conditions, principal)
        except PlanningError as error:
            yield {"data": None, "errors": [{"message": error.message, "extensions": {"code": error.code}}]}
            return
        plan = planned.plan
        root = next((node for node in plan.fetches if node.entity is None), None)
        if root is None:  # the caller may see nothing of it
            yield {"errors": [dict(e) for e in planned.unauthorized], "data": shape_response(planned.shape, {}, [])}
            return
        payload = {"query": root.operation, "variables": {name: coerced.get(name) for name in root.variables}}
        events = self.subscriber(root.subgraph).subscribe(payload, self._signed(headers, principal))
        try:
            async for event in events:
                refusal = await check() if check is not None else None
                if refusal is not None:
                    yield {"errors": [refusal], "data": None}
                    return
                data, errors = await self.executor.execute_event(plan, event, coerced, self._signed(headers, principal))
                if planned.unauthorized:
                    errors[:0] = [dict(error) for error in planned.unauthorized]
                shaped = shape_response(planned.shape, data, errors)
                yield {"errors": errors, "data": shaped} if errors else {"data": shaped}
        except SubgraphRequestError as error:
            extensions = {"code": error.code, "serviceName": error.subgraph}
            yield {"errors": [{"message": error.message, "extensions": extensions}], "data": None}
        finally:
            await events.aclose()

    def _signed(self, headers: Mapping[str, str] | None, principal: Principal | None) -> Mapping[str, str] | None:
        if principal is None or self.signer is None:
            return headers
        return {**(headers or {}), FORWARDED_IDENTITY_HEADER: self.signer.sign(principal)}

    def subscriber(self, subgraph: str) -> SubgraphSubscriber:
        """How subscriptions reach `subgraph`: in process for an in-process client, else a WebSocket at its URL."""
        subscriber = self.subscribers.get(subgraph)
        if subscriber is None:
            client = self.executor.clients.get(subgraph)
            if isinstance(client, AsgiSubgraphClient):
                subscriber = AsgiSubscriber(subgraph, client.app, client.path)
            else:
                url = next(r.url for r in self.supergraph.subgraphs if r.name == subgraph)
                subscriber = WebSocketSubscriber(subgraph, url)
            self.subscribers[subgraph] = subscriber
        return subscriber

    def shows_schema(self, principal: Principal | None) -> bool:
        """Whether this caller may introspect the API schema and be told "Did you mean" names."""
        return self.introspection and (principal is not None or self.public_introspection)

    def _introspect(
        self, prepared: PreparedOperation, variables: Mapping[str, Any], principal: Principal | None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Answer `__schema` / `__type` from the API schema with graphql-core."""
        if not self.shows_schema(principal):
            message = "Introspection is disabled." if not self.introspection else "Sign in to introspect the schema."
            return {}, [{"message": message, "extensions": {"code": "INTROSPECTION_DISABLED"}}]
        operation = prepared.operation
        only = [
            s
            for s in operation.selection_set.selections
            if isinstance(s, FieldNode) and s.name.value in INTROSPECTION_FIELDS
        ]
        narrowed = OperationDefinitionNode(
            operation=operation.operation,
            name=operation.name,
            variable_definitions=operation.variable_definitions,
            directives=operation.directives,
            selection_set=SelectionSetNode(selections=tuple(only)),
        )
        document = DocumentNode(definitions=(narrowed, *prepared.fragments.values()))
        result = execute_sync(self.api_schema, document, variable_values=dict(variables))
        errors = [_format_error(e) for e in result.errors or ()]
        return dict(result.data or {}), errors

    async def aclose(self) -> None:
        """Close every subgraph client."""
        for client in self.executor.clients.values():
            await client.aclose()


def document_hash(query: str) -> bytes:
    """Cache key of a document: a 128-bit BLAKE2b digest, so caches do not keep request texts alive."""
    return blake2b(query.encode(), digest_size=16).digest()


def _format_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    return formatted
