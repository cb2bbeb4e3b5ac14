"""Read side of the entities subgraph: one entity by USCC, and filtered keyset-paginated lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, Select, and_, column, exists, func, literal, select, table
from sqlalchemy.dialects.postgresql import array

from kernel.db import dialect_name
from kernel.errors import ClientError, NotFoundError
from kernel.orgtree import OrgTree
from kernel.uscc import parse_uscc
from subgraphs.common.fields import query
from subgraphs.common.pagination import Connection, Page, keyset_page, prepared_pages
from subgraphs.entities.credit_lists import active_listing
from subgraphs.entities.errors import EntitiesCode
from subgraphs.entities.models import CreditListingRow, MarketEntityRow, name_bigrams
from subgraphs.entities.types import Info, MarketEntity
from subgraphs.entities.vocabulary import ABNORMAL_TYPES, EntityStatus, EntityType

NAME_SEARCH_MAX = 50
TRIGRAM = 3
"""Trigram indexes (pg_trgm, FTS5 trigram) can only serve searches of at least three characters."""
BIGRAM = 2
"""PostgreSQL also indexes character bigrams (migration 0002) for two-character searches."""

ALL_ENTITIES = prepared_pages(MarketEntityRow, MarketEntityRow.uscc)
"""The unfiltered list, the one officers page through most: prepared (issue 17)."""

_fts = table("market_entity_name_fts", column("name"), column("uscc"))
"""SQLite's FTS5 trigram shadow of ``market_entity.name`` (created by migration 0001)."""


@strawberry.input(description="Narrow the entity list; all given conditions must hold.")
class EntityFilter:
    district_code: str | None = None
    station_code: str | None = None
    status: EntityStatus | None = None
    entity_type: EntityType | None = None
    on_abnormal_list: bool | None = None
    held_for_review: bool | None = strawberry.field(default=None, description="The station's review queue (登管联动).")
    name_contains: str | None = strawberry.field(
        default=None, description="Part of the name, any case; indexed from 3 characters (2 on PostgreSQL)."
    )


def name_contains(text: str, sqlite: bool) -> ColumnElement[bool]:
    """Substring match on the name served by an index: pg_trgm GIN (3+ characters) or the bigram GIN (2) on
    PostgreSQL, FTS5 trigram (3+) on SQLite; shorter needles, and wildcards on SQLite, scan."""
    needle = text.strip()
    if not 1 <= len(needle) <= NAME_SEARCH_MAX:
        raise ClientError(f"nameContains must have 1 to {NAME_SEARCH_MAX} characters", code=EntitiesCode.INVALID_FILTER)
    wildcard_free = not any(char in needle for char in "%_\\")
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if not sqlite:
        # Inline constants, not bind parameters: how common the needle is decides between walking the key order
        # and using the name index, and a generic plan for a parameter cannot know it (餐饮 vs 湘川).
        matches = MarketEntityRow.name.ilike(literal(f"%{escaped}%", literal_execute=True))
        if len(needle) == BIGRAM:  # the index narrows, ILIKE decides
            return and_(name_bigrams.contains(array([func.lower(literal(needle, literal_execute=True))])), matches)
        return matches
    if len(needle) >= TRIGRAM and wildcard_free:  # FTS5 ignores ESCAPE and cannot serve 1–2 characters
        return MarketEntityRow.uscc.in_(select(_fts.c.uscc).where(_fts.c.name.like(f"%{needle}%")))
    return MarketEntityRow.name.like(f"%{escaped}%", escape="\\")


def filtered(entity_filter: EntityFilter | None, tree: OrgTree, today: dt.date, sqlite: bool) -> Select[Any]:
    """The entity query for a filter, validated against the org tree."""
    statement = select(MarketEntityRow)
    if entity_filter is None:
        return statement
    if entity_filter.district_code is not None:
        statement = statement.where(MarketEntityRow.district_code == tree.district(entity_filter.district_code).code)
    if entity_filter.station_code is not None:
        statement = statement.where(MarketEntityRow.station_code == tree.station(entity_filter.station_code).code)
    if entity_filter.status is not None:
        statement = statement.where(MarketEntityRow.status == entity_filter.status)
    if entity_filter.entity_type is not None:
        statement = statement.where(MarketEntityRow.entity_type == entity_filter.entity_type)
    if entity_filter.on_abnormal_list is not None:
        listed = exists().where(CreditListingRow.uscc == MarketEntityRow.uscc, active_listing(ABNORMAL_TYPES, today))
        statement = statement.where(listed if entity_filter.on_abnormal_list else ~listed)
    if entity_filter.held_for_review is not None:
        statement = statement.where(MarketEntityRow.held_for_review == entity_filter.held_for_review)
    if entity_filter.name_contains is not None:
        statement = statement.where(name_contains(entity_filter.name_contains, sqlite))
    return statement


def not_found(uscc: str) -> NotFoundError:
    """The same answer for an unknown entity and for one outside the caller's jurisdiction."""
    return NotFoundError(f"no entity {uscc} in your jurisdiction", details={"uscc": uscc})


@strawberry.type
class Query:
    @query(
        "One entity by USCC (upper-cased first); null with a NOT_FOUND error when none is registered in the "
        "caller's jurisdiction (the same answer whether it exists elsewhere or not at all)."
    )
    async def entity(self, info: Info, uscc: str) -> MarketEntity | None:
        code = parse_uscc(uscc).code
        row = await info.context.loaders.entity.load(code)
        if row is None:
            raise not_found(code)
        return MarketEntity.from_row(row)

    @query("Entities of the caller's jurisdiction in USCC order, keyset-paginated: pass pageInfo.endCursor as after.")
    async def entities(
        self,
        info: Info,
        filter: EntityFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[MarketEntity]:
        session, services = info.context.session, info.context.services
        sqlite = dialect_name(session) == "sqlite"
        page: Page[MarketEntityRow] = await keyset_page(
            session,
            ALL_ENTITIES if filter is None else filtered(filter, services.org_tree, services.today(), sqlite),
            key=(MarketEntityRow.uscc,),
            key_of=lambda row: (row.uscc,),
            first=first,
            after=after,
        )
        return page.to_connection(MarketEntity.from_row)
