"""The 明厨亮灶 violation categories (DOMAIN.md §7.1) and which of them the project's own models can see.

The nine scenarios deployed in Shenzhen's kitchens (seed article): no hat, no mask, no uniform, smoking, phone use,
bare-chested, rodents, open bins, unattended or after-hours work. The detector outputs one map per *visual*
category; "unattended / after hours" is not seen but derived from whether a person is in the frame and the
premises' business hours (:mod:`inference.pipeline`).
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """A kitchen violation category as alerts carry it."""

    NO_HAT = "NO_HAT"  # 未戴厨师帽
    NO_MASK = "NO_MASK"  # 未戴口罩
    NO_UNIFORM = "NO_UNIFORM"  # 未穿工作服
    SMOKING = "SMOKING"  # 吸烟
    PHONE = "PHONE"  # 玩手机
    BARE_CHESTED = "BARE_CHESTED"  # 赤膊
    RODENT = "RODENT"  # 老鼠
    OPEN_BIN = "OPEN_BIN"  # 垃圾桶未盖
    UNATTENDED = "UNATTENDED"  # 无人值守 / 非营业时间作业


CHANNELS: tuple[str, ...] = (
    "PERSON",
    Category.NO_HAT,
    Category.NO_MASK,
    Category.NO_UNIFORM,
    Category.SMOKING,
    Category.PHONE,
    Category.BARE_CHESTED,
    Category.RODENT,
    Category.OPEN_BIN,
)
"""The detector's output maps, in order: a person (for the derived categories) and each visual category."""

SEEN: frozenset[Category] = frozenset(Category(channel) for channel in CHANNELS[1:])
"""Categories the model detects itself; the others are derived by rules."""
DERIVED: frozenset[Category] = frozenset(Category) - SEEN
