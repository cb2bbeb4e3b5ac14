"""The codes every subgraph may give beyond the kernel's (:class:`kernel.errors.Code`)."""

from __future__ import annotations

from kernel.errors import ErrorCode


class CommonCode(ErrorCode):
    """Codes of the shared subgraph machinery: periods, dates, rules, GraphQL requests."""

    INVALID_PERIOD = "INVALID_PERIOD", "A period that ends before it starts, or a negative number of days."
    DATE_IN_FUTURE = "DATE_IN_FUTURE", "A recorded act dated after today (Beijing time)."
    RULE_NOT_FOUND = "RULE_NOT_FOUND", "No version of a legal rule is in force on the date asked."
    RULE_UNIT_MISMATCH = "RULE_UNIT_MISMATCH", "A legal rule is stored in a unit this computation cannot use."
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED", "The GraphQL document is not syntactically valid."
    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        "The GraphQL document does not validate against the schema.",
    )
