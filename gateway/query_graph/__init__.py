"""Stage 2: where each field resolves and which `@key` edges connect subgraphs."""

from gateway.query_graph.graph import EntityEdge, FieldShape, QueryGraph
from gateway.query_graph.selection import Field, InlineFragment, Selection, parse_field_set

__all__ = ["EntityEdge", "Field", "FieldShape", "InlineFragment", "QueryGraph", "Selection", "parse_field_set"]
