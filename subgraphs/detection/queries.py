"""Read side of the detection subgraph: alerts (a worklist by state), devices, quick tests, samples."""

from __future__ import annotations

import strawberry
from sqlalchemy import func, select

from inference.taxonomy import Category
from subgraphs.common.fields import query
from subgraphs.detection.models import DeviceRow, KitchenAlertRow, QuickTestRow, SampleRow
from subgraphs.detection.types import Device, Info, KitchenAlert, QuickTest, Sample
from subgraphs.detection.vocabulary import AlertState

LIMIT = 200


@strawberry.type(name="InferenceStatus", description="The detector backend and its readiness.")
class InferenceStatusView:
    backend: str = strawberry.field(description="onnxruntime (embedded) or triton.")
    model: str
    ready: bool
    url: str | None
    detail: str | None


@strawberry.type(description="How many kitchen alerts of one category are in one state, in your jurisdiction.")
class KitchenAlertFigure:
    state: AlertState
    category: Category
    alerts: int


@strawberry.type
class Query:
    @query("One kitchen alert in your jurisdiction.")
    async def kitchen_alert(self, info: Info, id: strawberry.ID) -> KitchenAlert | None:
        row = await info.context.loaders.alerts.load(str(id))
        return None if row is None else KitchenAlert.from_row(row)

    @query("Kitchen alerts in your jurisdiction, newest first (at most 200), optionally in some states.")
    async def kitchen_alerts(self, info: Info, states: list[AlertState] | None = None) -> list[KitchenAlert]:
        statement = select(KitchenAlertRow).order_by(KitchenAlertRow.captured_at.desc(), KitchenAlertRow.id)
        if states:
            statement = statement.where(KitchenAlertRow.state.in_([s.value for s in states]))
        rows = await info.context.session.scalars(statement.limit(LIMIT))
        return [KitchenAlert.from_row(row) for row in rows]

    @query("Kitchen alerts in your jurisdiction (or one district of it) counted by state and category; none: no row.")
    async def kitchen_alert_figures(self, info: Info, district_code: str | None = None) -> list[KitchenAlertFigure]:
        row = KitchenAlertRow
        statement = select(row.state, row.category, func.count()).group_by(row.state, row.category)
        if district_code is not None:
            statement = statement.where(row.district_code == district_code)
        counted = await info.context.session.execute(statement.order_by(row.state, row.category))
        return [
            KitchenAlertFigure(state=AlertState(state), category=Category(category), alerts=int(alerts))
            for state, category, alerts in counted
        ]

    @query("One registered device in your jurisdiction.")
    async def device(self, info: Info, id: strawberry.ID) -> Device | None:
        row = await info.context.session.get(DeviceRow, str(id))
        return None if row is None else Device.from_row(row)

    @query("Quick tests of an entity in your jurisdiction, newest first (at most 200).")
    async def quick_tests(self, info: Info, uscc: str) -> list[QuickTest]:
        statement = select(QuickTestRow).where(QuickTestRow.uscc == uscc).order_by(QuickTestRow.tested_at.desc())
        return [QuickTest.from_row(row) for row in await info.context.session.scalars(statement.limit(LIMIT))]

    @query("The detector backend kitchen frames are judged by, and whether it is ready (Triton when configured).")
    async def inference_status(self, info: Info) -> InferenceStatusView:
        status = await info.context.services.inference.status()
        return InferenceStatusView(
            backend=status.backend, model=status.model, ready=status.ready, url=status.url, detail=status.detail
        )

    @query("One sample in your jurisdiction.")
    async def sample(self, info: Info, id: strawberry.ID) -> Sample | None:
        row = await info.context.session.get(SampleRow, str(id))
        return None if row is None else Sample.from_row(row)
