"""Data scopes from the gateway-signed caller: officers by org path, machine clients by scope and client org path;
containment segment by segment, never by string prefix."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from subgraphs.common.data_scope import CITY_WIDE, NOWHERE, data_scope, require_write
from subgraphs.common.forwarding_secret import SECRET_FILE, forwarding_secret

from kernel.errors import ForbiddenError
from kernel.principal import Principal
from tests.support.identities import CITY, FUTIAN, HUAQIANGBEI, machine, officer

READ = ("entities:read", "entities:write")


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
    scope = data_scope(caller, *READ)
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
    assert data_scope(officer(FUTIAN)).admits(district, station) is futian
    assert data_scope(officer(HUAQIANGBEI)).admits(district, station) is station_009
    assert data_scope(officer(CITY)).admits(district, station) is (district is not None)
    assert NOWHERE.admits(district, station) is False


def test_writes_need_the_write_scope_for_machine_clients() -> None:
    require_write(machine("etl", "entities:write", org_path=FUTIAN), "entities:write", "440304", "440304009")
    with pytest.raises(ForbiddenError) as refused:
        require_write(machine("etl", "entities:read", org_path=FUTIAN), "entities:write", "440304", "440304009")
    assert refused.value.code == "FORBIDDEN"
    with pytest.raises(ForbiddenError):
        require_write(officer(HUAQIANGBEI), "entities:write", "440304", "440304001")


def test_the_forwarding_secret_is_configured_or_generated_once(tmp_path: Path) -> None:
    configured = "x" * 32
    assert forwarding_secret(configured, tmp_path) == configured
    assert not (tmp_path / SECRET_FILE).exists()
    with pytest.raises(ValueError, match="at least 32 bytes"):
        forwarding_secret("short", tmp_path)
    data_dir = tmp_path / ".zhijian"
    generated = forwarding_secret(None, data_dir)
    assert len(generated) >= 32 and forwarding_secret("", data_dir) == generated
    assert stat.S_IMODE((data_dir / SECRET_FILE).stat().st_mode) == 0o600
