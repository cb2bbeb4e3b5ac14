"""The gateway's Prometheus metrics at ``GET /metrics``: plain counters on the request path, turned into the
exposition format only when scraped (so metrics cost next to nothing per request)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from gateway.planner import LruCache

CONTENT_TYPE = b"text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MAX_OPERATION_NAMES = 200
"""Operation names are client-chosen: past this many distinct ones, further names count as ``other``."""
LAG_INTERVAL_S = 0.5


class _Histogram:
    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds

    def family_samples(self) -> tuple[list[tuple[str, float]], float]:
        cumulative, running = [], 0
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), self.counts, strict=True):
            running += count
            cumulative.append((bound, float(running)))
        return cumulative, self.total


class GatewayMetrics(Collector):
    """What the gateway counts; register on a `CollectorRegistry` and scrape with `render`."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str]] = Counter()
        self.error_codes: Counter[str] = Counter()
        self.latency = _Histogram()
        self.fetches: dict[str, _Histogram] = {}
        self.fetch_errors: Counter[tuple[str, str]] = Counter()
        self.rate_limited = 0
        self.loop_lag_s = 0.0
        self.caches: dict[str, LruCache[Any, Any]] = {}
        self._names: set[str] = set()
        self._lag: asyncio.Task[None] | None = None
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

    def request(self, operation: str | None, outcome: str, seconds: float) -> None:
        """One answered request: `outcome` is ok, partial, refused, unauthenticated, rate_limited, timeout or error."""
        name = operation or "-"
        if name not in self._names:
            if len(self._names) >= MAX_OPERATION_NAMES:
                name = "other"
            else:
                self._names.add(name)
        self.requests[(name, outcome)] += 1
        self.latency.observe(seconds)

    def errors(self, codes: Iterable[str]) -> None:
        self.error_codes.update(codes)

    def fetch(self, subgraph: str, seconds: float, code: str | None) -> None:
        """One subgraph fetch (the executor's observer)."""
        histogram = self.fetches.get(subgraph)
        if histogram is None:
            histogram = self.fetches[subgraph] = _Histogram()
        histogram.observe(seconds)
        if code is not None:
            self.fetch_errors[(subgraph, code)] += 1

    def render(self) -> bytes:
        """The exposition text; starts the event-loop lag probe on first scrape."""
        if self._lag is None or self._lag.done():
            self._lag = asyncio.get_running_loop().create_task(self._probe_lag())
        return generate_latest(self.registry)

    async def _probe_lag(self) -> None:
        """How late the event loop wakes a sleeper: a stalled loop (one CPU-bound request) shows here."""
        while True:
            started = time.monotonic()
            await asyncio.sleep(LAG_INTERVAL_S)
            self.loop_lag_s = max(0.0, time.monotonic() - started - LAG_INTERVAL_S)

    async def aclose(self) -> None:
        if self._lag is not None:
            self._lag.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lag

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "zhijian_gateway_requests",
            "GraphQL requests by operation name and outcome.",
            labels=["operation", "outcome"],
        )
        for (operation, outcome), count in sorted(self.requests.items()):
            requests.add_metric([operation, outcome], count)
        yield requests
        codes = CounterMetricFamily(
            "zhijian_gateway_errors", "GraphQL errors answered, by extensions.code.", labels=["code"]
        )
        for code, count in sorted(self.error_codes.items()):
            codes.add_metric([code], count)
        yield codes
        latency = HistogramMetricFamily("zhijian_gateway_request_seconds", "Time to answer a GraphQL request.")
        buckets, total = self.latency.family_samples()
        latency.add_metric([], buckets, total)
        yield latency
        fetches = HistogramMetricFamily(
            "zhijian_gateway_subgraph_fetch_seconds", "Time of one subgraph fetch.", labels=["subgraph"]
        )
        for subgraph, histogram in sorted(self.fetches.items()):
            buckets, total = histogram.family_samples()
            fetches.add_metric([subgraph], buckets, total)
        yield fetches
        failed = CounterMetricFamily(
            "zhijian_gateway_subgraph_fetch_errors", "Failed subgraph fetches by code.", labels=["subgraph", "code"]
        )
        for (subgraph, code), count in sorted(self.fetch_errors.items()):
            failed.add_metric([subgraph, code], count)
        yield failed
        limited = CounterMetricFamily("zhijian_gateway_rate_limited", "Requests refused by the rate limit.")
        limited.add_metric([], self.rate_limited)
        yield limited
        hits = CounterMetricFamily("zhijian_gateway_cache_lookups", "Cache lookups by cache and result.",
                                   labels=["cache", "result"])  # fmt: skip
        for name, cache in sorted(self.caches.items()):
            hits.add_metric([name, "hit"], cache.hits)
            hits.add_metric([name, "miss"], cache.misses)
        yield hits
        lag = GaugeMetricFamily("zhijian_gateway_event_loop_lag_seconds", "How late the event loop last woke a timer.")
        lag.add_metric([], self.loop_lag_s)
        yield lag
