"""One request's DataLoaders: permits by id, number and holder; transitions and verification tasks by application."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.permits.models import PermitRow, PermitStatusChangeRow, PermitTransitionRow, PermitVerificationTaskRow


@dataclass(slots=True)
class PermitLoaders:
    """Built per request around the request's session (common's ``SerialSession`` serialises their queries)."""

    session: AsyncSession
    by_id: DataLoader[str, PermitRow | None] = field(init=False)
    by_number: DataLoader[str, PermitRow | None] = field(init=False)
    by_holder: DataLoader[str, list[PermitRow]] = field(init=False)
    transitions: DataLoader[str, list[PermitTransitionRow]] = field(init=False)
    verification_tasks: DataLoader[str, PermitVerificationTaskRow | None] = field(init=False)
    status_changes: DataLoader[str, list[PermitStatusChangeRow]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = DataLoader(load_fn=self._load_by_id)
        self.by_number = DataLoader(load_fn=self._load_by_number)
        self.by_holder = DataLoader(load_fn=self._load_by_holder)
        self.transitions = DataLoader(load_fn=self._load_transitions)
        self.verification_tasks = DataLoader(load_fn=self._load_verification_tasks)
        self.status_changes = DataLoader(load_fn=self._load_status_changes)

    async def _load_by_id(self, ids: Sequence[str]) -> list[PermitRow | None]:
        rows = (await self.session.scalars(select(PermitRow).where(PermitRow.id.in_(ids)))).all()
        found = {row.id: row for row in rows}
        return [found.get(key) for key in ids]

    async def _load_by_number(self, numbers: Sequence[str]) -> list[PermitRow | None]:
        rows = (await self.session.scalars(select(PermitRow).where(PermitRow.number.in_(numbers)))).all()
        found = {row.number: row for row in rows}
        return [found.get(key) for key in numbers]

    async def _load_by_holder(self, usccs: Sequence[str]) -> list[list[PermitRow]]:
        statement = select(PermitRow).where(PermitRow.holder_uscc.in_(usccs)).order_by(PermitRow.number)
        rows = (await self.session.scalars(statement)).all()
        grouped: dict[str, list[PermitRow]] = {key: [] for key in usccs}
        for row in rows:
            grouped[row.holder_uscc].append(row)
        return [grouped[key] for key in usccs]

    async def _load_transitions(self, application_ids: Sequence[str]) -> list[list[PermitTransitionRow]]:
        statement = (
            select(PermitTransitionRow)
            .where(PermitTransitionRow.application_id.in_(application_ids))
            .order_by(PermitTransitionRow.id)
        )
        rows = (await self.session.scalars(statement)).all()
        grouped: dict[str, list[PermitTransitionRow]] = {key: [] for key in application_ids}
        for row in rows:
            grouped[row.application_id].append(row)
        return [grouped[key] for key in application_ids]

    async def _load_verification_tasks(self, application_ids: Sequence[str]) -> list[PermitVerificationTaskRow | None]:
        statement = select(PermitVerificationTaskRow).where(
            PermitVerificationTaskRow.application_id.in_(application_ids)
        )
        rows = (await self.session.scalars(statement)).all()
        found = {row.application_id: row for row in rows}
        return [found.get(key) for key in application_ids]

    async def _load_status_changes(self, permit_ids: Sequence[str]) -> list[list[PermitStatusChangeRow]]:
        statement = (
            select(PermitStatusChangeRow)
            .where(PermitStatusChangeRow.permit_id.in_(permit_ids))
            .order_by(PermitStatusChangeRow.id)
        )
        rows = (await self.session.scalars(statement)).all()
        grouped: dict[str, list[PermitStatusChangeRow]] = {key: [] for key in permit_ids}
        for row in rows:
            grouped[row.permit_id].append(row)
        return [grouped[key] for key in permit_ids]
