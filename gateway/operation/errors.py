"""Errors in a client's operation: each maps to a GraphQL error with `extensions.code`."""

from __future__ import annotations

from graphql import GraphQLError

from gateway.errors import ClientError


class OperationError(ClientError):
    """The operation cannot run as sent; `errors` holds one GraphQL error per problem."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, errors: tuple[GraphQLError, ...] = ()) -> None:
        super().__init__(message)
        self.errors = errors or (GraphQLError(message),)


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
