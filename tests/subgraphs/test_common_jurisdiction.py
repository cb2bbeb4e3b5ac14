"""Data scopes from the gateway-signed caller: officers by org path, machine clients by scope and client org path;
containment segment by segment, never by string prefix; writes need the write scope."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kernel.errors import ForbiddenError
from kernel.orgtree import CITY_WIDE, default_org_tree
from kernel.principal import Principal
from subgraphs.common.jurisdiction import DataScope, Jurisdiction, Place, Scopes, data_scope
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, enterprise_user, machine, officer

READ = ("entities:read", "entities:write")
TREE = default_org_tree()
SCOPES = Scopes(read=READ, write="entities:write")
NOWHERE = DataScope(TREE, None)
STATION_009 = Place("440304", "440304009")


@pytest.mark.parametrize(
    ("caller", "unit"),
    [
        (None, None),
        (officer(CITY), "440300"),
        (officer(FUTIAN), "440304"),
        (officer(HUAQIANGBEI), "440304009"),
        (officer("440300/44030"), None),  # a string prefix of a real path
        (officer("440300/440304/4403040091"), None),
        (officer("440300/440305/440304009"), None),  # not a real parent chain
        (machine("etl", "entities:read", org_path=FUTIAN), "440304"),
        (machine("etl", "entities:write", CITY_WIDE), "440300"),
        (machine("etl", "entities:read"), None),  # no jurisdiction, no city-wide scope
        (machine("etl", "permits:read", org_path=CITY), None),  # a jurisdiction, but not this resource's scope
        (officer(FUTIAN, CITY_WIDE), "440304"),  # an org path is never widened by the scope
    ],
)
def test_the_scope_of_each_caller(caller: Principal | None, unit: str | None) -> None:
    scope = data_scope(caller, TREE, READ)
    assert (scope.unit.code if scope.unit else None) == unit


@pytest.mark.parametrize(
    ("district", "station", "futian", "station_009"),
    [
        ("440304", "440304009", True, True),
        ("440304", "440304001", True, False),
        ("440304", None, True, False),  # supervised by the bureau itself
        ("440305", "440305001", False, False),
        ("440310", "440310001", False, False),
        (None, None, False, False),  # premises no unit claims
    ],
)
def test_admits_compares_whole_segments(
    district: str | None, station: str | None, futian: bool, station_009: bool
) -> None:
    place = Place(district, station, "91440300MA5H7K2P12")
    assert data_scope(officer(FUTIAN), TREE, READ).admits(place) is futian
    assert data_scope(officer(HUAQIANGBEI), TREE, READ).admits(place) is station_009
    assert data_scope(officer(CITY), TREE, READ).admits(place) is (district is not None)
    assert NOWHERE.admits(place) is False


def test_writes_need_the_write_scope_for_machine_clients() -> None:
    Jurisdiction.of(machine("etl", "entities:write", org_path=FUTIAN), TREE, SCOPES).require_write(STATION_009)
    with pytest.raises(ForbiddenError) as refused:
        Jurisdiction.of(machine("etl", "entities:read", org_path=FUTIAN), TREE, SCOPES).require_write(STATION_009)
    assert refused.value.code == "FORBIDDEN"
    with pytest.raises(ForbiddenError):
        Jurisdiction.of(officer(HUAQIANGBEI), TREE, SCOPES).require_write(Place("440304", "440304001"))


def test_writes_need_the_write_scope_delegated_to_the_officers_app_too() -> None:
    app_without_write = replace(officer(FUTIAN), scopes=frozenset({"openid"}))
    jurisdiction = Jurisdiction.of(app_without_write, TREE, SCOPES)
    assert jurisdiction.reads.unit is not None and jurisdiction.writes.nowhere
    with pytest.raises(ForbiddenError):
        jurisdiction.require_write(STATION_009)


def test_an_enterprise_user_reaches_the_entities_it_acts_for_only() -> None:
    mine, other = "91440300MA5H7K2P12", "91440300MA5F000018"
    jurisdiction = Jurisdiction.of(enterprise_user(mine), TREE, Scopes(("permits:read",), "permits:write"))
    assert jurisdiction.reads.holders == {mine} and jurisdiction.reads.unit is None
    assert jurisdiction.reads.admits(Place("440304", "440304009", mine))
    assert not jurisdiction.reads.admits(Place("440304", "440304009", other))
    assert not jurisdiction.reads.admits(Place("440304", "440304009", None))
    jurisdiction.require_write(Place("440305", "440305004", mine))  # wherever its premises are
    with pytest.raises(ForbiddenError):
        jurisdiction.require_write(Place("440304", "440304009", other))
    assert Jurisdiction.of(enterprise_user(mine), TREE, SCOPES).writes.nowhere  # its app may not change entities
    both = replace(enterprise_user(mine), org_path=FUTIAN)
    assert data_scope(both, TREE, READ).nowhere  # never both kinds of scope at once
