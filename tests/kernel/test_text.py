"""kernel.text.clean_text: what text from outside may hold."""

from __future__ import annotations

import pytest

from kernel.errors import ClientError
from kernel.text import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("深圳市华强食品有限公司", "深圳市华强食品有限公司"),
        ("Cafe\u0301", "Café"),  # NFC
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("甲\t乙", "甲\t乙"),
        ("", ""),  # empty stays empty: the domain decides whether it may be
        ("a\u200bb", "a\u200bb"),  # a zero-width character inside text is not refused
    ],
)
def test_clean_text_keeps_ordinary_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "\x00",
        "a\x07b",
        "a\x1bb",
        "a\x7fb",
        "a\x9bb",
        "a\u202ab",
        "a\u202eb",
        "a\u2066b",
        "a\u2069b",
        "\u200b",
        " \ufeff ",
    ],
)
def test_clean_text_refuses_hostile_text(raw: str) -> None:
    with pytest.raises(ClientError) as refused:
        clean_text(raw, field="name")
    assert refused.value.code == "INVALID_TEXT" and refused.value.message.startswith("name holds")
