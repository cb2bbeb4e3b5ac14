"""The 1+11+74 org tree (DOMAIN.md §9) and segment-safe path containment."""

from collections import Counter

import pytest

from kernel.errors import ClientError
from kernel.orgtree import OrgLevel, default_org_tree, path_contains


def test_one_city_eleven_districts_seventy_four_stations() -> None:
    tree = default_org_tree()
    assert tree.city.code == "440300"
    assert len(tree.districts()) == 11
    assert len(tree.stations()) == 74
    assert {d.code for d in tree.districts()} >= {f"4403{n:02d}" for n in range(3, 12)}


def test_station_tally_per_district_matches_the_street_count() -> None:
    tree = default_org_tree()
    tally = Counter(tree.district_of(station).area for station in tree.stations())
    assert tally == {
        "福田区": 10, "罗湖区": 10, "盐田区": 4, "南山区": 8, "宝安区": 10,
        "龙岗区": 11, "龙华区": 6, "坪山区": 6, "光明区": 6, "大鹏新区": 3,
    }  # fmt: skip


def test_functional_areas_have_region_codes_but_no_gb_code_of_their_own() -> None:
    tree = default_org_tree()
    dapeng, shenshan = tree.district("DPXQ"), tree.district("SSTHQ")
    assert dapeng.functional_area == "大鹏新区" and dapeng.region_codes == ("440307",)
    assert shenshan.functional_area == "深汕特别合作区" and tree.stations("SSTHQ") == ()


def test_shenshan_is_its_four_towns_by_their_township_codes() -> None:
    towns = default_org_tree().district("SSTHQ").towns
    assert {(town.code, town.names[0]) for town in towns} == {
        ("441521102000", "小漠镇"), ("441521103000", "鹅埠镇"), ("441521104000", "赤石镇"), ("441521105000", "鲘门镇"),
    }  # fmt: skip
    assert {town.county_code for town in towns} == {"441521"}


def test_station_codes_are_nine_digit_street_codes_under_their_district_path() -> None:
    tree = default_org_tree()
    station = tree.station("440304009")
    assert (station.area, station.level, station.path) == ("华强北街道", OrgLevel.STATION, "440300/440304/440304009")
    assert all(len(s.code) == 9 and s.code.isdigit() for s in tree.stations())
    assert station.parent_code == "440304"


def test_path_containment_compares_segments_not_string_prefixes() -> None:
    assert path_contains("440300/440304", "440300/440304/440304009")
    assert path_contains("440300", "440300")
    assert not path_contains("440300/d1", "440300/d10/s1")
    assert not path_contains("440300/440304/440304009", "440300/440304")


def test_unknown_codes_have_their_own_error_codes() -> None:
    tree = default_org_tree()
    with pytest.raises(ClientError) as district:
        tree.district("440399")
    with pytest.raises(ClientError) as station:
        tree.station("440304099")
    assert district.value.code == "UNKNOWN_DISTRICT" and "440303" in district.value.message
    assert station.value.code == "UNKNOWN_STATION"


def test_station_from_an_address_names_its_street() -> None:
    tree = default_org_tree()
    found = tree.station_in_address("广东省深圳市盐田区沙头角街道沙深路1号")
    assert found is not None and found.code == "440308003"  # not 福田's 沙头
    assert tree.station_in_address("深圳市福田区某路1号") is None


def test_an_org_path_resolves_only_along_real_parent_links() -> None:
    tree = default_org_tree()
    assert tree.unit_at("440300").level is OrgLevel.CITY
    assert tree.unit_at("440300/440304").area == "福田区"
    assert tree.unit_at("440300/440304/440304009").area == "华强北街道"
    for wrong in ("440300/440305/440304009", "440304/440304009", "440300/440304/", "440300/44030"):
        with pytest.raises(ClientError) as raised:
            tree.unit_at(wrong)
        assert raised.value.code == "UNKNOWN_ORG_UNIT"


@pytest.mark.parametrize(
    ("address", "region", "codes"),
    [
        ("广东省深圳市福田区华强北街道振华路8号", "440304", ("440304", "440304009")),
        ("广东省深圳市福田区华强北街道振华路8号", None, ("440304", "440304009")),
        ("广东省深圳市南山区某路2号", "440305", ("440305", None)),
        ("广东省深圳市某路3号", "440307", ("440307", None)),  # 龙岗's own code; 大鹏 shares the region code
        ("外地某路4号", "449999", (None, None)),
        # 深汕特别合作区 is four towns of 海丰县 (441521), not the county
        ("广东省汕尾市海丰县鹅埠镇创业路1号", "441521", ("SSTHQ", None)),
        ("广东省汕尾市海丰县鮜门镇百安路2号", "441521", ("SSTHQ", None)),  # the 统计用区划代码 spelling of 鲘门镇
        ("广东省深圳市深汕特别合作区某路3号", "441521", ("SSTHQ", None)),
        ("广东省汕尾市海丰县梅陇镇梅陇大道4号", "441521", (None, None)),
        ("广东省汕尾市海丰县海城镇某路5号", "441521", (None, None)),
        ("外地某路4号", None, (None, None)),
    ],
)
def test_the_unit_supervising_premises(address: str, region: str | None, codes: tuple[str | None, str | None]) -> None:
    tree = default_org_tree()
    assert tree.codes_of(tree.premises_unit(address, region)) == codes
