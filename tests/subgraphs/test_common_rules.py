"""Rule periods end on the right calendar day (DOMAIN.md §11.4)."""

import datetime as dt

from subgraphs.common.rules import default_rules


def test_year_periods_keep_the_day_and_clamp_29_february() -> None:
    rule = default_rules().get("entities.suspension_max", on=dt.date(2025, 1, 1))
    assert (rule.value, rule.unit) == (3, "years")
    assert rule.period_end(dt.date(2025, 5, 31)) == dt.date(2028, 5, 31)
    assert rule.period_end(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)


KNOWN_UNVERIFIED = frozenset({"entities.serious_escalation_notice"})
"""Rules in force whose current source text was not read; the closing note of issue 8 lists them."""


def test_every_entities_rule_has_a_basis_and_is_in_force_today() -> None:
    book = default_rules()
    keys = {rule.key for rule in book.rules if rule.key.startswith("entities.")}
    assert len(keys) >= 6
    for key in keys:
        rule = book.get(key, on=dt.date(2026, 6, 1))
        assert rule.basis and rule.certainty in (("V", "S", "U") if key in KNOWN_UNVERIFIED else ("V", "S"))


def test_rules_from_measures_with_several_editions_name_theirs() -> None:
    book = default_rules()
    for key in ("entities.abnormal_to_serious_after", "entities.abnormal_objection_window"):
        assert book.get(key, on=dt.date(2026, 6, 1)).edition
    before, after = (
        book.get("entities.abnormal_to_serious_after", on=day) for day in (dt.date(2024, 4, 30), dt.date(2024, 5, 1))
    )
    assert "654" in (before.edition or "") and "777" in (after.edition or "")
