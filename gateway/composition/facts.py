"""What federation directives imply for one subgraph: external, shareable, key and used fields.

Follows the semantics of Apollo's `FederationMetadata`: `@external` on a key field of an extension type is a
"fake" external (Federation 1 style), an external field selected by a `@provides` is only partially external,
and key fields, provided fields and `@shareable` fields may be resolved by several subgraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.composition.fieldset import selected_fields
from gateway.composition.subgraph import Field, Kind, Subgraph, TypeDef
from gateway.composition.typeref import named_type


@dataclass(frozen=True, slots=True)
class Facts:
    """Field coordinates (`Type.field`) by their federation role in one subgraph."""

    external: frozenset[str]
    provided: frozenset[str]
    shareable: frozenset[str]
    used: frozenset[str]

    def is_external(self, coordinate: str) -> bool:
        """Marked `@external` (on the field or its type) and not a fake Federation 1 key external."""
        return coordinate in self.external

    def is_fully_external(self, coordinate: str) -> bool:
        """External and not provided by any `@provides`: this subgraph never resolves it."""
        return coordinate in self.external and coordinate not in self.provided


def facts_of(subgraph: Subgraph) -> Facts:
    """Compute the federation facts of a parsed subgraph."""
    key_fields: set[str] = set()
    fake_external: set[str] = set()
    provided: set[str] = set()
    used: set[str] = set()
    marked_external: set[str] = set()
    shareable: set[str] = set()
    for type_def in subgraph.types:
        if type_def.kind not in (Kind.OBJECT, Kind.INTERFACE):
            continue
        extension_type = type_def.has("extends") or not type_def.has_definition
        for key in type_def.applied("key"):
            for selected in _targets(subgraph, type_def.name, key.string_arg("fields")):
                key_fields.add(selected)
                used.add(selected)
                field = _field(subgraph, selected)
                if (key.from_extension or extension_type) and field is not None and field.has("external"):
                    fake_external.add(selected)
        type_external = subgraph.fed2 and type_def.kind is Kind.OBJECT and type_def.has("external")
        type_shareables = type_def.applied("shareable") if subgraph.fed2 else ()
        for field in type_def.fields:
            coordinate = f"{type_def.name}.{field.name}"
            if field.has("external") or type_external:
                marked_external.add(coordinate)
            if field.has("shareable") or any(s.from_extension == field.from_extension for s in type_shareables):
                shareable.add(coordinate)
            for requires in field.applied("requires"):
                used.update(_targets(subgraph, type_def.name, requires.string_arg("fields")))
            for provides in field.applied("provides"):
                for target in _provided_targets(subgraph, named_type(field.type), provides.string_arg("fields")):
                    provided.add(target)
                    used.add(target)
        for interface in type_def.interfaces:
            interface_def = subgraph.type(interface)
            for field in interface_def.fields if interface_def else ():
                used.add(f"{type_def.name}.{field.name}")
    external = marked_external - fake_external
    shareable |= key_fields | (provided & external)
    if not subgraph.fed2:
        shareable |= {
            f"{t.name}.{f.name}" for t in subgraph.types if t.kind is Kind.OBJECT for f in t.fields
        } - external
    return Facts(
        external=frozenset(external),
        provided=frozenset(provided),
        shareable=frozenset(shareable),
        used=frozenset(used),
    )


def _field(subgraph: Subgraph, coordinate: str) -> Field | None:
    type_name, _, field_name = coordinate.partition(".")
    return subgraph.field(type_name, field_name)


def _targets(subgraph: Subgraph, parent: str, fields: str | None) -> list[str]:
    selected = selected_fields(subgraph, parent, fields or "") or ()
    return [f"{s.parent}.{s.field}" for s in selected if s.exists]


def _provided_targets(subgraph: Subgraph, parent: str, fields: str | None) -> list[str]:
    """Provided fields, including the same field on implementations when provided through an interface."""
    out = _targets(subgraph, parent, fields)
    expanded = list(out)
    for coordinate in out:
        type_name, _, field_name = coordinate.partition(".")
        type_def = subgraph.type(type_name)
        if type_def is not None and type_def.kind is Kind.INTERFACE:
            expanded.extend(f"{impl.name}.{field_name}" for impl in _implementations(subgraph, type_def))
    return expanded


def _implementations(subgraph: Subgraph, interface: TypeDef) -> list[TypeDef]:
    return [t for t in subgraph.types if interface.name in t.interfaces]
