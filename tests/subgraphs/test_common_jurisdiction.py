"""Data scopes from the gateway-signed caller: officers by org path, machine clients by scope and client org path;
containment segment by segment, never by string prefix; writes need the write scope."""

from __future__ import annotations

import pytest

from kernel.errors import ForbiddenError
from kernel.orgtree import CITY_WIDE, default_org_tree
from kernel.principal import Principal
from subgraphs.common.jurisdiction import DataScope, Jurisdiction, Scopes, data_scope
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, machine, officer

READ = ("entities:read", "entities:write")
TREE = default_org_tree()
SCOPES = Scopes(read=READ, write="entities:write")
NOWHERE = DataScope(TREE, None)


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
    assert data_scope(officer(FUTIAN), TREE, READ).admits(district, station) is futian
    assert data_scope(officer(HUAQIANGBEI), TREE, READ).admits(district, station) is station_009
    assert data_scope(officer(CITY), TREE, READ).admits(district, station) is (district is not None)
    assert NOWHERE.admits(district, station) is False


def test_writes_need_the_write_scope_for_machine_clients() -> None:
    Jurisdiction.of(machine("etl", "entities:write", org_path=FUTIAN), TREE, SCOPES).require_write(
        "440304", "440304009"
    )
    with pytest.raises(ForbiddenError) as refused:
        Jurisdiction.of(machine("etl", "entities:read", org_path=FUTIAN), TREE, SCOPES).require_write(
            "440304", "440304009"
        )
    assert refused.value.code == "FORBIDDEN"
    with pytest.raises(ForbiddenError):
        Jurisdiction.of(officer(HUAQIANGBEI), TREE, SCOPES).require_write("440304", "440304001")
