"""Static cost of an operation from `@cost` / `@listSize` (https://specs.apollo.dev/cost/v0.1), decided before
planning: an object costs 1, a scalar or enum 0, a mutation root field 10, unless `@cost(weight:)` says otherwise;
a list multiplies what it holds by its size — `@listSize(slicingArguments:)` or a literal `first`/`last`, else
`@listSize(assumedSize:)`, else the default list size. `first`/`last` on a connection sizes its list fields
(`edges`, `nodes`), like `@listSize(sizedFields:)`. Variables are unknown when a document is cached: a list sized by
a variable counts as the default size (subgraphs cap their pages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from graphql import (
    ArgumentNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    IntValueNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    get_named_type,
    is_composite_type,
)

from gateway.supergraph import Supergraph

MUTATION_WEIGHT = 10
_PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True, slots=True)
class ListSize:
    """A field's `@listSize`."""

    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] = ()
    sized_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CostModel:
    """Weights and list sizes of the supergraph's fields, keyed by (type, field)."""

    default_list_size: int = 10
    weights: Mapping[tuple[str, str], int] = field(default_factory=lambda: MappingProxyType({}))
    type_weights: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """`@cost` on an object type: what each object of it costs (instead of 1)."""
    list_sizes: Mapping[tuple[str, str], ListSize] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, supergraph: Supergraph, default_list_size: int = 10) -> CostModel:
        """Read `@cost` and `@listSize` from the supergraph's field definitions."""
        weights: dict[tuple[str, str], int] = {}
        type_weights: dict[str, int] = {}
        sizes: dict[tuple[str, str], ListSize] = {}
        kinds = (ObjectTypeDefinitionNode, ObjectTypeExtensionNode, InterfaceTypeDefinitionNode,
                 InterfaceTypeExtensionNode)  # fmt: skip
        for definition in supergraph.document.definitions:
            if not isinstance(definition, kinds):
                continue
            for directive in definition.directives or ():
                weight = _int(_argument(directive, "weight")) if directive.name.value == "cost" else None
                if weight is not None:
                    type_weights[definition.name.value] = weight
            for field_node in definition.fields or ():
                key = (definition.name.value, field_node.name.value)
                for directive in field_node.directives or ():
                    if directive.name.value == "cost":
                        weight = _int(_argument(directive, "weight"))
                        if weight is not None:
                            weights[key] = weight
                    elif directive.name.value == "listSize":
                        sizes[key] = ListSize(
                            _int(_argument(directive, "assumedSize")),
                            _strings(_argument(directive, "slicingArguments")),
                            _strings(_argument(directive, "sizedFields")),
                        )
        return cls(
            default_list_size, MappingProxyType(weights), MappingProxyType(type_weights), MappingProxyType(sizes)
        )

    def operation_cost(
        self, schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
    ) -> int:
        """The operation's cost, every fragment counted where it is spread (each fragment costed once)."""
        root = schema.get_root_type(operation.operation)
        if root is None:
            return 0
        walk = _Walk(self, schema, fragments, operation.operation is OperationType.MUTATION)
        return walk.selection_set(root, operation.selection_set, {}, root=True)


class _Walk:
    def __init__(
        self, model: CostModel, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode], mutation: bool
    ) -> None:
        self.model = model
        self.schema = schema
        self.fragments = fragments
        self.mutation = mutation
        self.memo: dict[str, int] = {}

    def selection_set(
        self, parent: GraphQLCompositeType, node: SelectionSetNode, sized: Mapping[str, int], root: bool = False
    ) -> int:
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, sized, root)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                if is_composite_type(inner):
                    total += self.selection_set(inner, selection.selection_set, sized, root)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value, sized, root)
        return total

    def spread(self, name: str, sized: Mapping[str, int], root: bool) -> int:
        if sized or root:  # sizes from the enclosing field change the result: not memoized
            return self._fragment(name, sized, root)
        cost = self.memo.get(name)
        if cost is None:
            self.memo[name] = 0  # a cycle (refused by validation anyway) counts once
            cost = self.memo[name] = self._fragment(name, sized, root)
        return cost

    def _fragment(self, name: str, sized: Mapping[str, int], root: bool) -> int:
        fragment = self.fragments.get(name)
        inner = self.schema.get_type(fragment.type_condition.name.value) if fragment else None
        if fragment is None or not is_composite_type(inner):
            return 0
        return self.selection_set(inner, fragment.selection_set, sized, root)

    def field(self, parent: GraphQLCompositeType, node: FieldNode, sized: Mapping[str, int], root: bool) -> int:
        name = node.name.value
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) or name.startswith("__"):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        key = (parent.name, name)
        named = get_named_type(definition.type)
        composite = is_composite_type(named)
        default = (
            (MUTATION_WEIGHT if root and self.mutation else self.model.type_weights.get(named.name, 1))
            if composite
            else 0
        )
        weight = self.model.weights.get(key, default)
        list_size = self.model.list_sizes.get(key)
        page = _page(node, list_size)
        inner_sized: dict[str, int] = {}
        size = 1
        if _is_list(definition.type):
            size = page or sized.get(name) or (list_size and list_size.assumed_size) or self.model.default_list_size
        elif list_size and list_size.sized_fields:
            inner_sized = dict.fromkeys(list_size.sized_fields, page or list_size.assumed_size or 0)
        elif page and composite:
            inner_sized = {"edges": page, "nodes": page}
        inner = 0
        if composite and node.selection_set is not None:
            inner = self.selection_set(named, node.selection_set, inner_sized)
        return size * (weight + inner)


def _page(node: FieldNode, list_size: ListSize | None) -> int | None:
    """The literal page size the field is asked for (slicing argument, else `first`/`last`); None if unknown."""
    names = list_size.slicing_arguments if list_size and list_size.slicing_arguments else _PAGE_ARGUMENTS
    sizes = [_int(a) for a in node.arguments or () if a.name.value in names]
    known = [s for s in sizes if s is not None]
    return max(known) if known else None


def _is_list(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(inner, GraphQLList)


def _argument(directive: DirectiveNode, name: str) -> ArgumentNode | None:
    return next((a for a in directive.arguments or () if a.name.value == name), None)


def _int(argument: ArgumentNode | None) -> int | None:
    if argument is None or not isinstance(argument.value, IntValueNode):
        return None
    digits = argument.value.value
    return int(digits) if len(digits) <= 9 else 10**9  # a huge literal is refused by the budget, not by int()


def _strings(argument: ArgumentNode | None) -> tuple[str, ...]:
    if argument is None:
        return ()
    value = argument.value
    values = value.values if isinstance(value, ListValueNode) else (value,)
    return tuple(v.value for v in values if isinstance(v, StringValueNode))
