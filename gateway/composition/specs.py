"""The fixed text the supergraph carries for the specs it links: `link/v1.0`, `join/v0.3` and the security /
tagging features (https://specs.apollo.dev), exactly as `@apollo/composition` 2.x prints them."""

from __future__ import annotations

from dataclasses import dataclass

LINK_URL = "https://specs.apollo.dev/link/v1.0"
JOIN_URL = "https://specs.apollo.dev/join/v0.3"

CORE_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("join__enumValue", "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE"),
    (
        "join__field",
        "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, "
        "type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on "
        "FIELD_DEFINITION | INPUT_FIELD_DEFINITION",
    ),
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
)
