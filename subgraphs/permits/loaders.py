"""One request's DataLoaders: permits by id, number and holder; transitions and verification tasks by application;
the open renewal of a permit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.loaders import many_per_key, one_per_key
from subgraphs.common.prepared import PreparedRead
from subgraphs.permits.models import (
    PermitApplicationRow,
    PermitRow,
    PermitStatusChangeRow,
    PermitTransitionRow,
    PermitVerificationTaskRow,
)
from subgraphs.permits.services import PermitServices
from subgraphs.permits.vocabulary import ApplicationAction
from subgraphs.permits.workflow import FINAL_STATES, ApplicationState

PERMITS_BY_HOLDER = PreparedRead(
    PermitRow,
    lambda rows: rows.where(PermitRow.holder_uscc.in_(bindparam("usccs", expanding=True))).order_by(PermitRow.number),
)
"""``MarketEntity.permits`` for a page of entities: prepared (issue 17)."""


@dataclass(slots=True)
class PermitLoaders:
    """Built per request around the request's session (common's ``SerialSession`` serialises their queries)."""

    session: AsyncSession
    services: PermitServices
    by_id: DataLoader[str, PermitRow | None] = field(init=False)
    by_number: DataLoader[str, PermitRow | None] = field(init=False)
    by_holder: DataLoader[str, list[PermitRow]] = field(init=False)
    transitions: DataLoader[str, list[PermitTransitionRow]] = field(init=False)
    verification_tasks: DataLoader[str, PermitVerificationTaskRow | None] = field(init=False)
    status_changes: DataLoader[str, list[PermitStatusChangeRow]] = field(init=False)
    open_renewals: DataLoader[str, PermitApplicationRow | None] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = DataLoader(load_fn=self._load_by_id)
        self.by_number = DataLoader(load_fn=self._load_by_number)
        self.by_holder = DataLoader(load_fn=self._load_by_holder)
        self.transitions = DataLoader(load_fn=self._load_transitions)
        self.verification_tasks = DataLoader(load_fn=self._load_verification_tasks)
        self.status_changes = DataLoader(load_fn=self._load_status_changes)
        self.open_renewals = DataLoader(load_fn=self._load_open_renewals)

    async def _load_by_id(self, ids: Sequence[str]) -> list[PermitRow | None]:
        rows = await self.session.scalars(select(PermitRow).where(PermitRow.id.in_(ids)))
        return one_per_key(ids, rows, lambda row: row.id)

    async def _load_by_number(self, numbers: Sequence[str]) -> list[PermitRow | None]:
        rows = await self.session.scalars(select(PermitRow).where(PermitRow.number.in_(numbers)))
        return one_per_key(numbers, rows, lambda row: row.number)

    async def _load_by_holder(self, usccs: Sequence[str]) -> list[list[PermitRow]]:
        rows = await PERMITS_BY_HOLDER.all(self.session, usccs=list(usccs))
        return many_per_key(usccs, rows, lambda row: row.holder_uscc)

    async def _load_transitions(self, application_ids: Sequence[str]) -> list[list[PermitTransitionRow]]:
        statement = (
            select(PermitTransitionRow)
            .where(PermitTransitionRow.application_id.in_(application_ids))
            .order_by(PermitTransitionRow.id)
        )
        return many_per_key(application_ids, await self.session.scalars(statement), lambda row: row.application_id)

    async def _load_verification_tasks(self, application_ids: Sequence[str]) -> list[PermitVerificationTaskRow | None]:
        statement = select(PermitVerificationTaskRow).where(
            PermitVerificationTaskRow.application_id.in_(application_ids)
        )
        return one_per_key(application_ids, await self.session.scalars(statement), lambda row: row.application_id)

    async def _load_status_changes(self, permit_ids: Sequence[str]) -> list[list[PermitStatusChangeRow]]:
        statement = (
            select(PermitStatusChangeRow)
            .where(PermitStatusChangeRow.permit_id.in_(permit_ids))
            .order_by(PermitStatusChangeRow.id)
        )
        return many_per_key(permit_ids, await self.session.scalars(statement), lambda row: row.permit_id)

    async def _load_open_renewals(self, permit_ids: Sequence[str]) -> list[PermitApplicationRow | None]:
        statement = select(PermitApplicationRow).where(
            PermitApplicationRow.permit_id.in_(permit_ids),
            PermitApplicationRow.action == ApplicationAction.RENEW.value,
            PermitApplicationRow.state.not_in([state.value for state in FINAL_STATES | {ApplicationState.DRAFT}]),
        )
        return one_per_key(permit_ids, await self.session.scalars(statement), lambda row: str(row.permit_id))
