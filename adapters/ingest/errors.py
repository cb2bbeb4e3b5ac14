"""Why the ingestion server refused a call or a reading: a machine code, and the gRPC status it travels with."""

from __future__ import annotations

import grpc

from kernel.errors import ErrorCode


class IngestCode(ErrorCode):
    UNAUTHENTICATED = "UNAUTHENTICATED", "No valid device token or client certificate came with the call."
    UNKNOWN_DEVICE = "UNKNOWN_DEVICE", "The device is not registered, or not as a device of this kind."
    UNKNOWN_CAMERA = "UNKNOWN_CAMERA", "The camera is not registered to the calling edge box."
    WRONG_PREMISES = "WRONG_PREMISES", "The device spoke for premises other than those it is registered to."
    INVALID_FRAME = "INVALID_FRAME", "A frame that cannot be read, is too large, or is not an image."
    INVALID_DETECTION = "INVALID_DETECTION", "A detection of unknown category, confidence outside 0–1 or box off frame."
    INVALID_READING = "INVALID_READING", "A reading with an unknown analyte, or an impossible unit or value."
    SEQ_REPLAYED = "SEQ_REPLAYED", "A sequence number already used by the device for different content."
    INVALID_SEQ = "INVALID_SEQ", "A sequence number of 0 or beyond 2³¹−1 (the graph's Int)."
    SEQ_GAP = "SEQ_GAP", "Readings skipped sequence numbers after the last acknowledgement; resend from the ack."
    MISSING_FIELD = "MISSING_FIELD", "A field the call needs is empty."
    INGEST_UNAVAILABLE = "INGEST_UNAVAILABLE", "Where the effects are recorded did not answer; nothing was taken."


STATUS: dict[IngestCode, grpc.StatusCode] = {
    IngestCode.UNAUTHENTICATED: grpc.StatusCode.UNAUTHENTICATED,
    IngestCode.UNKNOWN_DEVICE: grpc.StatusCode.PERMISSION_DENIED,
    IngestCode.UNKNOWN_CAMERA: grpc.StatusCode.NOT_FOUND,
    IngestCode.WRONG_PREMISES: grpc.StatusCode.PERMISSION_DENIED,
    IngestCode.INVALID_FRAME: grpc.StatusCode.INVALID_ARGUMENT,
    IngestCode.INVALID_DETECTION: grpc.StatusCode.INVALID_ARGUMENT,
    IngestCode.INVALID_READING: grpc.StatusCode.INVALID_ARGUMENT,
    IngestCode.SEQ_REPLAYED: grpc.StatusCode.ALREADY_EXISTS,
    IngestCode.INVALID_SEQ: grpc.StatusCode.INVALID_ARGUMENT,
    IngestCode.SEQ_GAP: grpc.StatusCode.FAILED_PRECONDITION,
    IngestCode.MISSING_FIELD: grpc.StatusCode.INVALID_ARGUMENT,
    IngestCode.INGEST_UNAVAILABLE: grpc.StatusCode.UNAVAILABLE,
}

CODE_KEY = "zhijian-code"
"""Trailing metadata key carrying the machine code of a refusal."""


class Refused(Exception):
    """A call refused as a whole, with its code and reason (nothing of it was taken)."""

    def __init__(self, code: IngestCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
