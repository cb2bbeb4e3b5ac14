"""Opaque keyset cursors (Relay cursor connections)."""

import pytest

from kernel.errors import ClientError
from subgraphs.common.pagination import MAX_PAGE_SIZE, check_page_size, decode_cursor, encode_cursor


def test_cursor_round_trip_is_opaque() -> None:
    cursor = encode_cursor(["91440300MA5H7K2P12", 7])
    assert "9144" not in cursor
    assert decode_cursor(cursor, (str, int)) == ("91440300MA5H7K2P12", 7)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        encode_cursor(["a"])[:-2],
        encode_cursor(["a", "b"]),  # another list's key
        "azE6W3RydWVd",  # [true]
        encode_cursor([7]),  # a number where the key is text
        encode_cursor([["a"]]),  # type: ignore[list-item]
    ],
)
def test_foreign_cursors_are_rejected(cursor: str) -> None:
    with pytest.raises(ClientError) as raised:
        decode_cursor(cursor, (str,))
    assert raised.value.code == "INVALID_CURSOR"


@pytest.mark.parametrize("key", [["7"], [2**63], [-(2**63) - 1], [1.5]])
def test_a_numeric_key_takes_only_a_bigint(key: list[object]) -> None:
    with pytest.raises(ClientError) as raised:
        decode_cursor(encode_cursor(key), (int,))  # type: ignore[arg-type]
    assert raised.value.code == "INVALID_CURSOR"


@pytest.mark.parametrize("first", [0, -1, MAX_PAGE_SIZE + 1])
def test_page_size_bounds(first: int) -> None:
    with pytest.raises(ClientError) as raised:
        check_page_size(first)
    assert raised.value.code == "INVALID_PAGE_SIZE"
