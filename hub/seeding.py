"""``zhijian seed``: realistic records at the city's scale, component by component in registry order."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from hub.components import SUBGRAPHS
from kernel.db import Database
from subgraphs.common.component import Holder, SeedRequest


async def seed(database: Database, services: Mapping[str, Any], counts: Mapping[str, int], *, progress: bool) -> int:
    """Add ``counts[name]`` records to each component that seeds; later components attach theirs to the entities
    earlier ones offer as holders."""
    holders: tuple[Holder, ...] = ()
    for component in SUBGRAPHS:
        if component.seed is None:
            continue
        request = SeedRequest(counts.get(component.name, 0), progress, holders)
        outcome = await component.seed(database, services[component.name], request)
        if outcome.refusal is not None:
            print(f"zhijian seed: {outcome.refusal}", file=sys.stderr)
            return 2
        holders = outcome.holders or holders
        if outcome.report:
            print(outcome.report)
    return 0
