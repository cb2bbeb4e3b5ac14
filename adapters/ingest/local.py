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

from adapters.ingest.records import AlertReport, Device, DeviceKind, Reading, Rejection, SeqReplayed, Taken

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, kind TEXT NOT NULL, premises_id TEXT NOT NULL, cameras TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS alert_calls (
    device_id TEXT NOT NULL, seq INTEGER NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (device_id, seq));
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, seq INTEGER NOT NULL, premises_id TEXT NOT NULL,
    camera_id TEXT NOT NULL, category TEXT NOT NULL, confidence REAL NOT NULL, boxes TEXT NOT NULL,
    frame_sha256 TEXT NOT NULL, model TEXT NOT NULL, captured_at TEXT NOT NULL);
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
                (device.device_id, device.kind.value, device.premises_id, json.dumps(sorted(device.cameras))),
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

    async def report_alerts(self, report: AlertReport) -> Taken:
        def work(db: sqlite3.Connection) -> Taken:
            key = (report.device_id, report.seq)
            row = db.execute("SELECT digest FROM alert_calls WHERE device_id = ? AND seq = ?", key).fetchone()
            if row is not None:
                if row[0] != report.digest:
                    raise SeqReplayed(f"seq {report.seq} of {report.device_id} was used for other content")
                return Taken.DUPLICATE
            db.execute("INSERT INTO alert_calls VALUES (?, ?, ?)", (*key, report.digest))
            db.executemany(
                "INSERT INTO alerts (device_id, seq, premises_id, camera_id, category, confidence, boxes,"
                " frame_sha256, model, captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        *key,
                        report.premises_id,
                        report.camera_id,
                        alert.category,
                        alert.confidence,
                        json.dumps([asdict(box) for box in alert.boxes]),
                        report.frame_sha256,
                        report.model,
                        report.captured_at.isoformat(),
                    )
                    for alert in report.alerts
                ],
            )
            return Taken.ACCEPTED

        return await self._run(work)

    async def reading_position(self, device_id: str) -> int:
        return await self._run(lambda db: _position(db, device_id))

    async def record_readings(
        self, device_id: str, after: int, readings: Sequence[Reading], rejected: Sequence[Rejection]
    ) -> int:
        def work(db: sqlite3.Connection) -> int:
            position = max(_position(db, device_id), after)
            db.executemany(
                "INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (device_id, r.seq, r.premises_id, r.sample, r.analyte, r.value, r.unit, r.measured_at.isoformat())
                    for r in readings
                    if r.seq > position
                ],
            )
            db.executemany(
                "INSERT INTO reading_rejections VALUES (?, ?, ?, ?)",
                [(device_id, r.seq, r.code, r.reason) for r in rejected if r.seq > position],
            )
            highest = max([*(r.seq for r in readings), *(r.seq for r in rejected), position])
            db.execute(
                "INSERT INTO reading_positions VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET position = ?",
                (device_id, max(highest, position), max(highest, position)),
            )
            return max(highest, position)

        return await self._run(work)

    async def count(self, table: str, device_id: str) -> int:
        """Rows of ``table`` (``alerts``, ``readings``, ``reading_rejections``) for a device (tests, benchmarks)."""
        assert table in {"alerts", "readings", "reading_rejections"}
        return await self._run(
            lambda db: int(db.execute(f"SELECT count(*) FROM {table} WHERE device_id = ?", (device_id,)).fetchone()[0])
        )


def _position(db: sqlite3.Connection, device_id: str) -> int:
    row = db.execute("SELECT position FROM reading_positions WHERE device_id = ?", (device_id,)).fetchone()
    return 0 if row is None else int(row[0])
