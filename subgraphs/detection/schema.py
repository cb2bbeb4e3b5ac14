"""The detection subgraph's federation schema (exported to ``schema/detection.graphql``)."""

from __future__ import annotations

from subgraphs.common.app import federation_schema
from subgraphs.detection.mutations import Mutation
from subgraphs.detection.queries import Query
from subgraphs.detection.subscriptions import Subscription
from subgraphs.detection.types import KitchenAlert, MarketEntity

schema = federation_schema(
    query=Query, mutation=Mutation, subscription=Subscription, types=(KitchenAlert, MarketEntity)
)
