"""The enforcement domain's closed vocabularies (DOMAIN.md §5): stages, procedures, evidence, penalties, documents."""

from __future__ import annotations

import enum


class CaseStage(enum.StrEnum):
    """Where a case stands in the loop of DOMAIN.md §5.1."""

    ACCEPTED = "ACCEPTED"
    """受理 / 线索登记."""
    VERIFYING = "VERIFYING"
    """核查."""
    FILED = "FILED"
    """立案 (the agency head decided to open a case)."""
    NOT_FILED = "NOT_FILED"
    """不予立案 (Art. 20): the lead ends here."""
    INVESTIGATING = "INVESTIGATING"
    """调查."""
    GATHERING_EVIDENCE = "GATHERING_EVIDENCE"
    """取证."""
    PRESERVING = "PRESERVING"
    """固证."""
    REVIEWING = "REVIEWING"
    """核审 (case review, and legal review where Art. 58 requires it)."""
    NOTIFIED = "NOTIFIED"
    """告知 (prior notice of the intended penalty and the party's rights)."""
    HEARING = "HEARING"
    """听证."""
    DECIDED = "DECIDED"
    """决定."""
    SERVED = "SERVED"
    """送达."""
    EXECUTED = "EXECUTED"
    """执行 (performed)."""
    PUBLISHED = "PUBLISHED"
    """公示."""
    CLOSED = "CLOSED"
    """结案."""
    ARCHIVED = "ARCHIVED"
    """归档."""


class Procedure(enum.StrEnum):
    ORDINARY = "ORDINARY"
    """普通程序."""
    SUMMARY = "SUMMARY"
    """简易程序 (on the spot, Art. 51)."""


class PartyKind(enum.StrEnum):
    NATURAL_PERSON = "NATURAL_PERSON"
    ORGANISATION = "ORGANISATION"


class DecisionOutcome(enum.StrEnum):
    PENALTY = "PENALTY"
    NO_PENALTY = "NO_PENALTY"
    TRANSFER_TO_JUDICIAL = "TRANSFER_TO_JUDICIAL"


class PenaltyKind(enum.StrEnum):
    """Penalties of 行政处罚法 Art. 9, as the decision names them."""

    WARNING = "WARNING"
    CIRCULATED_CRITICISM = "CIRCULATED_CRITICISM"
    FINE = "FINE"
    CONFISCATION = "CONFISCATION"
    SUSPENSION = "SUSPENSION"
    PERMIT_REVOCATION = "PERMIT_REVOCATION"
    LICENCE_REVOCATION = "LICENCE_REVOCATION"
    OCCUPATIONAL_BAN = "OCCUPATIONAL_BAN"


HEARING_PENALTIES = frozenset(
    {
        PenaltyKind.SUSPENSION,
        PenaltyKind.PERMIT_REVOCATION,
        PenaltyKind.LICENCE_REVOCATION,
        PenaltyKind.OCCUPATIONAL_BAN,
    }
)
"""Penalties that carry hearing rights whatever the amount (Art. 63)."""

NO_EARLY_STOP = HEARING_PENALTIES
"""Penalties whose publicity may never stop early (45号令): suspension, restriction, bans, revocations."""


class DocumentKind(enum.StrEnum):
    """Documents of the case file that steps require."""

    LEAD_REGISTRATION = "LEAD_REGISTRATION"
    """线索登记表."""
    VERIFICATION_REPORT = "VERIFICATION_REPORT"
    """核查报告."""
    FILING_APPROVAL = "FILING_APPROVAL"
    """立案审批表 (Art. 19)."""
    INQUIRY_RECORD = "INQUIRY_RECORD"
    """询问笔录 / 现场笔录."""
    INVESTIGATION_REPORT = "INVESTIGATION_REPORT"
    """案件调查终结报告."""
    LEGAL_REVIEW_OPINION = "LEGAL_REVIEW_OPINION"
    """法制审核意见书."""
    PRIOR_NOTICE = "PRIOR_NOTICE"
    """行政处罚告知书."""
    HEARING_RECORD = "HEARING_RECORD"
    """听证笔录."""
    COLLECTIVE_DISCUSSION_RECORD = "COLLECTIVE_DISCUSSION_RECORD"
    """集体讨论记录."""
    DECISION = "DECISION"
    """行政处罚决定书."""
    SERVICE_RECEIPT = "SERVICE_RECEIPT"
    """送达回证."""
    PERFORMANCE_PROOF = "PERFORMANCE_PROOF"
    """缴款凭证 / 履行证明."""
    CLOSING_APPROVAL = "CLOSING_APPROVAL"
    """结案审批表."""
    AUDIO_VIDEO_RECORD = "AUDIO_VIDEO_RECORD"
    """全过程记录 (Art. 47)."""


class EvidenceType(enum.StrEnum):
    """The eight statutory evidence types (行政处罚法 Art. 46)."""

    DOCUMENTARY = "DOCUMENTARY"
    """书证."""
    PHYSICAL = "PHYSICAL"
    """物证."""
    AUDIO_VISUAL = "AUDIO_VISUAL"
    """视听资料."""
    ELECTRONIC_DATA = "ELECTRONIC_DATA"
    """电子数据."""
    WITNESS_TESTIMONY = "WITNESS_TESTIMONY"
    """证人证言."""
    PARTY_STATEMENT = "PARTY_STATEMENT"
    """当事人的陈述."""
    EXPERT_OPINION = "EXPERT_OPINION"
    """鉴定意见."""
    INSPECTION_RECORD = "INSPECTION_RECORD"
    """勘验笔录、现场笔录."""


class HashAlgorithm(enum.StrEnum):
    SHA256 = "SHA256"
    SM3 = "SM3"
    """GB/T 32905-2016."""


class PreservationKind(enum.StrEnum):
    REGISTERED_PRESERVATION = "REGISTERED_PRESERVATION"
    """先行登记保存: decide within 7 working days (Art. 56)."""
    SEAL = "SEAL"
    """查封: ≤ 30 days, +30 with approval (行政强制法 Art. 25)."""
    SEIZE = "SEIZE"
    """扣押: as SEAL."""


class PreservationStatus(enum.StrEnum):
    OPEN = "OPEN"
    EXTENDED = "EXTENDED"
    RELEASED = "RELEASED"


class CaseDeadline(enum.StrEnum):
    """The case's statutory clocks that extensions and excluded periods act on."""

    FILING = "FILING"
    """立案: 15 working days from the lead, +15 with approval (程序规定 Art. 18)."""
    DECISION = "DECISION"
    """决定: 90 days from 立案, +30 with the head's approval, then by collective decision (Art. 60)."""


class PublicityStatus(enum.StrEnum):
    PENDING = "PENDING"
    PUBLISHED = "PUBLISHED"
    WITHDRAWN = "WITHDRAWN"
    STOPPED_EARLY = "STOPPED_EARLY"
    EXPIRED = "EXPIRED"
