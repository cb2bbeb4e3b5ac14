"""The public graphql-gateways-benchmark subgraphs compose to what `@apollo/composition` 2.14 produced
(`fixtures/bench/supergraph.apollo.graphql`), compared semantically through graphql-core."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    print_ast,
)

from gateway.composition import SubgraphSource, compose

BENCH = Path(__file__).parent / "fixtures" / "bench"
NAMES = ("accounts", "inventory", "products", "reviews")


def bench_supergraph() -> str:
    """Compose the four subgraphs with the URLs the Apollo fixture was generated with."""
    subgraphs = [
        SubgraphSource(name, f"http://127.0.0.1:4200/{name}", (BENCH / f"{name}.graphql").read_text()) for name in NAMES
    ]
    return compose(subgraphs).unwrap()


def _directives(node: object) -> list[str]:
    ast = getattr(node, "ast_node", None)
    return sorted(print_ast(d) for d in (getattr(ast, "directives", None) or ()))


def describe(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, member, value and applied directive, one sorted line each."""
    lines: list[str] = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__"):
            continue
        lines.append(f"{type(type_).__name__} {name} {_directives(type_)}")
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            lines.extend(f"{name} implements {i.name}" for i in type_.interfaces)
            for field_name, field in type_.fields.items():
                lines.append(f"{name}.{field_name}: {field.type} {_directives(field)}")
                for arg_name, arg in field.args.items():
                    given = arg.ast_node.default_value if arg.ast_node else None
                    default = print_ast(given) if given else ""
                    lines.append(f"{name}.{field_name}({arg_name}: {arg.type} = {default})")
        elif isinstance(type_, GraphQLUnionType):
            lines.extend(f"{name} member {m.name}" for m in type_.types)
        elif isinstance(type_, GraphQLEnumType):
            lines.extend(f"{name}.{v} {_directives(value)}" for v, value in type_.values.items())
        elif isinstance(type_, GraphQLInputObjectType):
            lines.extend(f"{name}.{f}: {field.type} {_directives(field)}" for f, field in type_.fields.items())
    lines.extend(f"directive @{d.name} {sorted(loc.name for loc in d.locations)}" for d in schema.directives)
    lines.extend(print_ast(d) for d in ((schema.ast_node.directives or ()) if schema.ast_node else ()))
    return sorted(lines)


def test_bench_supergraph_is_semantically_apollos() -> None:
    ours = build_schema(bench_supergraph())
    apollo = build_schema((BENCH / "supergraph.apollo.graphql").read_text())

    assert describe(ours) == describe(apollo)


def test_bench_supergraph_carries_requires_and_provides() -> None:
    sdl = bench_supergraph()

    assert 'shippingEstimate: Int @join__field(graph: INVENTORY, requires: "price weight")' in sdl
    assert 'author: User @join__field(graph: REVIEWS, provides: "username")' in sdl
    assert '@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)' in sdl


def test_bench_supergraph_is_byte_identical_to_apollos() -> None:
    assert bench_supergraph() == (BENCH / "supergraph.apollo.graphql").read_text()
