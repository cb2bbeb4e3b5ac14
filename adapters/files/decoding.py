"""Which encoding a CSV file is in (UTF-8 with or without BOM, GBK, GB18030), decided from its bytes and reported;
lines that are not text in it are refused one by one, never silently repaired."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from adapters.errors import AdapterCode
from subgraphs.integration.store import Reason

BOM = codecs.BOM_UTF8
SAMPLE = 1 << 16


@dataclass(frozen=True, slots=True)
class Encoding:
    name: str
    """What the sender used, as reported: ``UTF-8``, ``GBK`` or ``GB18030``."""
    codec: str
    bom: bool = False


UTF8 = Encoding("UTF-8", "utf-8")
GBK = Encoding("GBK", "gbk")
GB18030 = Encoding("GB18030", "gb18030")


def _decodes(sample: bytes, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is not an error
    except UnicodeDecodeError:
        return False
    return True


def _failures(sample: bytes, codec: str) -> int:
    return sum(1 for line in sample.splitlines()[:-1] if not _decodes(line, codec))


def detect(sample: bytes) -> Encoding:
    """The encoding of a file that begins with ``sample``: a BOM says UTF-8; else the first of UTF-8, GBK and
    GB18030 in which the sample is text; else (broken bytes) the one with the fewest broken lines."""
    if sample.startswith(BOM):
        return Encoding("UTF-8", "utf-8", bom=True)
    for candidate in (UTF8, GBK, GB18030):
        if _decodes(sample, candidate.codec):
            return candidate
    return min((GBK, GB18030, UTF8), key=lambda candidate: _failures(sample, candidate.codec))


def decode_line(raw: bytes, encoding: Encoding, line: int) -> tuple[str, Reason | None]:
    """A line as text; a line with bytes that are not text in ``encoding`` becomes a reason to refuse its record."""
    try:
        return raw.decode(encoding.codec), None
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 4].hex(" ")
        reason = Reason(
            None,
            AdapterCode.INVALID_ENCODING,
            f"line {line} is not {encoding.name} text: bytes {bad} at byte {error.start + 1}",
        )
        return raw.decode(encoding.codec, errors="replace"), reason
