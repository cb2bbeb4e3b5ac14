"""Stage 3: parse, validate and normalize a client's operation against the API schema."""

from gateway.operation.cost import CostModel
from gateway.operation.document import INTROSPECTION_FIELDS, PreparedOperation, prepare_operation
from gateway.operation.errors import (
    BadUserInput,
    IncrementalDeliveryUnsupported,
    LimitExceeded,
    OperationError,
    OperationNotFound,
    ParseFailed,
    Problem,
    ValidationFailed,
    without_suggestions,
)
from gateway.operation.limits import DocumentLimits
from gateway.operation.normalize import condition_values, normalize
from gateway.operation.variables import coerce_variables

__all__ = [
    "INTROSPECTION_FIELDS",
    "BadUserInput",
    "CostModel",
    "DocumentLimits",
    "IncrementalDeliveryUnsupported",
    "LimitExceeded",
    "OperationError",
    "OperationNotFound",
    "ParseFailed",
    "PreparedOperation",
    "Problem",
    "ValidationFailed",
    "coerce_variables",
    "condition_values",
    "normalize",
    "prepare_operation",
    "without_suggestions",
]
