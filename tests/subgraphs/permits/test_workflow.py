"""The application state machine as data: every legal edge passes, every other edge names what is allowed."""

from __future__ import annotations

import itertools

import pytest

from kernel.errors import InvalidTransitionError
from subgraphs.permits.workflow import TRANSITIONS, ApplicationState, allowed_next, check_transition

S = ApplicationState
LEGAL = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.MATERIALS_INCOMPLETE),
    (S.MATERIALS_INCOMPLETE, S.SUBMITTED),
    (S.SUBMITTED, S.ACCEPTED),
    (S.ACCEPTED, S.SITE_CHECK),
    (S.ACCEPTED, S.APPROVED),
    (S.ACCEPTED, S.REJECTED),
    (S.SITE_CHECK, S.APPROVED),
    (S.SITE_CHECK, S.REJECTED),
    (S.APPROVED, S.CERT_ISSUED),
    (S.SUBMITTED, S.AUTO_CHECKED),
    (S.AUTO_CHECKED, S.APPROVED),
    (S.AUTO_CHECKED, S.ACCEPTED),
}


def test_the_machine_has_exactly_the_edges_of_domain_10_2() -> None:
    edges = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}
    assert edges == LEGAL
    assert set(TRANSITIONS) == set(ApplicationState)


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL))
def test_every_legal_edge_is_allowed(source: ApplicationState, target: ApplicationState) -> None:
    check_transition(source, target, action="move")


@pytest.mark.parametrize(
    ("source", "target"),
    [pair for pair in itertools.product(ApplicationState, repeat=2) if pair not in LEGAL],
)
def test_every_other_edge_is_illegal_and_says_what_is_allowed(
    source: ApplicationState, target: ApplicationState
) -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        check_transition(source, target, action="move")
    error = caught.value
    assert error.code == "ILLEGAL_TRANSITION"
    assert error.extensions["currentState"] == source.value
    assert error.extensions["allowedNextStates"] == [state.value for state in allowed_next(source)]
    assert source.value in error.message


def test_final_states_allow_nothing() -> None:
    with pytest.raises(InvalidTransitionError, match="none \\(final state\\)"):
        check_transition(S.CERT_ISSUED, S.SUBMITTED, action="resubmit")
