"""Jurisdiction (属地监管, DOMAIN.md §9) as one mechanism: a request's session reads and writes only the caller's rows.

Every table a subgraph owns is one of three kinds, declared on its model:

- :class:`Supervised` — rows carry the supervising ``district_code`` / ``station_code``. A request session adds
  the caller's read scope to every ORM SELECT of such a model (``session.get`` included), and refuses to flush
  one outside the caller's write scope (``FORBIDDEN``). A new resolver cannot forget it: it has no other session.
- :class:`ScopedThrough` — rows reached only through a supervised parent the same request loaded (transitions,
  listings, evidence): the parent's scope is theirs.
- :class:`Unscoped` — no row of it belongs to a jurisdiction (number sequences, read-audit records).

Machine clients need one of the component's scopes (``entities:read`` …) and are scoped by their client's org
path, or the whole city with ``jurisdiction:city``. Containment is segment-wise (``440304`` never holds
``4403041…``). Domain code that must look across jurisdictions (a duplicate or a ban anywhere in the city)
says so per statement with :data:`UNSCOPED`. Jobs open plain sessions: they act for the system.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Select, event, false, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption

from kernel.db import SerialSession
from kernel.errors import ClientError, ForbiddenError
from kernel.orgtree import CITY_WIDE, OrgLevel, OrgTree, OrgUnit, path_contains
from kernel.principal import Principal

UNSCOPED = "zhijian_unscoped"
"""Execution option: ``session.execute(statement, execution_options={UNSCOPED: True})`` reads across
jurisdictions. Only for checks the law makes city-wide; never for what is shown to the caller."""
_INFO_KEY = "zhijian_jurisdiction"


class Supervised:
    """A model whose rows carry ``district_code`` and ``station_code`` columns of their supervising unit."""


class ScopedThrough:
    """A model whose rows are only reached through a :class:`Supervised` parent loaded in the same request."""

    scoped_through: ClassVar[type[Supervised]]


class Unscoped:
    """A model with no jurisdiction: reference or bookkeeping rows, never a supervised record."""


@dataclass(frozen=True, slots=True)
class Scopes:
    """The OAuth scopes a machine client needs for a component: any of ``read`` to read, ``write`` to change."""

    read: tuple[str, ...]
    write: str


@dataclass(frozen=True, slots=True)
class DataScope:
    """The org unit whose rows a caller reaches; ``unit is None`` reaches nothing."""

    tree: OrgTree
    unit: OrgUnit | None

    def admits(self, district_code: str | None, station_code: str | None) -> bool:
        """True when a row supervised by ``station_code`` (else ``district_code``) lies in the scope."""
        if self.unit is None:
            return False
        row_unit = self.tree.get(station_code) if station_code is not None else None
        if row_unit is None and district_code is not None:
            row_unit = self.tree.get(district_code)
        return row_unit is not None and path_contains(self.unit.path, row_unit.path)


def is_machine_client(caller: Principal) -> bool:
    """A client-credentials token: the subject is the client itself (RFC 9068 §2.2)."""
    return caller.client_id is not None and caller.subject == caller.client_id


def data_scope(caller: Principal | None, tree: OrgTree, scopes: Iterable[str]) -> DataScope:
    """What ``caller`` reaches; a machine client must hold one of ``scopes``."""
    nowhere = DataScope(tree, None)
    if caller is None:
        return nowhere
    if is_machine_client(caller) and not caller.scopes.intersection(scopes):
        return nowhere
    if caller.org_path is None:
        return DataScope(tree, tree.city) if CITY_WIDE in caller.scopes else nowhere
    try:
        return DataScope(tree, tree.unit_at(caller.org_path))
    except ClientError:  # a path the tree does not know reaches nothing
        return nowhere


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """What one request may read and change, computed once from its caller."""

    caller: Principal | None
    reads: DataScope
    writes: DataScope
    write_scope: str

    @classmethod
    def of(cls, caller: Principal | None, tree: OrgTree, scopes: Scopes) -> Jurisdiction:
        return cls(
            caller=caller,
            reads=data_scope(caller, tree, scopes.read),
            writes=data_scope(caller, tree, (scopes.write,)),
            write_scope=scopes.write,
        )

    def require_write(self, district_code: str | None, station_code: str | None) -> None:
        """``FORBIDDEN`` unless the caller may change rows supervised there."""
        if not self.writes.admits(district_code, station_code):
            raise ForbiddenError(
                "this is outside your jurisdiction (or your client lacks the scope "
                f"{self.write_scope}); nothing was changed"
            )


class _RequestSession(Session):
    """The sync session behind a request's AsyncSession; the listeners below scope it."""


@event.listens_for(_RequestSession, "do_orm_execute")
def _scope_reads(state: ORMExecuteState) -> None:
    jurisdiction: Jurisdiction | None = state.session.info.get(_INFO_KEY)
    if jurisdiction is None or state.execution_options.get(UNSCOPED):
        return
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        supervised = {mapper.class_ for mapper in state.all_mappers if issubclass(mapper.class_, Supervised)}
        options = [option for model in supervised if (option := _read_criteria(model, jurisdiction.reads))]
        if options:
            state.statement = state.statement.options(*options)


def _read_criteria(model: type[Any], reads: DataScope) -> LoaderCriteriaOption | None:
    """:meth:`DataScope.admits` as SQL over the model's district and station columns (indexable equality), as a
    loader criteria option; None for the whole city (no clause). The lambdas close over a plain code only, so
    SQLAlchemy caches the statement and binds the code."""
    unit = reads.unit
    if unit is None:
        return with_loader_criteria(model, lambda cls: false(), include_aliases=True)
    if unit.level is OrgLevel.CITY:
        return None
    code = unit.code
    if unit.level is OrgLevel.DISTRICT:
        return with_loader_criteria(model, lambda cls: cls.district_code == code, include_aliases=True)
    return with_loader_criteria(model, lambda cls: cls.station_code == code, include_aliases=True)


def _location_history(row: Supervised) -> Iterable[tuple[str | None, str | None]]:
    """Where a row is now and, if it moved in this transaction, where it was."""
    now = (getattr(row, "district_code"), getattr(row, "station_code"))  # noqa: B009 - declared by each model
    yield now
    attributes = inspect(row).attrs
    district, station = attributes.district_code.history, attributes.station_code.history
    if district.deleted or station.deleted:
        yield (
            district.deleted[0] if district.deleted else now[0],
            station.deleted[0] if station.deleted else now[1],
        )


@event.listens_for(_RequestSession, "before_flush")
def _guard_writes(session: Session, _context: Any, _instances: Any) -> None:
    jurisdiction: Jurisdiction | None = session.info.get(_INFO_KEY)
    if jurisdiction is None:
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, Supervised):
            for district, station in _location_history(row):
                jurisdiction.require_write(district, station)


def request_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory of request sessions (open one with :func:`open_request_session`)."""
    return async_sessionmaker(engine, class_=SerialSession, sync_session_class=_RequestSession, expire_on_commit=False)


def open_request_session(factory: async_sessionmaker[AsyncSession], jurisdiction: Jurisdiction) -> AsyncSession:
    """A session that reads and writes only within ``jurisdiction``."""
    session = factory()
    session.info[_INFO_KEY] = jurisdiction
    return session


def location_of(model: type[Supervised]) -> Callable[[Any], Select[tuple[str | None, str | None]]]:
    """A SELECT of where the row with primary key ``key`` is supervised (columns only: nothing enters the
    session's identity map)."""
    mapper = inspect(model)
    key_column, district, station = (
        mapper.primary_key[0],
        mapper.columns["district_code"],
        mapper.columns["station_code"],
    )

    def statement(key: Any) -> Select[tuple[str | None, str | None]]:
        return select(district, station).where(key_column == key)

    return statement
