"""The ingestion sink on a local SQLite file: a device registry and the effects, each written in one transaction
with the device's position, so a crash leaves either all of a call or none of it.

It serves a standalone edge gateway (``python -m adapters.ingest.server --store …``), the benchmarks and the
crash tests; the hub records through the detection subgraph instead (:mod:`adapters.ingest.graph`).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from adapters.ingest.records import (
    Detection,
    DetectionReport,
    Device,
    DeviceKind,
    Outcome,
    Reading,
    ReadingsTaken,
    Rejection,
    SeqReplayed,
    Taken,
)
from inference.taxonomy import CHANNELS

T = TypeVar("T")
PERSON = CHANNELS[0]

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, kind TEXT NOT NULL, premises_id TEXT NOT NULL, cameras TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS alert_calls (
    device_id TEXT NOT NULL, seq INTEGER NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (device_id, seq));
CREATE TABLE IF NOT EXISTS detections (
    id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, seq INTEGER NOT NULL, premises_id TEXT NOT NULL,
    camera_id TEXT NOT NULL, category TEXT NOT NULL, confidence REAL NOT NULL, box TEXT NOT NULL,
    frame_sha256 TEXT NOT NULL, frame_ref TEXT NOT NULL, model TEXT NOT NULL, captured_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reading_positions (device_id TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS readings (
    device_id TEXT NOT NULL, seq INTEGER NOT NULL, premises_id TEXT NOT NULL, sample TEXT NOT NULL,
    analyte TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, measured_at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq));
CREATE TABLE IF NOT EXISTS reading_rejections (
    device_id TEXT NOT NULL, seq INTEGER NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (device_id, seq));
"""


class SqliteIngestStore:
    """One connection, used from worker threads one call at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=FULL")
        self._connection.executescript(SCHEMA)
        self._lock = threading.Lock()

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def locked() -> T:
            with self._lock:
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    result = work(self._connection)
                except BaseException:
                    self._connection.execute("ROLLBACK")
                    raise
                self._connection.execute("COMMIT")
                return result

        return await asyncio.to_thread(locked)

    def close(self) -> None:
        self._connection.close()

    async def register(self, device: Device) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO devices VALUES (?, ?, ?, ?)",
                (device.device_id, device.kind.value, device.premises_id, json.dumps(sorted(device.cameras or ()))),
            )

        await self._run(work)

    async def device(self, device_id: str) -> Device | None:
        def work(db: sqlite3.Connection) -> Device | None:
            row = db.execute("SELECT kind, premises_id, cameras FROM devices WHERE device_id = ?", (device_id,))
            found = row.fetchone()
            if found is None:
                return None
            return Device(device_id, DeviceKind(found[0]), found[1], frozenset(json.loads(found[2])))

        return await self._run(work)

    async def report_detections(self, report: DetectionReport) -> Outcome:
        """Detections are kept as sent; each one of a kitchen category counts as an alert here (no review loop)."""
        alerts = sum(1 for detection in report.detections if detection.category != PERSON)

        def work(db: sqlite3.Connection) -> Outcome:
            key = (report.device_id, report.seq)
            row = db.execute("SELECT digest FROM alert_calls WHERE device_id = ? AND seq = ?", key).fetchone()
            if row is not None:
                if row[0] != report.digest:
                    raise SeqReplayed(f"seq {report.seq} of {report.device_id} was used for other content")
                return Outcome(Taken.DUPLICATE, alerts)
            db.execute("INSERT INTO alert_calls VALUES (?, ?, ?)", (*key, report.digest))
            db.executemany(
                "INSERT INTO detections (device_id, seq, premises_id, camera_id, category, confidence, box,"
                " frame_sha256, frame_ref, model, captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_row(report, detection) for detection in report.detections],
            )
            return Outcome(Taken.ACCEPTED, alerts)

        return await self._run(work)

    async def reading_position(self, device_id: str) -> int:
        return await self._run(lambda db: _position(db, device_id))

    async def record_readings(
        self, device_id: str, readings: Sequence[Reading], rejected: Sequence[Rejection]
    ) -> ReadingsTaken:
        def work(db: sqlite3.Connection) -> ReadingsTaken:
            position = _position(db, device_id)
            fresh = [r for r in readings if r.seq > position]
            db.executemany(
                "INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (device_id, r.seq, r.premises_id, r.sample, r.analyte, r.value, r.unit, r.measured_at.isoformat())
                    for r in fresh
                ],
            )
            refused = [r for r in rejected if r.seq > position]
            db.executemany(
                "INSERT INTO reading_rejections VALUES (?, ?, ?, ?)",
                [(device_id, r.seq, r.code, r.reason) for r in refused],
            )
            highest = max([position, *(r.seq for r in fresh), *(r.seq for r in refused)])
            db.execute(
                "INSERT INTO reading_positions VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET position = ?",
                (device_id, highest, highest),
            )
            duplicates = len(readings) + len(rejected) - len(fresh) - len(refused)
            return ReadingsTaken(highest, duplicates=duplicates)

        return await self._run(work)

    async def count(self, table: str, device_id: str) -> int:
        """Rows of ``table`` (``detections``, ``readings``, ``reading_rejections``) for a device (tests, benchmarks)."""
        assert table in {"detections", "readings", "reading_rejections"}
        return await self._run(
            lambda db: int(db.execute(f"SELECT count(*) FROM {table} WHERE device_id = ?", (device_id,)).fetchone()[0])
        )


def _position(db: sqlite3.Connection, device_id: str) -> int:
    row = db.execute("SELECT position FROM reading_positions WHERE device_id = ?", (device_id,)).fetchone()
    return 0 if row is None else int(row[0])


def _row(report: DetectionReport, detection: Detection) -> tuple[object, ...]:
    return (
        report.device_id, report.seq, report.premises_id, report.camera_id, detection.category, detection.confidence,
        json.dumps(asdict(detection.box)), report.frame_sha256, report.frame_ref,
        f"{report.model_name}/{report.model_version}", report.captured_at.isoformat(),
    )  # fmt: skip
