"""Opinion map: group participants by how they vote on short statements, as Pol.is does.

Participants vote *agree* (+1), *disagree* (−1) or *pass* (0) on statements. The map

1. builds the participant × statement matrix (missing votes are not votes: they are imputed by
   the statement's mean vote, so they pull nobody anywhere);
2. projects participants on the first two principal components of that matrix (PCA) and, as
   Pol.is does, stretches a participant who voted on few statements away from the centre by
   ``sqrt(statements / statements voted)`` so that voting little does not read as being moderate;
3. clusters the projected participants with k-means for k = 2 … ``max_groups`` and keeps the k with
   the best silhouette — only when that silhouette shows a real structure: below
   ``MIN_SILHOUETTE`` the map says that no clear groups exist instead of inventing them;
4. describes the groups by votes, not by the projection: for each group and statement the share
   agreeing and disagreeing (with the +1/+2 Laplace smoothing Pol.is uses), which statements a
   group agrees on more than everybody else (*representative*, tested with a two-proportion z-test
   at 95 %), which statements every group agrees on (*consensus*: the product of the groups'
   agreement, Pol.is' group-informed consensus) and which split the groups most (*divisive*).

Only participants who voted on at least ``min_votes`` statements (or on all of them, when there are
fewer) are placed on the map; the others are counted and left out.

All steps are vectorised numpy / scikit-learn; the work for 5,000 participants × 500 statements
(about a million votes) takes well under two seconds (``bench/opinion_map_bench.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

AGREE, PASS, DISAGREE = 1, 0, -1
MIN_VOTES = 7  # Pol.is: a participant is placed after voting on 7 statements
MAX_GROUPS = 5
MIN_GROUP_PARTICIPANTS = 4  # fewer placed participants than this: no grouping at all
# Kaufman & Rousseeuw (1990): an average silhouette of 0.51–0.70 shows a reasonable structure,
# 0.26–0.50 a weak one "that could be artificial". k-means cuts even structureless votes (one round
# cloud) into groups with a silhouette near 0.35, so the map shows groups only from 0.5 upwards.
MIN_SILHOUETTE = 0.5
SILHOUETTE_SAMPLE = 2000
Z_95 = 1.959963984540054
TOP = 5


class OpinionMapError(ValueError):
    """The votes cannot make a map (a message for staff, translated by the caller)."""


@dataclass(frozen=True)
class StatementShare:
    statement: int  # the statement's id
    agree: float  # smoothed share agreeing, (A + 1) / (S + 2)
    disagree: float
    votes: int  # votes (agree, disagree and pass) counted


@dataclass(frozen=True)
class Representative:
    statement: int
    direction: str  # "agree" or "disagree"
    share: float  # the group's smoothed share voting that way
    others: float  # everybody else's smoothed share
    z: float  # two-proportion z statistic (significant at 95 % when > 1.96)


@dataclass(frozen=True)
class Group:
    label: str  # "A", "B", ...
    size: int
    centre: tuple[float, float]
    representative: list[Representative]


@dataclass(frozen=True)
class Consensus:
    statement: int
    direction: str  # "agree" or "disagree"
    score: float  # product over groups of the smoothed share
    shares: list[float]  # per group, in group order


@dataclass(frozen=True)
class Divisive:
    statement: int
    spread: float  # highest minus lowest group share agreeing
    shares: list[float]  # per group share agreeing


@dataclass(frozen=True)
class OpinionMap:
    participants: int  # everybody who voted
    placed: int  # participants on the map
    statements: int
    votes: int
    silhouette: float | None  # of the chosen grouping; None when there are no groups
    groups: list[Group]
    consensus: list[Consensus]
    divisive: list[Divisive]
    participant_ids: IntArray = field(repr=False)  # placed participants, in map order
    coordinates: FloatArray = field(repr=False)  # (placed, 2)
    membership: IntArray = field(repr=False)  # group index per placed participant (-1 none)
    explained: tuple[float, float] = (0.0, 0.0)  # share of variance on the two axes

    def as_dict(self) -> dict[str, Any]:
        """Everything but the per-participant arrays, as JSON-ready data."""
        return {
            "participants": self.participants,
            "placed": self.placed,
            "statements": self.statements,
            "votes": self.votes,
            "silhouette": self.silhouette,
            "explained": list(self.explained),
            "groups": [
                {
                    "label": g.label,
                    "size": g.size,
                    "centre": list(g.centre),
                    "representative": [r.__dict__ for r in g.representative],
                }
                for g in self.groups
            ],
            "consensus": [c.__dict__ for c in self.consensus],
            "divisive": [d.__dict__ for d in self.divisive],
        }


def _codes(values: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    unique, inverse = np.unique(np.asarray(values, dtype=np.int64), return_inverse=True)
    return unique, inverse.astype(np.int64).ravel()


def _dedupe_last(p: IntArray, s: IntArray, n_s: int) -> npt.NDArray[np.bool_]:
    """Keep the last vote of each participant on each statement (a changed vote replaces)."""
    cell = p * n_s + s
    reversed_first = np.unique(cell[::-1], return_index=True)[1]
    keep = np.zeros(cell.size, dtype=bool)
    keep[cell.size - 1 - reversed_first] = True
    return keep


def _project(matrix: FloatArray, voted: npt.NDArray[np.bool_]) -> tuple[FloatArray, tuple[float, float]]:
    """The first two principal components, Pol.is-scaled for sparse voters."""
    counts = voted.sum(axis=0)
    sums = np.where(voted, matrix, 0.0).sum(axis=0)
    column_mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    filled = np.where(voted, matrix, column_mean)
    centred = filled - filled.mean(axis=0)
    # eigenvectors of the statements' covariance (statements ≤ participants in practice; the
    # small symmetric eigenproblem is cheaper than an SVD of the tall matrix)
    covariance = centred.T @ centred
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    order = np.argsort(eigenvalues)[::-1][:2]
    axes = eigenvectors[:, order]
    if axes.shape[1] < 2:
        axes = np.hstack([axes, np.zeros((axes.shape[0], 2 - axes.shape[1]))])
    # a deterministic sign: the largest loading of each axis is positive
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(2)])
    axes = axes * np.where(signs == 0, 1.0, signs)
    coordinates = centred @ axes
    n_statements = matrix.shape[1]
    scale = np.sqrt(n_statements / np.maximum(voted.sum(axis=1), 1))
    total = float(np.clip(eigenvalues, 0, None).sum())
    top = np.clip(eigenvalues[order], 0, None)
    explained = (float(top[0] / total) if total else 0.0, float(top[1] / total) if total and top.size > 1 else 0.0)
    return coordinates * scale[:, None], explained


def _choose_groups(coordinates: FloatArray, max_groups: int, seed: int) -> tuple[IntArray, float | None]:
    n = coordinates.shape[0]
    if n < MIN_GROUP_PARTICIPANTS or np.ptp(coordinates, axis=0).max() == 0:
        return np.full(n, -1, dtype=np.int64), None
    best: tuple[float, IntArray] | None = None
    for k in range(2, min(max_groups, n - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(coordinates)
        if np.unique(labels).size < 2:
            continue
        score = float(silhouette_score(coordinates, labels, sample_size=min(n, SILHOUETTE_SAMPLE), random_state=seed))
        if best is None or score > best[0] + 1e-12:
            best = (score, labels.astype(np.int64))
    if best is None or best[0] < MIN_SILHOUETTE:
        return np.full(n, -1, dtype=np.int64), (best[0] if best else None)
    score, labels = best
    # groups in order of size (largest is A), ties by first appearance: stable labels
    sizes = np.bincount(labels)
    order = np.lexsort((np.arange(sizes.size), -sizes))
    rename = np.empty_like(order)
    rename[order] = np.arange(order.size)
    return rename[labels], score


def _z(p1: FloatArray, n1: FloatArray, p2: FloatArray, n2: FloatArray) -> FloatArray:
    pooled = (p1 * n1 + p2 * n2) / np.maximum(n1 + n2, 1)
    se = np.sqrt(pooled * (1 - pooled) * (1 / np.maximum(n1, 1) + 1 / np.maximum(n2, 1)))
    return np.divide(p1 - p2, se, out=np.zeros_like(p1), where=se > 0)


def compute_opinion_map(
    participants: npt.ArrayLike,
    statements: npt.ArrayLike,
    votes: npt.ArrayLike,
    *,
    min_votes: int = MIN_VOTES,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
) -> OpinionMap:
    """The map of three parallel arrays: participant id, statement id, vote (+1, 0, −1)."""
    values = np.asarray(votes, dtype=np.int64).ravel()
    if values.size == 0:
        raise OpinionMapError("There are no votes yet.")
    if not np.isin(values, (AGREE, PASS, DISAGREE)).all():
        raise OpinionMapError("A vote must be +1 (agree), 0 (pass) or −1 (disagree).")
    participant_ids, p = _codes(participants)
    statement_ids, s = _codes(statements)
    if p.size != values.size or s.size != values.size:
        raise OpinionMapError("Participants, statements and votes must have the same length.")
    n_p, n_s = participant_ids.size, statement_ids.size
    keep = _dedupe_last(p, s, n_s)
    p, s, values = p[keep], s[keep], values[keep]

    voted_count = np.bincount(p, minlength=n_p)
    needed = min(min_votes, n_s)
    placed = voted_count >= needed
    place_index = np.full(n_p, -1, dtype=np.int64)
    place_index[placed] = np.arange(int(placed.sum()))
    n_placed = int(placed.sum())

    membership_all = np.full(n_p, -1, dtype=np.int64)
    coordinates = np.zeros((n_placed, 2))
    explained = (0.0, 0.0)
    silhouette: float | None = None
    if n_placed:
        on_map = placed[p]
        matrix = np.zeros((n_placed, n_s))
        voted = np.zeros((n_placed, n_s), dtype=bool)
        matrix[place_index[p[on_map]], s[on_map]] = values[on_map]
        voted[place_index[p[on_map]], s[on_map]] = True
        coordinates, explained = _project(matrix, voted)
        labels, silhouette = _choose_groups(coordinates, max_groups, seed)
        membership_all[placed] = labels
    membership = membership_all[placed]
    n_groups = int(membership.max()) + 1 if membership.size and membership.max() >= 0 else 0

    groups: list[Group] = []
    consensus: list[Consensus] = []
    divisive: list[Divisive] = []
    if n_groups:
        group_of_vote = membership_all[p]
        grouped = group_of_vote >= 0
        g, st, v = group_of_vote[grouped], s[grouped], values[grouped]
        cell = g * n_s + st
        size = n_groups * n_s
        seen = np.bincount(cell, minlength=size).reshape(n_groups, n_s).astype(float)
        agree = np.bincount(cell, weights=(v == AGREE), minlength=size).reshape(n_groups, n_s)
        disagree = np.bincount(cell, weights=(v == DISAGREE), minlength=size).reshape(n_groups, n_s)
        p_agree = (agree + 1) / (seen + 2)
        p_disagree = (disagree + 1) / (seen + 2)
        total_seen, total_agree, total_disagree = seen.sum(0), agree.sum(0), disagree.sum(0)
        for index in range(n_groups):
            other_seen = total_seen - seen[index]
            other_agree = (total_agree - agree[index] + 1) / (other_seen + 2)
            other_disagree = (total_disagree - disagree[index] + 1) / (other_seen + 2)
            z_agree = _z(p_agree[index], seen[index], other_agree, other_seen)
            z_disagree = _z(p_disagree[index], seen[index], other_disagree, other_seen)
            candidates: list[Representative] = []
            for direction, share, other, z in (
                ("agree", p_agree[index], other_agree, z_agree),
                ("disagree", p_disagree[index], other_disagree, z_disagree),
            ):
                significant = np.flatnonzero((z > Z_95) & (share > 0.5))
                candidates += [
                    Representative(int(statement_ids[j]), direction, float(share[j]), float(other[j]), float(z[j]))
                    for j in significant
                ]
            candidates.sort(key=lambda r: (-(r.share / max(r.others, 1e-12)) * r.share, r.statement))
            members = membership == index
            centre = coordinates[members].mean(axis=0)
            groups.append(
                Group(
                    label=chr(ord("A") + index),
                    size=int(members.sum()),
                    centre=(float(centre[0]), float(centre[1])),
                    representative=candidates[:TOP],
                )
            )
        for direction, shares in (("agree", p_agree), ("disagree", p_disagree)):
            score = shares.prod(axis=0)
            everybody = np.flatnonzero((shares > 0.5).all(axis=0))
            best = everybody[np.lexsort((statement_ids[everybody], -score[everybody]))][:TOP]
            consensus += [
                Consensus(int(statement_ids[j]), direction, float(score[j]), [float(x) for x in shares[:, j]])
                for j in best
            ]
        spread = p_agree.max(axis=0) - p_agree.min(axis=0)
        order = np.lexsort((statement_ids, -spread))[:TOP]
        divisive = [Divisive(int(statement_ids[j]), float(spread[j]), [float(x) for x in p_agree[:, j]]) for j in order]

    return OpinionMap(
        participants=n_p,
        placed=n_placed,
        statements=n_s,
        votes=int(values.size),
        silhouette=silhouette,
        groups=groups,
        consensus=consensus,
        divisive=divisive,
        participant_ids=participant_ids[placed],
        coordinates=coordinates,
        membership=membership,
        explained=explained,
    )
