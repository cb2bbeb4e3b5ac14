"""Access control directives (`@authenticated`, `@requiresScopes`, `@policy`) across types: requirements flow up
from implementations to their interfaces and down from `@interfaceObject` fields to implementations, and
differing `scopes`/`policies` combine by DNF conjunction (Apollo's `DNF_CONJUNCTION` strategy)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from graphql import ListValueNode, StringValueNode, parse_value, print_ast
from graphql.language import ValueNode

from gateway.composition.context import Context
from gateway.composition.subgraph import Applied, Kind

ACCESS_CONTROL = ("authenticated", "requiresScopes", "policy")
Extra = Mapping[str, tuple[Applied, ...]]


def propagated_access(ctx: Context, implements: Mapping[str, set[str]], kinds: Mapping[str, Kind]) -> Extra:
    """Access control applications each type or field (`T`, `T.f`) inherits from related types."""
    implementations: dict[str, set[str]] = {}
    for type_name, interfaces in implements.items():
        if kinds.get(type_name) is Kind.OBJECT:
            for interface in interfaces:
                implementations.setdefault(interface, set()).add(type_name)
    extra: dict[str, list[Applied]] = {}
    for index, subgraph in enumerate(ctx.subgraphs):
        for type_def in subgraph.types:
            if type_def.kind is not Kind.OBJECT:
                continue
            access = [d for d in type_def.directives if d.federation and d.name in ACCESS_CONTROL]
            interface_object = type_def.has("interfaceObject")
            if not interface_object:
                for interface in implements.get(type_def.name, ()):
                    extra.setdefault(interface, []).extend(access)
            for field in type_def.fields:
                field_access = [d for d in field.directives if d.federation and d.name in ACCESS_CONTROL]
                if not field_access or ctx.facts[index].is_external(f"{type_def.name}.{field.name}"):
                    continue
                if interface_object:
                    others: set[str] = set()
                    for impl in sorted(implementations.get(type_def.name, ())):
                        extra.setdefault(f"{impl}.{field.name}", []).extend(field_access)
                        others |= implements.get(impl, set()) - {type_def.name}
                    for interface in others:
                        extra.setdefault(f"{interface}.{field.name}", []).extend(field_access)
                else:
                    for interface in implements.get(type_def.name, ()):
                        extra.setdefault(f"{interface}.{field.name}", []).extend(field_access)
    return {key: tuple(value) for key, value in extra.items()}


def merge_access(name: str, applications: Sequence[Applied]) -> str:
    """One printed application from several: identical ones collapse, differing requirements are ANDed."""
    printed = [a.print() for a in applications]
    if len(set(printed)) == 1 or name == "authenticated":
        return printed[0]
    argument = "scopes" if name == "requiresScopes" else "policies"
    values = [_dnf(a.arg(argument)) for a in applications]
    merged = dnf_conjunction([v for i, v in enumerate(values) if v not in values[:i]])
    return f"@{name}({argument}: {print_ast(_to_node(merged))})"


def dnf_conjunction(values: Sequence[Sequence[Sequence[str]]]) -> list[list[str]]:
    """AND of requirements in disjunctive normal form, simplified (duplicates and subsumed terms dropped)."""
    if not values:
        return []
    normalised: list[list[list[str]]] = []
    for value in values:
        terms = sorted((sorted(term) for term in (value or [[]])), key=json.dumps)
        if terms not in normalised:
            normalised.append(terms)
    result = normalised[0]
    for current in normalised[1:]:
        combined: list[list[str]] = []
        for left in result:
            for right in current:
                candidate = sorted([*left, *(e for e in right if e not in left)])
                if candidate not in combined:
                    combined.append(candidate)
        result = _drop_subsumed(combined)
    return result


def _drop_subsumed(terms: list[list[str]]) -> list[list[str]]:
    kept: list[list[str]] = []
    for candidate in sorted(terms, key=len):
        if not any(set(existing) <= set(candidate) for existing in kept):
            kept.append(candidate)
    return kept


def _dnf(literal: str | None) -> list[list[str]]:
    if literal is None:
        return []
    node = parse_value(literal)
    if not isinstance(node, ListValueNode):
        return []
    return [
        [v.value for v in inner.values if isinstance(v, StringValueNode)]
        for inner in node.values
        if isinstance(inner, ListValueNode)
    ]


def _to_node(value: list[list[str]]) -> ValueNode:
    return ListValueNode(
        values=tuple(ListValueNode(values=tuple(StringValueNode(value=s) for s in inner)) for inner in value)
    )
