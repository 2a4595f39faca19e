"""The roll call's tally and the majority rules (ЗМСМА art. 27): quorum of more than half of
all councillors; simple majority of those present; absolute of all; two thirds of all."""

import pytest

from glas.council.tally import outcome_problem, tally_of


def tally(counts, seats=13, majority="simple"):
    choices = ["for"] * counts[0] + ["against"] * counts[1] + ["abstained"] * counts[2] + ["absent"] * counts[3]
    return tally_of(choices, seats=seats, required_majority=majority)


def test_the_tally_counts_each_choice_and_who_was_present():
    result = tally((6, 2, 1, 4))
    assert (result.votes_for, result.against, result.abstained, result.absent, result.present) == (6, 2, 1, 4, 9)


@pytest.mark.parametrize(
    ("counts", "majority", "passes"),
    [
        pytest.param((5, 3, 1, 4), "simple", True, id="simple-5-of-9-present"),
        pytest.param((4, 3, 1, 5), "simple", False, id="simple-half-is-not-enough"),
        pytest.param((5, 4, 0, 4), "simple", True, id="simple-abstaining-counts-as-present"),
        pytest.param((4, 0, 5, 4), "simple", False, id="simple-abstentions-weigh-against"),
        pytest.param((6, 0, 0, 7), "simple", False, id="no-quorum-6-of-13"),
        pytest.param((7, 0, 0, 6), "simple", True, id="quorum-7-of-13"),
        pytest.param((6, 0, 0, 7), "absolute", False, id="absolute-needs-7-of-13"),
        pytest.param((7, 5, 0, 1), "absolute", True, id="absolute-7-of-13"),
        pytest.param((8, 0, 0, 5), "two_thirds", False, id="two-thirds-needs-9-of-13"),
        pytest.param((9, 4, 0, 0), "two_thirds", True, id="two-thirds-9-of-13"),
    ],
)
def test_the_majority_rules(counts, majority, passes):
    assert tally(counts, majority=majority).passes is passes


def test_an_adopted_decision_without_the_majority_is_a_problem():
    assert "cannot be adopted" in outcome_problem(tally((4, 5, 0, 4)), "adopted")


def test_a_rejected_decision_with_the_majority_is_a_problem():
    assert "cannot be rejected" in outcome_problem(tally((9, 0, 0, 4)), "rejected")


def test_no_quorum_is_named_as_such():
    assert "no quorum" in outcome_problem(tally((5, 0, 0, 8)), "adopted")


@pytest.mark.parametrize("status", ["withdrawn", "revoked", "contested"])
def test_other_statuses_are_not_checked_against_the_votes(status):
    assert outcome_problem(tally((0, 9, 0, 4)), status) is None


def test_a_decision_without_a_roll_call_is_not_checked():
    assert outcome_problem(tally((0, 0, 0, 0)), "adopted") is None
