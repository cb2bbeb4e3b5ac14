"""The adapters as Prometheus metrics, read from the integration tables (whichever worker ran the syncs):
``GET /metrics`` on the integration subgraph's port."""

from __future__ import annotations

import datetime as dt

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from kernel.db import Database
from subgraphs.integration import store
from subgraphs.integration.models import AdapterRunRow, AdapterStateRow, RejectionRow
from subgraphs.integration.vocabulary import CircuitState, RejectionState

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


async def render(database: Database, now: dt.datetime) -> bytes:
    """The exposition text of every adapter's counters and gauges."""
    totals = await store.totals(database)
    async with database.transaction() as session:
        states = (await session.scalars(select(AdapterStateRow))).all()
        last = {
            row.adapter: row
            for row in (
                await session.scalars(
                    select(AdapterRunRow).where(
                        AdapterRunRow.id.in_(select(func.max(AdapterRunRow.id)).group_by(AdapterRunRow.adapter))
                    )
                )
            ).all()
        }
        open_rejections = dict(
            (
                await session.execute(
                    select(RejectionRow.adapter, func.count())
                    .where(RejectionRow.state == RejectionState.OPEN.value)
                    .group_by(RejectionRow.adapter)
                )
            ).all()
        )

    records = CounterMetricFamily(
        "zhijian_adapter_records", "Source records by outcome, over all runs.", labels=["adapter", "outcome"]
    )
    for adapter, counts in sorted(totals.items()):
        for outcome in ("read", "applied", "rejected", "duplicate"):
            records.add_metric([adapter, outcome], getattr(counts, outcome))
    lag = GaugeMetricFamily("zhijian_adapter_lag_seconds", "Seconds since level with the source.", labels=["adapter"])
    circuit = GaugeMetricFamily("zhijian_adapter_circuit_open", "1 while the circuit is open.", labels=["adapter"])
    quarantined = GaugeMetricFamily("zhijian_adapter_open_rejections", "Quarantined records.", labels=["adapter"])
    last_run = GaugeMetricFamily(
        "zhijian_adapter_last_run_timestamp_seconds", "Start of the last run.", labels=["adapter", "status"]
    )
    for state in sorted(states, key=lambda s: s.adapter):
        seconds = store.lag_seconds(state, now)
        if seconds is not None:
            lag.add_metric([state.adapter], seconds)
        circuit.add_metric([state.adapter], 1.0 if state.circuit == CircuitState.OPEN.value else 0.0)
        quarantined.add_metric([state.adapter], float(open_rejections.get(state.adapter, 0)))
        if (run := last.get(state.adapter)) is not None:
            last_run.add_metric([state.adapter, run.status], run.started_at.timestamp())

    class Snapshot(Collector):
        def collect(self):  # type: ignore[no-untyped-def]
            return [records, lag, circuit, quarantined, last_run]

    registry = CollectorRegistry()
    registry.register(Snapshot())
    return bytes(generate_latest(registry))
