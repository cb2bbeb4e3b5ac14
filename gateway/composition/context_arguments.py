"""`@context` / `@fromContext` (Federation 2.8): arguments a subgraph fills from an ancestor's fields. They leave the
supergraph API and travel as `contextArguments` of `@join__field` (https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

import re

from gateway.composition.listing import quote
from gateway.composition.subgraph import Field, InputValue

_IGNORED = r"(?:[\n\r\t ,]|#[^\n\r]*(?![^\n\r]))*"  # GraphQL ignored tokens: whitespace, commas, comments
_CONTEXT = re.compile(rf"^{_IGNORED}\${_IGNORED}([A-Za-z_]\w*(?!\w))([\s\S]*)$")


def contextual_arguments(field: Field) -> tuple[InputValue, ...]:
    """The field's arguments marked `@fromContext`."""
    return tuple(a for a in field.args if any(d.federation and d.name == "fromContext" for d in a.directives))


def context_arguments_literal(subgraph: str, field: Field) -> str | None:
    """The printed `contextArguments:` list for one subgraph's field, or None when it has none."""
    entries: list[str] = []
    for arg in contextual_arguments(field):
        directive = next(d for d in arg.directives if d.name == "fromContext")
        match = _CONTEXT.match(directive.string_arg("field") or "")
        if match is None:
            continue
        context, selection = match.groups()
        entries.append(
            f"{{context: {quote(subgraph + '__' + context)}, name: {quote(arg.name)}, type: {quote(arg.type)}, "
            f"selection: {quote(selection)}}}"
        )
    return "[" + ", ".join(entries) + "]" if entries else None
