"""`compose`: Federation subgraph SDLs in, a `join/v0.3`-`v0.5` supergraph SDL out (no Node at runtime)."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError, build_schema

from gateway.composition.access_control import propagated_access
from gateway.composition.applied import merge_applications
from gateway.composition.context import Context, Reporter
from gateway.composition.description import merge_description
from gateway.composition.directive_defs import merge_executable_directives
from gateway.composition.errors import CompositionError
from gateway.composition.graphql_rules import BUILTIN_SCALARS, validate_graphql
from gateway.composition.inaccessible import validate_inaccessible
from gateway.composition.listing import human_list, mismatch, quote
from gateway.composition.merged import MergedField, MergedType, Supergraph
from gateway.composition.nullability import HINT as NON_NULL_HINT
from gateway.composition.nullability import non_null_cross_subgraph_fields
from gateway.composition.printer import print_directive_def, print_supergraph
from gateway.composition.result import CompositionResult, SubgraphSource
from gateway.composition.satisfiability import validate_satisfiability
from gateway.composition.specs import (
    FEATURES,
    LINK_PURPOSE,
    LINK_URL,
    Feature,
    feature_definitions,
    feature_links,
    join_directives,
    join_types,
    join_url,
)
from gateway.composition.subgraph import DEFAULT_ROOTS, Kind, Subgraph, TypeDef, parse_subgraph
from gateway.composition.types import (
    merge_composite,
    merge_enum,
    merge_input,
    merge_scalar,
    merge_union,
    merged_interfaces,
)
from gateway.composition.upgrade import upgrade_fed1
from gateway.composition.validate import validate_subgraph


def compose(subgraphs: Sequence[SubgraphSource]) -> CompositionResult:
    """Compose subgraphs into a supergraph; errors come back in the result, never as exceptions."""
    reporter = Reporter()
    parsed: list[Subgraph] = []
    seen: set[str] = set()
    for source in sorted(subgraphs, key=lambda s: s.name):  # errors come out in the same order for any input order
        if source.name in seen:
            reporter.error(
                "INVALID_SUBGRAPH_NAME", f'A subgraph named "{source.name}" already exists', subgraphs=[source.name]
            )
            continue
        seen.add(source.name)
        try:
            subgraph = parse_subgraph(source.name, source.url, source.sdl)
        except CompositionError as error:
            reporter.errors.append(error)
            continue
        validate_graphql(subgraph, reporter)  # on the SDL as written, before any Federation 1 upgrade
        try:
            parsed.append(upgrade_fed1(subgraph, reporter))
        except CompositionError as error:
            reporter.errors.append(error)
    if not parsed and not reporter.errors:
        reporter.error("NO_QUERIES", "No subgraphs to compose: a supergraph must have a query root type.")
    if reporter.errors:
        return CompositionResult(None, tuple(reporter.errors), tuple(reporter.hints))
    ctx = Context.of(parsed, reporter)
    for subgraph, facts in zip(ctx.subgraphs, ctx.facts, strict=True):
        validate_subgraph(subgraph, facts, reporter)
    if reporter.errors:
        return CompositionResult(None, tuple(reporter.errors), tuple(reporter.hints))
    supergraph = _merge(ctx)
    if reporter.errors or supergraph is None:
        return CompositionResult(None, tuple(reporter.errors), tuple(reporter.hints))
    for subgraph_name, coordinate, why in non_null_cross_subgraph_fields(ctx.subgraphs):
        reporter.hint(
            NON_NULL_HINT,
            f'Field "{coordinate}" of subgraph "{subgraph_name}" is non-null but another subgraph supplies its value '
            f"({why}): when that fails, the null spreads to its parent; make it nullable for partial results",
        )
    sdl = print_supergraph(supergraph)
    try:
        build_schema(sdl)
    except (GraphQLError, TypeError) as error:
        reporter.error("INVALID_GRAPHQL", f"The merged supergraph is not a valid schema: {error}")
        return CompositionResult(None, tuple(reporter.errors), tuple(reporter.hints))
    return CompositionResult(sdl, (), tuple(reporter.hints))


def _kinds(ctx: Context) -> dict[str, Kind]:
    kinds: dict[str, Kind] = {}
    reported: set[str] = set()
    for subgraph in ctx.subgraphs:
        for type_def in subgraph.types:
            kind = Kind.INTERFACE if type_def.kind is Kind.OBJECT and type_def.has("interfaceObject") else type_def.kind
            previous = kinds.setdefault(type_def.name, kind)
            if previous is not kind and type_def.name not in reported:
                reported.add(type_def.name)
                listing = mismatch(
                    _kind_name(previous, False),
                    (
                        (ctx.name(i), _kind_name(t.kind, t.has("interfaceObject")))
                        for i, t in ctx.sources(type_def.name)
                    ),
                )
                ctx.reporter.error(
                    "TYPE_KIND_MISMATCH",
                    f'Type "{type_def.name}" has mismatched kind: it is defined as {listing}',
                    subgraphs=[ctx.name(i) for i, _ in ctx.sources(type_def.name)],
                    coordinates=[type_def.name],
                )
    for name, kind in kinds.items():
        sources = list(ctx.sources(name))
        if kind is Kind.INTERFACE and all(t.kind is Kind.OBJECT for _, t in sources):
            ctx.reporter.error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'Type "{name}" is declared with @interfaceObject in all the subgraphs in which it is defined (it is '
                f"defined in {human_list((ctx.name(i) for i, _ in sources), 'subgraph')} but should be defined as an "
                "interface in at least one subgraph)",
                subgraphs=[ctx.name(i) for i, _ in sources],
                coordinates=[name],
            )
    return kinds


def _kind_name(kind: Kind, interface_object: bool) -> str:
    if interface_object:
        return "Interface Object Type (Object Type with @interfaceObject)"
    return kind.name.replace("_", " ").title() + " Type"


def _merge(ctx: Context) -> Supergraph | None:
    kinds = _kinds(ctx)
    if ctx.reporter.errors:
        return None
    implements = {
        n: set(merged_interfaces(list(ctx.sources(n)))) for n, k in kinds.items() if k in (Kind.OBJECT, Kind.INTERFACE)
    }
    members = {n: {m for _, t in ctx.sources(n) for m in t.members} for n, k in kinds.items() if k is Kind.UNION}

    def subtype(base: str, candidate: str) -> bool:
        return candidate in members.get(base, ()) or base in implements.get(candidate, ())

    _check_interfaces(ctx, kinds, implements)
    composed = _composed_directives(ctx)
    inherited = propagated_access(ctx, implements, kinds)
    merged: dict[str, MergedType] = {}
    # Apollo's merge order (it decides which error and which enum usage example comes first).
    order = (Kind.UNION, Kind.SCALAR, Kind.INPUT_OBJECT, Kind.INTERFACE, Kind.OBJECT)
    for name, kind in sorted(kinds.items(), key=lambda item: order.index(item[1]) if item[1] in order else 9):
        if kind is Kind.ENUM or (kind is Kind.SCALAR and name in BUILTIN_SCALARS):
            continue
        sources = list(ctx.sources(name))
        if kind in (Kind.OBJECT, Kind.INTERFACE):
            _check_extension_base(ctx, name, sources)
            merged[name] = merge_composite(ctx, kind, name, sources, subtype, composed, inherited)
        elif kind is Kind.UNION:
            merged[name] = merge_union(ctx, name, sources, composed)
        elif kind is Kind.INPUT_OBJECT:
            merged[name] = merge_input(ctx, name, sources, subtype, composed)
        elif kind is Kind.SCALAR:
            merged[name] = merge_scalar(ctx, name, sources, composed)
    for name, kind in kinds.items():
        if kind is Kind.ENUM:
            merged[name] = merge_enum(ctx, name, list(ctx.sources(name)), composed)
    _add_interface_object_fields(ctx, merged)
    _check_interface_implementations(ctx, merged)
    if not ctx.reporter.errors:
        validate_inaccessible(ctx, merged)
    if not ctx.reporter.errors:
        validate_satisfiability(ctx)
    roots = tuple((op, root) for op, root in DEFAULT_ROOTS.items() if root in merged and merged[root].fields)
    if not any(op == "query" for op, _ in roots):
        ctx.reporter.error("NO_QUERIES", "No queries found in any subgraph: a supergraph must have a query root type.")
    if ctx.reporter.errors:
        return None
    return _assemble(ctx, merged, roots, merge_executable_directives(ctx, composed), composed)


def _check_interfaces(ctx: Context, kinds: dict[str, Kind], implements: dict[str, set[str]]) -> None:
    """Keyed interfaces need every implementation in their subgraph; interface objects need none there."""
    for name, kind in kinds.items():
        if kind is not Kind.INTERFACE:
            continue
        implementations = [t for t, interfaces in implements.items() if name in interfaces and kinds[t] is Kind.OBJECT]
        for index, type_def in ctx.sources(name):
            subgraph = ctx.subgraphs[index]
            defined = [t for t in implementations if subgraph.type(t) is not None]
            if type_def.kind is Kind.OBJECT and defined:
                listing = human_list(defined, "type")
                ctx.reporter.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'[{subgraph.name}] Interface type "{name}" is defined as an @interfaceObject in subgraph '
                    f'"{subgraph.name}" so that subgraph should not define any of the implementation types of '
                    f'"{name}", but it defines {listing}',
                    subgraphs=[subgraph.name],
                    coordinates=[name],
                )
            keys = [k for k in type_def.applied("key") if k.arg("resolvable") != "false"]
            missing = [t for t in implementations if subgraph.type(t) is None]
            if type_def.kind is Kind.INTERFACE and keys and missing:
                them = "them" if len(missing) > 1 else "it"
                needed = human_list(missing, "type")
                ctx.reporter.error(
                    "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                    f'[{subgraph.name}] Interface type "{name}" has a resolvable key ({keys[0].print()}) in subgraph '
                    f'"{subgraph.name}" but that subgraph is missing some of the supergraph implementation types of '
                    f'"{name}". Subgraph "{subgraph.name}" should define {needed} (and have {them} '
                    f'implement "{name}").',
                    subgraphs=[subgraph.name],
                    coordinates=[name],
                )


def _check_extension_base(ctx: Context, name: str, sources: Sequence[tuple[int, TypeDef]]) -> None:
    """Extensions need a definition somewhere (for Federation 1, `@extends` types count as extensions too)."""
    if name in DEFAULT_ROOTS.values():
        return
    if all(ctx.subgraphs[i].fed2 for i, _ in sources):
        offenders = [] if any(t.has_definition for _, t in sources) else [i for i, _ in sources]
    else:
        offenders = [
            i
            for i, t in sources
            if not ctx.subgraphs[i].fed2
            and (t.has("extends") or not t.has_definition)
            and not any(other.has_definition for j, other in sources if j != i)
        ]
    for index in offenders:
        ctx.reporter.error(
            "EXTENSION_WITH_NO_BASE",
            f'[{ctx.name(index)}] Type "{name}" is an extension type, but there is no type definition for '
            f'"{name}" in any subgraph.',
            subgraphs=[ctx.name(index)],
            coordinates=[name],
        )


def _composed_directives(ctx: Context) -> frozenset[str]:
    return frozenset(name for subgraph in ctx.subgraphs for name in _compose_directive_names(subgraph))


def _compose_directive_names(subgraph: Subgraph) -> tuple[str, ...]:
    return tuple(
        (d.string_arg("name") or "").lstrip("@") for d in subgraph.schema_directives if d.name == "composeDirective"
    )


def _composed_links_and_definitions(ctx: Context) -> tuple[list[str], list[tuple[str, str]]]:
    """`@link`s and definitions of `@composeDirective` directives, taken from the first subgraph defining them."""
    links: list[str] = []
    definitions: dict[str, str] = {}
    for subgraph in ctx.subgraphs:
        for name in _compose_directive_names(subgraph):
            definition = next((d for d in subgraph.directive_defs if d.name == name), None)
            if definition is not None and name not in definitions:
                definitions[name] = print_directive_def(definition)
            for link in subgraph.links:
                if any(local == name for _, local in link.imports):
                    text = f"@link(url: {quote(link.url)}, import: [{quote('@' + name)}])"
                    if text not in links:
                        links.append(text)
    return links, list(definitions.items())


def _add_interface_object_fields(ctx: Context, merged: dict[str, MergedType]) -> None:
    """Fields an `@interfaceObject` contributes to an interface also exist on its implementations."""
    for name, type_def in list(merged.items()):
        if type_def.kind is not Kind.OBJECT:
            continue
        added: list[MergedField] = []
        for interface in type_def.interfaces:
            itf = merged.get(interface)
            for itf_field in itf.fields if itf else ():
                if any(f.name == itf_field.name for f in type_def.fields + tuple(added)):
                    continue
                if _provided_by_interface_object(ctx, interface, itf_field.name):
                    copied = tuple(d for d in itf_field.directives if not d.startswith("@join__"))
                    added.append(
                        MergedField(
                            itf_field.name,
                            itf_field.type,
                            itf_field.args,
                            itf_field.description,
                            (*copied, "@join__field"),
                        )
                    )
        if added:
            merged[name] = MergedType(
                type_def.kind,
                name,
                type_def.description,
                type_def.interfaces,
                type_def.directives,
                type_def.fields + tuple(added),
            )


def _provided_by_interface_object(ctx: Context, interface: str, field: str) -> bool:
    for index, type_def in ctx.sources(interface):
        if (
            type_def.kind is Kind.OBJECT
            and type_def.field(field) is not None
            and not ctx.facts[index].is_external(f"{interface}.{field}")
        ):
            return True
    return False


def _check_interface_implementations(ctx: Context, merged: dict[str, MergedType]) -> None:
    for type_def in merged.values():
        for interface in type_def.interfaces:
            itf = merged.get(interface)
            for itf_field in itf.fields if itf else ():
                if all(f.name != itf_field.name for f in type_def.fields):
                    declared = human_list(
                        (ctx.name(i) for i, t in ctx.sources(interface) if t.field(itf_field.name)), "subgraph"
                    )
                    implementing = human_list(
                        (ctx.name(i) for i, t in ctx.sources(type_def.name) if interface in t.interfaces), "subgraph"
                    )
                    ctx.reporter.error(
                        "INTERFACE_FIELD_NO_IMPLEM",
                        f'Interface field "{interface}.{itf_field.name}" is declared in {declared} but type '
                        f'"{type_def.name}", which implements "{interface}" only in {implementing} does not have '
                        f'field "{itf_field.name}".',
                        subgraphs=[ctx.name(i) for i, _ in ctx.sources(type_def.name)],
                        coordinates=[f"{type_def.name}.{itf_field.name}"],
                    )


def _features_in_link_order(ctx: Context) -> list[Feature]:
    """Features the supergraph links, ordered like Apollo: by first subgraph applying them, then spec order."""
    ordered: list[Feature] = []
    for subgraph in ctx.subgraphs:
        applied = {d.name for d in subgraph.applications() if d.federation}
        ordered.extend(f for f in FEATURES if f.directive in applied and f not in ordered)
    ordered.extend(f for f in FEATURES if f.directive in ctx.reporter.features and f not in ordered)
    return ordered


def _assemble(
    ctx: Context,
    merged: dict[str, MergedType],
    roots: tuple[tuple[str, str], ...],
    executable: tuple[tuple[str, str], ...],
    composed: frozenset[str],
) -> Supergraph:
    used = _features_in_link_order(ctx)
    composed_links, composed_defs = _composed_links_and_definitions(ctx)
    schema = merge_applications(ctx, [(i, s.schema_directives) for i, s in enumerate(ctx.subgraphs)], composed)
    links = (
        f'@link(url: "{LINK_URL}")',
        f'@link(url: "{join_url(ctx.join_minor)}", for: EXECUTION)',
        *feature_links(used),
        *composed_links,
        *schema.inaccessible,
        *schema.rest,
    )
    directive_defs = (
        *join_directives(ctx.join_minor),
        *feature_definitions(used),
        *composed_defs,
        *executable,
    )
    graphs = "\n".join(
        f"  {enum} @join__graph(name: {quote(s.name)}, url: {quote(s.url)})"
        for enum, s in zip(ctx.graph_names, ctx.subgraphs, strict=True)
    )
    fixed = [
        MergedType(Kind.SCALAR, "join__FieldSet"),
        MergedType(Kind.SCALAR, "link__Import"),
        *(MergedType(Kind.SCALAR, f.scalar) for f in used if f.scalar),
    ]
    return Supergraph(
        links=links,
        roots=roots,
        directive_defs=directive_defs,
        types=(*merged.values(), *fixed),
        description=merge_description(s.schema_description for s in ctx.subgraphs),
        raw_types=(
            ("join__Graph", "enum join__Graph {\n" + graphs + "\n}"),
            ("link__Purpose", LINK_PURPOSE),
            *join_types(ctx.join_minor),
        ),
    )
