"""The figures of the law the case loop checks (DOMAIN.md §5.1): limitation, summary limits, hearing thresholds,
surcharge. Pure functions over plain values, so each rule is tested on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from kernel.errors import ClientError
from subgraphs.common.calendar import default_calendar
from subgraphs.enforcement.errors import EnforcementCode
from subgraphs.enforcement.vocabulary import HEARING_PENALTIES, PartyKind, PenaltyKind


@dataclass(frozen=True, slots=True)
class Penalty:
    """A penalty as intended (告知) or decided (决定)."""

    kinds: frozenset[PenaltyKind]
    fine: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.kinds:
            raise ClientError("a penalty names at least one kind", code=EnforcementCode.INVALID_PENALTY)
        has_fine = PenaltyKind.FINE in self.kinds
        if has_fine != (self.fine is not None) or (self.fine is not None and self.fine <= 0):
            raise ClientError(
                "a fine needs a positive amount, and only a fine has one", code=EnforcementCode.INVALID_PENALTY
            )

    @property
    def amount(self) -> Decimal:
        return self.fine or Decimal(0)

    @property
    def warning_only(self) -> bool:
        return self.kinds == {PenaltyKind.WARNING}


# ---------------------------------------------------------------- limitation period (Art. 36)


def limitation_years(harm_to_life_or_health: bool) -> int:
    """2 years; 5 where life, health or financial security is involved and harm occurred."""
    return 5 if harm_to_life_or_health else 2


def check_limitation(violation_on: dt.date | None, discovered_on: dt.date, harm: bool) -> None:
    """``LIMITATION_EXPIRED`` when the violation was discovered after its limitation period ran out."""
    if violation_on is None:
        return
    years = limitation_years(harm)
    if discovered_on > default_calendar().period_last_day(violation_on, years, "years"):  # 民法典 Art. 201–202
        raise ClientError(
            f"the violation of {violation_on.isoformat()} was discovered on {discovered_on.isoformat()}, after "
            f"the {years}-year limitation period (行政处罚法 Art. 36); no case can be opened",
            code=EnforcementCode.LIMITATION_EXPIRED,
            details={"limitationYears": years},
        )


# ---------------------------------------------------------------- summary procedure (Art. 51)

SUMMARY_FINE_LIMIT: Mapping[PartyKind, Decimal] = MappingProxyType(
    {PartyKind.NATURAL_PERSON: Decimal(200), PartyKind.ORGANISATION: Decimal(3000)}
)


def check_summary(penalty: Penalty, party: PartyKind) -> None:
    """``SUMMARY_LIMIT_EXCEEDED`` unless the penalty is a warning and/or a fine within Art. 51's limit."""
    limit = SUMMARY_FINE_LIMIT[party]
    allowed = penalty.kinds <= {PenaltyKind.WARNING, PenaltyKind.FINE} and penalty.amount <= limit
    if not allowed:
        raise ClientError(
            f"the summary procedure allows only a warning or a fine up to ¥{limit} for a "
            f"{party.value.lower().replace('_', ' ')} (行政处罚法 Art. 51); use the ordinary procedure",
            code=EnforcementCode.SUMMARY_LIMIT_EXCEEDED,
            details={"limit": str(limit)},
        )


# ---------------------------------------------------------------- hearing thresholds (§5.1 7b)


@dataclass(frozen=True, slots=True)
class HearingThreshold:
    """ "Large amount" figures at and above which a fine carries hearing rights."""

    natural_person: Decimal
    organisation: Decimal
    basis: str

    def of(self, party: PartyKind) -> Decimal:
        return self.natural_person if party is PartyKind.NATURAL_PERSON else self.organisation


SAMR_THRESHOLD = HearingThreshold(Decimal(10_000), Decimal(100_000), "市场监督管理行政处罚听证办法 Art. 5")
HEARING_THRESHOLDS: Mapping[str, HearingThreshold] = MappingProxyType({})
"""Per district code, where provincial or local rules set other figures; absent: :data:`SAMR_THRESHOLD`."""


def hearing_threshold(
    district_code: str | None, table: Mapping[str, HearingThreshold] = HEARING_THRESHOLDS
) -> HearingThreshold:
    return table.get(district_code or "", SAMR_THRESHOLD)


def has_hearing_rights(penalty: Penalty, party: PartyKind, threshold: HearingThreshold) -> bool:
    """Art. 63: a large fine (at or above the threshold), or suspension, revocation, a ban."""
    return bool(penalty.kinds & HEARING_PENALTIES) or penalty.amount >= threshold.of(party)


# ---------------------------------------------------------------- late payment (Art. 72)

SURCHARGE_RATE = Decimal("0.03")


def late_surcharge(fine: Decimal, payment_due_on: dt.date, paid_or_today: dt.date) -> Decimal:
    """3 % of the fine per day after the payment deadline, never more than the fine itself (行政强制法 Art. 45)."""
    days = max((paid_or_today - payment_due_on).days, 0)
    return min(fine * SURCHARGE_RATE * days, fine).quantize(Decimal("0.01"))
