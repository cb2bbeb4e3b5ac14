"""The file-drop adapter: each file in ``incoming/`` (oldest name first) read as a stream in batches; the
checkpoint is the file's SHA-256 and the rows done, so a crash resumes mid-file; a finished file is moved to
``done/``, its rejection report written to ``rejected/`` in the sender's encoding, and a receipt of its content
kept, so the same file dropped again changes nothing."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select

from adapters.files.mapping import to_permit_input
from adapters.files.reading import FileRecord, csv_encoding, csv_records, xlsx_records
from adapters.protocol import SourceBatch, SourceRecord
from adapters.targets import PERMITS
from kernel.clock import Clock, system_clock
from kernel.db import Database
from kernel.jobs.receipts import applied, first_time
from subgraphs.integration.models import RejectionRow
from subgraphs.integration.reports import report
from subgraphs.integration.vocabulary import RejectionState

log = logging.getLogger("zhijian.adapters.files")
SUFFIXES = (".csv", ".xlsx")
RECEIPTS = "adapters.files"


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


@dataclass(slots=True)
class FileDropAdapter:
    folder: Path
    database: Database
    """Ours: the content receipts and the quarantined rows for the reports."""
    clock: Clock = system_clock
    name: str = "files"
    target: str = PERMITS.name

    def map(self, record: SourceRecord) -> dict[str, Any]:
        return to_permit_input(record.fields)

    async def read(self, checkpoint: str | None, size: int) -> AsyncIterator[SourceBatch]:
        incoming = self.folder / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        for path in sorted(p for p in incoming.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()):
            sha = digest(path)
            async with self.database.transaction() as session:
                seen = await applied(session, RECEIPTS, sha)
            if seen:
                log.info("%s: the same content was imported before; nothing to do", path.name)
                self._move(path, sha, "done")
                continue
            done = int(checkpoint.split(":")[1]) if checkpoint and checkpoint.startswith(f"{sha}:") else 0
            async for batch in self._batches(path, sha, done, size):
                yield batch
            await self._finish(path, sha)
            checkpoint = None

    async def _batches(self, path: Path, sha: str, done: int, size: int) -> AsyncIterator[SourceBatch]:
        encoding = None
        if path.suffix.lower() == ".csv":
            detected = csv_encoding(path)
            encoding = detected.name
            log.info("%s: %s%s (detected)", path.name, detected.name, " with BOM" if detected.bom else "")
            rows: Iterator[FileRecord] = csv_records(path, detected)
        else:
            rows = xlsx_records(path)
        rows = islice(rows, done, None)
        while chunk := list(islice(rows, size)):
            done += len(chunk)
            records = [SourceRecord(f"row {row.row}", row.fields, row.broken) for row in chunk]
            yield SourceBatch(path.name, records, f"{sha}:{done}", encoding=encoding)

    async def _finish(self, path: Path, sha: str) -> None:
        async with self.database.transaction() as session:
            await first_time(session, RECEIPTS, sha, self.clock())
            rejected = (
                await session.scalars(
                    select(RejectionRow)
                    .where(
                        RejectionRow.adapter == self.name,
                        RejectionRow.source == path.name,
                        RejectionRow.state == RejectionState.OPEN.value,
                    )
                    .order_by(RejectionRow.id)
                )
            ).all()
        if rejected:
            written = report(path.name, rejected)
            target = self.folder / "rejected" / written.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(written.content)
            log.info("%s: %d rows refused; report %s", path.name, len(rejected), target)
        self._move(path, sha, "done")

    def _move(self, path: Path, sha: str, to: str) -> None:
        folder = self.folder / to
        folder.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), folder / f"{sha[:12]}-{path.name}")


@asynccontextmanager
async def open_drop(folder: Path, database: Database, clock: Clock) -> AsyncIterator[FileDropAdapter]:
    yield FileDropAdapter(folder, database, clock)
