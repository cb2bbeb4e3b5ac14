"""The permits SDL composes with the entities SDL into one supergraph (Federation 2, our composer)."""

from __future__ import annotations

from gateway.composition.compose import compose
from gateway.composition.result import SubgraphSource
from hub.supergraph import print_sdl
from subgraphs.entities.component import component as entities
from subgraphs.permits.component import component as permits


def test_permits_and_entities_compose_and_market_entity_gains_permits() -> None:
    result = compose(
        [SubgraphSource(c.name, f"http://127.0.0.1:{c.port}/graphql", print_sdl(c.schema)) for c in (entities, permits)]
    )
    assert result.ok, [error.message for error in result.errors]
    supergraph = result.unwrap()
    market_entity = supergraph[supergraph.index("type MarketEntity") :]
    market_entity = market_entity[: market_entity.index("\n}")]
    assert '@join__type(graph: PERMITS, key: "uscc")' in market_entity
    assert "permits: [Permit!] @join__field(graph: PERMITS)" in market_entity
    permit = supergraph[supergraph.index("type Permit") :]
    assert '@join__type(graph: PERMITS, key: "id")' in permit and '@join__type(graph: PERMITS, key: "number")' in permit
