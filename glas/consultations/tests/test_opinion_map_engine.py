"""The opinion map groups participants by their votes and describes the groups honestly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glas.consultations.opinion_map import (
    MIN_VOTES,
    OpinionMapError,
    compute_opinion_map,
)


def planted_votes(seed: int = 1, per_group: int = 40, statements: int = 30):
    """Two camps that disagree on statements 1–20 and all agree on 21–30."""
    rng = np.random.default_rng(seed)
    rows = []
    for camp in (0, 1):
        for person in range(per_group):
            pid = camp * 1000 + person
            for statement in range(1, statements + 1):
                lean = (1 if statement % 2 == camp else -1) if statement <= 20 else 1
                vote = lean if rng.random() < 0.9 else 0
                rows.append((pid, statement, vote))
    return np.array(rows).T


def test_two_planted_camps_are_found_with_their_members():
    p, s, v = planted_votes()
    result = compute_opinion_map(p, s, v)
    assert [g.size for g in result.groups] == [40, 40]
    camp_of = (result.participant_ids >= 1000).astype(int)
    for label in (0, 1):
        assert len(set(camp_of[result.membership == label])) == 1
    assert result.silhouette is not None and result.silhouette > 0.5


def test_statements_everybody_agrees_on_are_consensus_and_split_ones_are_not():
    p, s, v = planted_votes()
    result = compute_opinion_map(p, s, v)
    agreed = {c.statement for c in result.consensus if c.direction == "agree"}
    assert agreed and agreed <= set(range(21, 31))
    assert all(d.statement <= 20 for d in result.divisive)
    assert all(d.spread > 0.6 for d in result.divisive)


def test_each_group_is_described_by_statements_it_supports_more_than_the_others():
    p, s, v = planted_votes()
    result = compute_opinion_map(p, s, v)
    for group in result.groups:
        assert group.representative
        for item in group.representative:
            assert item.statement <= 20
            assert item.z > 1.96 and item.share > item.others


def test_votes_without_structure_give_no_groups_rather_than_invented_ones():
    rng = np.random.default_rng(3)
    n, m = 300, 40
    p = np.repeat(np.arange(n), m)
    s = np.tile(np.arange(m), n)
    v = rng.choice([-1, 0, 1], size=n * m)
    result = compute_opinion_map(p, s, v)
    assert result.groups == [] and result.consensus == [] and result.divisive == []
    assert result.placed == n


def test_participants_with_few_votes_are_counted_but_not_placed():
    p, s, v = planted_votes()
    few = np.array([[9999] * (MIN_VOTES - 1), list(range(1, MIN_VOTES)), [1] * (MIN_VOTES - 1)])
    p, s, v = np.concatenate([p, few[0]]), np.concatenate([s, few[1]]), np.concatenate([v, few[2]])
    result = compute_opinion_map(p, s, v)
    assert result.participants == 81 and result.placed == 80
    assert 9999 not in set(result.participant_ids.tolist())


def test_a_changed_vote_replaces_the_earlier_one_and_is_counted_once():
    p, s, v = planted_votes()
    again_p, again_s = p[:10], s[:10]
    result = compute_opinion_map(
        np.concatenate([p, again_p]), np.concatenate([s, again_s]), np.concatenate([v, -v[:10]])
    )
    assert result.votes == v.size


@pytest.mark.parametrize(
    ("participants", "statements", "votes"),
    [([], [], []), ([1, 2], [1, 1], [1, 2]), ([1, 2], [1], [1, 1])],
)
def test_bad_votes_are_refused_with_a_reason(participants, statements, votes):
    with pytest.raises(OpinionMapError):
        compute_opinion_map(participants, statements, votes)


def test_the_map_is_the_same_whatever_the_order_of_the_votes():
    p, s, v = planted_votes()
    order = np.random.default_rng(5).permutation(v.size)
    first = compute_opinion_map(p, s, v)
    second = compute_opinion_map(p[order], s[order], v[order])
    assert [g.size for g in first.groups] == [g.size for g in second.groups]
    assert first.as_dict()["consensus"] == second.as_dict()["consensus"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 30), st.integers(1, 12), st.sampled_from([-1, 0, 1])),
        min_size=1,
        max_size=300,
    )
)
def test_any_votes_give_a_consistent_map_or_a_clear_refusal(rows):
    p, s, v = (np.array(column) for column in zip(*rows, strict=True))
    result = compute_opinion_map(p, s, v)
    assert result.placed <= result.participants == len(set(p.tolist()))
    assert result.coordinates.shape == (result.placed, 2)
    assert np.isfinite(result.coordinates).all()
    assert sum(g.size for g in result.groups) in (0, result.placed)
    for group in result.groups:
        for item in group.representative:
            assert 0 < item.share < 1
