"""Jurisdiction is one mechanism, and nothing is reachable around it: every root field and mutation of every
subgraph carries the guard, every table is declared supervised, scoped through a supervised parent or unscoped,
and every supervised table read through an officer's request session returns that officer's rows only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import and_, func, inspect, select, tuple_
from sqlalchemy.orm import aliased
from strawberry.types.base import StrawberryObjectDefinition

from hub.components import SUBGRAPHS
from kernel.db import Database
from kernel.orgtree import default_org_tree
from subgraphs.common.component import Holder, SeedRequest, SubgraphComponent, Wiring
from subgraphs.common.fields import JurisdictionGuard
from subgraphs.common.jurisdiction import (
    Jurisdiction,
    ScopedThrough,
    Supervised,
    Unscoped,
    open_request_session,
    request_sessions,
)
from tests.support.components import migrated
from tests.support.identities import CITY, FUTIAN, officer

IDS = [component.name for component in SUBGRAPHS]
FEDERATION = {"_entities", "_service"}
"""Strawberry's own root fields: ``_service`` answers the SDL, ``_entities`` resolves references through the
component's loaders, that is through the request's scoped session (the tests of each subgraph call it as an
officer of another jurisdiction and get nulls)."""


def root_fields(component: SubgraphComponent[Any, Any], root: str) -> list[Any]:
    kind = getattr(component.schema, root)
    if kind is None:
        return []
    definition: StrawberryObjectDefinition = kind.__strawberry_definition__
    return list(definition.fields)


@pytest.mark.parametrize("component", SUBGRAPHS, ids=IDS)
def test_every_root_field_and_mutation_passes_the_guard(component: SubgraphComponent[Any, Any]) -> None:
    for root, writes in (("query", False), ("mutation", True)):
        for field in root_fields(component, root):
            if field.name in FEDERATION:
                continue
            guards = [extension for extension in field.extensions if isinstance(extension, JurisdictionGuard)]
            assert len(guards) == 1, f"{component.name}: {root} field {field.name} has no jurisdiction guard"
            assert guards[0].writes is writes, f"{component.name}: {field.name} declares the wrong kind of guard"
    assert root_fields(component, "query"), f"{component.name} has no root query fields at all"


@pytest.mark.parametrize("component", SUBGRAPHS, ids=IDS)
def test_every_table_is_declared_as_one_kind(component: SubgraphComponent[Any, Any]) -> None:
    mapped = {mapper.class_ for mapper in component.models.registry.mappers}
    assert {model.__table__ for model in mapped} == set(component.models.metadata.tables.values())
    for model in mapped:
        kinds = [kind for kind in (Supervised, ScopedThrough, Unscoped) if issubclass(model, kind)]
        assert len(kinds) == 1, f"{model.__name__} must be exactly one of Supervised, ScopedThrough, Unscoped"
        if issubclass(model, Supervised):
            columns = model.__table__.columns  # type: ignore[attr-defined]
            assert {"district_code", "station_code"} <= set(columns.keys()), model.__name__
        if issubclass(model, ScopedThrough):
            parent = model.scoped_through
            assert issubclass(parent, Supervised) and parent in mapped, f"{model.__name__} is scoped through nothing"


@pytest.fixture(params=["sqlite", "postgresql"])
async def seeded(request: pytest.FixtureRequest, tmp_path: Path, postgres_database_url: str) -> AsyncIterator[Database]:
    """Every component's demo data (entities all over the city, their permits) in one database."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'walk.db'}" if request.param == "sqlite" else postgres_database_url
    database = await migrated(url, *SUBGRAPHS)
    wiring = Wiring(org_tree=default_org_tree())
    holders: tuple[Holder, ...] = ()
    for component in SUBGRAPHS:
        if component.seed_demo is not None:
            outcome = await component.seed_demo(database, component.services(wiring), SeedRequest(0, False, holders))
            holders = outcome.holders or holders
    yield database
    await database.dispose()


async def rows_seen(
    database: Database, component: SubgraphComponent[Any, Any], model: type[Any], org_path: str
) -> list[Any]:
    jurisdiction = Jurisdiction.of(officer(org_path), default_org_tree(), component.scopes)
    session = open_request_session(request_sessions(database.engine), jurisdiction)
    try:
        rows = list((await session.execute(select(model.district_code, model.station_code))).all())
        keys = [getattr(model, column.key) for column in inspect(model).primary_key]  # all of a composite key
        counted = await session.scalar(select(func.count()).select_from(model))
        in_subquery = await session.scalar(select(func.count()).where(tuple_(*keys).in_(select(*keys))))
        aliased_join = aliased(model)
        joined = await session.scalar(
            select(func.count())
            .select_from(model)
            .join(aliased_join, and_(*(getattr(aliased_join, key.key) == key for key in keys)))
        )
        assert counted == in_subquery == joined == len(rows), (model.__name__, counted, in_subquery, joined)
        return rows
    finally:
        await session.close()


async def test_a_request_session_reads_only_the_callers_rows_in_every_supervised_table(seeded: Database) -> None:
    tree = default_org_tree()
    district = tree.unit_at(FUTIAN)
    async with seeded.transaction() as system:  # a station of 福田 that the demo data uses
        first = SUBGRAPHS[0].models.registry.mappers
        supervised: Any = next(m.class_ for m in first if issubclass(m.class_, Supervised))
        code = await system.scalar(
            select(supervised.station_code).where(supervised.district_code == district.code).limit(1)
        )
    assert code is not None, "the demo data has no entity in 福田"
    station = tree.station(code)
    checked = []
    for component in SUBGRAPHS:
        for mapper in component.models.registry.mappers:
            model: Any = mapper.class_
            if not issubclass(model, Supervised):
                continue
            async with seeded.transaction() as system:  # a job's session: the whole table
                total = await system.scalar(select(func.count()).select_from(model))
                in_station = await system.scalar(select(func.count()).where(model.station_code == station.code))
                in_district = await system.scalar(select(func.count()).where(model.district_code == district.code))
            city = await rows_seen(seeded, component, model, CITY)
            futian = await rows_seen(seeded, component, model, FUTIAN)
            at_station = await rows_seen(seeded, component, model, station.path)
            assert len(city) == total
            assert len(futian) == in_district and {d for d, _ in futian} <= {district.code}
            assert len(at_station) == in_station and {s for _, s in at_station} <= {station.code}
            checked.append((model.__name__, total, in_district, in_station))
    assert any(total > in_district > in_station > 0 for _, total, in_district, in_station in checked), checked
