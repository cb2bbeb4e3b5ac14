"""The permits subgraph's federation schema (exported to ``schema/permits.graphql``)."""

from __future__ import annotations

from subgraphs.common.app import federation_schema
from subgraphs.permits.mutations import Mutation
from subgraphs.permits.queries import Query
from subgraphs.permits.types import MarketEntity, Permit

schema = federation_schema(query=Query, mutation=Mutation, types=(Permit, MarketEntity))
