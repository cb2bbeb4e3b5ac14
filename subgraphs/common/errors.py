"""The error tree shared by subgraphs: every error carries a machine ``code`` for ``extensions.code``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class ZhijianError(Exception):
    """Base of every error we raise on purpose; ``code`` becomes GraphQL ``extensions.code``."""

    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, code: str | None = None, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.details: Mapping[str, Any] = dict(details or {})

    @property
    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, **self.details}


class ClientError(ZhijianError):
    """The caller sent something we cannot accept; nothing was written."""

    code = "BAD_USER_INPUT"


class NotFoundError(ClientError):
    """The caller asked for something that does not exist (or is outside their jurisdiction)."""

    code = "NOT_FOUND"


class ConflictError(ClientError):
    """The write would contradict what is already recorded (a duplicate key, a second active listing)."""

    code = "CONFLICT"


class InvalidTransitionError(ClientError):
    """A workflow was asked to move along an edge its state machine does not have."""

    code = "ILLEGAL_TRANSITION"


class ForbiddenError(ZhijianError):
    """The caller is known but may not do this."""

    code = "FORBIDDEN"


class InternalError(ZhijianError):
    """A defect or an unavailable dependency on our side."""

    code = "INTERNAL_SERVER_ERROR"
