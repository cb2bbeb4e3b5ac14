"""Parse, validate and pick the operation of a request document (GraphQL spec §6.1)."""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    VariableNode,
    parse,
    print_ast,
    specified_rules,
    validate,
)
from graphql.language import Visitor, visit

from gateway.operation.cost import CostModel
from gateway.operation.errors import (
    IncrementalDeliveryUnsupported,
    LimitExceeded,
    OperationNotFound,
    ParseFailed,
    Problem,
    ValidationFailed,
)
from gateway.operation.limits import DocumentLimits, check_shape, check_text, merge_duplicates
from gateway.tracing import span

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

_TOKEN_LIMIT = "tokens. Parsing aborted."
_NESTING_LIMIT = "nested too deeply. Parsing aborted."
_DEFAULT_LIMITS = DocumentLimits()

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
"""Root fields the gateway answers itself from the API schema (GraphQL spec §4.1)."""


@dataclass(frozen=True, slots=True)
class PreparedOperation:
    """A validated operation, ready to normalize: everything that depends only on the document text."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    kind: OperationType
    variable_types: dict[str, str]
    """Declared variable types (with defaults) as text, e.g. `{"id": "ID!", "n": "Int=1"}`, for subgraph operations."""
    condition_variables: tuple[str, ...]
    """Variables used by `@skip`/`@include`: their values select the plan."""
    introspection: bool
    """Whether the root selection asks for `__schema` or `__type`."""


def prepare_operation(
    schema: GraphQLSchema,
    text: str,
    operation_name: str | None,
    limits: DocumentLimits = _DEFAULT_LIMITS,
    costs: CostModel | None = None,
    tracer: Tracer | None = None,
) -> PreparedOperation:
    """Parse `text`, validate it against `schema` and pick the operation named `operation_name`.

    Within `limits` (refused with `LimitExceeded` as soon as one is crossed, before validation); with `costs` the
    operation's static cost must stay within `limits.max_cost`.
    The cached tree carries no source locations (so it holds no reference to the text); a refused document is
    parsed again with them for the error's locations. With a `tracer`, parsing and validation are spans.
    """
    with span(tracer, "graphql.parse"):
        check_text(text, limits)
        document = _parse(text, limits, locations=False)
        check_shape(document, limits)
    with span(tracer, "graphql.validate"):
        return _validated(schema, text, document, operation_name, limits, costs)


def _validated(
    schema: GraphQLSchema,
    text: str,
    document: DocumentNode,
    operation_name: str | None,
    limits: DocumentLimits,
    costs: CostModel | None,
) -> PreparedOperation:
    document = merge_duplicates(document)
    errors = _validate(schema, document, limits)
    if errors:
        located = merge_duplicates(_parse(text, limits, locations=True))
        errors = _validate(schema, located, limits) or errors
        problems = tuple(Problem.of(e) for e in errors)
        _refuse_incremental_delivery(problems)
        raise ValidationFailed(problems[0].message, problems)
    operation = _pick(document, operation_name)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    variable_types = {
        v.variable.name.value: print_ast(v.type) + (f"={print_ast(v.default_value)}" if v.default_value else "")
        for v in operation.variable_definitions or ()
    }
    finder = _ConditionVariables()
    visit(operation, finder)
    for fragment in fragments.values():
        visit(fragment, finder)
    if costs is not None:
        cost = costs.operation_cost(schema, operation, fragments)
        if cost > limits.max_cost:
            raise LimitExceeded("COST_LIMIT_EXCEEDED", f"The operation costs {cost}; the budget is {limits.max_cost}.")
    introspection = any(
        isinstance(s, FieldNode) and s.name.value in INTROSPECTION_FIELDS for s in operation.selection_set.selections
    )
    return PreparedOperation(
        document=document,
        operation=operation,
        fragments=fragments,
        kind=operation.operation,
        variable_types=variable_types,
        condition_variables=tuple(sorted(finder.names)),
        introspection=introspection,
    )


_INCREMENTAL = {
    "Unknown directive '@defer'.": (
        "DEFER_NOT_SUPPORTED",
        "@defer needs incremental delivery: send the request with Accept: multipart/mixed (deferSpec=20220824), "
        "or send the operation without @defer.",
    ),
    "Unknown directive '@stream'.": (
        "STREAM_NOT_SUPPORTED",
        "@stream is not supported by this gateway: send the operation without it; the whole list comes in the one "
        "response.",
    ),
}
"""The API schema defines neither directive, so they fail validation; this names why (only on that failure path)."""


def _refuse_incremental_delivery(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        known = _INCREMENTAL.get(problem.message)
        if known is not None:
            code, message = known
            located = tuple(
                Problem(message, p.locations) for p in problems if _INCREMENTAL.get(p.message, (None,))[0] == code
            )
            raise IncrementalDeliveryUnsupported(code, message, located)


def parse_within(text: str, limits: DocumentLimits) -> DocumentNode:
    """`text` parsed without locations, refused as `prepare_operation` refuses it when over the size, token or shape
    limits (for a caller that reads the document before preparing it)."""
    check_text(text, limits)
    document = _parse(text, limits, locations=False)
    check_shape(document, limits)
    return document


def _parse(text: str, limits: DocumentLimits, locations: bool) -> DocumentNode:
    try:
        return parse(text, no_location=not locations, max_tokens=limits.max_tokens)
    except GraphQLError as error:
        if error.message.endswith(_TOKEN_LIMIT):
            message = f"The document has more than {limits.max_tokens} tokens."
            raise LimitExceeded("TOKEN_LIMIT_EXCEEDED", message) from None
        if error.message.endswith(_NESTING_LIMIT):  # graphql-core's own guard of its recursive parser
            message = f"The document nests deeper than {limits.max_depth} levels."
            raise LimitExceeded("DEPTH_LIMIT_EXCEEDED", message) from None
        raise ParseFailed(error.message, (Problem.of(error),)) from None


def _validate(schema: GraphQLSchema, document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    rules = (*specified_rules, _budget(_cpu_spent() + limits.validation_budget_s))
    try:
        return validate(schema, document, rules)
    except _OverBudget:
        message = f"Validating the document took more than {limits.validation_budget_s} s of CPU time."
        raise LimitExceeded("VALIDATION_BUDGET_EXCEEDED", message) from None


class _OverBudget(Exception):
    """Raised out of validation when its CPU budget is spent."""


class _CollectorTime(threading.local):
    """CPU time this thread spent in the garbage collector, which runs inside whatever code allocates when it
    triggers: a full collection of a large heap is charged to the document that happened to be validating."""

    spent = 0.0
    started: float | None = None


_COLLECTOR = _CollectorTime()


def _on_collect(phase: str, _info: dict[str, int]) -> None:
    if phase == "start":
        _COLLECTOR.started = time.thread_time()
    elif _COLLECTOR.started is not None:
        _COLLECTOR.spent += time.thread_time() - _COLLECTOR.started
        _COLLECTOR.started = None


gc.callbacks.append(_on_collect)


def _cpu_spent() -> float:
    """This thread's CPU time outside the garbage collector."""
    return time.thread_time() - _COLLECTOR.spent


def _budget(deadline: float) -> type[ValidationRule]:
    """A validation rule that aborts validation once this thread (the one validating) has used its CPU time up to
    `deadline`, the garbage collector's excluded (the process clock would count every other thread of a busy
    process, and a collection is the heap's cost, not the document's)."""

    class Budget(ValidationRule):
        def enter(self, *_: object) -> None:
            if _cpu_spent() > deadline:
                raise _OverBudget

    return Budget


def _pick(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        for operation in operations:
            if operation.name and operation.name.value == name:
                return operation
        raise OperationNotFound(f'Unknown operation named "{name}".')
    if len(operations) == 1:
        return operations[0]
    if not operations:
        raise OperationNotFound("The document contains no operation.")
    raise OperationNotFound("The document contains several operations; supply operationName.")


class _ConditionVariables(Visitor):
    """Collects variables referenced by `@skip(if:)` and `@include(if:)`."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_: object) -> None:
        if node.name.value in ("skip", "include"):
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.add(argument.value.name.value)
