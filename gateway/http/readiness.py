"""``GET /ready``: the supergraph's version and whether each subgraph answers, for load balancers and operators."""

from __future__ import annotations

import asyncio

import orjson

from gateway.execution import Gateway, SubgraphClient
from gateway.execution.errors import SubgraphRequestError

PROBE = orjson.dumps({"query": "{ __typename }"})
PROBE_TIMEOUT_S = 2.0


async def readiness(gateway: Gateway, timeout_s: float = PROBE_TIMEOUT_S) -> tuple[int, bytes]:
    """200 when every subgraph answers HTTP (any status below 500: a 401 still proves it is up), else 503."""
    names = list(gateway.executor.clients)
    states = await asyncio.gather(*(_probe(gateway.executor.clients[n], timeout_s) for n in names))
    subgraphs = dict(zip(names, states, strict=True))
    ready = all(state == "ok" for state in states)
    body = {"status": "ready" if ready else "unready", "supergraph": gateway.version, "subgraphs": subgraphs}
    return (200 if ready else 503), orjson.dumps(body)


async def _probe(client: SubgraphClient, timeout_s: float) -> str:
    try:
        async with asyncio.timeout(timeout_s):
            status, _ = await client.request(PROBE, None)
    except TimeoutError:
        return "SUBGRAPH_TIMEOUT"
    except SubgraphRequestError as error:
        return error.code
    return "ok" if status < 500 else f"HTTP {status}"
