"""Prepared reads: a request's hottest reads built and compiled once, run on the driver, answered as plain records.

An ORM read of twenty rows costs about 0.5 ms of SQLAlchemy on SQLite against 0.07 ms for the driver alone
(issue 17): building the statement, finding its supervised tables, its cache key, the schema names translated by a
regular expression on every execution, the ORM's rows and identity map. A :class:`PreparedRead` is a ``SELECT`` of
one model's columns with named parameters, built once per process. For each dialect and read scope it is compiled
once, with the jurisdiction criteria every ORM read gets (:func:`subgraphs.common.jurisdiction.scope_options`); each
call then binds its parameters and runs the SQL on the driver in the request session's connection, returning
records that read like the model's rows (``record.uscc``), with the column types' own conversions applied.

Records are for showing, not changing: they are not in the session and carry no history. A read sees what the
session has pending (it flushes first, as the ORM's autoflush does). Parameters are plain strings and numbers (or
lists of them, for ``IN``): a type that needs converting on the way in is refused when the read is compiled.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Select, inspect, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from kernel.db import SerialSession, driver_fetch, execution_options, writes_pending
from kernel.errors import InternalError
from subgraphs.common.jurisdiction import DataScope, Supervised, jurisdiction_of, scope_options, supervised_models

ModelT = TypeVar("ModelT", bound=Supervised)

SCOPES_KEPT = 256
"""Compiled forms kept per read (one per dialect and read scope: the city, a district, a station, an officer with
grants, an enterprise user's entities), least recently used dropped first."""
SHAPES_KEPT = 128
"""Expanded SQL kept per compiled form: one per number of values in its list parameters (a DataLoader's batch)."""


@dataclass(frozen=True, slots=True)
class _Expanded:
    """The SQL of one shape of call (how many values each list parameter holds) and how to order its arguments."""

    sql: str
    positions: tuple[str, ...]
    constants: dict[str, Any]
    expansion: dict[str, list[str]]

    def arguments(self, parameters: dict[str, Any]) -> list[Any]:
        values = dict(self.constants)
        for name, value in parameters.items():
            names = self.expansion.get(name)
            if names is None:
                values[name] = value
            else:
                values.update(zip(names, value, strict=True))
        return [values[name] for name in self.positions]


@dataclass(slots=True)
class _Compiled:
    compiled: Any  # sqlalchemy.sql.compiler.SQLCompiler
    processors: tuple[Callable[[Any], Any] | None, ...]
    converts: bool
    literal: frozenset[str]
    """Parameters rendered into the SQL (``literal_execute``): their values are part of the shape."""
    shapes: dict[tuple[Any, ...], _Expanded]

    def expanded(self, parameters: dict[str, Any]) -> _Expanded:
        shape = tuple(
            (name, len(value) if isinstance(value, list | tuple) else value if name in self.literal else None)
            for name, value in sorted(parameters.items())
        )
        found = self.shapes.get(shape)
        if found is None:
            state = self.compiled.construct_expanded_state(parameters, escape_names=False)
            expansion = {name: list(names) for name, names in (state.parameter_expansion or {}).items()}
            found = _Expanded(state.statement, tuple(state.positiontup or ()), dict(state.parameters), expansion)
            if len(self.shapes) < SHAPES_KEPT:
                self.shapes[shape] = found
        return found


class PreparedRead(Generic[ModelT]):
    """``build(select(every column of model))`` — adding ``WHERE``, ``ORDER BY`` and ``LIMIT`` with named
    ``bindparam``s — compiled once per dialect and read scope, run by :meth:`all` with the parameters' values."""

    def __init__(self, model: type[ModelT], build: Callable[[Select[Any]], Select[Any]]) -> None:
        mapper = inspect(model)
        keys = [key for key, column in mapper.columns.items() if isinstance(column, Column)]
        self.model = model
        self.record: Any = namedtuple(f"{model.__name__}Record", keys)  # type: ignore[misc]
        self.statement = build(select(*(getattr(model, key) for key in keys)))
        self._types = [mapper.columns[key].type for key in keys]
        self._granted = any(named.grants is not None for named in supervised_models(self.statement))
        self._compiled: OrderedDict[tuple[Any, ...], _Compiled] = OrderedDict()

    async def all(self, session: AsyncSession, **parameters: Any) -> list[ModelT]:
        """The records the statement selects with ``parameters``, within the session's read scope (typed as the
        model for their attributes: they are named tuples, not instances)."""
        if writes_pending(session):
            await session.flush()
        serial = session._serial if isinstance(session, SerialSession) else None
        if serial is not None:
            async with serial:
                return await self._all(session, parameters)
        return await self._all(session, parameters)

    async def _all(self, session: AsyncSession, parameters: dict[str, Any]) -> list[Any]:  # records
        connection = await session.connection(bind_arguments={"clause": self.statement})
        jurisdiction = jurisdiction_of(session)
        prepared = self._prepared(connection, None if jurisdiction is None else jurisdiction.reads)
        expanded = prepared.expanded(parameters)
        rows = await driver_fetch(connection, expanded.sql, expanded.arguments(parameters))
        make = self.record._make
        if not prepared.converts:
            return [make(row) for row in rows]
        processors = prepared.processors
        return [
            make([value if p is None else p(value) for p, value in zip(processors, row, strict=True)]) for row in rows
        ]

    def _prepared(self, connection: AsyncConnection, reads: DataScope | None) -> _Compiled:
        translate = execution_options(connection).get("schema_translate_map")
        key = (connection.dialect.name, _translation(translate), _scope_key(reads, self._granted))
        found = self._compiled.get(key)
        if found is not None:
            self._compiled.move_to_end(key)
            return found
        found = self._compile(connection.dialect, translate, reads)
        self._compiled[key] = found
        if len(self._compiled) > SCOPES_KEPT:
            self._compiled.popitem(last=False)
        return found

    def _compile(
        self, dialect: Dialect, translate: dict[str | None, str | None] | None, reads: DataScope | None
    ) -> _Compiled:
        options = () if reads is None else scope_options(self.statement, reads)
        statement = self.statement.options(*options) if options else self.statement
        compiled = statement.compile(
            dialect=dialect, schema_translate_map=translate, render_schema_translate=bool(translate)
        )
        for name, bind in compiled.binds.items():
            if bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
                raise InternalError(f"prepared read of {self.model.__name__}: parameter {name} needs converting")
        processors = tuple(kind.dialect_impl(dialect).result_processor(dialect, None) for kind in self._types)
        literal = frozenset(bind.key for bind in compiled.literal_execute_params)
        return _Compiled(compiled, processors, any(p is not None for p in processors), literal, {})


def _translation(translate: dict[str | None, str | None] | None) -> tuple[tuple[str | None, str | None], ...]:
    """The schema translation as a key (an engine's map keeps its order: no sorting on every read)."""
    return tuple(translate.items()) if translate else ()


def _scope_key(reads: DataScope | None, granted: bool) -> tuple[Any, ...] | None:
    """What the criteria of ``reads`` depend on (the officer only where the statement reads granted records)."""
    if reads is None:
        return None
    unit = None if reads.unit is None else reads.unit.code
    return (unit, reads.holders, reads.subject if granted else None)
