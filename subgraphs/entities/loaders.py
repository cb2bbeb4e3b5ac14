"""Request-scoped DataLoaders of the entities subgraph: one SQL statement per batch of keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.loaders import many_per_key, one_per_key
from subgraphs.entities.models import CreditListingRow, MarketEntityRow, RegistrationHoldRow
from subgraphs.entities.personal_data import PersonalDataRead, audit_reads


@dataclass(frozen=True, slots=True)
class EntityLoaders:
    """Loaders keyed by USCC; ``_entities`` with 100 representations is one ``entity`` batch."""

    entity: DataLoader[str, MarketEntityRow | None]
    listings: DataLoader[str, list[CreditListingRow]]
    holds: DataLoader[str, list[RegistrationHoldRow]]
    personal_data_reads: DataLoader[PersonalDataRead, None]
    """Records unmasked reads; a batch (e.g. a page of entities) becomes one audit row per entity."""


def make_loaders(session: AsyncSession) -> EntityLoaders:
    """Loaders bound to one request's session."""

    async def load_entities(usccs: Sequence[str]) -> list[MarketEntityRow | None]:
        rows = await session.scalars(select(MarketEntityRow).where(MarketEntityRow.uscc.in_(usccs)))
        return one_per_key(usccs, rows, lambda row: row.uscc)

    async def load_listings(usccs: Sequence[str]) -> list[list[CreditListingRow]]:
        statement = (
            select(CreditListingRow)
            .where(CreditListingRow.uscc.in_(usccs))
            .order_by(CreditListingRow.listed_on, CreditListingRow.id)
        )
        return many_per_key(usccs, await session.scalars(statement), lambda row: row.uscc)

    async def load_holds(usccs: Sequence[str]) -> list[list[RegistrationHoldRow]]:
        statement = (
            select(RegistrationHoldRow).where(RegistrationHoldRow.uscc.in_(usccs)).order_by(RegistrationHoldRow.id)
        )
        return many_per_key(usccs, await session.scalars(statement), lambda row: row.uscc)

    async def record_reads(reads: Sequence[PersonalDataRead]) -> list[None]:
        audit_reads(session, reads)
        return [None] * len(reads)

    return EntityLoaders(
        entity=DataLoader(load_fn=load_entities),
        listings=DataLoader(load_fn=load_listings),
        holds=DataLoader(load_fn=load_holds),
        personal_data_reads=DataLoader(load_fn=record_reads),
    )
