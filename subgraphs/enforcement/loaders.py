"""One request's DataLoaders: a case's transitions, documents, deadline changes, evidence, custody, orders and
publicity; an entity's cases and publicity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.loaders import many_per_key, one_per_key
from subgraphs.enforcement.models import (
    CaseDocumentRow,
    CaseGrantRow,
    CaseRow,
    CaseTransitionRow,
    CustodyEntryRow,
    DeadlineChangeRow,
    EvidenceRow,
    PenaltyPublicityRow,
    PreservationOrderRow,
)
from subgraphs.enforcement.services import EnforcementServices

R = TypeVar("R")


@dataclass(slots=True)
class EnforcementLoaders:
    """Built per request around the request's (jurisdiction-scoped) session."""

    session: AsyncSession
    services: EnforcementServices
    case: DataLoader[str, CaseRow | None] = field(init=False)
    transitions: DataLoader[str, list[CaseTransitionRow]] = field(init=False)
    documents: DataLoader[str, list[CaseDocumentRow]] = field(init=False)
    deadline_changes: DataLoader[str, list[DeadlineChangeRow]] = field(init=False)
    evidence: DataLoader[str, list[EvidenceRow]] = field(init=False)
    custody: DataLoader[str, list[CustodyEntryRow]] = field(init=False)
    orders: DataLoader[str, list[PreservationOrderRow]] = field(init=False)
    publicity: DataLoader[str, PenaltyPublicityRow | None] = field(init=False)
    cases_of: DataLoader[str, list[CaseRow]] = field(init=False)
    publicity_of: DataLoader[str, list[PenaltyPublicityRow]] = field(init=False)
    grants: DataLoader[str, list[CaseGrantRow]] = field(init=False)

    def __post_init__(self) -> None:
        self.case = DataLoader(load_fn=self._cases)
        self.transitions = self._many(CaseTransitionRow, CaseTransitionRow.case_id, CaseTransitionRow.id)
        self.documents = self._many(CaseDocumentRow, CaseDocumentRow.case_id, CaseDocumentRow.id)
        self.deadline_changes = self._many(DeadlineChangeRow, DeadlineChangeRow.case_id, DeadlineChangeRow.id)
        self.evidence = self._many(EvidenceRow, EvidenceRow.case_id, EvidenceRow.seq)
        self.custody = self._many(CustodyEntryRow, CustodyEntryRow.evidence_id, CustodyEntryRow.id)
        self.orders = self._many(PreservationOrderRow, PreservationOrderRow.case_id, PreservationOrderRow.started_on)
        self.publicity = DataLoader(load_fn=self._publicity)
        self.grants = self._many(CaseGrantRow, CaseGrantRow.record_id, CaseGrantRow.id)
        self.cases_of = self._many(CaseRow, CaseRow.party_uscc, CaseRow.id)
        self.publicity_of = self._many(
            PenaltyPublicityRow, PenaltyPublicityRow.party_uscc, PenaltyPublicityRow.decided_on
        )

    def _many(self, model: type[R], key: Any, order: Any) -> DataLoader[str, list[R]]:
        name = key.key

        async def load(keys: Sequence[str]) -> list[list[R]]:
            rows = await self.session.scalars(select(model).where(key.in_(keys)).order_by(order))
            key_of: Callable[[R], str] = lambda row: getattr(row, name)  # noqa: E731
            return many_per_key(keys, rows, key_of)

        return DataLoader(load_fn=load)

    async def _cases(self, ids: Sequence[str]) -> list[CaseRow | None]:
        return one_per_key(ids, await self.session.scalars(select(CaseRow).where(CaseRow.id.in_(ids))), lambda r: r.id)

    async def _publicity(self, ids: Sequence[str]) -> list[PenaltyPublicityRow | None]:
        rows = await self.session.scalars(select(PenaltyPublicityRow).where(PenaltyPublicityRow.case_id.in_(ids)))
        return one_per_key(ids, rows, lambda row: row.case_id)
