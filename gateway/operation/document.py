"""Parse, validate and pick the operation of a request document (GraphQL spec §6.1)."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    parse,
    print_ast,
    validate,
)
from graphql.language import Visitor, visit

from gateway.operation.errors import OperationNotFound, ParseFailed, ValidationFailed

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


def prepare_operation(schema: GraphQLSchema, text: str, operation_name: str | None) -> PreparedOperation:
    """Parse `text`, validate it against `schema` and pick the operation named `operation_name`."""
    try:
        document = parse(text, no_location=False)
    except GraphQLError as error:
        raise ParseFailed(error.message, (error,)) from error
    errors = validate(schema, document)
    if errors:
        raise ValidationFailed(errors[0].message, tuple(errors))
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
