"""The fixed text the supergraph carries for the specs it links: `link/v1.0`, `join/v0.3`-`v0.5` and the security /
tagging features (https://specs.apollo.dev), exactly as `@apollo/composition` 2.x prints them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LINK_URL = "https://specs.apollo.dev/link/v1.0"


def join_minor(federation_version: tuple[int, int]) -> int:
    """The join spec a supergraph needs: v0.5 from Federation 2.8, v0.4 from 2.7, v0.3 before."""
    if federation_version >= (2, 8):
        return 5
    return 4 if federation_version >= (2, 7) else 3


def join_url(minor: int) -> str:
    """The `@link` URL of join/v0.<minor>."""
    return f"https://specs.apollo.dev/join/v0.{minor}"


def join_directives(minor: int) -> tuple[tuple[str, str], ...]:
    """Directive definitions of the join and link specs, by name."""
    field_args = (
        "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, "
        "override: String, usedOverridden: Boolean"
    )
    if minor >= 4:
        field_args += ", overrideLabel: String"
    if minor >= 5:
        field_args += ", contextArguments: [join__ContextArgument!]"
    field = (
        "join__field",
        f"directive @join__field({field_args}) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION",
    )
    directive = (
        "join__directive",
        "directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) "
        "repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION",
    )
    return (field, *((directive,) if minor >= 4 else ()), *CORE_DIRECTIVES)


def join_types(minor: int) -> tuple[tuple[str, str], ...]:
    """Types the join spec adds beyond `join__FieldSet` and `join__Graph`, printed."""
    out: list[tuple[str, str]] = []
    if minor >= 4:
        out.append(("join__DirectiveArguments", "scalar join__DirectiveArguments"))
    if minor >= 5:
        out.append(("join__FieldValue", "scalar join__FieldValue"))
        out.append(
            (
                "join__ContextArgument",
                "input join__ContextArgument {\n  name: String!\n  type: String!\n  context: String!\n"
                "  selection: join__FieldValue!\n}",
            )
        )
    return tuple(out)


CORE_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("join__enumValue", "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE"),
    ("join__graph", "directive @join__graph(name: String!, url: String!) on ENUM_VALUE"),
    (
        "join__implements",
        "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE",
    ),
    (
        "join__type",
        "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, "
        "resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | "
        "UNION | ENUM | INPUT_OBJECT | SCALAR",
    ),
    (
        "join__unionMember",
        "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
    ),
    (
        "link",
        "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA",
    ),
)

LINK_PURPOSE = '''enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''


@dataclass(frozen=True, slots=True)
class Feature:
    """A spec whose directive the supergraph re-exposes when some subgraph uses it."""

    directive: str
    link: str
    definition: str
    scalar: str | None = None


COST_URL = "https://specs.apollo.dev/cost/v0.1"


def feature_links(used: Sequence[Feature]) -> list[str]:
    """The `@link`s for the used features, in order; `@cost` and `@listSize` share one (cost/v0.1)."""
    links: list[str] = []
    names = {f.directive for f in used}
    for feature in used:
        if feature.link:
            links.append(feature.link)
        elif not any(link.startswith(f'@link(url: "{COST_URL}"') for link in links):
            imports = ', import: ["@listSize"]' if "listSize" in names else ""
            links.append(f'@link(url: "{COST_URL}"{imports})')
    return links


def feature_definitions(used: Sequence[Feature]) -> list[tuple[str, str]]:
    """Directive definitions of the used features; linking cost/v0.1 brings both of its directives, `@listSize`
    under its namespaced name `@cost__listSize` when no subgraph imported it."""
    names = {f.directive for f in used}
    out = [(f.directive, f.definition) for f in used]
    by_name = {f.directive: f for f in FEATURES}
    if "listSize" in names and "cost" not in names:
        out.append(("cost", by_name["cost"].definition))
    if "context" in names:
        out.append(
            (
                "context__fromContext",
                "directive @context__fromContext(field: context__ContextFieldValue) on ARGUMENT_DEFINITION",
            )
        )
    if "cost" in names and "listSize" not in names:
        renamed = by_name["listSize"].definition.replace("@listSize", "@cost__listSize")
        out.append(("cost__listSize", renamed))
    return out


_ACCESS_LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"

FEATURES: tuple[Feature, ...] = (
    Feature(
        "tag",
        '@link(url: "https://specs.apollo.dev/tag/v0.3")',
        "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
        "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA",
    ),
    Feature(
        "inaccessible",
        '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)',
        "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | "
        "SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    ),
    Feature(
        "authenticated",
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
        f"directive @authenticated on {_ACCESS_LOCATIONS}",
    ),
    Feature(
        "requiresScopes",
        '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
        f"directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on {_ACCESS_LOCATIONS}",
        "requiresScopes__Scope",
    ),
    Feature(
        "policy",
        '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
        f"directive @policy(policies: [[policy__Policy!]!]!) on {_ACCESS_LOCATIONS}",
        "policy__Policy",
    ),
    Feature(
        "context",
        '@link(url: "https://specs.apollo.dev/context/v0.1", for: SECURITY)',
        "directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION",
        "context__ContextFieldValue",
    ),
    Feature(
        "cost",
        "",
        "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | "
        "OBJECT | SCALAR",
    ),
    Feature(
        "listSize",
        "",
        "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
        "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
    ),
)
