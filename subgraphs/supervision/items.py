"""The random-inspection item list (随机抽查事项清单, 一单): general items with a capped ratio, key items without.

The national SAMR list extended by the province (DOMAIN.md §4.1); a code list in code until the province's list
is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from kernel.errors import ClientError
from subgraphs.supervision.errors import SupervisionCode
from subgraphs.supervision.vocabulary import ItemKind


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name: str
    kind: ItemKind


ITEMS: tuple[Item, ...] = (
    Item("FOOD-LICENCE", "食品经营许可及公示情况", ItemKind.GENERAL),
    Item("FOOD-STAFF-HEALTH", "从业人员健康管理", ItemKind.GENERAL),
    Item("FOOD-PREMISES", "场所环境卫生及设施设备维护", ItemKind.GENERAL),
    Item("FOOD-RAW-MATERIAL", "原料控制（进货查验记录）", ItemKind.KEY),
    Item("FOOD-PROCESSING", "加工制作过程", ItemKind.KEY),
    Item("FOOD-ADDITIVES", "食品添加剂使用", ItemKind.KEY),
    Item("FOOD-TABLEWARE", "餐饮具清洗消毒", ItemKind.KEY),
    Item("REG-PUBLICITY", "年度报告及即时信息公示", ItemKind.GENERAL),
    Item("REG-PREMISES", "登记住所（经营场所）", ItemKind.GENERAL),
)
_BY_CODE = {item.code: item for item in ITEMS}


def item(code: str) -> Item:
    """The item ``code`` names; ``UNKNOWN_ITEM`` otherwise."""
    found = _BY_CODE.get(code)
    if found is None:
        raise ClientError(
            f"{code!r} is not on the random-inspection item list",
            code=SupervisionCode.UNKNOWN_ITEM,
            details={"item": code},
        )
    return found


def checked(codes: list[str] | tuple[str, ...]) -> tuple[Item, ...]:
    """The items ``codes`` name, each known, at least one (``EMPTY_CHECKLIST``), duplicates dropped."""
    if not codes:
        raise ClientError("name at least one checklist item", code=SupervisionCode.EMPTY_CHECKLIST)
    return tuple(item(code) for code in dict.fromkeys(codes))
