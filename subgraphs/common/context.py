"""What every resolver sees (session, loaders, caller), and the extension that makes the request own the transaction."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from gateway.auth.principal import Principal
from subgraphs.common.errors import InternalError

LoadersT = TypeVar("LoadersT")
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RequestContext(Generic[LoadersT]):
    """One request's unit of work: its session (one transaction), its DataLoaders, and who is asking.

    ``caller`` is the gateway-signed :class:`gateway.auth.Principal` (``None``: reaches no rows); ``services`` is
    whatever process-wide collaborators a subgraph hands to ``create_subgraph_app`` (clocks, registries).
    """

    session: AsyncSession
    loaders: LoadersT
    caller: Principal | None = None
    request: Request | WebSocket | None = None
    services: Any = None


class RequestTransaction(SchemaExtension):
    """Commit when the operation had no errors, roll back otherwise: bad input loses nothing.

    A query writes nothing but its audit trail (personal-data reads), which must outlive an error elsewhere
    in the same query: the data was sent. So a query that produced a result is always committed.
    """

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, RequestContext):
            yield
            return
        try:
            yield
        except BaseException:  # escaped the operation: nothing of it may be kept
            await context.session.rollback()
            await context.session.close()
            raise
        result = self.execution_context.result
        errors = list(getattr(result, "errors", None) or ())
        session = context.session
        try:
            if result is None or (errors and not self._is_query()):
                await session.rollback()
            else:
                await session.commit()
        except Exception as exc:  # the commit itself failed: report it, keep nothing
            logger.exception("commit failed")
            await session.rollback()
            if result is not None:
                failure = InternalError("the change could not be saved; nothing was written")
                result.data = None
                result.errors = [*errors, GraphQLError(failure.message, original_error=failure)]
            else:
                raise exc
        finally:
            await session.close()

    def _is_query(self) -> bool:
        try:
            return self.execution_context.operation_type is OperationType.QUERY
        except (RuntimeError, ValueError, KeyError):  # no document, or no such operation
            return False
