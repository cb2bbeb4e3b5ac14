"""What the integration subgraph's ``/ready`` reports beside its own checks: an adapter whose circuit is open (its
legacy source failing) makes it ``degraded`` and names the adapter — never unready: the hub still serves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import select

from kernel.db import Database
from subgraphs.integration.models import AdapterStateRow
from subgraphs.integration.vocabulary import CircuitState


class CircuitOpen(Exception):
    """An adapter stopped calling its failing source for a while."""


def advisories(database: Database) -> Mapping[str, Callable[[], Awaitable[None]]]:
    async def circuits() -> None:
        async with database.transaction() as session:
            opened = select(AdapterStateRow.adapter, AdapterStateRow.circuit_opened_at).where(
                AdapterStateRow.circuit == CircuitState.OPEN.value
            )
            rows = (await session.execute(opened.order_by(AdapterStateRow.adapter))).all()
        if rows:
            since = ", ".join(f"{name} since {at:%Y-%m-%d %H:%M} UTC" if at else name for name, at in rows)
            raise CircuitOpen(f"open: {since}")

    return {"adapter circuits": circuits}
