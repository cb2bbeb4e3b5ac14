"""Jurisdiction (属地监管, DOMAIN.md §9) as one mechanism: a request's session reads and writes only the caller's rows,
and the caller takes only the actions its roles allow (``kernel.roles``).

A caller's data scope is of one of two kinds: an org unit (officers, machine clients: the rows supervised in that
unit's area) or a set of market entities (enterprise users of 市场通: the rows those USCCs hold).
Every table a subgraph owns is one of three kinds, declared on its model:

- :class:`Supervised` — rows carry the supervising ``district_code`` / ``station_code`` and name the entity that
  holds them (``holder``). A request session adds the caller's read scope to every ORM SELECT of such a model
  (``session.get`` included), and refuses to flush one outside the caller's write scope (``FORBIDDEN``). A new
  resolver cannot forget it: it has no other session.
- :class:`ScopedThrough` — rows reached only through a supervised parent the same request loaded (transitions,
  listings, evidence): the parent's scope is theirs.
- :class:`Unscoped` — no row of it belongs to a jurisdiction (number sequences, read-audit records).

Machine clients need one of the component's scopes (``entities:read`` …) to read and are scoped by their client's
org path, or the whole city with ``jurisdiction:city``. Every write needs the component's write scope, delegated
to the client the caller signed in through, and an action the caller's roles allow (:meth:`Jurisdiction.
require_action`). Containment is segment-wise (``440304`` never holds ``4403041…``). Domain code that must look
across jurisdictions (a duplicate or a ban anywhere in the city) says so per statement with :data:`UNSCOPED`.
Jobs open plain sessions: they act for the system.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import Select, event, false, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, synonym, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption

from kernel.db import SerialSession
from kernel.errors import ClientError, ForbiddenError
from kernel.orgtree import CITY_WIDE, OrgLevel, OrgTree, OrgUnit, path_contains
from kernel.principal import Principal
from kernel.roles import Grant, RoleTable, default_role_table

UNSCOPED = "zhijian_unscoped"
"""Execution option: ``session.execute(statement, execution_options={UNSCOPED: True})`` reads across
jurisdictions. Only for checks the law makes city-wide; never for what is shown to the caller."""
_INFO_KEY = "zhijian_jurisdiction"


class Supervised:
    """A model whose rows carry ``district_code`` and ``station_code`` columns of their supervising unit, and name
    the market entity that holds them in the column ``holder`` names (its USCC); ``holder_key`` is that column
    under one name for every such model."""

    holder: ClassVar[str]

    @declared_attr
    def holder_key(cls) -> Mapped[str]:
        return synonym(cls.holder)


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
class Place:
    """Where a supervised row lies: its supervising district and station, and the entity that holds it."""

    district_code: str | None
    station_code: str | None
    holder: str | None = None


@dataclass(frozen=True, slots=True)
class DataScope:
    """The rows a caller reaches: those supervised within ``unit`` (officers, machine clients), or those held by
    one of ``holders`` (enterprise users); neither reaches nothing."""

    tree: OrgTree
    unit: OrgUnit | None
    holders: frozenset[str] = frozenset()

    @property
    def nowhere(self) -> bool:
        return self.unit is None and not self.holders

    def admits(self, place: Place) -> bool:
        """True when a row at ``place`` lies in the scope."""
        if self.holders:
            return place.holder is not None and place.holder in self.holders
        if self.unit is None:
            return False
        row_unit = self.tree.get(place.station_code) if place.station_code is not None else None
        if row_unit is None and place.district_code is not None:
            row_unit = self.tree.get(place.district_code)
        return row_unit is not None and path_contains(self.unit.path, row_unit.path)


def is_machine_client(caller: Principal) -> bool:
    """A client-credentials token: the subject is the client itself (RFC 9068 §2.2)."""
    return caller.client_id is not None and caller.subject == caller.client_id


def data_scope(caller: Principal | None, tree: OrgTree, scopes: Iterable[str], *, delegated: bool = False) -> DataScope:
    """What ``caller`` reaches; a machine client (and, when ``delegated``, any caller) must hold one of ``scopes``.

    An enterprise user reaches the entities it acts for; a caller with both kinds of scope reaches nothing."""
    nowhere = DataScope(tree, None)
    if caller is None:
        return nowhere
    if (delegated or is_machine_client(caller)) and not caller.scopes.intersection(scopes):
        return nowhere
    if caller.usccs:
        return nowhere if caller.org_path is not None else DataScope(tree, None, caller.usccs)
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
    roles: RoleTable = field(default_factory=default_role_table)

    @classmethod
    def of(
        cls, caller: Principal | None, tree: OrgTree, scopes: Scopes, roles: RoleTable | None = None
    ) -> Jurisdiction:
        return cls(
            caller=caller,
            reads=data_scope(caller, tree, scopes.read),
            writes=data_scope(caller, tree, (scopes.write,), delegated=True),
            write_scope=scopes.write,
            roles=roles or default_role_table(),
        )

    def require_write(self, place: Place) -> None:
        """``FORBIDDEN`` unless the caller may change rows at ``place``."""
        if not self.writes.admits(place):
            raise ForbiddenError(
                "this is outside your jurisdiction (or your client lacks the scope "
                f"{self.write_scope}); nothing was changed"
            )

    def require_action(self, action: str) -> Grant:
        """``FORBIDDEN`` (naming the action and the roles it needs) unless the caller's roles allow ``action``."""
        grant = self.roles.grant(action)
        caller = self.caller
        level = self.reads.unit.level if self.reads.unit is not None else None
        reason = "nobody is signed in" if caller is None else grant.refusal(caller.roles, level)
        if reason is not None:
            raise ForbiddenError(
                f"you may not {grant.what}: {reason}; nothing was changed",
                details={"action": grant.action, "requiredRoles": sorted(grant.roles)},
            )
        return grant

    def require_decision_by(self, unit: OrgUnit) -> None:
        """``FORBIDDEN`` unless the caller may record a decision of ``unit``: an officer of that unit or one above
        it, or a machine client whose jurisdiction holds it (a decision taken in its system)."""
        caller, mine = self.caller, self.writes.unit
        allowed = caller is not None and mine is not None and path_contains(mine.path, unit.path)
        if allowed and caller is not None and not is_machine_client(caller):
            allowed = caller.org_path is not None and path_contains(caller.org_path, unit.path)
        if not allowed:
            raise ForbiddenError(
                f"a decision of {unit.name} is taken by that unit or one above it, not by you; nothing was changed"
            )


def jurisdiction_of(session: AsyncSession | Session) -> Jurisdiction | None:
    """The jurisdiction a request session was opened with, for a domain rule about the record itself (a decision
    taken by the right unit); None for a system session (jobs, seeds)."""
    found: Jurisdiction | None = session.info.get(_INFO_KEY)
    return found


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
    """:meth:`DataScope.admits` as SQL over the model's district and station columns (indexable equality), or its
    holder column for an enterprise user, as a loader criteria option; None for the whole city (no clause). The
    lambdas close over plain values only, so SQLAlchemy caches the statement and binds the values."""
    unit = reads.unit
    if reads.holders:
        holders = tuple(sorted(reads.holders))
        return with_loader_criteria(model, lambda cls: cls.holder_key.in_(holders), include_aliases=True)
    if unit is None:
        return with_loader_criteria(model, lambda cls: false(), include_aliases=True)
    if unit.level is OrgLevel.CITY:
        return None
    code = unit.code
    if unit.level is OrgLevel.DISTRICT:
        return with_loader_criteria(model, lambda cls: cls.district_code == code, include_aliases=True)
    return with_loader_criteria(model, lambda cls: cls.station_code == code, include_aliases=True)


def _location_history(row: Supervised) -> Iterable[Place]:
    """Where a row is now and, if it moved in this transaction, where it was."""
    attributes = inspect(row).attrs
    columns = ("district_code", "station_code", row.holder)
    now = tuple(getattr(row, column) for column in columns)
    yield Place(*now)
    histories = [attributes[column].history for column in columns]
    if any(history.deleted for history in histories):
        yield Place(*(h.deleted[0] if h.deleted else value for h, value in zip(histories, now, strict=True)))


@event.listens_for(_RequestSession, "before_flush")
def _guard_writes(session: Session, _context: Any, _instances: Any) -> None:
    jurisdiction: Jurisdiction | None = session.info.get(_INFO_KEY)
    if jurisdiction is None:
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, Supervised):
            for place in _location_history(row):
                jurisdiction.require_write(place)


def request_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory of request sessions (open one with :func:`open_request_session`)."""
    return async_sessionmaker(engine, class_=SerialSession, sync_session_class=_RequestSession, expire_on_commit=False)


def open_request_session(factory: async_sessionmaker[AsyncSession], jurisdiction: Jurisdiction) -> AsyncSession:
    """A session that reads and writes only within ``jurisdiction``."""
    session = factory()
    session.info[_INFO_KEY] = jurisdiction
    return session


def location_of(model: type[Supervised]) -> Callable[[Any], Select[tuple[str | None, str | None, str | None]]]:
    """A SELECT of where the row with primary key ``key`` is supervised and who holds it (columns only: nothing
    enters the session's identity map)."""
    mapper = inspect(model)
    key_column, district, station, holder = (
        mapper.primary_key[0],
        mapper.columns["district_code"],
        mapper.columns["station_code"],
        mapper.attrs[model.holder].columns[0],
    )

    def statement(key: Any) -> Select[tuple[str | None, str | None, str | None]]:
        return select(district, station, holder).where(key_column == key)

    return statement
