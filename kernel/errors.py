"""The base error tree: every error we raise on purpose carries a machine code from a catalogue.

A catalogue is an :class:`ErrorCode` enum whose members are the codes and whose descriptions say when each is
given; :class:`Code` holds the codes every component shares, and each subgraph adds its own catalogue. The
code becomes GraphQL ``extensions.code`` at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar


class ErrorCode(StrEnum):
    """A catalogue of machine codes: ``NAME = "NAME", "when it is given"``."""

    description: str

    def __new__(cls, value: str, description: str = "") -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member


class Code(ErrorCode):
    """Codes any component may give."""

    BAD_USER_INPUT = "BAD_USER_INPUT", "The input is malformed in a way no more specific code names."
    NOT_FOUND = (
        "NOT_FOUND",
        "No such record in the caller's jurisdiction (the same answer whether it exists elsewhere).",
    )
    CONFLICT = "CONFLICT", "The change contradicts what is recorded (a duplicate, a second active record)."
    CONCURRENT_CHANGE = (
        "CONCURRENT_CHANGE",
        "Someone else changed the record while this request was deciding; nothing was written — read it again.",
    )
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION", "The record's state machine has no such step from its current state."
    FORBIDDEN = "FORBIDDEN", "The caller is known but may not do this (jurisdiction, scope or role)."
    UNAUTHENTICATED = "UNAUTHENTICATED", "The request carries no identity that verifies."
    INVALID_TEXT = (
        "INVALID_TEXT",
        "A text input holds control characters, bidirectional overrides or only invisible characters.",
    )
    INVALID_CURSOR = "INVALID_CURSOR", "A pagination cursor that this list did not hand out."
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE", "first is outside the allowed page sizes."
    INVALID_DATE = "INVALID_DATE", "A date that is not an ISO 8601 calendar date (YYYY-MM-DD)."
    INVALID_USCC = "INVALID_USCC", "Not a Unified Social Credit Code per GB 32100-2015; the message names the position."
    UNKNOWN_DISTRICT = "UNKNOWN_DISTRICT", "A district code that is not one of the city's district bureaus."
    UNKNOWN_STATION = "UNKNOWN_STATION", "A station code that is not one of the 74 stations."
    UNKNOWN_ORG_UNIT = "UNKNOWN_ORG_UNIT", "An org path that is not a path of the org tree."
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR", "A defect or an unavailable dependency on our side."


class ZhijianError(Exception):
    """Base of every error we raise on purpose; ``code`` becomes GraphQL ``extensions.code``."""

    code: ClassVar[ErrorCode] = Code.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # type: ignore[misc]  # an instance may name a more precise code than its class
        self.details: Mapping[str, Any] = dict(details or {})

    @property
    def extensions(self) -> dict[str, Any]:
        return {"code": str(self.code), **self.details}


class ClientError(ZhijianError):
    """The caller sent something we cannot accept; nothing was written."""

    code: ClassVar[ErrorCode] = Code.BAD_USER_INPUT


class NotFoundError(ClientError):
    """The caller asked for something that does not exist (or is outside their jurisdiction)."""

    code: ClassVar[ErrorCode] = Code.NOT_FOUND


class ConflictError(ClientError):
    """The write would contradict what is already recorded (a duplicate key, a second active listing)."""

    code: ClassVar[ErrorCode] = Code.CONFLICT


class ConcurrentChangeError(ConflictError):
    """Another transaction changed the record first; this one wrote nothing."""

    code: ClassVar[ErrorCode] = Code.CONCURRENT_CHANGE


class InvalidTransitionError(ClientError):
    """A workflow was asked to move along an edge its state machine does not have."""

    code: ClassVar[ErrorCode] = Code.ILLEGAL_TRANSITION


class ForbiddenError(ZhijianError):
    """The caller is known but may not do this."""

    code: ClassVar[ErrorCode] = Code.FORBIDDEN


class InternalError(ZhijianError):
    """A defect or an unavailable dependency on our side."""

    code: ClassVar[ErrorCode] = Code.INTERNAL_SERVER_ERROR
