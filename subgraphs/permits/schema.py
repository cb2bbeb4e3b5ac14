"""The permits subgraph's federation schema (exported to ``schema/permits.graphql``)."""

from __future__ import annotations

from subgraphs.common.app import federation_schema
from subgraphs.common.fields import signed_in_only
from subgraphs.permits.mutations import Mutation
from subgraphs.permits.queries import Query
from subgraphs.permits.types import MarketEntity, Permit

signed_in_only(Query, Mutation)
schema = federation_schema(query=Query, mutation=Mutation, types=(Permit, MarketEntity))
