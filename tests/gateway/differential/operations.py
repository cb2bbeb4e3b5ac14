"""Random valid operations over an API schema, as a small tree the shrinker can cut down.

Seeded: the same `random.Random` gives the same operations. Covers aliases (including one response
key selected twice), nested inline fragments on the field's own type, on implementations, interfaces
and unions, named fragments (some spread twice), `@skip`/`@include` with literals and variables,
`__typename` anywhere, arguments as literals or variables, queries and mutations.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    is_required_input_field,
    parse,
    validate,
)

ArgumentValues = Callable[[str, str, str], list[Any]]
"""(parent type, field, argument) → values worth trying for a String/ID argument (may be empty)."""


@dataclass(frozen=True)
class Directive:
    """`@skip(if: …)` or `@include(if: …)`; `variable` names a Boolean variable, else `value` is literal."""

    name: str
    value: bool
    variable: str | None = None

    def text(self) -> str:
        condition = f"${self.variable}" if self.variable else ("true" if self.value else "false")
        return f"@{self.name}(if: {condition})"


@dataclass(frozen=True)
class Node:
    """A field (`name` set), an inline fragment (`name` empty) or a spread (`spread` set)."""

    name: str = ""
    alias: str | None = None
    arguments: tuple[tuple[str, str], ...] = ()
    """(argument, GraphQL literal or `$variable`)."""
    condition: str | None = None
    spread: str | None = None
    directives: tuple[Directive, ...] = ()
    children: tuple[Node, ...] = ()

    def text(self) -> str:
        directives = "".join(" " + d.text() for d in self.directives)
        if self.spread:
            return f"...{self.spread}{directives}"
        body = " { " + " ".join(c.text() for c in self.children) + " }" if self.children else ""
        if not self.name:
            condition = f" on {self.condition}" if self.condition else ""
            return f"...{condition}{directives}{body}"
        alias = f"{self.alias}: " if self.alias else ""
        args = "(" + ", ".join(f"{k}: {v}" for k, v in self.arguments) + ")" if self.arguments else ""
        return f"{alias}{self.name}{args}{directives}{body}"


@dataclass(frozen=True)
class Operation:
    """An operation with its fragments and variables (declared type, value)."""

    kind: str
    children: tuple[Node, ...]
    fragments: tuple[tuple[str, str, tuple[Node, ...]], ...] = ()
    """(name, type condition, selections)."""
    variables: tuple[tuple[str, str, Any], ...] = ()
    """(name, declared type, value)."""

    def text(self) -> str:
        """The document: used fragments and variables only."""
        used_fragments = self.used_fragments()
        used_variables = self.used_variables(used_fragments)
        declared = [f"${n}: {t}" for n, t, _ in self.variables if n in used_variables]
        header = self.kind + (f"({', '.join(declared)})" if declared else "")
        parts = [f"{header} {{ " + " ".join(c.text() for c in self.children) + " }"]
        for name, condition, children in self.fragments:
            if name in used_fragments:
                parts.append(f"fragment {name} on {condition} {{ " + " ".join(c.text() for c in children) + " }")
        return "\n".join(parts)

    def variable_values(self) -> dict[str, Any]:
        """Values of the variables the document uses."""
        used = self.used_variables(self.used_fragments())
        return {n: v for n, _, v in self.variables if n in used}

    def used_fragments(self) -> set[str]:
        """Fragments reachable from the operation's selections."""
        by_name = {name: children for name, _, children in self.fragments}
        seen: set[str] = set()
        pending = list(self.children)
        while pending:
            node = pending.pop()
            if node.spread and node.spread not in seen:
                seen.add(node.spread)
                pending.extend(by_name.get(node.spread, ()))
            pending.extend(node.children)
        return seen

    def used_variables(self, fragments: set[str]) -> set[str]:
        """Variables referenced by the operation and the given fragments."""
        names: set[str] = set()
        pending = list(self.children) + [c for n, _, cs in self.fragments if n in fragments for c in cs]
        while pending:
            node = pending.pop()
            names.update(v[1:] for _, v in node.arguments if v.startswith("$"))
            names.update(d.variable for d in node.directives if d.variable)
            pending.extend(node.children)
        return names


@dataclass
class OperationGenerator:
    """Builds random valid operations for `schema`; `argument_values` supplies lookups that hit."""

    schema: GraphQLSchema
    rng: random.Random
    argument_values: ArgumentValues
    max_depth: int = 4
    mutations: bool = True
    max_nodes: int = 40
    """Selections per operation, roughly (keeps responses and validation cheap)."""
    _nodes: int = 0
    _fragments: list[tuple[str, str, tuple[Node, ...]]] = field(default_factory=list)
    _variables: list[tuple[str, str, Any]] = field(default_factory=list)

    def operation(self, attempts: int = 40) -> Operation:
        """A valid operation (validated against the schema; invalid drafts are drawn again)."""
        for _ in range(attempts):
            draft = self._draft()
            if not validate(self.schema, parse(draft.text())):
                return draft
        raise RuntimeError("could not draw a valid operation")

    def _draft(self) -> Operation:
        self._fragments = []
        self._variables = []
        self._nodes = 0
        kind = "query"
        root = self.schema.query_type
        mutation = self.schema.mutation_type
        if self.mutations and mutation is not None and self.rng.random() < 0.15:
            kind, root = "mutation", mutation
        assert root is not None
        children = tuple(self._fields(root, 0, root=True))
        return Operation(kind, children, tuple(self._fragments), tuple(self._variables))

    # -- selections -------------------------------------------------------------------------------

    def _selection_set(self, named: GraphQLNamedType, depth: int, nesting: int = 0) -> tuple[Node, ...]:
        """A non-empty selection set for an object, interface or union (`nesting`: fragments around it)."""
        parts: list[Node] = []
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            parts.extend(self._fields(named, depth))
        if self.rng.random() < 0.25 or (not parts and isinstance(named, GraphQLUnionType)):
            parts.append(Node("__typename", alias=self._maybe_alias("__typename", 0.15)))
        if nesting < 2:
            for _ in range(self.rng.choice((0, 0, 1, 1, 2, 3))):
                if self._nodes >= self.max_nodes:
                    break
                fragment = self._fragment(named, depth, nesting)
                if fragment is not None:
                    parts.append(fragment)
        if not parts:
            parts.append(Node("__typename"))
        self.rng.shuffle(parts)
        return tuple(parts)

    def _fields(self, owner: GraphQLObjectType | GraphQLInterfaceType, depth: int, root: bool = False) -> list[Node]:
        names = list(owner.fields)
        self.rng.shuffle(names)
        count = self.rng.randint(1, min(len(names), 3 if root else 4))
        out: list[Node] = []
        for name in names[:count]:
            if out and self._nodes >= self.max_nodes:
                break
            self._nodes += 1
            node = self._field(owner, name, depth)
            if node is not None:
                out.append(node)
                if self.rng.random() < 0.12:  # the same field again: merged, or under a second alias
                    again = self._field(owner, name, depth)
                    if again is not None:
                        out.append(again if self.rng.random() < 0.5 else replace(again, alias=node.alias))
        return out

    def _field(self, owner: GraphQLObjectType | GraphQLInterfaceType, name: str, depth: int) -> Node | None:
        definition = owner.fields[name]
        arguments: list[tuple[str, str]] = []
        for arg_name, arg in definition.args.items():
            required = is_required_argument(arg)
            if not required and self.rng.random() < 0.6:
                continue
            value = self._argument_value(owner.name, name, arg_name, arg.type)
            if value is None:
                return None
            arguments.append((arg_name, value))
        inner = get_named_type(definition.type)
        children: tuple[Node, ...] = ()
        if not is_leaf_type(inner):
            if depth >= self.max_depth:
                return None
            children = self._selection_set(inner, depth + 1)
        return Node(
            name,
            alias=self._maybe_alias(name, 0.2),
            arguments=tuple(arguments),
            directives=self._directives(),
            children=children,
        )

    def _maybe_alias(self, name: str, chance: float) -> str | None:
        return f"{name.strip('_')}{self.rng.randint(1, 2)}" if self.rng.random() < chance else None

    def _directives(self) -> tuple[Directive, ...]:
        if self.rng.random() > 0.1:
            return ()
        name = self.rng.choice(("skip", "include"))
        value = self.rng.random() < 0.5
        variable = None
        if self.rng.random() < 0.5:
            variable = f"c{len(self._variables)}"
            self._variables.append((variable, "Boolean!", value))
        return (Directive(name, value, variable),)

    def _fragment(self, named: GraphQLNamedType, depth: int, nesting: int) -> Node | None:
        conditions = self._conditions(named)
        if not conditions:
            return None
        condition_type = self.rng.choice(conditions)
        condition: str | None = condition_type.name
        if condition_type is named and self.rng.random() < 0.3:
            condition = None
        reuse = [f for f in self._fragments if f[1] in {c.name for c in conditions}]
        if reuse and self.rng.random() < 0.3:
            return Node(spread=self.rng.choice(reuse)[0], directives=self._directives())
        self._nodes += 1
        children = self._selection_set(condition_type, depth, nesting + 1)
        if condition is not None and self.rng.random() < 0.3:
            name = f"F{len(self._fragments)}"
            self._fragments.append((name, condition, children))
            return Node(spread=name, directives=self._directives())
        return Node(condition=condition, directives=self._directives(), children=children)

    def _conditions(self, named: GraphQLNamedType) -> list[GraphQLNamedType]:
        """Types a fragment inside a selection on `named` may be conditioned on (spec §5.5.2.3)."""
        own = self._possible(named)
        result: list[GraphQLNamedType] = []
        for candidate in self.schema.type_map.values():
            if candidate.name.startswith("__") or not isinstance(
                candidate, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
            ):
                continue
            if own & self._possible(candidate):
                result.append(candidate)
        result.sort(key=lambda t: (t is not named, t.name))
        return result

    def _possible(self, named: GraphQLNamedType) -> set[str]:
        if isinstance(named, GraphQLObjectType):
            return {named.name}
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return {t.name for t in self.schema.get_possible_types(named)}
        return set()

    # -- argument values --------------------------------------------------------------------------

    def _argument_value(self, owner: str, field_name: str, arg_name: str, ref: GraphQLInputType) -> str | None:
        value = self._input_value(owner, field_name, arg_name, ref, 0)
        if value is _NO_VALUE:
            return None
        if self.rng.random() < 0.3:
            variable = f"v{len(self._variables)}"
            self._variables.append((variable, str(ref), value))
            return f"${variable}"
        return _literal(value, ref)

    def _input_value(self, owner: str, field_name: str, arg_name: str, ref: GraphQLInputType, depth: int) -> Any:
        if isinstance(ref, GraphQLNonNull):
            return self._input_value(owner, field_name, arg_name, ref.of_type, depth)
        if isinstance(ref, GraphQLList):
            item = self._input_value(owner, field_name, arg_name, ref.of_type, depth + 1)
            return _NO_VALUE if item is _NO_VALUE else [item]
        if isinstance(ref, GraphQLEnumType):
            return self.rng.choice(list(ref.values))
        if isinstance(ref, GraphQLInputObjectType):
            if depth > 3:
                return _NO_VALUE
            out: dict[str, Any] = {}
            for name, input_field in ref.fields.items():
                required = is_required_input_field(input_field)
                if required or self.rng.random() < 0.3:
                    value = self._input_value(ref.name, name, name, input_field.type, depth + 1)
                    if value is _NO_VALUE:
                        return _NO_VALUE
                    out[name] = value
            return out
        assert isinstance(ref, GraphQLScalarType)
        if ref.name == "Int":
            return self.rng.randint(0, 3)
        if ref.name == "Float":
            return self.rng.randint(0, 3) + 0.5
        if ref.name == "Boolean":
            return self.rng.random() < 0.5
        hints = self.argument_values(owner, field_name, arg_name)
        if hints and self.rng.random() < 0.85:
            return str(self.rng.choice(hints))
        return f"x{self.rng.randint(0, 9)}"


class _NoValue:
    pass


_NO_VALUE: Any = _NoValue()


def _literal(value: Any, ref: GraphQLInputType) -> str:
    """A GraphQL literal for a JSON-ish value of input type `ref`."""
    if isinstance(ref, GraphQLNonNull):
        return _literal(value, ref.of_type)
    if value is None:
        return "null"
    if isinstance(ref, GraphQLList):
        return "[" + ", ".join(_literal(v, ref.of_type) for v in value) + "]"
    if isinstance(ref, GraphQLEnumType):
        return str(value)
    if isinstance(ref, GraphQLInputObjectType):
        return "{" + ", ".join(f"{k}: {_literal(v, ref.fields[k].type)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)
