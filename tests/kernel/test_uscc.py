"""USCC checks exactly as DOMAIN.md §2.1 / §11.1 (GB 32100-2015, GB 11714-1997)."""

import pytest

from kernel.uscc import WEIGHTS, InvalidUscc, check_character, gb11714_check_character, parse_uscc


def test_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_example_a_from_the_standard() -> None:
    assert check_character("91350100M000100Y4") == "3"
    code = parse_uscc("91350100M000100Y43")
    assert code.code == "91350100M000100Y43" and code.warnings == ()


def test_example_a_with_z_is_rejected_naming_the_letter() -> None:
    with pytest.raises(InvalidUscc) as raised:
        parse_uscc("91350100M000100Y4Z")
    assert raised.value.message.startswith("illegal character 'Z' at position 18")
    assert raised.value.code == "INVALID_USCC"


def test_example_b_shenzhen_company_passes_both_checks() -> None:
    assert gb11714_check_character("MA5H7K2P") == "1"
    code = parse_uscc("91440300MA5H7K2P12")
    assert (code.authority, code.category, code.region, code.subject_identifier) == ("9", "1", "440300", "MA5H7K2P1")
    assert code.warnings == ()


def test_s_mod_31_zero_gives_check_0_not_an_index_error() -> None:
    assert check_character("91440300MA5H7K2M1") == "0"
    assert parse_uscc("91440300MA5H7K2M10").code == "91440300MA5H7K2M10"


def test_result_30_maps_to_y() -> None:
    assert check_character("91440300MA5H7K2L1") == "Y"
    assert parse_uscc("91440300MA5H7K2L1Y").code == "91440300MA5H7K2L1Y"


def test_gb11714_mismatch_is_a_warning_not_a_rejection() -> None:
    code = parse_uscc("91440300MA5H7K2M10")  # position 17 was not chosen to satisfy GB 11714
    assert len(code.warnings) == 1
    assert "GB 11714" in code.warnings[0] and "gives 7" in code.warnings[0]


@pytest.mark.parametrize("code", ["91110000101623741K", "911101066976941872"])
def test_published_real_codes_pass(code: str) -> None:
    assert parse_uscc(code).code == code


def test_lower_case_is_upper_cased_first() -> None:
    assert parse_uscc("91440300ma5h7k2p12").code == "91440300MA5H7K2P12"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("91440300MA5H7K2P1", "18 characters, this one has 17"),
        ("91440300MA5H7K2P123", "18 characters, this one has 19"),
        ("", "this one has 0"),
        ("91440300ＭA5H7K2P12", "illegal character 'Ｍ' at position 9 (full-width M; type it half-width)"),
        (
            "91440300中A5H7K2P12",
            "illegal character '中' at position 9 (only digits and capital letters appear in a USCC)",
        ),
        ("９1440300MA5H7K2P12", "illegal character '９' at position 1 (full-width"),
        ("91440300 MA5H7K2P12", "illegal character ' ' at position 9 (a space"),
        (" 91440300MA5H7K2P12", "' ' at position 1 (a space"),
        ("91440300-MA5H7K2P1", "illegal character '-' at position 9 (a hyphen"),
        ("91440300MA5H7K2PI2", "'I' at position 17 (the letters I, O, S, V and Z are never used)"),
        ("9144030OMA5H7K2P12", "'O' at position 8"),
        ("91440A00MA5H7K2P12", "illegal character 'A' at position 6 (positions 3–8"),
        ("94440300MA5H7K2P12", "authority/category pair 94"),
        ("B1440300MA5H7K2P12", "authority/category pair B1"),
        ("91990300MA5H7K2P12", "no province 99"),
        ("91440300MA5H7K2P13", "check character expected 2 but found 3"),
    ],
)
def test_invalid_codes_name_what_is_wrong(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidUscc) as raised:
        parse_uscc(raw)
    assert fragment in raised.value.message
    assert raised.value.extensions["code"] == "INVALID_USCC"


def test_error_details_carry_position_expected_and_found() -> None:
    with pytest.raises(InvalidUscc) as raised:
        parse_uscc("91440300MA5H7K2P13")
    assert raised.value.extensions == {"code": "INVALID_USCC", "position": 18, "expected": "2", "found": "3"}


def test_national_registry_region_is_allowed() -> None:
    first17 = "91100000MA5H7K2P1"
    assert parse_uscc(first17 + check_character(first17)).region == "100000"
