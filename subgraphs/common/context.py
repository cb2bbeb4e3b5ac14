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

from subgraphs.common.errors import InternalError

LoadersT = TypeVar("LoadersT")
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RequestContext(Generic[LoadersT]):
    """One request's unit of work: its session (one transaction), its DataLoaders, and who is asking.

    ``caller`` is ``None`` until the identity layer fills it with the caller's jurisdiction; ``services`` is
    whatever process-wide collaborators a subgraph hands to ``create_subgraph_app`` (clocks, registries).
    """

    session: AsyncSession
    loaders: LoadersT
    caller: Any = None
    request: Request | WebSocket | None = None
    services: Any = None


class RequestTransaction(SchemaExtension):
    """Commit when the operation had no errors, roll back otherwise: bad input loses nothing."""

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
            if errors or result is None:
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
