"""Federation 2 composition: subgraph SDLs in, a standard `join` (v0.3-v0.5) supergraph SDL out.

from gateway.composition import SubgraphSource, compose
sdl = compose([SubgraphSource("accounts", "http://127.0.0.1:4001/graphql", ACCOUNTS_SDL), ...]).unwrap()
"""

from gateway.composition.compose import compose
from gateway.composition.errors import CompositionError, CompositionFailed
from gateway.composition.result import CompositionHint, CompositionResult, SubgraphSource

__all__ = [
    "CompositionError",
    "CompositionFailed",
    "CompositionHint",
    "CompositionResult",
    "SubgraphSource",
    "compose",
]
