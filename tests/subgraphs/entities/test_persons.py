"""Resident ID numbers (GB 11643-1999), phone numbers, and masking of both."""

import pytest

from kernel.errors import ClientError
from subgraphs.entities.persons import id_check_character, mask_id_number, mask_phone, parse_id_number, parse_phone


def test_id_check_character_of_the_standard_example() -> None:
    assert id_check_character("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("1101051949123100", "17 digits and a check character"),
        ("110105194913310021", "not a birth date"),
        ("110105194912310021", "expected X but found 1"),
    ],
)
def test_bad_id_numbers_are_rejected(raw: str, fragment: str) -> None:
    with pytest.raises(ClientError) as raised:
        parse_id_number(raw)
    assert raised.value.code == "INVALID_ID_NUMBER" and fragment in raised.value.message


def test_masks_keep_only_what_identifies_nothing() -> None:
    assert mask_id_number("440304199001011233") == "4403**********1233"
    assert mask_phone("13812345678") == "138****5678"


def test_phones() -> None:
    assert parse_phone("0755-83070000") == "0755-83070000"
    with pytest.raises(ClientError) as raised:
        parse_phone("12345")
    assert raised.value.code == "INVALID_PHONE"
