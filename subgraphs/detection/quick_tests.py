"""Quick tests (快检, DOMAIN.md §6.2): readings from registered kits, judged against the method's cut-off.

A positive screening result is a lead for a laboratory test under 食品安全法 Art. 87, never a verdict; for edible
agricultural products the party may ask, within 4 hours of the result, for a re-test that uses no rapid method
(Art. 88 ¶2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError
from kernel.uscc import parse_uscc
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.models import DeviceRow, QuickTestRow
from subgraphs.detection.services import DetectionServices
from subgraphs.detection.units import PERCENT, check_value, convert
from subgraphs.detection.vocabulary import DeviceKind, QuickTestOutcome

OBJECTION_WINDOW = dt.timedelta(hours=4)
CLOCK_SKEW = dt.timedelta(minutes=5)
"""How far ahead of our clock a device's timestamp may be before it counts as in the future."""


@dataclass(frozen=True, slots=True)
class QuickTestItem:
    """What a kit measures, in which unit, on what scale, and from which value the screening is positive."""

    code: str
    name: str
    unit: str
    upper: float | None
    positive_from: float
    method: str


CATALOGUE: dict[str, QuickTestItem] = {
    item.code: item
    for item in (
        QuickTestItem(
            "PESTICIDE_INHIBITION",
            "有机磷和氨基甲酸酯类农药残留 (酶抑制率)",
            PERCENT,
            100.0,
            50.0,
            "GB/T 5009.199-2003",
        ),
        QuickTestItem("NITRITE", "亚硝酸盐", "mg/kg", 100000.0, 30.0, "KJ 201701"),
        QuickTestItem("FORMALDEHYDE", "甲醛", "mg/kg", 100000.0, 1.0, "KJ 201702"),
        QuickTestItem("CLENBUTEROL", "克伦特罗 (瘦肉精)", "µg/kg", 100000.0, 0.5, "KJ 201706"),
    )
}


@dataclass(frozen=True, slots=True)
class Reading:
    seq: int
    uscc: str
    sample_name: str
    item: str
    value: float
    unit: str
    tested_at: dt.datetime

    def digest(self) -> str:
        data = {**asdict(self), "tested_at": self.tested_at.astimezone(dt.UTC).isoformat()}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ReadingOutcome:
    seq: int
    accepted: bool
    duplicate: bool = False
    quick_test_id: str | None = None
    outcome: QuickTestOutcome | None = None
    code: str | None = None
    reason: str | None = None


def _rejected(seq: int, code: DetectionCode | str, reason: str) -> ReadingOutcome:
    return ReadingOutcome(seq=seq, accepted=False, code=str(code), reason=reason)


async def record_quick_tests(
    session: AsyncSession, services: DetectionServices, device_id: str, readings: list[Reading]
) -> list[ReadingOutcome]:
    """Each reading accepted (once per ``(device, seq)``) or rejected with its code and reason; nothing of a rejected
    reading is written, and a resent reading is answered as before."""
    device = await session.get(DeviceRow, device_id, with_for_update=True, populate_existing=True)
    if device is None or not device.active:
        return [_rejected(r.seq, DetectionCode.UNKNOWN_DEVICE, f"no active device {device_id}") for r in readings]
    if device.kind != DeviceKind.QUICK_TEST_KIT.value:
        reason = f"device {device_id} is a {device.kind}, not a quick-test kit"
        return [_rejected(r.seq, DetectionCode.WRONG_DEVICE_KIND, reason) for r in readings]
    sent = {reading.seq for reading in readings}
    earlier = {
        row.seq: row
        for row in await session.scalars(
            select(QuickTestRow).where(QuickTestRow.device_id == device.id, QuickTestRow.seq.in_(sent))
        )
    }
    known = set(earlier)
    outcomes = [_record(services, device, reading, earlier) for reading in readings]
    session.add_all(row for seq, row in earlier.items() if seq not in known)
    await session.flush()  # every accepted reading in one statement
    return outcomes


def _record(
    services: DetectionServices, device: DeviceRow, reading: Reading, earlier: dict[int, QuickTestRow]
) -> ReadingOutcome:
    """One reading's outcome; an accepted new reading joins ``earlier`` (a repeat later in the batch is a resend)."""
    digest = reading.digest()
    known = earlier.get(reading.seq)
    if known is not None:
        if known.digest != digest:
            return _rejected(
                reading.seq, DetectionCode.SEQUENCE_REUSED, f"seq {reading.seq} was already used for another reading"
            )
        return ReadingOutcome(reading.seq, True, True, known.id, QuickTestOutcome(known.outcome))
    try:
        row = _checked(services, device, reading, digest)
    except ClientError as error:
        return _rejected(reading.seq, error.code, error.message)
    earlier[reading.seq] = row
    return ReadingOutcome(reading.seq, True, False, row.id, QuickTestOutcome(row.outcome))


def _checked(services: DetectionServices, device: DeviceRow, reading: Reading, digest: str) -> QuickTestRow:
    if reading.seq < 0:
        raise ClientError(f"seq {reading.seq} is negative", code=DetectionCode.IMPOSSIBLE_VALUE)
    uscc = parse_uscc(reading.uscc).code
    if uscc != device.uscc:
        raise ClientError(
            f"device {device.id} is registered to the premises of another entity, not {uscc}",
            code=DetectionCode.PREMISES_MISMATCH,
        )
    item = CATALOGUE.get(reading.item)
    if item is None:
        raise ClientError(
            f"unknown quick-test item {reading.item!r}; known: {', '.join(sorted(CATALOGUE))}",
            code=DetectionCode.UNKNOWN_QUICK_TEST_ITEM,
        )
    value = convert(reading.value, reading.unit, item.unit)
    check_value(value, f"{item.code} in {item.unit}", item.upper)
    now = services.now()
    if reading.tested_at > now + CLOCK_SKEW:
        raise ClientError(
            f"tested at {reading.tested_at.isoformat()}, after its receipt", code=DetectionCode.READING_IN_FUTURE
        )
    outcome = QuickTestOutcome.POSITIVE if value >= item.positive_from else QuickTestOutcome.NEGATIVE
    return QuickTestRow(
        id=str(uuid.uuid4()),
        device_id=device.id,
        seq=reading.seq,
        digest=digest,
        uscc=uscc,
        district_code=device.district_code,
        station_code=device.station_code,
        sample_name=reading.sample_name,
        item=item.code,
        value=value,
        unit=item.unit,
        outcome=outcome.value,
        tested_at=reading.tested_at,
        objection_until=reading.tested_at + OBJECTION_WINDOW,
        received_at=now,
    )
