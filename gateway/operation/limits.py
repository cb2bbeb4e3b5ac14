"""Limits that refuse a hostile document before validation or planning spends anything on it.

Everything here is measured in one pass over the syntax tree, fragments counted as if expanded but never
expanded: a 1 KB fragment bomb whose expansion has millions of fields is measured in microseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    print_ast,
)

from gateway.operation.errors import LimitExceeded
from gateway.settings import DocumentLimits

__all__ = ["DocumentLimits", "check_shape", "check_text", "merge_duplicates"]


@dataclass(frozen=True, slots=True)
class _Totals:
    fields: int
    aliases: int
    depth: int
    roots: int
    """Fields at depth 1 of this definition."""


@dataclass(frozen=True, slots=True)
class _Local:
    totals: _Totals
    spreads: tuple[tuple[str, int], ...]
    """(fragment, depth above the spread) for every spread, so its fields land at `depth + 1`."""


_NONE = _Totals(0, 0, 0, 0)


def check_text(text: str, limits: DocumentLimits) -> None:
    """Refuse a document whose text is over `max_bytes` (before the lexer sees it)."""
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise LimitExceeded(
            "DOCUMENT_TOO_LARGE", f"The document is {size} bytes; at most {limits.max_bytes} are accepted."
        )


def check_shape(document: DocumentNode, limits: DocumentLimits) -> None:
    """Refuse a parsed document over the fragment, directive, depth, alias, root-field or field limits."""
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    if len(fragments) > limits.max_fragments:
        raise LimitExceeded(
            "FRAGMENT_LIMIT_EXCEEDED",
            f"The document defines {len(fragments)} fragments; at most {limits.max_fragments} are accepted.",
        )
    locals_ = {f.name.value: _local(f, limits) for f in fragments}
    totals = _expand(locals_, limits)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            _check(_combine(_local(definition, limits), totals, limits), limits)


def _directives(node: ExecutableDefinitionNode | SelectionNode, cap: int) -> None:
    count = len(node.directives or ())
    if count > cap:
        raise LimitExceeded(
            "DIRECTIVE_LIMIT_EXCEEDED", f"A selection carries {count} directives; at most {cap} are accepted."
        )


def _local(definition: ExecutableDefinitionNode, limits: DocumentLimits) -> _Local:
    """Counts of one definition's own selections (iterative: nesting cannot exhaust the Python stack)."""
    _directives(definition, limits.max_directives)
    fields = aliases = depth = roots = 0
    spreads: list[tuple[str, int]] = []
    stack: list[tuple[SelectionSetNode, int]] = [(definition.selection_set, 1)]
    while stack:
        selection_set, level = stack.pop()
        for selection in selection_set.selections:
            _directives(selection, limits.max_directives)
            if isinstance(selection, FieldNode):
                fields += 1
                aliases += selection.alias is not None
                roots += level == 1
                if level > depth:
                    depth = level
                    if depth > limits.max_depth:
                        _check(_Totals(fields, aliases, depth, roots), limits)
                if selection.selection_set is not None:
                    stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level))
            elif isinstance(selection, FragmentSpreadNode):
                spreads.append((selection.name.value, level - 1))
    return _Local(_Totals(fields, aliases, depth, roots), tuple(spreads))


def _combine(local: _Local, totals: dict[str, _Totals], limits: DocumentLimits) -> _Totals:
    """A definition's counts with every spread counted as its fragment's expanded counts (saturating)."""
    cap = max(limits.max_fields, limits.max_aliases, limits.max_root_fields) + 1
    own = local.totals
    fields, aliases, depth, roots = own.fields, own.aliases, own.depth, own.roots
    for name, above in local.spreads:
        spread = totals.get(name, _NONE)  # unknown or cyclic spreads are left to validation
        fields = min(cap, fields + spread.fields)
        aliases = min(cap, aliases + spread.aliases)
        if spread.depth:
            depth = max(depth, above + spread.depth)
        if above == 0:
            roots = min(cap, roots + spread.roots)
    return _Totals(fields, aliases, depth, roots)


def _expand(locals_: dict[str, _Local], limits: DocumentLimits) -> dict[str, _Totals]:
    """Every fragment's expanded counts, depth-first over spreads without recursion."""
    totals: dict[str, _Totals] = {}
    for start in locals_:
        if start in totals:
            continue
        path = {start}
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(start, iter(locals_[start].spreads))]
        while stack:
            name, pending = stack[-1]
            for child, _ in pending:
                if child in totals or child in path or child not in locals_:
                    continue
                path.add(child)
                stack.append((child, iter(locals_[child].spreads)))
                break
            else:
                totals[name] = _combine(locals_[name], totals, limits)
                path.discard(name)
                stack.pop()
    return totals


def _check(totals: _Totals, limits: DocumentLimits) -> None:
    if totals.depth > limits.max_depth:
        raise LimitExceeded(
            "DEPTH_LIMIT_EXCEEDED", f"The operation nests fields deeper than {limits.max_depth} levels."
        )
    if totals.aliases > limits.max_aliases:
        raise LimitExceeded("ALIAS_LIMIT_EXCEEDED", f"The operation uses more than {limits.max_aliases} aliases.")
    if totals.roots > limits.max_root_fields:
        raise LimitExceeded(
            "ROOT_FIELD_LIMIT_EXCEEDED", f"The operation selects more than {limits.max_root_fields} root fields."
        )
    if totals.fields > limits.max_fields:
        raise LimitExceeded(
            "FIELD_LIMIT_EXCEEDED",
            f"The operation selects more than {limits.max_fields} fields once its fragments are expanded.",
        )


def merge_duplicates(document: DocumentNode) -> DocumentNode:
    """`document` with identical sibling selections kept once (GraphQL §5.3.2 merges them anyway).

    graphql-core's field-merging rule compares same-named siblings pairwise: 500 copies of `permits { id }` cost
    seconds. Call after `check_shape`, which bounds the depth this recursion reaches.
    """
    definitions = []
    changed = False
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            selection_set, _ = _merged(definition.selection_set)
            if selection_set is not definition.selection_set:
                definition = replace(definition, selection_set=selection_set)
                changed = True
        definitions.append(definition)
    if not changed:
        return document
    return DocumentNode(definitions=tuple(definitions))


def _merged(node: SelectionSetNode) -> tuple[SelectionSetNode, str]:
    """The selection set without repeated siblings, and a text key equal for equal selection sets."""
    seen: dict[str, None] = {}
    kept: list[SelectionNode] = []
    changed = False
    for selection in node.selections:
        inner_key = ""
        if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
            merged, inner_key = _merged(selection.selection_set)
            if merged is not selection.selection_set:
                selection = replace(selection, selection_set=merged)
                changed = True
        key = _key(selection, inner_key)
        if key in seen:
            changed = True
            continue
        seen[key] = None
        kept.append(selection)
    result = SelectionSetNode(selections=tuple(kept)) if changed else node
    return result, "{" + ",".join(seen) + "}"


def _key(selection: SelectionNode, inner_key: str) -> str:
    directives = " ".join(print_ast(d) for d in selection.directives or ())
    if isinstance(selection, FieldNode):
        alias = selection.alias.value + ":" if selection.alias else ""
        arguments = ",".join(print_ast(a) for a in selection.arguments or ())
        return f"{alias}{selection.name.value}({arguments}){directives}{inner_key}"
    if isinstance(selection, InlineFragmentNode):
        condition = selection.type_condition.name.value if selection.type_condition else ""
        return f"...on {condition}{directives}{inner_key}"
    assert isinstance(selection, FragmentSpreadNode)
    return f"...{selection.name.value}{directives}"
