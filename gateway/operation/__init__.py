"""Stage 3: parse, validate and normalize a client's operation against the API schema."""

from gateway.operation.document import INTROSPECTION_FIELDS, PreparedOperation, prepare_operation
from gateway.operation.errors import (
    BadUserInput,
    OperationError,
    OperationNotFound,
    ParseFailed,
    ValidationFailed,
)
from gateway.operation.normalize import condition_values, normalize
from gateway.operation.variables import coerce_variables

__all__ = [
    "INTROSPECTION_FIELDS",
    "BadUserInput",
    "OperationError",
    "OperationNotFound",
    "ParseFailed",
    "PreparedOperation",
    "ValidationFailed",
    "coerce_variables",
    "condition_values",
    "normalize",
    "prepare_operation",
]
