"""The enforcement subgraph's federation schema (exported to ``schema/enforcement.graphql``)."""

from __future__ import annotations

from subgraphs.common.app import federation_schema
from subgraphs.enforcement.mutations import Mutation
from subgraphs.enforcement.queries import Query
from subgraphs.enforcement.types import Case, MarketEntity

schema = federation_schema(query=Query, mutation=Mutation, types=(Case, MarketEntity))
