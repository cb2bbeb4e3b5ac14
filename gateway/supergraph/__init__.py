"""Stage 1: read a supergraph SDL into ownership records and derive the API schema."""

from gateway.supergraph.api_schema import build_api_schema
from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.parse import Supergraph, parse_supergraph
from gateway.supergraph.records import SubgraphName

__all__ = ["SubgraphName", "Supergraph", "SupergraphError", "build_api_schema", "parse_supergraph"]
