"""`@defer` served as incremental delivery: the operation runs with its `@defer` directives taken out, and its
result is then cut into the initial payload and one incremental payload per deferred fragment and path (the fields
only that fragment selects; a fragment deferred inside another comes after it, in a payload of its own). The spec
lets a server deliver deferred data whenever it likes; this gateway plans and fetches the whole operation at once,
so a client gets the shape (and the order) of deferred delivery, not yet an earlier first payload.

Where a deferred fragment applies is decided by the object's `__typename`, which the rewritten operation asks for
under the alias `zj__typename` (kept out of every payload). Errors go with the innermost payload whose data holds
their path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    Visitor,
    is_abstract_type,
    print_ast,
    visit,
)
from graphql.language import SKIP

from gateway.operation.document import parse_within
from gateway.operation.errors import Problem, ValidationFailed
from gateway.operation.limits import DocumentLimits

PROBE = "zj__typename"


@dataclass(frozen=True, slots=True)
class Deferred:
    """One deferred fragment of the operation."""

    number: int
    label: str | None


@dataclass(slots=True)
class Part:
    """An incremental payload: the deferred fragment's data at one path."""

    label: str | None
    path: list[str | int]
    data: dict[str, Any] = field(default_factory=dict)


def mentions_defer(query: str) -> bool:
    """A cheap test before any parsing: the text names `@defer` at all."""
    return "@defer" in query


def rewrite(query: str, limits: DocumentLimits) -> tuple[str, DocumentNode]:
    """The query without its `@defer` directives and with `zj__typename` asked wherever a fragment applies (the text
    to execute), and the original document (to cut the result with).

    The text is held to the document `limits` before anything else reads it, and `@defer` where the spec forbids it
    (on a mutation's root fields; in a subscription unless its `if` may be false) is refused with
    `GRAPHQL_VALIDATION_FAILED`."""
    original = parse_within(query, limits)
    _check_placement(original)
    definitions = [
        replace(d, selection_set=_strip(d.selection_set))
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
        else d
        for d in original.definitions
    ]
    stripped = replace(original, definitions=tuple(definitions))
    used = _variables_used(stripped)
    definitions = [  # a variable only `@defer(if:)` used is used no more: its definition goes too
        replace(d, variable_definitions=tuple(v for v in d.variable_definitions or () if v.variable.name.value in used))
        if isinstance(d, OperationDefinitionNode)
        else d
        for d in stripped.definitions
    ]
    return print_ast(replace(stripped, definitions=tuple(definitions))), original


def split(
    result: Mapping[str, Any],
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    schema: GraphQLSchema,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The initial payload (`hasNext` set by the caller) and the incremental entries, in document order."""
    operation = _operation(document, operation_name)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    cutter = _Cutter(fragments, dict(variables or {}), schema)
    data = result.get("data")
    initial: dict[str, Any] = {}
    if isinstance(data, dict):
        initial["data"] = cutter.object([(operation.selection_set, None)], data, [])
    else:
        initial["data"] = data
    parts = cutter.parts
    errors = list(result.get("errors") or [])
    entries: list[dict[str, Any]] = []
    placed: dict[int, list[dict[str, Any]]] = {}
    unplaced = []
    for error in errors:
        holders = [n for n, part in enumerate(parts) if _within(error.get("path"), part)]
        if holders:
            placed.setdefault(max(holders, key=lambda n: len(parts[n].path)), []).append(error)
        else:
            unplaced.append(error)
    for n, part in enumerate(parts):
        entry: dict[str, Any] = {"data": part.data, "path": part.path}
        if part.label is not None:
            entry["label"] = part.label
        if n in placed:
            entry["errors"] = placed[n]
        entries.append(entry)
    if unplaced:
        initial["errors"] = unplaced
    if "extensions" in result:
        initial["extensions"] = result["extensions"]
    return initial, entries


class _Cutter:
    def __init__(
        self, fragments: Mapping[str, FragmentDefinitionNode], variables: dict[str, Any], schema: GraphQLSchema
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.schema = schema
        self.parts: list[Part] = []
        self._known: dict[int, Deferred] = {}

    def object(
        self,
        selections: list[tuple[SelectionSetNode, Deferred | None]],
        data: dict[str, Any],
        path: list[str | int],
        current: Deferred | None = None,
    ) -> dict[str, Any]:
        """What of ``data`` goes to ``current`` (None: the initial payload) for these selection sets; fields that a
        fragment deferred further selects go to that fragment's part at this path."""
        typename = data.get(PROBE)
        by_key: dict[str, list[tuple[FieldNode, Deferred | None]]] = {}
        for selection_set, deferred in selections:
            for node, owner in self._fields(selection_set, deferred, typename):
                by_key.setdefault((node.alias or node.name).value, []).append((node, owner))
        opened: dict[int, Part] = {}
        for owner in self._applying(selections, typename):
            if owner is not current and owner.number not in opened:
                opened[owner.number] = self._part(owner, path)
        here: dict[str, Any] = {}
        for key, entries in by_key.items():
            if key not in data or key == PROBE:
                continue
            owners = [owner for _, owner in entries]
            owner = current if current in owners else next(o for o in owners if o is not None)
            children = [(n.selection_set, o) for n, o in entries if n.selection_set is not None and o is owner]
            value = self._value(children, data[key], [*path, key], owner)
            if owner is current:
                here[key] = value
            else:
                assert owner is not None
                if owner.number not in opened:
                    opened[owner.number] = self._part(owner, path)
                opened[owner.number].data[key] = value
        return here

    def _value(
        self,
        selections: list[tuple[SelectionSetNode, Deferred | None]],
        value: Any,
        path: list[str | int],
        current: Deferred | None,
    ) -> Any:
        if isinstance(value, list):
            return [self._value(selections, item, [*path, index], current) for index, item in enumerate(value)]
        if isinstance(value, dict) and selections:
            return self.object(selections, value, path, current)
        return value

    def _part(self, owner: Deferred, path: list[str | int]) -> Part:
        part = Part(owner.label, list(path))
        self.parts.append(part)
        return part

    def _fields(
        self, selection_set: SelectionSetNode, deferred: Deferred | None, typename: str | None
    ) -> Iterator[tuple[FieldNode, Deferred | None]]:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                yield selection, deferred
                continue
            condition, inner = self._fragment(selection)
            if not self._applies(condition, typename):
                continue
            yield from self._fields(inner, self._deferral(selection, deferred), typename)

    def _applying(
        self, selections: list[tuple[SelectionSetNode, Deferred | None]], typename: str | None
    ) -> Iterator[Deferred]:
        """Deferred fragments that apply here even when every field they select is already in the initial part
        (each still gets its payload, as the spec asks)."""
        for selection_set, deferred in selections:
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode) or not self._included(selection):
                    continue
                condition, inner = self._fragment(selection)
                if not self._applies(condition, typename):
                    continue
                owner = self._deferral(selection, deferred)
                if owner is not None and owner is not deferred:
                    yield owner
                yield from self._applying([(inner, owner)], typename)  # nested ones apply here too

    def _fragment(self, selection: SelectionNode) -> tuple[str | None, SelectionSetNode]:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            return condition, selection.selection_set
        assert isinstance(selection, FragmentSpreadNode)
        definition = self.fragments[selection.name.value]
        return definition.type_condition.name.value, definition.selection_set

    def _deferral(self, selection: SelectionNode, inherited: Deferred | None) -> Deferred | None:
        """The deferred fragment the selection's fields belong to: its own `@defer`, else the one around it."""
        directive = _directive(selection, "defer")
        if directive is None or not self._argument(directive, "if", True):
            return inherited
        key = id(selection)
        if key not in self._known:
            label = self._argument(directive, "label", None)
            self._known[key] = Deferred(len(self._known) + 1, label if isinstance(label, str) else None)
        return self._known[key]

    def _included(self, selection: SelectionNode) -> bool:
        skip, include = _directive(selection, "skip"), _directive(selection, "include")
        if skip is not None and self._argument(skip, "if", False):
            return False
        return include is None or bool(self._argument(include, "if", True))

    def _argument(self, directive: DirectiveNode, name: str, default: Any) -> Any:
        for argument in directive.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                return self.variables.get(value.name.value, default)
            if isinstance(value, BooleanValueNode | StringValueNode):
                return value.value
        return default

    def _applies(self, condition: str | None, typename: str | None) -> bool:
        if condition is None or typename is None or condition == typename:
            return True
        named = self.schema.get_type(condition)
        runtime = self.schema.get_type(typename)
        if named is None or runtime is None or not is_abstract_type(named):
            return False
        return any(t.name == typename for t in self.schema.get_possible_types(named))


def _check_placement(document: DocumentNode) -> None:
    """graphql-js's `DeferStreamDirectiveOnRootField` and `DeferStreamDirectiveOnValidOperations` rules for `@defer`
    (the API schema does not define the directive, so graphql-core's validation cannot apply them)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        if operation.operation is OperationType.SUBSCRIPTION:
            if any(_must_defer(d) for d in _defers(operation.selection_set, fragments, deep=True, seen=set())):
                message = (
                    "Defer directive not supported on subscription operations. "
                    "Disable `@defer` by setting the `if` argument to `false`."
                )
                raise ValidationFailed(message, (Problem(message),))
        elif operation.operation is OperationType.MUTATION and any(
            True for _ in _defers(operation.selection_set, fragments, deep=False, seen=set())
        ):
            message = "Defer directive cannot be used on root mutation type."
            raise ValidationFailed(message, (Problem(message),))


def _defers(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode], deep: bool, seen: set[str]
) -> Iterator[DirectiveNode]:
    """The `@defer` directives on fragments in ``selection_set`` (spreads followed once each); with ``deep``, also
    below its fields."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if deep and selection.selection_set is not None:
                yield from _defers(selection.selection_set, fragments, deep, seen)
            continue
        directive = _directive(selection, "defer")
        if directive is not None:
            yield directive
        if isinstance(selection, InlineFragmentNode):
            yield from _defers(selection.selection_set, fragments, deep, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            definition = fragments.get(selection.name.value)
            if definition is not None:
                yield from _defers(definition.selection_set, fragments, deep, seen)


def _must_defer(directive: DirectiveNode) -> bool:
    """Whether the directive defers whatever the variables: its `if` is absent or a literal `true` (as graphql-js,
    a variable is let through: it can be false)."""
    argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
    if argument is None:
        return True
    if isinstance(argument.value, BooleanValueNode):
        return argument.value.value
    return not isinstance(argument.value, VariableNode)


def _strip(selection_set: SelectionSetNode) -> SelectionSetNode:
    """The selection set without `@defer`, asking `zj__typename` where a fragment may apply."""
    selections: list[SelectionNode] = []
    fragments = False
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode | FragmentSpreadNode):
            fragments = True
            kept = tuple(d for d in selection.directives or () if d.name.value != "defer")
            selection = replace(selection, directives=kept)
        if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
            selection = replace(selection, selection_set=_strip(selection.selection_set))
        selections.append(selection)
    if fragments:
        selections.append(
            FieldNode(alias=NameNode(value=PROBE), name=NameNode(value="__typename"), arguments=(), directives=())
        )
    return replace(selection_set, selections=tuple(selections))


def _variables_used(document: DocumentNode) -> set[str]:
    """Variables the document's selections and arguments use (not its definitions)."""
    used: set[str] = set()

    class Uses(Visitor):
        def enter_variable_definition(self, *_: Any) -> Any:
            return SKIP

        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            used.add(node.name.value)

    visit(document, Uses())
    return used


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0]
    return next(o for o in operations if o.name is not None and o.name.value == name)


def _directive(selection: SelectionNode, name: str) -> DirectiveNode | None:
    return next((d for d in selection.directives or () if d.name.value == name), None)


def _within(path: Any, part: Part) -> bool:
    if not isinstance(path, list) or len(path) <= len(part.path) or path[: len(part.path)] != part.path:
        return False
    return path[len(part.path)] in part.data
