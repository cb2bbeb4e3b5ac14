"""One request's DataLoaders of the entities subgraph: one SQL statement per batch of keys, through the request's
jurisdiction-scoped session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.loaders import many_per_key, one_per_key
from subgraphs.common.prepared import PreparedRead
from subgraphs.entities.food_bans import FOOD_BAN_RULES
from subgraphs.entities.models import (
    CreditListingRow,
    KeyPersonRow,
    MarketEntityRow,
    PersonRestrictionRow,
    RegistrationHoldRow,
    RegistryChangeRow,
    SuspensionRow,
)
from subgraphs.entities.personal_data import PersonalDataRead, audit_reads
from subgraphs.entities.services import EntityServices

ENTITIES_BY_USCC = PreparedRead(
    MarketEntityRow, lambda rows: rows.where(MarketEntityRow.uscc.in_(bindparam("usccs", expanding=True)))
)
"""``entity``, ``_entities`` and every entity a page of another subgraph names: prepared (issue 17)."""


@dataclass(slots=True)
class EntityLoaders:
    """Loaders keyed by USCC; ``_entities`` with 100 representations is one ``entity`` batch."""

    session: AsyncSession
    services: EntityServices
    entity: DataLoader[str, MarketEntityRow | None] = field(init=False)
    listings: DataLoader[str, list[CreditListingRow]] = field(init=False)
    holds: DataLoader[str, list[RegistrationHoldRow]] = field(init=False)
    suspensions: DataLoader[str, list[SuspensionRow]] = field(init=False)
    food_restrictions: DataLoader[str, list[PersonRestrictionRow]] = field(init=False)
    """食品安全法 Art. 135 restrictions on record, by the person's ID number (read live, city-wide)."""
    key_persons: DataLoader[str, list[KeyPersonRow]] = field(init=False)
    registry_changes: DataLoader[str, list[RegistryChangeRow]] = field(init=False)
    personal_data_reads: DataLoader[PersonalDataRead, None] = field(init=False)
    """Records unmasked reads; a batch (e.g. a page of entities) becomes one audit row per entity."""

    def __post_init__(self) -> None:
        self.entity = DataLoader(load_fn=self._load_entities)
        self.listings = DataLoader(load_fn=self._load_listings)
        self.holds = DataLoader(load_fn=self._load_holds)
        self.suspensions = DataLoader(load_fn=self._load_suspensions)
        self.food_restrictions = DataLoader(load_fn=self._load_food_restrictions)
        self.key_persons = DataLoader(load_fn=self._load_key_persons)
        self.registry_changes = DataLoader(load_fn=self._load_registry_changes)
        self.personal_data_reads = DataLoader(load_fn=self._record_reads)

    async def _load_entities(self, usccs: Sequence[str]) -> list[MarketEntityRow | None]:
        rows = await ENTITIES_BY_USCC.all(self.session, usccs=list(usccs))
        return one_per_key(usccs, rows, lambda row: row.uscc)

    async def _load_listings(self, usccs: Sequence[str]) -> list[list[CreditListingRow]]:
        statement = (
            select(CreditListingRow)
            .where(CreditListingRow.uscc.in_(usccs))
            .order_by(CreditListingRow.listed_on, CreditListingRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _load_holds(self, usccs: Sequence[str]) -> list[list[RegistrationHoldRow]]:
        statement = (
            select(RegistrationHoldRow).where(RegistrationHoldRow.uscc.in_(usccs)).order_by(RegistrationHoldRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _load_suspensions(self, usccs: Sequence[str]) -> list[list[SuspensionRow]]:
        statement = (
            select(SuspensionRow)
            .where(SuspensionRow.uscc.in_(usccs))
            .order_by(SuspensionRow.starts_on, SuspensionRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _load_food_restrictions(self, id_numbers: Sequence[str]) -> list[list[PersonRestrictionRow]]:
        statement = (
            select(PersonRestrictionRow)
            .where(
                PersonRestrictionRow.person_id_number.in_(id_numbers),
                PersonRestrictionRow.kind.in_([kind.value for kind in FOOD_BAN_RULES]),
            )
            .order_by(PersonRestrictionRow.decided_on, PersonRestrictionRow.id)
        )
        rows = await self.session.scalars(statement)
        return many_per_key(id_numbers, rows, lambda row: row.person_id_number)

    async def _load_key_persons(self, usccs: Sequence[str]) -> list[list[KeyPersonRow]]:
        statement = select(KeyPersonRow).where(KeyPersonRow.uscc.in_(usccs)).order_by(KeyPersonRow.id)
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _load_registry_changes(self, usccs: Sequence[str]) -> list[list[RegistryChangeRow]]:
        statement = (
            select(RegistryChangeRow)
            .where(RegistryChangeRow.uscc.in_(usccs))
            .order_by(RegistryChangeRow.filed_on, RegistryChangeRow.id)
        )
        return many_per_key(usccs, await self.session.scalars(statement), lambda row: row.uscc)

    async def _record_reads(self, reads: Sequence[PersonalDataRead]) -> list[None]:
        audit_reads(self.session, reads, at=self.services.now())
        return [None] * len(reads)
