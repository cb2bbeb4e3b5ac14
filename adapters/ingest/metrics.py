"""Counters of the ingestion server (Prometheus): calls served, refusals by code, effects taken and duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, generate_latest


@dataclass(slots=True)
class IngestMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    calls: Counter = field(init=False)
    refusals: Counter = field(init=False)
    effects: Counter = field(init=False)

    def __post_init__(self) -> None:
        self.calls = Counter(
            "zhijian_ingest_calls", "Calls and stream batches served.", ["rpc"], registry=self.registry
        )
        self.refusals = Counter(
            "zhijian_ingest_refusals", "Calls, batches and readings refused, by code.", ["rpc", "code"],
            registry=self.registry,
        )  # fmt: skip
        self.effects = Counter(
            "zhijian_ingest_effects", "Alerts and readings by outcome.", ["kind", "outcome"], registry=self.registry
        )

    def served(self, rpc: str) -> None:
        self.calls.labels(rpc).inc()

    def refused(self, rpc: str, code: str) -> None:
        self.refusals.labels(rpc, code).inc()

    def taken(self, kind: str, count: int = 1) -> None:
        self.effects.labels(kind, "taken").inc(count)

    def duplicate(self, kind: str, count: int = 1) -> None:
        self.effects.labels(kind, "duplicate").inc(count)

    def value(self, name: str, **labels: str) -> float:
        found = self.registry.get_sample_value(name, labels)
        return 0.0 if found is None else found

    def render(self) -> bytes:
        return generate_latest(self.registry)
