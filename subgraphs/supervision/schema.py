"""The supervision subgraph's federation schema (exported to ``schema/supervision.graphql``)."""

from __future__ import annotations

from subgraphs.common.app import federation_schema
from subgraphs.supervision.mutations import Mutation
from subgraphs.supervision.queries import Query
from subgraphs.supervision.types import InspectionTask, MarketEntity

schema = federation_schema(query=Query, mutation=Mutation, types=(InspectionTask, MarketEntity))
