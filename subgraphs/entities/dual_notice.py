"""双告知 at registration: tell the applicant which permits or filings its business scope needs, and push the record to
the permit authority (市场主体登记管理条例 Art. 14: 许可经营项目; 食品安全法 Art. 35). The push is the
``entities.permits_notified`` event of the outbox, committed with the registration; the permits side consumes it.

Which scope items need what is reference data with its basis (经营范围规范目录 wording); the first match wins, so the
narrower item (仅销售预包装食品: a filing) comes before the wider one (食品销售: a permit).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PermitNotice:
    """One permit or filing the registered scope needs."""

    permit: str
    """The permits subgraph's kind: ``JY``, ``SC``, ``PREPACK_FILING``."""
    scope_item: str
    basis: str


LICENSED_SCOPE_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        "仅销售预包装食品",
        "PREPACK_FILING",
        "食品安全法 (2021) Art. 35 ¶1: 仅销售预包装食品的 … 应当备案 [V]",
    ),
    ("食品添加剂生产", "SC", "食品安全法 Art. 35, 39: 食品添加剂生产许可 [V]"),
    ("食品生产", "SC", "食品安全法 Art. 35: 从事食品生产，应当依法取得许可 [V]"),
    ("食品销售", "JY", "食品安全法 Art. 35: 从事食品销售，应当依法取得许可 [V]"),
    ("食品经营", "JY", "食品安全法 Art. 35: 从事食品销售、餐饮服务，应当依法取得许可 [V]"),
    ("餐饮服务", "JY", "食品安全法 Art. 35: 从事餐饮服务，应当依法取得许可 [V]"),
)
"""(scope wording, permit kind, basis) in match order."""


def permits_needed(business_scope: str) -> tuple[PermitNotice, ...]:
    """The permits and filings ``business_scope`` needs, one per kind, in the order of the scope items that need them.

    "食品销售（仅销售预包装食品）" needs the filing only; "食品销售" elsewhere in the scope still needs the permit."""
    items = [item.strip() for item in business_scope.replace(";", "；").replace("。", "；").split("；")]
    found: dict[str, PermitNotice] = {}
    for item in items:
        for wording, permit, basis in LICENSED_SCOPE_ITEMS:
            if wording in item:
                found.setdefault(permit, PermitNotice(permit, item, basis))
                break
    return tuple(found.values())
