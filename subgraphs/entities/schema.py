"""The entities subgraph schema (exported to ``schema/entities.graphql``)."""

from subgraphs.common.app import federation_schema
from subgraphs.entities.mutations import Mutation
from subgraphs.entities.queries import Query
from subgraphs.entities.types import MarketEntity

schema = federation_schema(query=Query, mutation=Mutation, types=(MarketEntity,))
