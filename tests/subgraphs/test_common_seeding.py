"""``drawn_ahead``: batches drawn on a worker thread one at a time, in order, none left running."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

from subgraphs.common.seeding import drawn_ahead


def _batches(rng: random.Random, drawn: list[str]) -> Iterator[list[int]]:
    for _ in range(50):
        drawn.append(threading.current_thread().name)
        yield [rng.randrange(10**6) for _ in range(100)]


async def test_the_same_batches_in_the_same_order_as_a_plain_loop() -> None:
    plain = list(_batches(random.Random(7), []))
    drawn: list[str] = []
    ahead = [batch async for batch in drawn_ahead(_batches(random.Random(7), drawn))]
    assert ahead == plain
    assert threading.current_thread().name not in drawn  # generated off the loop's thread


async def test_a_caller_that_stops_early_leaves_no_draw_running() -> None:
    drawn: list[str] = []
    batches = _batches(random.Random(7), drawn)
    ahead = drawn_ahead(batches)
    async for _ in ahead:
        break
    await ahead.aclose()
    assert len(drawn) == 2  # the one taken and the one drawn ahead, finished before aclose returned
    assert next(batches) == list(_batches(random.Random(7), []))[2]  # the source resumes where it stopped
