"""File drops: the encoding detected and reported (UTF-8 with or without BOM, GBK, GB18030), a broken byte sequence
refused for its row only, .xlsx with merged and formula cells, the rejection report written back in the sender's
encoding, and a crash mid-file resumed where it stopped."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
import xlsxwriter
from sqlalchemy import update

from adapters.files.adapter import FileDropAdapter, digest
from adapters.files.decoding import detect
from adapters.files.mapping import COLUMNS
from adapters.files.reading import FileRecord, csv_encoding, csv_records, xlsx_records
from adapters.sync import sync
from kernel.jobs.retry import RetryPolicy
from subgraphs.integration.models import AdapterStateRow, RejectionRow
from subgraphs.integration.vocabulary import RunStatus
from subgraphs.permits.models import PermitRow
from tests.adapters.harness import count, drop, ledger_csv, legacy_permit_row, sink
from tests.support.hub import RunningHub, running_hub

HEADER = ",".join(COLUMNS.values())


def records(path: Path) -> list[FileRecord]:
    return list(xlsx_records(path) if path.suffix == ".xlsx" else csv_records(path, csv_encoding(path)))


@pytest.mark.parametrize(
    ("content", "name", "bom"),
    [
        ("深圳市华强北餐饮店".encode(), "UTF-8", False),
        (b"\xef\xbb\xbf" + "深圳市华强北餐饮店".encode(), "UTF-8", True),
        ("深圳市华强北餐饮店".encode("gbk"), "GBK", False),
        ("深圳市𪚥记餐饮店".encode("gb18030"), "GB18030", False),
    ],
    ids=["utf-8", "utf-8 with BOM", "gbk", "gb18030"],
)
def test_the_encoding_is_detected_from_the_bytes(content: bytes, name: str, bom: bool) -> None:
    found = detect(content)
    assert (found.name, found.bom) == (name, bom)


def test_a_bom_does_not_become_part_of_the_first_column(tmp_path: Path) -> None:
    path = drop(tmp_path, "bom.csv", b"\xef\xbb\xbf" + ledger_csv([legacy_permit_row(1)]).encode())
    (record,) = records(path)
    assert record.fields[COLUMNS["number"]].startswith("JY") and record.broken is None


def test_a_broken_gbk_sequence_refuses_its_row_and_no_other(tmp_path: Path) -> None:
    good = ledger_csv([legacy_permit_row(n) for n in (1, 2, 3)]).encode("gbk").split(b"\r\n")
    good[2] = good[2].replace("华强北餐饮店".encode("gbk"), b"\x81\x20\xff")  # row 3: not GBK
    path = drop(tmp_path, "broken.csv", b"\r\n".join(good))
    assert csv_encoding(path).name == "GBK"
    first, second, third = records(path)
    assert first.broken is None and third.broken is None
    assert second.row == 3 and second.broken is not None
    assert second.broken.code == "INVALID_ENCODING" and "line 3 is not GBK text: bytes 81 20" in second.broken.message


def test_a_row_with_a_quoted_line_break_is_one_record_and_a_short_row_is_refused(tmp_path: Path) -> None:
    row = legacy_permit_row(1)
    cells = [f'"{value}\n(二楼)"' if key == COLUMNS["premises"] else f'"{value}"' for key, value in row.items()]
    text = HEADER + "\r\n" + ",".join(cells)
    path = drop(tmp_path, "lines.csv", (text + "\r\nJY1,only two\r\n").encode())
    whole, short = records(path)
    assert whole.fields[COLUMNS["premises"]].endswith("(二楼)") and whole.broken is None
    assert short.row == 3 and short.broken is not None and "has 2 fields; the header has 9" in short.broken.message


def test_an_xlsx_gives_merged_cells_to_their_whole_range_and_formulas_their_values(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("许可证台账")
    columns = list(COLUMNS.values())
    sheet.write_row(0, 0, columns)
    rows = [legacy_permit_row(n) for n in (1, 2, 3)]
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, [row[c] for c in columns])
        sheet.write_number(index, columns.index(COLUMNS["region"]), 440304)
        sheet.write_formula(index, columns.index(COLUMNS["valid_to"]), "=DATE(2028,2,28)", None, "2028-02-28")
    name = columns.index(COLUMNS["holder_name"])
    sheet.merge_range(1, name, 3, name, "深圳市连锁餐饮有限公司")
    book.close()
    found = records(path)
    assert [r.fields[COLUMNS["holder_name"]] for r in found] == ["深圳市连锁餐饮有限公司"] * 3
    assert {r.fields[COLUMNS["region"]] for r in found} == {"440304"}
    assert {r.fields[COLUMNS["valid_to"]] for r in found} == {"2028-02-28"}
    assert [r.row for r in found] == [2, 3, 4]


async def test_a_drop_is_applied_refused_rows_reported_in_the_senders_encoding(hub: RunningHub, tmp_path: Path) -> None:
    rows = [legacy_permit_row(n) for n in range(1, 7)]
    rows[2] = {**rows[2], COLUMNS["number"]: "JY123"}
    rows[4] = {**rows[4], COLUMNS["valid_from"]: "2023-02-30"}
    content = ledger_csv(rows).encode("gbk").split(b"\r\n")
    content[2] = content[2].replace("华强北".encode("gbk"), b"\xfe\x20")  # row 3 (the header is row 1)
    folder = tmp_path / "drop"
    drop(folder, "福田区许可台账.csv", b"\r\n".join(content))
    report = await sync(FileDropAdapter(folder, hub.hub.database), hub.hub.database, sink(hub, "files"))
    assert (report.counts.read, report.counts.applied, report.counts.rejected) == (6, 3, 3)
    assert await count(hub.hub.database, PermitRow) == 3
    assert next(p.name for p in (folder / "done").iterdir()).endswith("福田区许可台账.csv")
    written = (folder / "rejected" / "福田区许可台账.rejected.csv").read_bytes().decode("gbk").splitlines()
    assert written[0].startswith("行号 row,许可证编号")
    assert [line.split(",")[0] for line in written[1:]] == ["row 3", "row 4", "row 6"]
    assert "INVALID_ENCODING" in written[1] and "INVALID_PERMIT_NUMBER" in written[2] and "INVALID_DATE" in written[3]


async def test_a_drop_interrupted_mid_file_resumes_after_the_rows_it_recorded(hub: RunningHub, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    path = drop(folder, "ledger.csv", ledger_csv([legacy_permit_row(n) for n in range(1, 11)]).encode("gbk"))
    first_four = FileDropAdapter(folder, hub.hub.database)
    async with hub.hub.database.transaction() as session:  # what a worker killed after its first batch leaves
        session.add(AdapterStateRow(adapter="files", checkpoint=f"{digest(path)}:4", circuit="CLOSED",
                                    circuit_failures=0, updated_at=dt.datetime.now(dt.UTC)))  # fmt: skip
    report = await sync(first_four, hub.hub.database, sink(hub, "files"), batch=3)
    assert (report.counts.read, report.counts.applied) == (6, 6)
    async with hub.hub.database.transaction() as session:
        await session.execute(update(AdapterStateRow).values(checkpoint=None))
    assert await count(hub.hub.database, PermitRow) == 6


def _peak_while_reading(path: Path, rows: int) -> int:
    """tracemalloc's peak while a GBK ledger of ``rows`` rows is read and decoded record by record."""
    ledger = ledger_csv([legacy_permit_row(1)]).encode("gbk")
    header, row = ledger.split(b"\r\n")[:2]
    path.write_bytes(header + b"\r\n" + (row + b"\r\n") * rows)
    tracemalloc.start()
    try:
        read = sum(1 for record in csv_records(path, csv_encoding(path)) if record.broken is None)
        assert read == rows
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_ledger_is_read_in_memory_that_does_not_grow_with_its_length(tmp_path: Path) -> None:
    short = _peak_while_reading(tmp_path / "short.csv", 1_000)
    long = _peak_while_reading(tmp_path / "long.csv", 10_000)
    assert long < short * 1.5 + 256 * 1024, f"peak {long} bytes for 10,000 rows, {short} for 1,000: not streamed"


async def test_records_the_gateway_had_no_time_for_are_tried_again_never_quarantined(
    postgres_database_url: str, tmp_path: Path
) -> None:
    budget = {"ZHIJIAN_GATEWAY_VALIDATION_BUDGET": "0.000001"}  # every document refused: VALIDATION_BUDGET_EXCEEDED
    async with running_hub(postgres_database_url, tmp_path / "hub", budget) as busy:
        folder = tmp_path / "drop"
        drop(folder, "ledger.csv", ledger_csv([legacy_permit_row(n) for n in range(1, 4)]).encode("gbk"))
        hurried = replace(sink(busy, "files"), retry=RetryPolicy(tries=2, first_delay=0.01, max_delay=0.01))
        report = await sync(FileDropAdapter(folder, busy.hub.database), busy.hub.database, hurried)
        assert report.status is RunStatus.FAILED
        assert report.error is not None and "did not take permits: Validating the document" in report.error
        assert await count(busy.hub.database, RejectionRow) == 0, "the gateway's refusal is not the records' fault"
        assert await count(busy.hub.database, PermitRow) == 0
        assert [path.name for path in (folder / "incoming").iterdir()] == ["ledger.csv"], "kept for the next run"
