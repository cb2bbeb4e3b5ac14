"""Text inputs are checked in one place (the root-field guard): control characters, bidirectional overrides and
invisible-only values are INVALID_TEXT with nothing written, on both databases; what is kept is NFC."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.db import Database
from tests.subgraphs.entities.harness import REGISTER, Subgraph, application, count

SEARCH = "query($n: String!) { entities(first: 5, filter: { nameContains: $n }) { edges { node { uscc } } } }"


@pytest.mark.parametrize(
    ("name", "offending"),
    [
        ("\u200b", "only invisible characters"),
        ("\u200b\ufeff ", "only invisible characters"),
        ("深圳市\u202e司公限有品食", "U+202E RIGHT-TO-LEFT OVERRIDE at position 4"),
        ("深圳市\u2066华强食品有限公司", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("深圳市\x1b[31m华强食品有限公司", "U+001B control character at position 4"),
        ("深圳市\x00华强食品有限公司", "U+0000 control character"),
        ("深圳市\x85华强食品有限公司", "U+0085 control character"),
    ],
)
async def test_hostile_names_are_refused_and_nothing_is_written(
    subgraph: Subgraph, database: Database, name: str, offending: str
) -> None:
    error = await subgraph.error(REGISTER, {"input": application(name=name)})
    assert error["extensions"]["code"] == "INVALID_TEXT"
    assert error["message"].startswith("input.name holds") and offending in error["message"]
    assert await count(database, "market_entity") == 0


async def test_nested_text_is_checked_too(subgraph: Subgraph) -> None:
    representative = {
        "name": "张\u202e伟",
        "idNumber": application()["legalRepresentative"]["idNumber"],
        "phone": "13812345678",
    }
    error = await subgraph.error(REGISTER, {"input": application(legalRepresentative=representative)})
    assert error["extensions"]["code"] == "INVALID_TEXT"
    assert error["message"].startswith("input.legalRepresentative.name holds U+202E")


async def test_search_terms_are_checked(subgraph: Subgraph) -> None:
    error = await subgraph.error(SEARCH, {"n": "餐\x00饮"})
    assert (error["extensions"]["code"], error["path"]) == ("INVALID_TEXT", ["entities"])


async def test_text_is_stored_in_nfc(subgraph: Subgraph) -> None:
    decomposed = "深圳市Cafe\u0301餐饮有限公司"  # e + combining acute
    body: dict[str, Any] = await subgraph.data(REGISTER, {"input": application(name=decomposed)})
    assert body["registerEntity"]["entity"]["name"] == "深圳市Café餐饮有限公司"


async def test_line_breaks_in_free_text_are_kept(subgraph: Subgraph) -> None:
    scope = "食品销售；\r\n餐饮服务。"
    await subgraph.data(REGISTER, {"input": application(businessScope=scope)})
    found = await subgraph.data('{ entity(uscc: "91440300MA5H7K2P12") { businessScope } }')
    assert found["entity"]["businessScope"] == "食品销售；\n餐饮服务。"
