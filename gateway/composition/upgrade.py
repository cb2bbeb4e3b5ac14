"""The Federation 1 → 2 schema upgrade Apollo applies to subgraphs without a federation `@link` (its
`schemaUpgrader`): drop directives Federation 1 tolerated but Federation 2 rejects, and unused `@external` fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from graphql import FieldNode, GraphQLError, InlineFragmentNode, SelectionSetNode

from gateway.composition.context import Reporter
from gateway.composition.facts import facts_of
from gateway.composition.fieldset import parse_field_set
from gateway.composition.listing import quote
from gateway.composition.subgraph import COMPOSITE, Applied, Field, Kind, Subgraph, TypeDef
from gateway.composition.typeref import named_type


def upgrade_fed1(subgraph: Subgraph, reporter: Reporter) -> Subgraph:
    """The subgraph as Federation 2 sees it; Federation 2 subgraphs come back unchanged."""
    if subgraph.fed2:
        return subgraph
    # Same order as Apollo's upgrader: externals on extension keys go before inactive @requires are judged.
    first = replace(subgraph, types=tuple(_upgrade_type(subgraph, t) for t in subgraph.types), _index={})
    second = replace(first, types=tuple(_fix_type(first, t) for t in first.types), _index={})
    return _remove_unused_externals(second, reporter)


def _fix_type(subgraph: Subgraph, type_def: TypeDef) -> TypeDef:
    if type_def.kind is not Kind.OBJECT:
        return type_def
    return replace(type_def, fields=tuple(_fix_inactive(subgraph, type_def, f) for f in type_def.fields))


def _upgrade_type(subgraph: Subgraph, type_def: TypeDef) -> TypeDef:
    if type_def.kind is Kind.INTERFACE:
        stripped = tuple(_without(f, ("external", "provides", "requires")) for f in type_def.fields)
        return replace(type_def, fields=stripped, directives=_drop(type_def.directives, ("key",)))
    if type_def.kind is not Kind.OBJECT:
        return type_def
    key_fields = _extension_key_fields(type_def)
    fields: list[Field] = []
    for field in type_def.fields:
        if field.name in key_fields:
            field = _without(field, ("external",))
        target = subgraph.type(named_type(field.type))
        if target is None or target.kind not in COMPOSITE:
            field = _without(field, ("provides",))
        fields.append(field)
    return replace(type_def, fields=tuple(fields), directives=_drop(type_def.directives, ("external",)))


def _extension_key_fields(type_def: TypeDef) -> set[str]:
    """Key fields of a type extension: `@external` on them is dropped (they are resolvable here)."""
    if type_def.has_definition and not type_def.has("extends"):
        return set()
    names: set[str] = set()
    for key in type_def.applied("key"):
        try:
            selection = parse_field_set(key.string_arg("fields") or "")
        except GraphQLError:
            continue
        names.update(s.name.value for s in selection.selections if isinstance(s, FieldNode))
    return names


def _fix_inactive(subgraph: Subgraph, parent: TypeDef, field: Field) -> Field:
    """Keep only the external parts of `@requires`/`@provides` field sets; drop the directive if none is left."""
    directives: list[Applied] = []
    for directive in field.directives:
        if directive.name not in ("requires", "provides") or not directive.federation:
            directives.append(directive)
            continue
        start = parent.name if directive.name == "requires" else named_type(field.type)
        try:
            selection = parse_field_set(directive.string_arg("fields") or "")
        except GraphQLError:
            directives.append(directive)
            continue
        kept = _external_only(subgraph, start, selection)
        if kept is None:
            continue
        printed = _print(kept)
        if _print(selection) == printed:
            directives.append(directive)
        else:
            args = tuple((k, v if k != "fields" else quote(printed)) for k, v in directive.args)
            directives.append(replace(directive, args=args))
    return replace(field, directives=tuple(directives))


def _external_only(subgraph: Subgraph, parent: str, selection: SelectionSetNode) -> SelectionSetNode | None:
    type_def = subgraph.type(parent)
    kept: list[FieldNode | InlineFragmentNode] = []
    for node in selection.selections:
        if isinstance(node, InlineFragmentNode):
            target = node.type_condition.name.value if node.type_condition else parent
            inner = _external_only(subgraph, target, node.selection_set)
            if inner is not None:
                kept.append(InlineFragmentNode(type_condition=node.type_condition, directives=(), selection_set=inner))
            continue
        if not isinstance(node, FieldNode):
            continue
        field = type_def.field(node.name.value) if type_def else None
        if field is None:
            kept.append(node)  # invalid selections are reported later, not silently dropped
        elif field.has("external"):
            kept.append(node)
        elif node.selection_set is not None:
            inner = _external_only(subgraph, named_type(field.type), node.selection_set)
            if inner is not None:
                kept.append(
                    FieldNode(
                        name=node.name, alias=node.alias, arguments=node.arguments, directives=(), selection_set=inner
                    )
                )
    return SelectionSetNode(selections=tuple(kept)) if kept else None


def _print(selection: SelectionSetNode) -> str:
    """A field set on one line, the way Apollo prints `@requires`/`@provides` arguments."""
    parts: list[str] = []
    for node in selection.selections:
        if isinstance(node, InlineFragmentNode):
            condition = f" on {node.type_condition.name.value}" if node.type_condition else ""
            parts.append(f"...{condition} {{ {_print(node.selection_set)} }}")
        elif isinstance(node, FieldNode):
            nested = f" {{ {_print(node.selection_set)} }}" if node.selection_set is not None else ""
            parts.append(node.name.value + nested)
    return " ".join(parts)


def _remove_unused_externals(subgraph: Subgraph, reporter: Reporter) -> Subgraph:
    facts = facts_of(subgraph)
    types: list[TypeDef] = []
    referenced = {named_type(f.type) for t in subgraph.types for f in t.fields}
    referenced |= {m for t in subgraph.types for m in t.members} | {root for _, root in subgraph.roots}
    for type_def in subgraph.types:
        if type_def.kind not in (Kind.OBJECT, Kind.INTERFACE):
            types.append(type_def)
            continue
        fields = tuple(
            f
            for f in type_def.fields
            if not (facts.is_external(f"{type_def.name}.{f.name}") and f"{type_def.name}.{f.name}" not in facts.used)
        )
        if type_def.fields and not fields:
            if type_def.name in referenced:
                reporter.error(
                    "TYPE_WITH_ONLY_UNUSED_EXTERNAL",
                    f"[{subgraph.name}] Type {type_def.name} contains only external fields and all those fields are "
                    "all unused (they do not appear in any @key, @provides or @requires).",
                    subgraphs=[subgraph.name],
                    coordinates=[type_def.name],
                )
                types.append(type_def)
            continue
        types.append(replace(type_def, fields=fields))
    return replace(subgraph, types=tuple(types), _index={})


def _without(field: Field, names: Sequence[str]) -> Field:
    return replace(field, directives=_drop(field.directives, names))


def _drop(directives: tuple[Applied, ...], names: Sequence[str]) -> tuple[Applied, ...]:
    return tuple(d for d in directives if not (d.federation and d.name in names))
