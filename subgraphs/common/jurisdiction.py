"""Jurisdiction (属地监管, DOMAIN.md §9) as one mechanism: a request's session reads and writes only the caller's rows,
and the caller takes only the actions its roles allow (``kernel.roles``).

A caller's data scope is of one of two kinds: an org unit (officers, machine clients: the rows supervised in that
unit's area) or a set of market entities (enterprise users of 市场通: the rows those USCCs hold).
Every table a subgraph owns is one of three kinds, declared on its model:

- :class:`Supervised` — rows carry the supervising ``district_code`` / ``station_code`` and may name the entity
  that holds them (``holder``). A request session adds the caller's read scope to every ORM statement that names
  such a model anywhere — the rows it loads, ``session.get``, and the counts, joins and subqueries over it — and
  refuses to flush one outside the caller's write scope (``FORBIDDEN``). A new resolver cannot forget it: it has
  no other session. A supervised model with a ``grants`` table (:class:`GrantColumns`) is also reached, row by
  row, by the units and officers it was granted to (a random inspection's inspector from another station, a case
  transferred to another district): an explicit, audited widening of exactly one record.
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

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sqlalchemy import Select, String, Table, event, false, inspect, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    column_property,
    declared_attr,
    mapped_column,
    synonym,
    with_loader_criteria,
)
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql.util import find_tables

from kernel.db import ReplicaReads, SerialSession, fetch_records, read_on_replica
from kernel.errors import ClientError, ForbiddenError, InternalError
from kernel.orgtree import CITY_WIDE, OrgLevel, OrgTree, OrgUnit, path_contains
from kernel.principal import Principal
from kernel.roles import Grant, RoleTable, default_role_table
from kernel.timestamps import UtcDateTime

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ClauseElement

UNSCOPED = "zhijian_unscoped"
"""Execution option: ``session.execute(statement, execution_options={UNSCOPED: True})`` reads across
jurisdictions. Only for checks the law makes city-wide; never for what is shown to the caller."""
_INFO_KEY = "zhijian_jurisdiction"


class Supervised:
    """A model whose rows carry ``district_code`` and ``station_code`` columns of their supervising unit, and name
    the market entity that holds them in the column ``holder`` names (its USCC), or None for records no entity
    holds (a random-inspection plan); ``holder_key`` is that column under one name for every such model (NULL
    without a holder: an enterprise user reaches none of those rows). ``grants`` names the model's grant table
    (:class:`GrantColumns`), None when its rows are never granted outside their jurisdiction."""

    holder: ClassVar[str | None] = None
    grants: ClassVar[type[GrantColumns] | None] = None

    @declared_attr
    def holder_key(cls) -> Mapped[str | None]:
        if cls.holder is None:
            return column_property(literal(None, String()), deferred=True)
        return synonym(cls.holder)


class GrantColumns:
    """The columns of a grant table (one per granting model, itself :class:`Unscoped`): record ``record_id`` of the
    granting model is reached by the unit ``grantee_unit`` (its code: the unit and every unit above it) or the
    officer ``grantee_subject``, from ``granted_at`` until ``revoked_at``; who granted it and why are kept. The
    subgraph declares ``record_id`` with its foreign key and index. Create grants with :func:`grant_record`."""

    record_id: Mapped[Any]
    grantee_unit: Mapped[str | None] = mapped_column(String(9), index=True)
    grantee_subject: Mapped[str | None] = mapped_column(String(64), index=True)
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(500))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


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
    one of ``holders`` (enterprise users); neither reaches nothing. An officer (``subject``) also reaches the
    records granted to it or to a unit within ``unit``."""

    tree: OrgTree
    unit: OrgUnit | None
    holders: frozenset[str] = frozenset()
    subject: str | None = None
    grantee_units: tuple[str, ...] = field(init=False, compare=False)
    """The codes of the units whose grants this scope reaches: its unit and every unit within it (computed once per
    request, not per statement)."""

    def __post_init__(self) -> None:
        unit = self.unit
        units: tuple[str, ...] = ()
        if unit is not None and unit.level is OrgLevel.DISTRICT:
            units = (unit.code, *(station.code for station in self.tree.stations(unit.code)))
        elif unit is not None:
            units = (unit.code,)
        object.__setattr__(self, "grantee_units", units)

    @property
    def whole_city(self) -> bool:
        """True when the scope holds every supervised row: no read needs a criterion."""
        return self.unit is not None and self.unit.level is OrgLevel.CITY and not self.holders

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
        unit = tree.unit_at(caller.org_path)
    except ClientError:  # a path the tree does not know reaches nothing
        return nowhere
    return DataScope(tree, unit, subject=None if is_machine_client(caller) else caller.subject)


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


class _RequestSession(ReplicaReads):
    """The sync session behind a request's AsyncSession; the listeners below scope it."""


@event.listens_for(_RequestSession, "do_orm_execute")
def _scope_reads(state: ORMExecuteState) -> None:
    jurisdiction: Jurisdiction | None = state.session.info.get(_INFO_KEY)
    if jurisdiction is None or state.execution_options.get(UNSCOPED):
        return
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        if state.is_orm_statement and jurisdiction.reads.whole_city:
            return  # nothing to add (no criteria for the whole city), and reads through the model are what we want
        models = _supervised_models_named(state)
        if models and not state.is_orm_statement:
            names = ", ".join(sorted(model.__name__ for model in models))
            raise InternalError(f"a request session reads {names} through the model, not its table (Core)")
        options = [option for model in models if (option := _read_criteria(model, jurisdiction.reads))]
        if options:
            state.statement = state.statement.options(*options)


_SUPERVISED_MODEL = "zhijian_supervised_model"
"""Key of ``Table.info``: the supervised model mapped to the table (set when the model is mapped)."""


@event.listens_for(Supervised, "after_mapper_constructed", propagate=True)
def _mark_supervised_table(mapper: Any, model: type[Supervised]) -> None:
    mapper.local_table.info[_SUPERVISED_MODEL] = model


def _supervised_model(table: Table) -> type[Supervised] | None:
    """The supervised model mapped to ``table``, None when it is not one. An ORM statement names its tables
    annotated (``select_from(Model)``), so they are read as the tables they annotate."""
    found: type[Supervised] | None = table._deannotate().info.get(_SUPERVISED_MODEL)
    return found


def _supervised_models_named(state: ORMExecuteState) -> set[type[Supervised]]:
    """Every supervised model a statement names anywhere: its entities, and the tables of its counts, joins,
    subqueries and EXISTS clauses (the loader criteria below reach each of those places)."""
    models = {mapper.class_ for mapper in state.all_mappers if issubclass(mapper.class_, Supervised)}
    return models | supervised_models(cast("ClauseElement", state.statement))


def supervised_models(statement: ClauseElement) -> set[type[Supervised]]:
    """Every supervised model whose table ``statement`` names (its columns, joins, subqueries)."""
    return {
        model
        for table in find_tables(statement, include_aliases=True, include_joins=True)
        if isinstance(table, Table) and (model := _supervised_model(table)) is not None
    }


def scope_options(statement: Select[Any], reads: DataScope) -> list[LoaderCriteriaOption]:
    """The criteria every ORM read of ``statement`` gets in the read scope ``reads``, as options to add to it: the
    way past the guard on Core reads (:func:`fetch_scoped`, :mod:`subgraphs.common.prepared`)."""
    return [option for model in supervised_models(statement) if (option := _read_criteria(model, reads))]


async def fetch_scoped(session: AsyncSession, statement: Select[*tuple[Any, ...]]) -> Sequence[Sequence[Any]]:
    """The rows of a ``select`` of model columns within the session's read scope — the same criteria every ORM
    read gets — as the driver's plain records (:func:`kernel.db.fetch_records`), for reading a whole supervised
    pool (a draw over a million targets) without a million ORM rows."""
    jurisdiction: Jurisdiction | None = session.info.get(_INFO_KEY)
    if jurisdiction is not None:
        statement = statement.options(*scope_options(statement, jurisdiction.reads))
    return await fetch_records(session, statement)


def _read_criteria(model: type[Supervised], reads: DataScope) -> LoaderCriteriaOption | None:
    """:meth:`DataScope.admits` as SQL over the model's district and station columns (indexable equality), or its
    holder column for an enterprise user, as a loader criteria option — widened, for a model with grants, by the
    records granted to the caller; None for the whole city (no clause). The lambdas close over plain values and
    one SELECT only, so SQLAlchemy caches the statement and binds the values."""
    unit = reads.unit
    if reads.holders:
        holders = tuple(sorted(reads.holders))
        return with_loader_criteria(model, lambda cls: cls.holder_key.in_(holders), include_aliases=True)
    if unit is None:
        return with_loader_criteria(model, lambda cls: false(), include_aliases=True)
    if unit.level is OrgLevel.CITY:
        return None
    code = unit.code
    granted = _granted_records(model, reads)
    if unit.level is OrgLevel.DISTRICT:
        if granted is None:
            return with_loader_criteria(model, lambda cls: cls.district_code == code, include_aliases=True)
        return with_loader_criteria(
            model, lambda cls: or_(cls.district_code == code, cls.id.in_(granted)), include_aliases=True
        )
    if granted is None:
        return with_loader_criteria(model, lambda cls: cls.station_code == code, include_aliases=True)
    return with_loader_criteria(
        model, lambda cls: or_(cls.station_code == code, cls.id.in_(granted)), include_aliases=True
    )


def _granted_records(model: type[Supervised], scope: DataScope, key: Any = None) -> Select[tuple[Any]] | None:
    """The keys of ``model``'s records granted (and not revoked) to ``scope``'s officer or to a unit within its
    unit — only ``key``'s when given; None when the model has no grants."""
    grants: Any = model.grants
    if grants is None:
        return None
    grantee = grants.grantee_unit.in_(scope.grantee_units)
    if scope.subject is not None:
        grantee = or_(grantee, grants.grantee_subject == scope.subject)
    statement = select(grants.record_id).where(grants.revoked_at.is_(None), grantee)
    return statement if key is None else statement.where(grants.record_id == key)


def granted_records(model: type[Supervised], scope: DataScope) -> Select[tuple[Any]] | None:
    """The keys of ``model``'s records granted (and not revoked) to ``scope``: what reaches it beyond its unit;
    None when the model has no grants."""
    return _granted_records(model, scope)


def grant_record(
    session: AsyncSession | Session,
    model: type[Supervised],
    record_id: Any,
    *,
    by: Principal,
    reason: str,
    at: dt.datetime,
    unit: OrgUnit | None = None,
    subject: str | None = None,
) -> GrantColumns:
    """Grant ``model``'s record ``record_id`` to ``unit`` or to the officer ``subject`` (exactly one), recorded with
    who granted it, when and why; the caller's domain rule decides whether it may (a draw, a case transfer)."""
    if model.grants is None or (unit is None) == (subject is None):
        raise ValueError(f"{model.__name__} has no grants, or the grantee is not exactly one unit or officer")
    grant = model.grants()
    for name, value in (
        ("record_id", record_id),
        ("grantee_unit", None if unit is None else unit.code),
        ("grantee_subject", subject),
        ("granted_by", by.subject),
        ("granted_at", at),
        ("reason", reason),
    ):
        setattr(grant, name, value)
    session.add(grant)
    return grant


def _location_history(row: Supervised) -> Iterable[Place]:
    """Where a row is now and, if it moved in this transaction, where it was."""
    attributes = inspect(row).attrs
    columns = ("district_code", "station_code", *((row.holder,) if row.holder is not None else ()))
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
            places = [place for place in _location_history(row) if not jurisdiction.writes.admits(place)]
            if places and not _granted_row(session, row, jurisdiction):
                jurisdiction.require_write(places[0])


def _granted_row(session: Session, row: Supervised, jurisdiction: Jurisdiction) -> bool:
    """True when a stored ``row`` is granted to the caller, who may also change it (Core, on the flush's own
    connection: no autoflush, no identity map)."""
    state = inspect(row)
    if state.key is None or jurisdiction.writes.nowhere:
        return False
    statement = _granted_records(type(row), jurisdiction.writes, state.identity[0] if state.identity else None)
    return statement is not None and session.connection().execute(statement.limit(1)).first() is not None


def request_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory of request sessions (open one with :func:`open_request_session`)."""
    return async_sessionmaker(engine, class_=SerialSession, sync_session_class=_RequestSession, expire_on_commit=False)


def open_request_session(
    factory: async_sessionmaker[AsyncSession], jurisdiction: Jurisdiction, replica: AsyncEngine | None = None
) -> AsyncSession:
    """A session that reads and writes only within ``jurisdiction`` (reading on ``replica``, when given, until it
    writes: :class:`kernel.db.ReplicaReads`)."""
    session = factory()
    session.info[_INFO_KEY] = jurisdiction
    read_on_replica(session, replica)
    return session


def location_of(model: type[Supervised]) -> Callable[[Any], Select[tuple[str | None, str | None, str | None]]]:
    """A SELECT of where the row with primary key ``key`` is supervised and who holds it (columns only: nothing
    enters the session's identity map)."""
    mapper = inspect(model)
    key_column, district = mapper.primary_key[0], mapper.columns["district_code"]
    station = mapper.columns["station_code"]
    holder: Any = literal(None, String()) if model.holder is None else mapper.attrs[model.holder].columns[0]

    def statement(key: Any) -> Select[tuple[str | None, str | None, str | None]]:
        return select(district, station, holder).where(key_column == key)

    return statement


async def granted_to(session: AsyncSession, model: type[Supervised], key: Any, jurisdiction: Jurisdiction) -> bool:
    """True when ``model``'s record ``key`` is granted to the caller for writing (a guarded mutation's target)."""
    statement = None if jurisdiction.writes.nowhere else _granted_records(model, jurisdiction.writes, key)
    return statement is not None and (await session.execute(statement.limit(1))).first() is not None
