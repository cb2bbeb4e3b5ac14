"""DataLoader answers keep the order of the keys asked, whatever order the SELECT returned the rows in."""

from __future__ import annotations

from subgraphs.common.loaders import many_per_key, one_per_key

ROWS = [("b", 1), ("a", 2), ("b", 3)]


def test_one_row_per_key_in_key_order_and_none_where_missing() -> None:
    assert one_per_key(["a", "x", "b"], [("b", 1), ("a", 2)], lambda row: row[0]) == [("a", 2), None, ("b", 1)]


def test_many_rows_per_key_keep_statement_order_and_empty_where_missing() -> None:
    assert many_per_key(["x", "b", "a"], ROWS, lambda row: row[0]) == [[], [("b", 1), ("b", 3)], [("a", 2)]]
