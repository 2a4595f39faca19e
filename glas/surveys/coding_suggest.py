"""Suggested groupings of open answers, to code them faster: TF-IDF and k-means (scikit-learn).

Each answer becomes a TF-IDF vector of its words and two-word phrases (lower case; words are
runs of two or more letters, Cyrillic or Latin, so numbers and one-letter words drop out;
Bulgarian stop-words from ``data/stopwords_bg.txt`` removed; sublinear term frequency). The
vectors are reduced to a few dimensions (latent semantic analysis: truncated SVD, then unit
length), which keeps k-means from lumping most short answers into one group, and grouped by
k-means; both have a fixed ``random_state``, so the same answers always give the same groups.
``k`` follows the number of answers (about √n, between 2 and ``MAX_GROUPS``). Each group is
described by the terms weighing most in its centre.

This runs synchronously inside the request: at most ``MAX_ANSWERS`` answers are grouped (the
first ones, oldest first; the page says so when there are more), which takes well under a
second for short answers on one CPU thread. Suggestions are only suggestions: nothing is coded
until a coder chooses a code for a group.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAX_ANSWERS = 3000
MAX_GROUPS = 12
MIN_ANSWERS = 4  # fewer answers are quicker to code by hand than to group
TOP_TERMS = 6
RANDOM_STATE = 20261130
WORD_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
STOP_WORDS_FILE = Path(__file__).parent / "data" / "stopwords_bg.txt"


@cache
def stop_words() -> frozenset[str]:
    """The Bulgarian stop-words (the file's source is noted at its top)."""
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Group:
    """A suggested group: its most telling terms and its answers (closest to the centre first)."""

    terms: list[str]
    answer_ids: list[int]


@dataclass(frozen=True)
class Suggestions:
    groups: list[Group]
    unmatched: list[int]  # answers with no word left after removing stop-words
    considered: int  # answers grouped (at most MAX_ANSWERS)
    left_out: int  # answers beyond MAX_ANSWERS


def group_count(answers: int) -> int:
    """How many groups for ``answers`` answers: about √n, from 2 to ``MAX_GROUPS``."""
    return max(2, min(MAX_GROUPS, round(math.sqrt(answers)), answers - 1))


def suggest_groups(answers: Sequence[tuple[int, str]]) -> Suggestions:
    """Group (answer id, text) pairs by their words. Deterministic for the same input."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    from threadpoolctl import threadpool_limits

    considered = list(answers[:MAX_ANSWERS])
    left_out = max(0, len(answers) - MAX_ANSWERS)
    if len(considered) < MIN_ANSWERS:
        return Suggestions(groups=[], unmatched=[], considered=len(considered), left_out=left_out)
    vectoriser = TfidfVectorizer(
        lowercase=True,
        token_pattern=WORD_PATTERN,
        stop_words=sorted(stop_words()),
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    try:
        matrix = vectoriser.fit_transform([text for _pk, text in considered])
    except ValueError:  # no word left in any answer
        return Suggestions(
            groups=[], unmatched=[pk for pk, _text in considered], considered=len(considered), left_out=left_out
        )
    has_words = np.asarray(matrix.getnnz(axis=1) > 0)
    ids = np.array([pk for pk, _text in considered])
    unmatched = [int(pk) for pk in ids[~has_words]]
    rows = matrix[has_words]
    kept = ids[has_words]
    if rows.shape[0] < MIN_ANSWERS:
        return Suggestions(groups=[], unmatched=[int(pk) for pk in ids], considered=len(considered), left_out=left_out)
    k = group_count(rows.shape[0])
    dimensions = min(max(2 * k, 10), rows.shape[1] - 1, rows.shape[0] - 1)
    with threadpool_limits(limits=1):
        svd = TruncatedSVD(n_components=dimensions, random_state=RANDOM_STATE) if dimensions >= 2 else None
        points = normalize(svd.fit_transform(rows)) if svd is not None else rows
        model = KMeans(n_clusters=k, random_state=RANDOM_STATE, n_init=10).fit(points)
    terms = vectoriser.get_feature_names_out()
    distances = model.transform(points)
    centres = svd.inverse_transform(model.cluster_centers_) if svd is not None else model.cluster_centers_
    groups = []
    for cluster in range(k):
        members = np.flatnonzero(model.labels_ == cluster)
        if not len(members):
            continue
        order = members[np.argsort(distances[members, cluster], kind="stable")]
        centre = centres[cluster]
        top = [str(terms[index]) for index in np.argsort(-centre, kind="stable")[:TOP_TERMS] if centre[index] > 0]
        groups.append(Group(terms=top, answer_ids=[int(pk) for pk in kept[order]]))
    groups.sort(key=lambda group: (-len(group.answer_ids), min(group.answer_ids)))
    return Suggestions(groups=groups, unmatched=unmatched, considered=len(considered), left_out=left_out)
