"""Errors in a client's operation: each maps to a GraphQL error with `extensions.code`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import GraphQLError

from gateway.errors import ClientError

MAX_MESSAGE_CHARS = 300
"""Longer messages (a 100k-digit literal echoed back) are cut, so an error never costs more than its request."""
_SUGGESTION = re.compile(r" Did you mean .*\?$", re.S)


@dataclass(frozen=True, slots=True)
class Problem:
    """One GraphQL error of a refused document: its message and where in the text (no reference to the text)."""

    message: str
    locations: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, error: GraphQLError) -> Problem:
        """A detached copy of `error`, its message shortened."""
        return cls(_shorten(error.message), tuple((loc.line, loc.column) for loc in error.locations or ()))


def without_suggestions(message: str) -> str:
    """`message` without graphql-core's "Did you mean …?" hint (schema names are not shown to anonymous callers)."""
    return _SUGGESTION.sub("", message)


def _shorten(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE_CHARS else message[: MAX_MESSAGE_CHARS - 1] + "…"


class OperationError(ClientError):
    """The operation cannot run as sent; `errors` holds one problem per GraphQL error."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, errors: tuple[Problem, ...] = ()) -> None:
        super().__init__(_shorten(message))
        self.errors = errors or (Problem(self.message),)


class ParseFailed(OperationError):
    """The document is not valid GraphQL syntax."""

    code = "GRAPHQL_PARSE_FAILED"


class ValidationFailed(OperationError):
    """The document breaks a validation rule of the API schema (GraphQL spec §5)."""

    code = "GRAPHQL_VALIDATION_FAILED"


class OperationNotFound(OperationError):
    """No operation, or no operation with the requested name (GraphQL spec §6.1 GetOperation)."""

    code = "OPERATION_RESOLUTION_FAILURE"


class BadUserInput(OperationError):
    """Variable values do not match their declared types (GraphQL spec §6.1.2 CoerceVariableValues)."""

    code = "BAD_USER_INPUT"


class LimitExceeded(OperationError):
    """The document is over one of the gateway's limits (`DocumentLimits`); refused before it costs anything.

    Codes: ``DOCUMENT_TOO_LARGE``, ``TOKEN_LIMIT_EXCEEDED``, ``DEPTH_LIMIT_EXCEEDED``, ``ALIAS_LIMIT_EXCEEDED``,
    ``ROOT_FIELD_LIMIT_EXCEEDED``, ``FIELD_LIMIT_EXCEEDED``, ``FRAGMENT_LIMIT_EXCEEDED``,
    ``DIRECTIVE_LIMIT_EXCEEDED``, ``COST_LIMIT_EXCEEDED``, ``VALIDATION_BUDGET_EXCEEDED``.
    """

    code = "LIMIT_EXCEEDED"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class IncrementalDeliveryUnsupported(OperationError):
    """The document asks for `@defer` or `@stream`, which this gateway does not serve (one response per operation):
    ``DEFER_NOT_SUPPORTED`` / ``STREAM_NOT_SUPPORTED``."""

    code = "DEFER_NOT_SUPPORTED"

    def __init__(self, code: str, message: str, errors: tuple[Problem, ...]) -> None:
        super().__init__(message, errors)
        self.code = code
