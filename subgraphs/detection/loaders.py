"""One request's DataLoaders: alerts and transitions, per entity alerts, quick tests and samples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.loaders import many_per_key, one_per_key
from subgraphs.detection.models import AlertTransitionRow, KitchenAlertRow, LabReportRow, SampleRow
from subgraphs.detection.services import DetectionServices


@dataclass(slots=True)
class DetectionLoaders:
    session: AsyncSession
    services: DetectionServices
    alerts: DataLoader[str, KitchenAlertRow | None] = field(init=False)
    transitions: DataLoader[str, list[AlertTransitionRow]] = field(init=False)
    alerts_of: DataLoader[str, list[KitchenAlertRow]] = field(init=False)
    samples_of: DataLoader[str, list[SampleRow]] = field(init=False)
    reports: DataLoader[str, LabReportRow | None] = field(init=False)

    def __post_init__(self) -> None:
        self.alerts = DataLoader(load_fn=self._alerts)
        self.transitions = DataLoader(load_fn=self._transitions)
        self.alerts_of = DataLoader(load_fn=self._alerts_of)
        self.samples_of = DataLoader(load_fn=self._samples_of)
        self.reports = DataLoader(load_fn=self._reports)

    async def _alerts(self, ids: Sequence[str]) -> list[KitchenAlertRow | None]:
        rows = await self.session.scalars(select(KitchenAlertRow).where(KitchenAlertRow.id.in_(ids)))
        return one_per_key(ids, rows, lambda row: row.id)

    async def _transitions(self, ids: Sequence[str]) -> list[list[AlertTransitionRow]]:
        statement = (
            select(AlertTransitionRow).where(AlertTransitionRow.alert_id.in_(ids)).order_by(AlertTransitionRow.id)
        )
        return many_per_key(ids, await self.session.scalars(statement), lambda row: row.alert_id)

    async def _alerts_of(self, usccs: Sequence[str]) -> list[list[KitchenAlertRow]]:
        statement = (
            select(KitchenAlertRow)
            .where(KitchenAlertRow.uscc.in_(usccs))
            .order_by(KitchenAlertRow.captured_at, KitchenAlertRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _samples_of(self, usccs: Sequence[str]) -> list[list[SampleRow]]:
        statement = select(SampleRow).where(SampleRow.uscc.in_(usccs)).order_by(SampleRow.sampled_on, SampleRow.id)
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _reports(self, sample_ids: Sequence[str]) -> list[LabReportRow | None]:
        rows = await self.session.scalars(select(LabReportRow).where(LabReportRow.sample_id.in_(sample_ids)))
        return one_per_key(sample_ids, rows, lambda row: row.sample_id)
