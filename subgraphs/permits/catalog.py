"""Operating items (经营项目) and production categories as versioned code lists (DOMAIN.md §3.2–3.3).

A permit stores its items as ``CODE@VERSION`` so legacy 2015 items stay readable after the 2023 reorganisation.
``high_risk`` marks the sectors excluded from automatic approval (49号令 Art. 20, 22; DOMAIN.md §3.7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kernel.errors import ClientError
from subgraphs.permits.errors import PermitsCode
from subgraphs.permits.vocabulary import PermitKind


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One code in a code list."""

    code: str
    name: str
    high_risk: bool = False


@dataclass(frozen=True, slots=True)
class CodeList:
    """One version of the items a permit kind may list."""

    version: str
    kinds: tuple[PermitKind, ...]
    effective_from: dt.date
    effective_to: dt.date | None
    items: tuple[CatalogItem, ...]
    certainty: str

    def item(self, code: str) -> CatalogItem | None:
        return next((item for item in self.items if item.code == code), None)


_OPERATING_2015: tuple[CatalogItem, ...] = (
    CatalogItem("SALES_PREPACK", "预包装食品销售（不含冷藏冷冻食品）"),
    CatalogItem("SALES_PREPACK_CHILLED", "预包装食品销售（含冷藏冷冻食品）"),
    CatalogItem("SALES_BULK", "散装食品销售（不含冷藏冷冻食品）"),
    CatalogItem("SALES_BULK_CHILLED", "散装食品销售（含冷藏冷冻食品）"),
    CatalogItem("SALES_BULK_COOKED", "散装食品销售（含散装熟食）"),
    CatalogItem("SALES_HEALTH_FOOD", "特殊食品销售（保健食品）", high_risk=True),
    CatalogItem("SALES_FSMP", "特殊食品销售（特殊医学用途配方食品）", high_risk=True),
    CatalogItem("SALES_INFANT_MILK", "特殊食品销售（婴幼儿配方乳粉）", high_risk=True),
    CatalogItem("SALES_INFANT_OTHER", "特殊食品销售（其他婴幼儿配方食品）", high_risk=True),
    CatalogItem("SALES_OTHER", "其他类食品销售"),
    CatalogItem("CATERING_HOT", "热食类食品制售"),
    CatalogItem("CATERING_COLD", "冷食类食品制售"),
    CatalogItem("CATERING_RAW", "生食类食品制售", high_risk=True),
    CatalogItem("CATERING_PASTRY", "糕点类食品制售（不含裱花蛋糕）"),
    CatalogItem("CATERING_PASTRY_DECORATED", "糕点类食品制售（含裱花蛋糕）"),
    CatalogItem("CATERING_DRINKS", "自制饮品制售"),
    CatalogItem("CATERING_OTHER", "其他类食品制售"),
    CatalogItem("CENTRAL_KITCHEN", "中央厨房", high_risk=True),
    CatalogItem("GROUP_MEAL_DELIVERY", "集体用餐配送单位", high_risk=True),
    CatalogItem("CANTEEN_SCHOOL", "学校食堂", high_risk=True),
    CatalogItem("CANTEEN_CHILDCARE", "托幼机构食堂", high_risk=True),
    CatalogItem("CANTEEN_OTHER", "其他单位食堂"),
    CatalogItem("ONLINE", "网络经营"),
)

_SC_FOOD_CATEGORIES: tuple[str, ...] = (
    "粮食加工品",
    "食用油、油脂及其制品",
    "调味品",
    "肉制品",
    "乳制品",
    "饮料",
    "方便食品",
    "饼干",
    "罐头",
    "冷冻饮品",
    "速冻食品",
    "薯类和膨化食品",
    "糖果制品",
    "茶叶及相关制品",
    "酒类",
    "蔬菜制品",
    "水果制品",
    "炒货食品及坚果制品",
    "蛋制品",
    "可可及焙烤咖啡产品",
    "食糖",
    "水产制品",
    "淀粉及淀粉制品",
    "糕点",
    "豆制品",
    "蜂产品",
    "保健食品",
    "特殊医学用途配方食品",
    "婴幼儿配方食品",
    "特殊膳食食品",
    "其他食品",
)

_PRODUCTION_2015: tuple[CatalogItem, ...] = (
    *(CatalogItem(f"1{number:02d}", name, high_risk=True) for number, name in enumerate(_SC_FOOD_CATEGORIES, start=1)),
    CatalogItem("201", "食品添加剂", high_risk=True),
    CatalogItem("202", "食品用香精", high_risk=True),
    CatalogItem("203", "复配食品添加剂", high_risk=True),
)

CODE_LISTS: tuple[CodeList, ...] = (
    CodeList("JY-2015", (PermitKind.JY,), dt.date(2015, 10, 1), dt.date(2023, 12, 1), _OPERATING_2015, "S"),
    CodeList(
        "JY-2023",
        (PermitKind.JY,),
        dt.date(2023, 12, 1),
        None,
        (*_OPERATING_2015, CatalogItem("SEMI_FINISHED", "半成品制售"), CatalogItem("FOOD_MANAGEMENT", "食品经营管理")),
        "U",
    ),
    CodeList("SC-2015", (PermitKind.SC,), dt.date(2015, 10, 1), None, _PRODUCTION_2015, "S"),
    CodeList(
        "REG-2015",
        (PermitKind.PREPACK_FILING, PermitKind.WORKSHOP_REG, PermitKind.STALL_REG),
        dt.date(2015, 10, 1),
        None,
        (
            CatalogItem("SALES_PREPACK", "仅销售预包装食品"),
            CatalogItem("WORKSHOP_PRODUCTION", "小作坊食品生产加工"),
            CatalogItem("STALL_SALES", "食品摊贩经营"),
        ),
        "U",
    ),
)
"""Every code list version we know."""


def code_list(kind: PermitKind, on: dt.date) -> CodeList:
    """The code list version for ``kind`` in force on ``on``."""
    for listing in CODE_LISTS:
        if (
            kind in listing.kinds
            and listing.effective_from <= on
            and (listing.effective_to is None or on < listing.effective_to)
        ):
            return listing
    raise ClientError(f"no {kind.value} code list is in force on {on}", code=PermitsCode.NO_CODE_LIST)


def _by_version(version: str) -> CodeList:
    for listing in CODE_LISTS:
        if listing.version == version:
            return listing
    raise ClientError(
        f"unknown code list version {version!r}", code=PermitsCode.INVALID_ITEM_CODE, details={"item": version}
    )


def resolve_items(kind: PermitKind, codes: tuple[str, ...], on: dt.date) -> tuple[str, ...]:
    """Qualify bare codes with the version in force on ``on``; reject unknown codes, naming each one."""
    if not codes:
        raise ClientError("list at least one operating item or food category", code=PermitsCode.INVALID_ITEM_CODE)
    current = code_list(kind, on)
    qualified: list[str] = []
    for raw in codes:
        code, _, version = raw.partition("@")
        listing = _by_version(version) if version else current
        if kind not in listing.kinds or listing.item(code) is None:
            raise ClientError(
                f"{raw!r} is not an item of code list {listing.version} for {kind.value} permits",
                code=PermitsCode.INVALID_ITEM_CODE,
                details={"item": raw, "codeList": listing.version},
            )
        qualified.append(f"{code}@{listing.version}")
    return tuple(dict.fromkeys(qualified))


def item(qualified: str) -> CatalogItem:
    """Look up a stored ``CODE@VERSION`` item."""
    code, _, version = qualified.partition("@")
    found = _by_version(version).item(code)
    if found is None:
        raise ClientError(
            f"unknown item {qualified!r}", code=PermitsCode.INVALID_ITEM_CODE, details={"item": qualified}
        )
    return found
