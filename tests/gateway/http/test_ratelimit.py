"""Rate limits: one contract for the Redis and the in-process token buckets, shared buckets across two gateways,
429 with `Retry-After` and `RATE_LIMITED`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio as aioredis

from gateway.http import create_app
from gateway.http.ratelimit import LocalTokenBuckets, RateLimit, RateLimiter, RedisTokenBuckets, caller_key
from gateway.settings import GatewaySettings
from kernel.principal import Principal
from tests.gateway.market import market_federation
from tests.gateway.servers import serving

QUERY = {"query": '{ entity(uscc: "91440300B") { name } }'}
LIMIT = RateLimit(per_second=1.0, burst=3)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["local", "redis"])
async def buckets(request: pytest.FixtureRequest, redis_server_url: str) -> AsyncIterator[tuple[RateLimiter, Clock]]:
    clock = Clock()
    limiter: RateLimiter
    if request.param == "local":
        limiter = LocalTokenBuckets(LIMIT, clock)
    else:
        client = aioredis.Redis.from_url(redis_server_url, decode_responses=True)
        limiter = RedisTokenBuckets(client, LIMIT, clock, namespace=uuid.uuid4().hex)
    yield limiter, clock
    await limiter.aclose()


async def test_a_bucket_allows_its_burst_then_refills_at_its_rate(buckets: tuple[RateLimiter, Clock]) -> None:
    limiter, clock = buckets
    officer = caller_key(Principal("officer-7", "https://idp", frozenset(), frozenset(), None, None, 0), None)
    assert [await limiter.take(officer) for _ in range(3)] == [0, 0, 0]
    assert await limiter.take(officer) == pytest.approx(1.0)
    assert await limiter.take(caller_key(None, "10.0.0.9")) == 0  # another caller, another bucket
    clock.now += 0.5
    assert await limiter.take(officer) == pytest.approx(0.5)
    clock.now += 0.5
    assert await limiter.take(officer) == 0
    clock.now += 60
    assert [await limiter.take(officer) for _ in range(4)][-1] > 0  # refilled to the burst, not beyond


async def test_two_gateways_share_their_callers_buckets_through_redis(redis_server_url: str) -> None:
    fed = market_federation()
    namespace = uuid.uuid4().hex
    settings = GatewaySettings(rate_limit_per_s=0.01, rate_limit_burst=2)

    def limiter() -> RedisTokenBuckets:
        client = aioredis.Redis.from_url(redis_server_url, decode_responses=True)
        return RedisTokenBuckets(client, RateLimit(0.01, 2), namespace=namespace)

    first = create_app(fed.supergraph_sdl, settings, fed.transports(), rate_limiter=limiter())
    second = create_app(fed.supergraph_sdl, settings, fed.transports(), rate_limiter=limiter())
    async with (
        serving(first, lifespan="on") as one,
        serving(second, lifespan="on") as two,
        httpx.AsyncClient() as http,
    ):
        assert (await http.post(f"{one}/graphql", json=QUERY)).status_code == 200
        assert (await http.post(f"{two}/graphql", json=QUERY)).status_code == 200
        refused = await http.post(f"{one}/graphql", json=QUERY)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 100
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_settings_switch_the_in_process_limiter_on() -> None:
    fed = market_federation()
    app = create_app(fed.supergraph_sdl, GatewaySettings(rate_limit_per_s=0.01, rate_limit_burst=1), fed.transports())
    assert isinstance(app.rate_limiter, LocalTokenBuckets)
    async with serving(app) as url, httpx.AsyncClient(base_url=url) as http:
        statuses = [(await http.post("/graphql", json=QUERY)).status_code for _ in range(2)]
    assert statuses == [200, 429]
    assert create_app(fed.supergraph_sdl, GatewaySettings(), fed.transports()).rate_limiter is None


async def test_an_unreachable_redis_lets_requests_through(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisTokenBuckets.from_url("redis://127.0.0.1:9/0", LIMIT)
    assert await limiter.take("someone") == 0
    assert "Redis is unavailable" in caplog.text
    await limiter.aclose()
