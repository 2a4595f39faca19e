"""Benchmark of the opinion map (issue 5, "Figures": 5,000 participants × 500 statements).

Synthetic votes from three latent opinion groups (each participant votes on a random subset of
statements, about a million votes in all; 15 % pass). Prints the seconds and the peak memory of
each step of one recomputation — reading the votes into arrays is the caller's part and is timed
separately — and the groups found against the groups planted.

    .venv/bin/python bench/opinion_map_bench.py [--participants 5000] [--statements 500]
                                                [--votes-per-participant 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from glas.consultations.opinion_map import compute_opinion_map


def synthetic(participants: int, statements: int, per: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    planted = rng.integers(0, 3, participants)
    stance = rng.choice([-1.0, 0.0, 1.0], size=(3, statements), p=[0.35, 0.3, 0.35])
    per = min(per, statements)
    # each participant votes on `per` distinct statements (argsort of random keys, row-wise)
    chosen = np.argsort(rng.random((participants, statements)), axis=1)[:, :per]
    p = np.repeat(np.arange(participants), per)
    s = chosen.ravel()
    lean = stance[planted[p], s]
    draw = rng.random(p.size)
    vote = np.where(draw < 0.15, 0, np.where(draw < 0.15 + 0.85 * (0.5 + 0.4 * lean), 1, -1))
    return p + 1000, s + 1, vote.astype(np.int64), planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--votes-per-participant", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    p, s, v, planted = synthetic(args.participants, args.statements, args.votes_per_participant, args.seed)
    print(f"opinion map: {args.participants:,} participants × {args.statements:,} statements, {v.size:,} votes")
    compute_opinion_map(p[:5000], s[:5000], v[:5000])  # import and JIT-free warm-up of BLAS
    tracemalloc.start()
    started = time.perf_counter()
    result = compute_opinion_map(p, s, v)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"recompute: {seconds:.2f} s, peak traced memory {peak / 2**20:.0f} MiB (target: under 2 s)")
    print(f"placed {result.placed:,} of {result.participants:,}; silhouette {result.silhouette}")
    print("groups found (size):", ", ".join(f"{g.label} {g.size}" for g in result.groups))
    print("groups planted (size):", ", ".join(str(int(n)) for n in np.bincount(planted)))
    if result.groups:
        found = result.membership
        agreement = 0
        for label in range(len(result.groups)):
            members = planted[found == label]
            agreement += int(np.bincount(members).max()) if members.size else 0
        print(f"participants in the planted group that dominates their found group: {agreement / found.size:.1%}")
    print(f"consensus statements: {len(result.consensus)}, divisive shown: {len(result.divisive)}")


if __name__ == "__main__":
    main()
