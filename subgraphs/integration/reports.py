"""Rejection reports: the records of one source an adapter refused, with the reasons, as the sender can open them —
CSV in the sender's own encoding (UTF-8 with BOM, GBK or GB18030), or an .xlsx workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter

from subgraphs.integration.models import RejectionRow

ROW, REASONS = "行号 row", "错误原因 reasons"


@dataclass(frozen=True, slots=True)
class Report:
    filename: str
    media_type: str
    encoding: str | None
    content: bytes


def _describe(rejection: RejectionRow) -> str:
    return "；".join(
        f"{reason['field']}: {reason['message']} ({reason['code']})" if reason.get("field") else
        f"{reason['message']} ({reason['code']})"
        for reason in rejection.reasons
    )  # fmt: skip


def _table(rejections: Sequence[RejectionRow]) -> tuple[list[str], list[list[str]]]:
    columns: list[str] = []
    for rejection in rejections:
        columns += [name for name in rejection.record if name not in columns]
    header = [ROW, *columns, REASONS]
    rows = [
        [rejection.source_ref, *(str(rejection.record.get(name, "")) for name in columns), _describe(rejection)]
        for rejection in rejections
    ]
    return header, rows


def _python_codec(encoding: str | None) -> str:
    return {"UTF-8": "utf-8-sig", "UTF-8-BOM": "utf-8-sig", "GBK": "gbk", "GB18030": "gb18030"}.get(
        (encoding or "UTF-8").upper(), "utf-8-sig"
    )


def csv_report(source: str, rejections: Sequence[RejectionRow]) -> Report:
    """A CSV in the encoding the sender used (characters it cannot hold are written as ``?``)."""
    encoding = next((r.encoding for r in rejections if r.encoding), None) or "UTF-8"
    header, rows = _table(rejections)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    content = text.getvalue().encode(_python_codec(encoding), errors="replace")
    return Report(f"{_stem(source)}.rejected.csv", f"text/csv; charset={encoding}", encoding, content)


def xlsx_report(source: str, rejections: Sequence[RejectionRow]) -> Report:
    header, rows = _table(rejections)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("rejected")
    for number, values in enumerate(_rows(header, rows)):
        sheet.write_row(number, 0, values)
    workbook.close()
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Report(f"{_stem(source)}.rejected.xlsx", media, None, buffer.getvalue())


def report(source: str, rejections: Sequence[RejectionRow]) -> Report:
    """The report in the sender's format: .xlsx for a workbook, CSV otherwise."""
    return xlsx_report(source, rejections) if source.lower().endswith(".xlsx") else csv_report(source, rejections)


def _rows(header: list[str], rows: list[list[str]]) -> Iterable[list[str]]:
    yield header
    yield from rows


def _stem(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name
