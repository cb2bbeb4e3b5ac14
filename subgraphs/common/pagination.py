"""Relay cursor connections (graphql.org Cursor Connections spec) over keyset pagination.

The cursor is an opaque encoding of the last row's sort key; the next page is ``WHERE key > cursor
ORDER BY key LIMIT first + 1``, so a deep page costs an index seek like the first one (no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Integer, Select, bindparam, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from kernel.errors import ClientError, Code
from subgraphs.common.jurisdiction import Supervised
from subgraphs.common.prepared import PreparedRead

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")

MAX_PAGE_SIZE = 100
"""The largest ``first`` a client may ask for; a product limit, not a legal one."""

CursorValue = str | int
_PREFIX = "k1:"


def encode_cursor(key: Sequence[CursorValue]) -> str:
    """An opaque, URL-safe cursor for one sort key."""
    raw = json.dumps(list(key), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_PREFIX.encode() + raw).decode().rstrip("=")


_INT64 = range(-(2**63), 2**63)
"""What a BIGINT key column holds; a larger number in a cursor cannot be a key we handed out."""


def decode_cursor(cursor: str, types: Sequence[type]) -> tuple[CursorValue, ...]:
    """The sort key inside ``cursor``, one value of each of ``types`` (the key columns' Python types); a cursor we
    did not issue — malformed, of another list, a wrong type or an impossible number — is ``INVALID_CURSOR``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if not raw.startswith(_PREFIX.encode()):
            raise ValueError("unknown cursor version")
        key = json.loads(raw[len(_PREFIX) :])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ClientError(f"cursor {cursor!r} was not issued by this list", code=Code.INVALID_CURSOR) from None
    if (
        not isinstance(key, list)
        or len(key) != len(types)
        or not all(type(value) is kind for value, kind in zip(key, types, strict=True))
        or any(isinstance(value, int) and value not in _INT64 for value in key)
    ):
        raise ClientError(f"cursor {cursor!r} was not issued by this list", code=Code.INVALID_CURSOR)
    return tuple(key)


def check_page_size(first: int) -> None:
    """``first`` must be 1…:data:`MAX_PAGE_SIZE`."""
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise ClientError(f"first must be between 1 and {MAX_PAGE_SIZE}, not {first}", code=Code.INVALID_PAGE_SIZE)


@strawberry.federation.type(shareable=True)
class PageInfo:
    """Where this page ends and whether another follows (shared by every subgraph, hence shareable)."""

    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    """A page of a list, Relay style; ask for the next page with ``after: pageInfo.endCursor``."""

    edges: list[Edge[NodeT]]
    page_info: PageInfo


@dataclass(frozen=True, slots=True)
class Page(Generic[RowT]):
    """Rows of one page with the cursor of each, before they become GraphQL nodes."""

    rows: tuple[RowT, ...]
    cursors: tuple[str, ...]
    has_next_page: bool

    def to_connection(self, to_node: Callable[[RowT], NodeT]) -> Connection[NodeT]:
        edges = [Edge(cursor=c, node=to_node(row)) for row, c in zip(self.rows, self.cursors, strict=True)]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=self.has_next_page, end_cursor=self.cursors[-1] if self.cursors else None),
        )


@dataclass(frozen=True, slots=True)
class PreparedPages(Generic[RowT]):
    """A list's unfiltered pages in the order of one unique column, as prepared reads
    (:mod:`subgraphs.common.prepared`): the first page, and the page after a cursor's key."""

    first: PreparedRead[Any]
    after: PreparedRead[Any]


def prepared_pages(model: type[Supervised], key: InstrumentedAttribute[Any]) -> PreparedPages[Any]:
    """Every row of ``model`` in ``key`` order (``key`` unique), a page at a time."""
    limit = bindparam("limit", type_=Integer)
    return PreparedPages(
        first=PreparedRead(model, lambda rows: rows.order_by(key).limit(limit)),
        after=PreparedRead(model, lambda rows: rows.where(key > bindparam("after")).order_by(key).limit(limit)),
    )


async def keyset_page(
    session: AsyncSession,
    statement: Select[Any] | PreparedPages[Any],
    key: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]],
    key_of: Callable[[RowT], Sequence[CursorValue]],
    *,
    first: int,
    after: str | None,
) -> Page[RowT]:
    """One page of ``statement`` in ascending ``key`` order (``key`` must be unique, e.g. end with the primary key);
    prepared pages (:func:`prepared_pages`, over the same single ``key``) read it as records."""
    check_page_size(first)
    values = None if after is None else decode_cursor(after, [column.type.python_type for column in key])
    rows: Sequence[RowT]
    if isinstance(statement, PreparedPages):
        if values is None:
            rows = await statement.first.all(session, limit=first + 1)
        else:
            rows = await statement.after.all(session, after=values[0], limit=first + 1)
    else:
        if values is not None:
            statement = statement.where(key[0] > values[0] if len(key) == 1 else tuple_(*key) > tuple_(*values))
        rows = (await session.scalars(statement.order_by(*key).limit(first + 1))).all()
    page = tuple(rows[:first])
    return Page(rows=page, cursors=tuple(encode_cursor(key_of(row)) for row in page), has_next_page=len(rows) > first)
