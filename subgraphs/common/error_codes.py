"""Shapes GraphQL errors at the edge: our error tree keeps its code and message, anything unexpected is masked.

Codes follow the Apollo convention (``extensions.code``); the masking mirrors strawberry's ``MaskErrors``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from kernel.db import concurrency_error
from kernel.errors import Code, ErrorCode, ZhijianError
from subgraphs.common.errors import CommonCode

logger = logging.getLogger(__name__)

MASKED_MESSAGE = "Internal server error"


def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


def shape_error(error: GraphQLError, logged: set[int]) -> GraphQLError:
    """One error as the client will see it: always with ``extensions.code``, never with internals. An unexpected
    error is logged, once per exception whose id is not yet in ``logged`` (a failed batch is every
    representation's error, and one incident)."""
    original = error.original_error
    if original is not None and not isinstance(original, ZhijianError):
        original = concurrency_error(original) or original
    if isinstance(original, ZhijianError):
        return _with(error, original.message, {**(error.extensions or {}), **original.extensions})
    if error.extensions and "code" in error.extensions:
        return error
    if error.path is None:  # the request itself was wrong: syntax, validation or variable values
        code: ErrorCode
        if isinstance(error, GraphQLSyntaxError):
            code = CommonCode.GRAPHQL_PARSE_FAILED
        elif original is None:
            code = CommonCode.GRAPHQL_VALIDATION_FAILED
        else:
            code = Code.BAD_USER_INPUT
        return _with(error, error.message, {**(error.extensions or {}), "code": code})
    if original is None or isinstance(original, GraphQLError):
        return _with(error, error.message, {**(error.extensions or {}), "code": "BAD_USER_INPUT"})
    if id(original) not in logged:
        logger.error("unexpected error at %s", ".".join(map(str, error.path)), exc_info=original)
        logged.add(id(original))
    masked = GraphQLError(
        MASKED_MESSAGE, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path
    )
    return _with(masked, MASKED_MESSAGE, {"code": "INTERNAL_SERVER_ERROR"})


class ErrorCodes(SchemaExtension):
    """Puts every error of an operation through :func:`shape_error`."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            logged: set[int] = set()  # the operation's unexpected exceptions logged so far
            result.errors = [shape_error(error, logged) for error in errors]
