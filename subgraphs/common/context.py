"""What every resolver sees (session, loaders, caller, jurisdiction, services), and the extension that makes the
request own the transaction."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from kernel.db import concurrency_error, primary_only, statement_transactions, uncommitted_writes, write_transactions
from kernel.errors import InternalError
from kernel.principal import Principal
from subgraphs.common.jurisdiction import Jurisdiction
from subgraphs.common.services import SubgraphServices

LoadersT = TypeVar("LoadersT")
ServicesT = TypeVar("ServicesT", bound=SubgraphServices)
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RequestContext(Generic[LoadersT, ServicesT]):
    """One request's unit of work: its session (one transaction, scoped to the caller's jurisdiction), its
    DataLoaders, who is asking, and the component's services (clock, org tree, registries)."""

    session: AsyncSession
    loaders: LoadersT
    services: ServicesT
    jurisdiction: Jurisdiction
    request: Request | WebSocket | None = None
    sessions: Callable[[], AsyncSession] | None = None
    """Opens another session scoped like ``session``: a subscription reads each event in one of its own, so that no
    session (and no SQLite lock) is held between events."""

    @property
    def caller(self) -> Principal | None:
        """The gateway-signed caller (``None``: reaches no rows)."""
        return self.jurisdiction.caller


class RequestTransaction(SchemaExtension):
    """Commit when the operation had no errors, roll back otherwise: bad input loses nothing.

    A query writes nothing but its audit trail (personal-data reads), which must outlive an error elsewhere
    in the same query: the data was sent. So a query that produced a result is committed when it wrote (flushed)
    or holds something to write; one that wrote nothing is only closed, which ends its reads. On PostgreSQL a
    query's statements run without an enclosing transaction (:func:`kernel.db.statement_transactions`: no BEGIN and
    COMMIT round trips, the same rows read at READ COMMITTED); its audit records are written at the commit.
    With a read replica, a query reads there until it writes (its audit trail), a mutation only on the primary.
    A mutation takes SQLite's write lock when it begins (PostgreSQL locks the rows it changes, see
    :mod:`subgraphs.common.records`), so concurrent writers queue rather than decide on a stale snapshot.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if isinstance(context, RequestContext):
            if self._is_query():
                statement_transactions(context.session)
            else:
                primary_only(context.session)
                write_transactions(context.session)
        yield

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
        query = self._is_query()
        try:
            if result is None or (errors and not query):
                await session.rollback()
            elif not query or uncommitted_writes(session):
                await session.commit()
            # else a query that wrote nothing: closing the session ends its reads, there is nothing to commit
        except Exception as exc:  # the commit itself failed: report it, keep nothing
            failure = concurrency_error(exc)
            if failure is None:
                logger.exception("commit failed")
                failure = InternalError("the change could not be saved; nothing was written")
            await session.rollback()
            if result is not None:
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
