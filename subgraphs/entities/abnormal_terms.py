"""The time limits around an abnormal-list entry, each from rule data that names its legal basis and edition: the
objection window and its handling (企业经营异常名录管理暂行办法 2014 Art. 16), the removal decision after the cure
(Art. 11–14), and the notice before the 3-year move to the serious list (企业信息公示暂行条例 Art. 17; the 2016
measures' 60-day reminder). Dates are counted per 民法典 Art. 201–202 through ``Rule.period_end``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from subgraphs.common.rules import Rule, default_rules
from subgraphs.entities.models import CreditListingRow
from subgraphs.entities.vocabulary import ListType

ESCALATION = "entities.abnormal_to_serious_after"
NOTICE = "entities.serious_escalation_notice"


@dataclass(frozen=True, slots=True)
class Term:
    """One date that matters to an entry: what it is (the rule's key), the date, and the rule it comes from."""

    key: str
    due_on: dt.date
    rule: Rule


def _term(key: str, start: dt.date) -> Term:
    rule = default_rules().get(key, on=start)
    return Term(key, rule.period_end(start), rule)


def objection_due(listing: CreditListingRow) -> Term:
    """The last day the party may object to the listing."""
    return _term("entities.abnormal_objection_window", listing.listed_on)


def escalation_day(listing: CreditListingRow) -> Term:
    """The first day after the 3 years on the abnormal list: the entity moves to the serious list then."""
    rule = default_rules().get(ESCALATION, on=listing.listed_on)
    return Term(ESCALATION, rule.runs_out_after(listing.listed_on), rule)


def escalation_notice_from(listing: CreditListingRow) -> Term:
    """The first day of the notice window: 60 days before the 3 years are full."""
    moves = escalation_day(listing).due_on
    rule = default_rules().get(NOTICE, on=moves)
    return Term(NOTICE, moves - dt.timedelta(days=rule.value), rule)


def terms(listing: CreditListingRow) -> tuple[Term, ...]:
    """Every term of an abnormal entry that applies now: the listing decision's own deadline where the day of the
    ground is known, the objection window and, once filed, its handling; the
    removal decision once the ground is cured; for an enterprise still listed, the notice window and the move."""
    if listing.list_type not in (ListType.ABNORMAL, ListType.ABNORMAL_STATUS):
        return ()
    found = [objection_due(listing)]
    if listing.triggered_on is not None:
        found.insert(0, _term("entities.abnormal_listing_decision", listing.triggered_on))
    if listing.objection_filed_on is not None:
        acceptance = _term("entities.abnormal_objection_acceptance", listing.objection_filed_on)
        found += [acceptance, _term("entities.abnormal_objection_verification", acceptance.due_on)]
    if listing.cured_on is not None:
        found.append(_term("entities.abnormal_removal_decision", listing.cured_on))
    if listing.list_type == ListType.ABNORMAL and listing.removed_on is None:
        found += [escalation_notice_from(listing), escalation_day(listing)]
    return tuple(found)
