"""Deadlines past the last State Council holiday notice (2027 with today's calendar data) are counted Monday to
Friday and flagged ``provisional`` through GraphQL; the flag clears once the calendar data covers the year.

Working days (工作日) exclude the holidays and include the make-up workdays (调休) of each year's notice
(行政许可法 Art. 82; DOMAIN.md §11.4); without a notice the count is an estimate, so an officer must see it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import httpx

from kernel.db import Database
from subgraphs.permits.component import component
from subgraphs.permits.deadlines import PermitClock
from subgraphs.permits.registry import InMemoryEntityRegistry
from subgraphs.permits.services import PermitServices
from tests.subgraphs.permits.conftest import Subgraph
from tests.subgraphs.permits.operations import ACCEPT, RECORD, SUBMIT, catering, legacy_permit
from tests.support.clock import Clock
from tests.support.components import app_of

WINDOW = "query($id: ID!) { permit(id: $id) { renewalWindow { opensOn dueBy provisional } } }"
APPLICATION = "query($id: ID!) { permitApplication(id: $id) { decisionDueOn deadlinesProvisional } }"


async def test_art_82_deadlines_in_a_year_without_a_holiday_notice_are_provisional(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2022, 6, 1))
    issued_2022 = await subgraph.data(RECORD, input=legacy_permit(validFrom="2022-06-01", validTo="2027-05-31"))
    issued_2021 = await subgraph.data(RECORD, input=legacy_permit(serial=2))  # expires 28 Feb 2026
    window = (await subgraph.data(WINDOW, id=issued_2022["recordPermit"]["permit"]["id"]))["permit"]["renewalWindow"]
    assert window["provisional"] is True
    known = (await subgraph.data(WINDOW, id=issued_2021["recordPermit"]["permit"]["id"]))["permit"]["renewalWindow"]
    assert known["provisional"] is False

    subgraph.clock.on(dt.date(2026, 12, 24))  # Thursday: 10 working days run into January 2027
    late = (await subgraph.data(SUBMIT, input=catering(3)))["submitPermitApplication"]["application"]
    accepted = (await subgraph.data(ACCEPT, id=late["id"]))["acceptApplication"]["application"]
    assert accepted["decisionDueOn"] == "2027-01-07"  # Monday–Friday: 1 January counts until a notice says otherwise
    assert (await subgraph.data(APPLICATION, id=late["id"]))["permitApplication"]["deadlinesProvisional"] is True
    subgraph.clock.on(dt.date(2026, 12, 1))
    early = (await subgraph.data(SUBMIT, input=catering(4)))["submitPermitApplication"]["application"]
    await subgraph.data(ACCEPT, id=early["id"])
    assert (await subgraph.data(APPLICATION, id=early["id"]))["permitApplication"]["deadlinesProvisional"] is False


async def test_the_provisional_flag_clears_when_the_calendar_covers_the_year(subgraph: Subgraph) -> None:
    subgraph.clock.on(dt.date(2022, 6, 1))
    permit = await subgraph.data(RECORD, input=legacy_permit(validFrom="2022-06-01", validTo="2027-05-31"))
    permit_id = permit["recordPermit"]["permit"]["id"]
    updated = await with_calendar_through(subgraph.database, dt.date(2027, 12, 31))
    async with updated as http:
        window = Subgraph(http, subgraph.database, subgraph.clock, subgraph.registry)
        assert (await window.data(WINDOW, id=permit_id))["permit"]["renewalWindow"]["provisional"] is False


async def with_calendar_through(database: Database, until: dt.date) -> httpx.AsyncClient:
    """A client of the same subgraph whose calendar data reaches ``until`` (as after a calendar update)."""
    clock = PermitClock.default()
    periods = dataclasses.replace(clock, calendar=dataclasses.replace(clock.calendar, covered_until=until))
    services = PermitServices(clock=Clock(), registry=InMemoryEntityRegistry(), periods=periods)
    transport = httpx.ASGITransport(app=app_of(component, database, services))
    return httpx.AsyncClient(transport=transport, base_url="http://permits.test")
