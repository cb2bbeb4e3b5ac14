"""Seeding helpers shared by the components' ``zhijian seed``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator
from typing import TypeVar

T = TypeVar("T")


async def drawn_ahead(batches: Iterator[T]) -> AsyncGenerator[T, None]:
    """The items of ``batches`` in order, each next one drawn on a worker thread while the caller writes the one it
    holds: generating a batch (Python) and loading the previous one (the database's own process) overlap instead of
    taking turns. One item is drawn at a time, in order, so a seeded random source gives the same rows as a plain
    loop."""
    pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
    try:
        while (item := await pending) is not None:
            pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
            yield item
    finally:
        await asyncio.gather(pending, return_exceptions=True)  # no draw left running on the thread
