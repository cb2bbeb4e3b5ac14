"""双随机 (DOMAIN.md §4.1): draw targets from the target directory and pair each with ≥ 2 inspectors, reproducibly.

The algorithm (:data:`ALGORITHM`) is Efraimidis–Spirakis weighted sampling without replacement: each eligible
target gets the key ``ln(u) / w``, where ``w`` is its weight (bad credit and higher risk grades weigh more, as
configured per plan) and ``u`` ∈ (0, 1) is read from SHA-256 of the plan's seed and the target's USCC; the ``k``
largest keys are drawn. Each drawn target gets two inspectors at positions read from SHA-256 of the seed and its
USCC in a seed-fixed order of the inspectors; one with a recorded conflict withdraws (回避) and the next one in
that order is drawn instead. Nothing depends on row order or on a process's random state, so the seed, the inputs
(recorded as a digest) and the parameters fix the result: :func:`verify` re-runs it.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

import numpy
from sqlalchemy import BigInteger, Float, and_, case, cast, func, literal, select
from sqlalchemy.dialects.postgresql import BIT, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from kernel.errors import ClientError
from subgraphs.common.ids import time_ordered_id
from subgraphs.common.jurisdiction import fetch_scoped
from subgraphs.supervision import items as item_list
from subgraphs.supervision.bulk import bulk_insert_records
from subgraphs.supervision.errors import SupervisionCode
from subgraphs.supervision.models import (
    InspectionPlanRow,
    InspectionTargetRow,
    InspectionTaskGrantRow,
    InspectionTaskRow,
    InspectorConflictRow,
    InspectorRow,
    TaskChangeRow,
    TaskInspectorRow,
)
from subgraphs.supervision.services import SupervisionServices
from subgraphs.supervision.tasks import MIN_INSPECTORS, cross_station_grant_values, due_date
from subgraphs.supervision.vocabulary import ItemKind, PlanStatus, RiskGrade, TaskSource, TaskStatus

ALGORITHM = "efraimidis-spirakis/sha256/v1"

DEFAULT_WEIGHTS: dict[str, float] = {"A": 1.0, "B": 1.0, "C": 1.5, "D": 2.0, "badCredit": 2.0}
"""Relative selection weights per risk grade (ungraded: 1) and the factor for bad credit (广东条例 Art. 26)."""


class Target(NamedTuple):
    """One target of a pool (a tuple: a draw makes tens of thousands)."""

    uscc: str
    district_code: str | None
    station_code: str | None
    weight: float


@dataclass(frozen=True, slots=True)
class Pool:
    """A draw's pool as columns, position for position: a million targets are four lists, not a million objects
    (:meth:`target` makes one for a drawn position)."""

    usccs: Sequence[str]
    districts: Sequence[str | None]
    stations: Sequence[str | None]
    weights: Sequence[float]

    @classmethod
    def of(cls, targets: Sequence[Target]) -> Pool:
        return cls(
            [t.uscc for t in targets],
            [t.district_code for t in targets],
            [t.station_code for t in targets],
            [t.weight for t in targets],
        )

    def __len__(self) -> int:
        return len(self.usccs)

    def target(self, position: int) -> Target:
        return Target(self.usccs[position], self.districts[position], self.stations[position], self.weights[position])


@dataclass(frozen=True, slots=True)
class DrawInputs:
    """Everything a draw depends on besides its seed."""

    pool: Pool
    inspectors: tuple[str, ...]
    conflicts: frozenset[tuple[str, str]]
    """(inspector, uscc) pairs of the conflict register."""
    size: int

    def digest(self, parameters: Mapping[str, Any]) -> str:
        """SHA-256 over the parameters and the inputs sorted by USCC: equal digests mean the draw saw the same data.

        :func:`gather` reads the pool in that order already; it is only checked, then (one pass)."""
        pool = self.pool
        usccs, weights, stations = pool.usccs, pool.weights, pool.stations
        order: Iterable[int] = range(len(pool))
        if any(later < earlier for earlier, later in pairwise(usccs)):
            order = sorted(order, key=usccs.__getitem__)
        lines = "".join([f"T{usccs[i]}:{weights[i]!r}:{stations[i]}\n" for i in order])
        return inputs_digest(parameters, lines, self.inspectors, self.conflicts, self.size)


def inputs_digest(
    parameters: Mapping[str, Any],
    pool_lines: str,
    inspectors: Iterable[str],
    conflicts: Iterable[tuple[str, str]],
    size: int,
) -> str:
    """The digest of :meth:`DrawInputs.digest`, given the pool as its lines (``T{uscc}:{weight!r}:{station}\\n`` in
    USCC order), however they were written."""
    hashed = hashlib.sha256(json.dumps(parameters, sort_keys=True, ensure_ascii=False).encode())
    hashed.update(pool_lines.encode())
    for inspector in sorted(inspectors):
        hashed.update(f"I{inspector}\n".encode())
    for inspector, uscc in sorted(conflicts):
        hashed.update(f"C{inspector}:{uscc}\n".encode())
    hashed.update(f"K{size}".encode())
    return hashed.hexdigest()


@dataclass(frozen=True, slots=True)
class Pairing:
    target: Target
    inspectors: tuple[str, str]


@dataclass(frozen=True, slots=True)
class Drawn:
    pairings: tuple[Pairing, ...]
    recusals: int


def uniform(seed: str, *parts: str) -> float:
    """A number in (0, 1) fixed by ``seed`` and ``parts``."""
    digest = hashlib.sha256("\x1f".join((seed, *parts)).encode()).digest()
    return (int.from_bytes(digest[:8], "big") + 0.5) / 2.0**64


def select_targets(seed: str, targets: Sequence[Target], size: int) -> list[Target]:
    """The ``size`` targets of largest ``(ln(u)/w, uscc)`` (weighted sampling without replacement), largest first."""
    pool = Pool.of(targets)
    return [pool.target(position) for position in ranked(seed, pool, size)]


def ranked(seed: str, pool: Pool, size: int) -> list[int]:
    """The positions of :func:`select_targets` in ``pool``, largest key first.

    :func:`uniform` is inlined (the same bytes hashed, the same arithmetic): it runs once per target of the pool.
    The keys are plain floats; the ``size``-th largest is found by partition (numpy compares, computes nothing),
    and only the targets at or above it are ordered by ``(key, uscc)`` — the same result as ranking them all,
    ties on the key included (USCCs are unique in a pool)."""
    if size <= 0 or not len(pool):
        return []
    prefix = f"{seed}\x1f".encode()
    sha256, from_bytes, log, scale = hashlib.sha256, int.from_bytes, math.log, 2.0**64
    keys = [
        log((from_bytes(sha256(prefix + uscc.encode()).digest()[:8], "big") + 0.5) / scale) / weight
        for uscc, weight in zip(pool.usccs, pool.weights, strict=True)
    ]
    above: Iterable[int] = range(len(keys))
    if size < len(keys):
        keyed = numpy.fromiter(keys, dtype=numpy.float64, count=len(keys))
        threshold = numpy.partition(keyed, len(keys) - size)[len(keys) - size]
        above = numpy.flatnonzero(keyed >= threshold).tolist()
    usccs = pool.usccs
    return [position for _, _, position in heapq.nlargest(size, ((keys[i], usccs[i], i) for i in above))]


def pair(seed: str, inputs: DrawInputs) -> Drawn:
    """Draw the targets and give each two inspectors, skipping (and counting) recusals.

    The inspectors stand in an order fixed by the seed; each target's team starts at two distinct positions read
    from SHA-256 of the seed and its USCC (every pair equally likely), and a conflicted inspector withdraws in favour
    of the next one in that order (回避 and redraw)."""
    order = sorted(inputs.inspectors, key=lambda name: (uniform(seed, "order", name), name))
    count = len(order)
    pairings: list[Pairing] = []
    recusals = 0
    for position in ranked(seed, inputs.pool, inputs.size):
        target = inputs.pool.target(position)
        chosen: list[str] = []
        if count >= MIN_INSPECTORS:
            digest = hashlib.sha256("\x1f".join((seed, target.uscc, "team")).encode()).digest()
            first = int.from_bytes(digest[:8], "big") % count
            second = (first + 1 + int.from_bytes(digest[8:16], "big") % (count - 1)) % count
            for start in (first, second):
                for step in range(count):
                    name = order[(start + step) % count]
                    if name in chosen:
                        continue
                    if (name, target.uscc) in inputs.conflicts:
                        recusals += 1
                        continue
                    chosen.append(name)
                    break
        if len(chosen) < MIN_INSPECTORS:
            raise ClientError(
                f"after recusal fewer than {MIN_INSPECTORS} inspectors are left for {target.uscc}; nothing was drawn",
                code=SupervisionCode.INSUFFICIENT_INSPECTORS,
                details={"uscc": target.uscc, "available": len(chosen)},
            )
        pairings.append(Pairing(target, (chosen[0], chosen[1])))
    return Drawn(tuple(pairings), recusals)


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """A plan as its bureau sets it (一单两库一细则)."""

    name: str
    district_code: str
    items: tuple[str, ...]
    station_codes: tuple[str, ...] = ()
    """Targets supervised by these stations only; empty: the whole district."""
    risk_grades: tuple[str, ...] = ()
    inspector_station_codes: tuple[str, ...] = ()
    """Inspectors of these stations only; empty: every inspector of the district."""
    ratio: float | None = None
    count: int | None = None
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    seed: str | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            "district": self.district_code,
            "items": list(self.items),
            "targets": {"stations": sorted(self.station_codes), "grades": sorted(self.risk_grades)},
            "inspectors": {"stations": sorted(self.inspector_station_codes)},
            "ratio": self.ratio,
            "count": self.count,
            "weights": dict(sorted(self.weights.items())),
        }


def weight_of(weights: Mapping[str, float], grade: str | None, bad_credit: bool) -> float:
    base = weights.get(grade, 1.0) if grade is not None else 1.0
    return base * (weights.get("badCredit", 1.0) if bad_credit else 1.0)


def size_of(request: PlanRequest, pool: int, services: SupervisionServices) -> int:
    """How many targets to draw: a count, or a ratio of the pool (rounded up), within the general items' cap."""
    if (request.ratio is None) == (request.count is None):
        raise ClientError("give either a ratio or a count", code=SupervisionCode.INVALID_DRAW_SIZE)
    if request.ratio is not None and not 0 < request.ratio <= 1:
        raise ClientError(f"a ratio lies in (0, 1], not {request.ratio}", code=SupervisionCode.INVALID_DRAW_SIZE)
    if request.count is not None and request.count < 1:
        raise ClientError(f"a count is at least 1, not {request.count}", code=SupervisionCode.INVALID_DRAW_SIZE)
    size = math.ceil(request.ratio * pool) if request.ratio is not None else min(request.count or 0, pool)
    if all(item_list.item(code).kind is ItemKind.GENERAL for code in request.items):
        cap = services.rules.get("supervision.general_ratio_cap_percent", services.today())
        if size * 100 > cap.value * pool:
            raise ClientError(
                f"general items only: at most {cap.value} % of the pool may be drawn ({size} of {pool} asked)",
                code=SupervisionCode.RATIO_ABOVE_CAP,
                details={"capPercent": cap.value, "rule": cap.version},
            )
    return size


Conflicts = frozenset[tuple[str, str]]
"""(inspector, uscc) pairs of the conflict register."""


def _pool_filter(request: PlanRequest) -> list[ColumnElement[bool]]:
    """The plan's target filter: its district, and its stations and risk grades where it names them."""
    target = InspectionTargetRow
    where = [target.district_code == request.district_code]
    if request.station_codes:
        where.append(target.station_code.in_(request.station_codes))
    if request.risk_grades:
        where.append(target.risk_grade.in_(request.risk_grades))
    return where


async def _inspectors(session: AsyncSession, request: PlanRequest) -> tuple[tuple[str, ...], Conflicts]:
    """The plan's inspector pool (sorted) and their conflicts of the register."""
    who = select(InspectorRow.subject).where(InspectorRow.active, InspectorRow.district_code == request.district_code)
    if request.inspector_station_codes:
        who = who.where(InspectorRow.station_code.in_(request.inspector_station_codes))
    inspectors = tuple(sorted(await session.scalars(who)))
    conflict = select(InspectorConflictRow.inspector, InspectorConflictRow.uscc)
    rows = (await session.execute(conflict.where(InspectorConflictRow.inspector.in_(inspectors)))).all()
    return inspectors, frozenset((inspector, uscc) for inspector, uscc in rows)


def _no_pool() -> ClientError:
    return ClientError(
        "the plan's filter selects no inspection target; nothing was drawn", code=SupervisionCode.EMPTY_TARGET_POOL
    )


async def gather(session: AsyncSession, request: PlanRequest, services: SupervisionServices) -> DrawInputs:
    """The pool (within the caller's read scope, as plain records: :func:`fetch_scoped`), inspectors and conflicts
    a plan's draw runs over. The pool comes ordered by USCC, the order the inputs' digest hashes it in."""
    target = InspectionTargetRow
    statement = (
        select(target.uscc, target.station_code, target.risk_grade, target.bad_credit)
        .where(*_pool_filter(request))
        .order_by(target.uscc)
    )
    weights, district = request.weights, request.district_code
    known = {(grade, bad): weight_of(weights, grade, bad) for grade in (None, *RiskGrade) for bad in (False, True)}
    rows = await fetch_scoped(session, statement)
    pool = Pool(
        [row[0] for row in rows],
        [district] * len(rows),
        [row[1] for row in rows],
        [known.get((grade, bad)) or weight_of(weights, grade, bad) for _, _, grade, bad in rows],
    )
    inspectors, conflicts = await _inspectors(session, request)
    if not len(pool):
        raise _no_pool()
    return DrawInputs(pool, inspectors, conflicts, size_of(request, len(pool), services))


SNAPSHOT = {"isolation_level": "REPEATABLE READ"}
"""How a session that ranks a pool begins on PostgreSQL: :func:`rank_in_database` reads the pool twice (its lines,
then its top), and both reads see one snapshot, so a directory change in between cannot make the digest describe
another pool than the one drawn from. SQLite's transactions see one snapshot anyway. (Only when the session begins
with the ranking: :func:`draw` does; :func:`verify` gets a fresh session.)"""


@dataclass(frozen=True, slots=True)
class Ranked:
    """A plan's draw before its pairing: the inputs' digest and the pool's size, and as ``inputs`` the drawn targets
    (all to be drawn, in any order) with the inspectors and conflicts."""

    digest: str
    pool_size: int
    inputs: DrawInputs


async def rank(session: AsyncSession, request: PlanRequest, services: SupervisionServices, seed: str) -> Ranked:
    """The targets ``seed`` draws for ``request``, and the inputs' digest — on PostgreSQL computed where the pool
    lies (:func:`rank_in_database`: only the drawn targets leave the database), else over the pool read here."""
    if session.get_bind().dialect.name == "postgresql":
        await session.connection(execution_options=SNAPSHOT)
        return await rank_in_database(session, request, services, seed)
    inputs = await gather(session, request, services)
    digest = inputs.digest(request.parameters())
    drawn = Pool.of([inputs.pool.target(position) for position in ranked(seed, inputs.pool, inputs.size)])
    return Ranked(digest, len(inputs.pool), DrawInputs(drawn, inputs.inspectors, inputs.conflicts, len(drawn)))


_TWO_TO_THE_32 = 4294967296.0
_TWO_TO_THE_64 = 18446744073709551616.0


def _word(digest: ColumnElement[bytes], start: int) -> ColumnElement[float]:
    """Bytes ``start``…``start + 3`` of ``digest`` as an unsigned big-endian number, in double precision (exact)."""
    hexadecimal = literal("x00000000") + func.encode(func.substr(digest, start, 4), "hex")
    return cast(cast(cast(hexadecimal, BIT(64)), BigInteger), Float)


async def rank_in_database(
    session: AsyncSession, request: PlanRequest, services: SupervisionServices, seed: str
) -> Ranked:
    """:func:`ranked` and :meth:`DrawInputs.digest` computed by PostgreSQL over the pool (in the caller's read
    scope, :func:`fetch_scoped`), bit for bit: the key ``ln((u + 0.5) / 2⁶⁴) / w`` from the same SHA-256 bytes, the
    64-bit ``u`` made a double in one rounding (its two 32-bit halves are exact, their sum rounds once, as Python's
    ``int`` → ``float`` does), ``ln`` the same C library's ``log``, ties broken by USCC in code-point order
    (``COLLATE "C"``); the digest's pool lines are written by ``string_agg`` and hashed here with the rest. A
    million targets cost two scans in the database instead of a million rows, hashes and keys in Python."""
    target = InspectionTargetRow
    where = _pool_filter(request)
    weights = request.weights
    grades: list[tuple[str | None, bool, float]] = [
        (grade, bad, weight_of(weights, grade, bad)) for grade in (None, *RiskGrade) for bad in (False, True)
    ]

    def by_class(value: Callable[[float], Any]) -> ColumnElement[Any]:
        """``value`` of the target's weight, per risk grade and credit (another grade weighs as an unknown one)."""
        whens = [
            (and_(target.risk_grade.is_(None) if grade is None else target.risk_grade == grade,
                  target.bad_credit == bad), value(weight))
            for grade, bad, weight in grades
        ]  # fmt: skip
        unknown = [(target.bad_credit == bad, value(weight_of(weights, "?", bad))) for bad in (False, True)]
        return case(*whens, *unknown)

    uscc = target.uscc.collate("C")
    line = literal("T") + target.uscc + ":" + by_class(repr) + ":" + func.coalesce(target.station_code, "None") + "\n"
    summary = select(func.count(), func.string_agg(line, aggregate_order_by(literal(""), uscc))).where(*where)
    ((pool_size, pool_lines),) = await fetch_scoped(session, summary)
    if not pool_size:
        raise _no_pool()
    size = size_of(request, pool_size, services)
    inspectors, conflicts = await _inspectors(session, request)
    digest = inputs_digest(request.parameters(), pool_lines, inspectors, conflicts, size)
    hashed = func.sha256(func.convert_to(literal(f"{seed}\x1f") + target.uscc, "UTF8"))
    u = _word(hashed, 1) * literal(_TWO_TO_THE_32, Float) + _word(hashed, 5)
    weight = by_class(lambda w: literal(w, Float))
    key = func.ln((u + literal(0.5, Float)) / literal(_TWO_TO_THE_64, Float)) / weight
    top = select(target.uscc, target.station_code, weight).where(*where).order_by(key.desc(), uscc.desc()).limit(size)
    rows = await fetch_scoped(session, top)
    drawn = Pool(
        [row[0] for row in rows],
        [request.district_code] * len(rows),
        [row[1] for row in rows],
        [row[2] for row in rows],
    )
    return Ranked(digest, pool_size, DrawInputs(drawn, inspectors, conflicts, len(rows)))


def _request_of(plan: InspectionPlanRow) -> PlanRequest:
    return PlanRequest(
        name=plan.name,
        district_code=plan.district_code or "",
        items=tuple(plan.items),
        station_codes=tuple(plan.target_filter.get("stations", ())),
        risk_grades=tuple(plan.target_filter.get("grades", ())),
        inspector_station_codes=tuple(plan.inspector_filter.get("stations", ())),
        ratio=plan.ratio,
        count=plan.count,
        weights=plan.weights,
        seed=plan.seed,
    )


async def draw(
    session: AsyncSession, services: SupervisionServices, request: PlanRequest, *, actor: str
) -> InspectionPlanRow:
    """Record the plan, draw it, and open one ASSIGNED task per drawn target (bulk; one change record each)."""
    item_list.checked(request.items)
    seed = request.seed or secrets.token_hex(16)
    found = await rank(session, request, services, seed)
    inputs = found.inputs
    drawn = pair(seed, inputs)
    at = services.now()
    today = services.today(at)
    due_on, due_rule = due_date(services, TaskSource.RANDOM_INSPECTION, today)
    plan = InspectionPlanRow(
        id=str(uuid.uuid4()),
        name=request.name,
        district_code=request.district_code,
        station_code=None,
        items=list(request.items),
        target_filter={"stations": sorted(request.station_codes), "grades": sorted(request.risk_grades)},
        inspector_filter={"stations": sorted(request.inspector_station_codes)},
        ratio=request.ratio,
        count=request.count,
        weights=dict(request.weights),
        algorithm=ALGORITHM,
        seed=seed,
        inputs_digest=found.digest,
        pool_size=found.pool_size,
        recusals=drawn.recusals,
        status=PlanStatus.DRAWN.value,
        due_on=due_on,
        drawn_by=actor,
        drawn_at=at,
    )
    session.add(plan)
    await session.flush()
    homes = dict(
        (
            await session.execute(
                select(InspectorRow.subject, InspectorRow.station_code).where(
                    InspectorRow.subject.in_(inputs.inspectors)
                )
            )
        ).all()
    )
    await _open_tasks(session, plan, drawn.pairings, homes, due_rule=due_rule, actor=actor)
    return plan


async def _open_tasks(
    session: AsyncSession,
    plan: InspectionPlanRow,
    pairings: Sequence[Pairing],
    homes: Mapping[str, str | None],
    *,
    due_rule: str,
    actor: str,
) -> None:
    """One ASSIGNED task per pairing, in bulk, with its history; an inspector drawn from another station than the
    target's is granted that one task (the same audited grant as :func:`tasks.cross_station_grant`). A drawn task is
    opened with its inspectors: its history starts with one change, none → ASSIGNED, by the officer who drew it,
    naming the plan (a task opened by hand goes none → UNASSIGNED → ASSIGNED in two)."""
    reason = f"双随机 plan {plan.name}"
    drawn_reason, reference, items = (
        f"{reason}: drawn with its inspectors",
        f"InspectionPlan:{plan.id}",
        list(plan.items),
    )
    at, random, assigned_status = plan.drawn_at, TaskSource.RANDOM_INSPECTION.value, TaskStatus.ASSIGNED.value
    tasks: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    inspectors: list[tuple[Any, ...]] = []
    grants: list[tuple[Any, ...]] = []
    # time-ordered ids, handed out in ascending order to the targets in USCC order: every batch below reaches its
    # indexes (and the foreign key checks the task index) in key order — ids at the index's right edge, USCCs in
    # one sweep — instead of at random pages, each read and written (with its full-page image) many times
    ids = sorted(time_ordered_id(at) for _ in pairings)
    for task_id, pairing in zip(ids, sorted(pairings, key=lambda p: p.target.uscc), strict=True):
        target = pairing.target
        tasks.append((task_id, random, target.uscc, reason, reference, plan.id, items, assigned_status,
                      target.district_code, target.station_code, plan.due_on, due_rule, at, at))  # fmt: skip
        changes.append((task_id, None, assigned_status, actor, at, drawn_reason))
        for name in pairing.inspectors:
            inspectors.append((task_id, name))
            home = homes.get(name)
            if home != target.station_code:
                grant = cross_station_grant_values(task_id, name, home, actor=actor, at=at)
                grants.append(tuple(grant[column] for column in _GRANT_COLUMNS))
    copy = (await session.connection()).dialect.name == "postgresql"
    for model, columns, records in (
        (InspectionTaskRow, _TASK_COLUMNS, tasks),
        (TaskChangeRow, ("task_id", "from_status", "to_status", "actor", "at", "reason"), changes),
        (TaskInspectorRow, ("task_id", "inspector"), inspectors),
        (InspectionTaskGrantRow, _GRANT_COLUMNS, grants),
    ):
        await bulk_insert_records(session, model, columns, records, copy=copy)


_TASK_COLUMNS = ("id", "source", "uscc", "reason", "reference", "plan_id", "items", "status", "district_code",
                 "station_code", "due_on", "due_rule", "created_at", "updated_at")  # fmt: skip
_GRANT_COLUMNS = ("record_id", "grantee_unit", "grantee_subject", "granted_by", "granted_at", "reason")


@dataclass(frozen=True, slots=True)
class Verification:
    inputs_match: bool
    selection_match: bool
    drawn: int
    redrawn: int

    @property
    def matches(self) -> bool:
        return self.inputs_match and self.selection_match


async def verify(session: AsyncSession, services: SupervisionServices, plan: InspectionPlanRow) -> Verification:
    """Re-run the plan's draw over the data as it is now and compare with the tasks it opened."""
    request = _request_of(plan)
    found = await rank(session, request, services, plan.seed)
    inputs_match = found.digest == plan.inputs_digest
    again = pair(plan.seed, found.inputs)
    expected = {(p.target.uscc, frozenset(p.inspectors)) for p in again.pairings}
    rows = await fetch_scoped(
        session,
        select(InspectionTaskRow.uscc, TaskInspectorRow.inspector)
        .join(TaskInspectorRow, TaskInspectorRow.task_id == InspectionTaskRow.id)
        .where(InspectionTaskRow.plan_id == plan.id),
    )
    stored: dict[str, set[str]] = {}
    for uscc, inspector in rows:
        stored.setdefault(uscc, set()).add(inspector)
    actual = {(uscc, frozenset(names)) for uscc, names in stored.items()}
    return Verification(inputs_match, expected == actual, drawn=len(actual), redrawn=len(expected))
