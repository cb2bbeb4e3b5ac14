"""Render a plan as deterministic text for golden tests and debugging."""

from __future__ import annotations

from gateway.planner.nodes import TYPE_SEGMENT, QueryPlan, RepresentationField


def render_plan(plan: QueryPlan) -> str:
    """Text with one block per fetch, in execution order."""
    lines = [f"QueryPlan({plan.kind}) {{"]
    for node in plan.fetches:
        after = f", after: [{', '.join(str(d) for d in node.depends_on)}]" if node.depends_on else ""
        if node.entity is None:
            lines.append(f'  Fetch#{node.id}(service: "{node.subgraph}"{after}) {{')
        else:
            path = " + ".join(".".join(p).replace("." + TYPE_SEGMENT, TYPE_SEGMENT) for p in node.paths)
            entity = node.entity
            only = f", only: {'|'.join(entity.type_filter)}" if entity.type_filter else ""
            lines.append(f'  Flatten#{node.id}(service: "{node.subgraph}", path: "{path}"{only}{after}) {{')
            reps = _fields(entity.key) + (" | " + _fields(entity.requires) if entity.requires else "")
            lines.append(f"    {entity.typename} {{ {reps} }} =>")
        lines.append(f"    {node.operation}")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines)


def _fields(fields: tuple[RepresentationField, ...]) -> str:
    parts = []
    for field in fields:
        text = field.name if field.source_key == field.name else f"{field.name}<-{field.source_key}"
        if field.type_condition:
            text = f"...{field.type_condition}:{text}"
        if field.selections:
            text += " { " + _fields(field.selections) + " }"
        parts.append(text)
    return " ".join(parts)
