"""The permit domain's closed vocabularies: kinds, statuses, actions, routes (DOMAIN.md §10.1)."""

from __future__ import annotations

import enum


class PermitKind(enum.StrEnum):
    """What a permit number certifies; each kind has its own number validator (DOMAIN.md §3.4)."""

    JY = "JY"
    """食品经营许可证 — food operating permit."""
    SC = "SC"
    """食品生产许可证 — food production permit."""
    PREPACK_FILING = "PREPACK_FILING"
    """仅销售预包装食品备案 — pre-packaged-only sales filing."""
    WORKSHOP_REG = "WORKSHOP_REG"
    """食品生产加工小作坊登记证 — Guangdong small-workshop registration."""
    STALL_REG = "STALL_REG"
    """食品摊贩登记卡 — Guangdong food-stall registration."""

    @property
    def rule_family(self) -> str:
        """Which rule family in ``permits.toml`` governs this kind's periods."""
        if self is PermitKind.JY:
            return "operating"
        if self is PermitKind.SC:
            return "production"
        return "licensing"

    @property
    def validity_family(self) -> str:
        """Which ``permits.<family>.validity`` rule gives this kind's validity period (a filing has none)."""
        return {
            PermitKind.JY: "operating",
            PermitKind.SC: "production",
            PermitKind.PREPACK_FILING: "filing",
            PermitKind.WORKSHOP_REG: "workshop",
            PermitKind.STALL_REG: "stall",
        }[self]


class PermitStatus(enum.StrEnum):
    """A permit's legal state (DOMAIN.md §10.1)."""

    VALID = "VALID"
    DEEMED_RENEWED = "DEEMED_RENEWED"
    """In force by operation of law: a renewal applied for in time was undecided when the permit expired, so it is
    deemed granted (行政许可法 Art. 50); the new period runs on, and the holder operates lawfully."""
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


IN_FORCE: frozenset[PermitStatus] = frozenset({PermitStatus.VALID, PermitStatus.DEEMED_RENEWED, PermitStatus.SUSPENDED})
"""Statuses of a permit whose validity period runs: the expiry job ends them, a deregistration cancels them."""

OPERATING: frozenset[PermitStatus] = frozenset({PermitStatus.VALID, PermitStatus.DEEMED_RENEWED})
"""Statuses under which the holder may operate: renewable, changeable, a valid previous permit for 秒批."""


class ApplicationAction(enum.StrEnum):
    """What a permit application asks for (新办 / 变更 / 延续 / 注销 / 补办)."""

    NEW = "NEW"
    CHANGE = "CHANGE"
    RENEW = "RENEW"
    CANCEL = "CANCEL"
    REISSUE = "REISSUE"


class ApplicationRoute(enum.StrEnum):
    """Ordinary review, or the applicant commitment scheme (申请人承诺制, DOMAIN.md §3.5)."""

    ORDINARY = "ORDINARY"
    COMMITMENT = "COMMITMENT"
