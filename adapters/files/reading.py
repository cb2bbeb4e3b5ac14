"""Records out of a dropped file, one at a time (bounded memory however long the file): CSV through the detected
encoding, .xlsx through calamine (formula cells give their computed value; a merged cell's value fills its range)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from adapters.errors import AdapterCode
from adapters.files.decoding import SAMPLE, Encoding, decode_line, detect
from subgraphs.integration.store import Reason


@dataclass(frozen=True, slots=True)
class FileRecord:
    row: int
    """The spreadsheet row number (the header is row 1)."""
    fields: dict[str, str]
    broken: Reason | None


def csv_encoding(path: Path) -> Encoding:
    with path.open("rb") as file:
        return detect(file.read(SAMPLE))


def csv_records(path: Path, encoding: Encoding) -> Iterator[FileRecord]:
    """Each record after the header: its row number (the header is row 1), fields by header name, and why it cannot
    be read where it cannot (broken bytes, a wrong number of fields)."""
    broken: dict[int, Reason] = {}

    def lines() -> Iterator[str]:
        with path.open("rb") as file:
            for number, raw in enumerate(file, start=1):
                text, problem = decode_line(raw, encoding, number)
                if problem is not None:
                    broken[number] = problem
                yield text.lstrip("\ufeff") if number == 1 else text

    reader = csv.reader(lines())
    header = [name.strip() for name in next(reader, [])]
    consumed = reader.line_num
    for row_number, values in enumerate(reader, start=2):
        first, consumed = consumed + 1, reader.line_num
        if not any(value.strip() for value in values):
            continue
        problem = next((broken[line] for line in range(first, consumed + 1) if line in broken), None)
        if problem is None and len(values) != len(header):
            message = f"row {row_number} has {len(values)} fields; the header has {len(header)}"
            problem = Reason(None, AdapterCode.MISSING_FIELD, message)
        yield FileRecord(row_number, dict(zip(header, values, strict=False)), problem)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def xlsx_records(path: Path) -> Iterator[FileRecord]:
    """The first sheet's records; a merged cell's value is its whole range's (a name merged over three rows)."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    merged = [(top, left, bottom, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()]
    fills: dict[tuple[int, int], str] = {}
    header: list[str] = []
    for index, row in enumerate(sheet.iter_rows()):
        values = [_text(value) for value in row]
        for top, left, bottom, right in merged:
            if index == top:
                for r in range(top, bottom + 1):
                    for c in range(left, right + 1):
                        fills[(r, c)] = values[left]
        values = [fills.pop((index, column), value) or value for column, value in enumerate(values)]
        if index == 0:
            header = [value.strip() for value in values]
            continue
        if any(value.strip() for value in values):
            yield FileRecord(index + 1, dict(zip(header, values, strict=False)), None)
