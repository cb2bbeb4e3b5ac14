"""The entities subgraph schema (exported to ``schema/entities.graphql``)."""

from subgraphs.common.app import federation_schema
from subgraphs.common.fields import signed_in_only
from subgraphs.entities.mutations import Mutation
from subgraphs.entities.queries import Query
from subgraphs.entities.types import MarketEntity

signed_in_only(Query, Mutation)
schema = federation_schema(query=Query, mutation=Mutation, types=(MarketEntity,))
