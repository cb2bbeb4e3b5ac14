"""Live side of the detection subgraph: kitchen alerts as they are raised and as they move (the console's alert
review, an officer app's 明厨亮灶 feed), each read in the subscriber's jurisdiction."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from functools import partial

import strawberry

from kernel.errors import InternalError
from kernel.orgtree import OrgTree
from subgraphs.common.fields import subscription
from subgraphs.common.jurisdiction import Place
from subgraphs.detection.alert_feed import AlertChange
from subgraphs.detection.loaders import DetectionLoaders
from subgraphs.detection.types import AlertTransition, Info, KitchenAlert
from subgraphs.detection.vocabulary import AlertState


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which changes a subscriber asked for: a district bureau, a station, some states (None: any)."""

    district: str | None
    station: str | None
    states: frozenset[str] | None

    @classmethod
    def of(
        cls, tree: OrgTree, district: str | None, station: str | None, states: list[AlertState] | None
    ) -> AlertFilter:
        """The filter, with its codes checked (``UNKNOWN_DISTRICT`` / ``UNKNOWN_STATION``)."""
        if district is not None:
            tree.district(district)
        if station is not None:
            tree.station(station)
        return cls(district, station, None if not states else frozenset(state.value for state in states))

    def admits(self, change: AlertChange) -> bool:
        return (
            (self.district is None or change.district_code == self.district)
            and (self.station is None or change.station_code == self.station)
            and (self.states is None or change.state in self.states)
        )


async def read_alert(info: Info, alert_id: str) -> KitchenAlert | None:
    """The alert and its moves as the subscriber may see them now (None outside its jurisdiction), read in a session
    of its own that is closed before the event is sent."""
    context = info.context
    if context.sessions is None:
        raise InternalError("a subscription needs its app's session factory (SubgraphApp.get_context)")
    async with context.sessions() as session:
        loaders = DetectionLoaders(session, context.services)
        row = await loaders.alerts.load(alert_id)
        if row is None:
            return None
        moves = await loaders.transitions.load(alert_id)
        alert = KitchenAlert.from_row(row)
        alert.loaded_transitions = [AlertTransition.from_row(move) for move in moves]
        await session.rollback()
        return alert


@strawberry.type
class Subscription:
    @subscription(
        "Kitchen alerts in your jurisdiction as they are raised and as they move (one event per committed move, "
        "the alert as it stands in the state it reached; a move overtaken by the next is left out); optionally of "
        "one district bureau or station, or in some states. Live only: "
        "load the list (Query.kitchenAlerts) when you subscribe.",
        action="detection.watch_alerts",
    )
    async def kitchen_alerts(
        self,
        info: Info,
        district: str | None = None,
        station: str | None = None,
        states: list[AlertState] | None = None,
    ) -> AsyncGenerator[KitchenAlert, None]:
        context = info.context
        wanted = AlertFilter.of(context.services.org_tree, district, station, states)
        reads = context.jurisdiction.reads
        async with context.services.alert_feed.listen() as changes:
            async for change in changes:
                place = Place(change.district_code, change.station_code, change.uscc)
                if not wanted.admits(change) or not reads.admits(place):
                    continue
                alert = await context.services.alert_reads.read(change, partial(read_alert, info))
                if alert is not None and alert.state.value == change.state:  # else it moved on: its next change comes
                    yield alert
