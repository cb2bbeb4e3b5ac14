"""The device registry: edge boxes, their cameras and quick-test kits, each bound to registered premises."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.errors import ClientError, ConflictError
from kernel.uscc import parse_uscc
from subgraphs.common.jurisdiction import UNSCOPED
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.models import CameraRow, DeviceRow, premises_codes
from subgraphs.detection.services import DetectionServices
from subgraphs.detection.vocabulary import DeviceKind


@dataclass(frozen=True, slots=True)
class DeviceRegistration:
    id: str
    kind: DeviceKind
    uscc: str
    label: str
    premises_address: str
    premises_region: str
    opens: dt.time = dt.time(6, 0)
    closes: dt.time = dt.time(23, 0)


def _device_id(raw: str, what: str) -> str:
    value = raw.strip()
    if not value or len(value) > 64 or not all(c.isascii() and (c.isalnum() or c in "-_.:") for c in value):
        raise ClientError(f"{what} {raw!r} must be 1–64 ASCII letters, digits or -_.:", details={"field": what})
    return value


async def register_device(
    session: AsyncSession, services: DetectionServices, request: DeviceRegistration, *, actor: str
) -> DeviceRow:
    """A new device at the premises it serves; ``CONFLICT`` for an id already registered anywhere in the city."""
    device_id = _device_id(request.id, "deviceId")
    uscc = parse_uscc(request.uscc).code
    district, station = premises_codes(services.org_tree, request.premises_address, request.premises_region)
    if district is None:
        raise ClientError(
            f"no supervising unit claims the premises {request.premises_address!r} (region {request.premises_region})",
            code=DetectionCode.UNKNOWN_PREMISES,
        )
    if await session.get(DeviceRow, device_id, execution_options={UNSCOPED: True}) is not None:
        raise ConflictError(f"device {device_id} is already registered", details={"deviceId": device_id})
    row = DeviceRow(
        id=device_id,
        kind=request.kind.value,
        uscc=uscc,
        label=request.label,
        premises_address=request.premises_address,
        premises_region=request.premises_region,
        district_code=district,
        station_code=station,
        opens=request.opens,
        closes=request.closes,
        active=True,
        registered_by=actor,
        registered_at=services.now(),
    )
    session.add(row)
    await session.flush()
    return row


async def register_camera(
    session: AsyncSession, services: DetectionServices, camera_id: str, device_id: str, location: str
) -> CameraRow:
    """A camera behind a registered edge box, at the box's premises."""
    camera_id = _device_id(camera_id, "cameraId")
    device = await session.get(DeviceRow, device_id)
    if device is None:
        raise ClientError(f"no device {device_id} in your jurisdiction", code=DetectionCode.UNKNOWN_DEVICE)
    if device.kind != DeviceKind.EDGE_BOX.value:
        raise ClientError(
            f"device {device_id} is a {device.kind}, not an edge box", code=DetectionCode.WRONG_DEVICE_KIND
        )
    if await session.get(CameraRow, camera_id, execution_options={UNSCOPED: True}) is not None:
        raise ConflictError(f"camera {camera_id} is already registered", details={"cameraId": camera_id})
    row = CameraRow(
        id=camera_id,
        device_id=device.id,
        uscc=device.uscc,
        location=location,
        district_code=device.district_code,
        station_code=device.station_code,
        registered_at=services.now(),
    )
    session.add(row)
    await session.flush()
    return row
