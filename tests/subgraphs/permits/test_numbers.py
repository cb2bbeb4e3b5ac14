"""Permit and filing number formats, one validator per kind (DOMAIN.md §3.2–3.4, §11.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from subgraphs.common.rules import default_rules
from subgraphs.permits.numbers import (
    InvalidPermitNumber,
    check_region_code,
    format_number,
    parse_jy,
    parse_permit_number,
    parse_sc,
)
from subgraphs.permits.vocabulary import PermitKind

ON = dt.date(2025, 6, 1)


def shenzhen(code: str) -> bool:
    return code in {"440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311"}


def test_a_shenzhen_catering_permit_is_split_into_its_parts() -> None:
    number = parse_jy("jy24403040000123", on=ON, is_local_region=shenzhen)
    assert (number.value, number.business_form, number.region_code) == ("JY24403040000123", 2, "440304")
    assert (number.sequence, number.check_digit, number.warnings) == ("000012", "3", ())


@pytest.mark.parametrize(
    ("number", "reason", "fragment"),
    [
        ("SC24403040000123", "PREFIX", "must start with 'JY'"),
        ("JY2440304000012", "LENGTH", "exactly 14 digits, not 13"),
        ("JY244030400001234", "LENGTH", "exactly 14 digits, not 15"),
        ("JY2440304000O123", "NON_DIGIT", "position 13 must be a digit 0–9, not 'O'"),
        ("JY24403040000１23", "NON_DIGIT", "position 14"),
        ("JY44403040000123", "BUSINESS_FORM", "must be one of 1, 2, 3, not 4"),
        ("JY04403040000123", "BUSINESS_FORM", "not 0"),
    ],
)
def test_each_jy_error_names_what_is_wrong(number: str, reason: str, fragment: str) -> None:
    with pytest.raises(InvalidPermitNumber) as caught:
        parse_jy(number, on=ON)
    assert caught.value.code == "INVALID_PERMIT_NUMBER"
    assert caught.value.extensions["reason"] == reason
    assert fragment in caught.value.message


def test_a_region_outside_guangdong_or_shenzhen_only_warns() -> None:
    beijing = parse_jy("JY21101050000123", on=ON, is_local_region=shenzhen)
    assert beijing.value == "JY21101050000123"
    assert "not a Guangdong (44) code" in beijing.warnings[0]
    unknown_district = parse_jy("JY24403990000123", on=ON, is_local_region=shenzhen)
    assert "not a known Shenzhen district" in unknown_district.warnings[0]
    guangzhou = parse_jy("JY24401060000123", on=ON, is_local_region=shenzhen)
    assert guangzhou.warnings == ()


def test_any_check_digit_is_accepted_because_the_algorithm_is_unpublished() -> None:
    for digit in "0123456789":
        assert parse_jy(f"JY244030400001{digit}{digit}", on=ON).check_digit == digit


def test_a_production_permit_for_food_and_for_additives() -> None:
    food = parse_sc("SC10644030600015", on=ON)
    assert (food.category_code, food.region_code, food.sequence, food.check_digit) == ("106", "440306", "0001", "5")
    additive = parse_sc("SC20344030600015", on=ON)
    assert additive.category_code == "203"


@pytest.mark.parametrize(
    ("number", "reason", "fragment"),
    [
        ("JY10644030600015", "PREFIX", "must start with 'SC'"),
        ("SC1064403060001", "LENGTH", "not 13"),
        ("SC30644030600015", "CATEGORY_GROUP", "1 (food) or 2 (food additive), not 3"),
        ("SC13344030600015", "CATEGORY", "food category) must be one of the SC-2015 catalogue's 01–31, not 33"),
        ("SC13244030600015", "CATEGORY", "not 32"),  # the old 01–32 rule let 32 through; the catalogue ends at 31
        ("SC10044030600015", "CATEGORY", "not 00"),
        (
            "SC20444030600015",
            "CATEGORY",
            "food additive category) must be one of the SC-2015 catalogue's 01–03, not 04",
        ),
        ("SC1064403060001X", "NON_DIGIT", "position 16"),
    ],
)
def test_each_sc_error_names_what_is_wrong(number: str, reason: str, fragment: str) -> None:
    with pytest.raises(InvalidPermitNumber) as caught:
        parse_sc(number, on=ON)
    assert caught.value.extensions["reason"] == reason
    assert fragment in caught.value.message


def test_each_kind_has_its_own_validator() -> None:
    assert parse_permit_number(PermitKind.PREPACK_FILING, "YB14403070000013", on=ON).region_code == "440307"
    with pytest.raises(InvalidPermitNumber) as caught:
        parse_permit_number(PermitKind.PREPACK_FILING, "JY14403070000013", on=ON)
    assert caught.value.extensions["reason"] == "PREFIX"
    workshop = parse_permit_number(PermitKind.WORKSHOP_REG, "粤小作坊440304001", on=ON)
    assert "unpublished" in workshop.warnings[0]
    with pytest.raises(InvalidPermitNumber) as stall:
        parse_permit_number(PermitKind.STALL_REG, "TF-1", on=ON)
    assert stall.value.extensions["reason"] == "CHARACTERS"


def test_numbers_without_a_legal_format_are_read_under_named_local_conventions() -> None:
    """The YB prefix, the registration-number characters and our Luhn check digit have no legal source: each is a
    ``permits.number.local.*`` rule marked U, and a number read under one says which."""
    filing = parse_permit_number(PermitKind.PREPACK_FILING, "YB14403070000013", on=ON)
    assert "permits.number.local.filing_prefix_yb@2015-10-01" in filing.warnings[0]
    workshop = parse_permit_number(PermitKind.WORKSHOP_REG, "粤小作坊440304001", on=ON)
    assert "permits.number.local.registration_characters@2015-10-01" in workshop.warnings[0]
    with pytest.raises(InvalidPermitNumber) as too_long:
        parse_permit_number(PermitKind.WORKSHOP_REG, "粤" + "1" * 32, on=ON)
    assert "6–32 characters" in too_long.value.message
    rules = default_rules()
    for key in ("placeholder_check_digit", "filing_prefix_yb", "registration_characters"):
        rule = rules.get(f"permits.number.local.{key}", ON)
        assert rule.certainty == "U" and rule.basis.startswith("LOCAL CONVENTION")


def test_numbers_we_issue_pass_our_own_validators() -> None:
    assert parse_jy(format_number(PermitKind.JY, "JY2440304", 12), on=ON).sequence == "000012"
    assert parse_sc(format_number(PermitKind.SC, "SC106440306", 12), on=ON).sequence == "0012"
    with pytest.raises(Exception, match="exhausted"):
        format_number(PermitKind.SC, "SC106440306", 10_000)


def test_region_codes_are_six_digits() -> None:
    assert check_region_code("440304") == "440304"
    for bad in ("44030", "4403041", "44O304", "４４０３０４"):
        with pytest.raises(Exception, match="6-digit"):
            check_region_code(bad)
