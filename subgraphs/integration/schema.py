"""The integration subgraph schema (exported to ``schema/integration.graphql``)."""

from subgraphs.common.app import federation_schema
from subgraphs.integration.mutations import Mutation
from subgraphs.integration.queries import Query

schema = federation_schema(query=Query, mutation=Mutation)
