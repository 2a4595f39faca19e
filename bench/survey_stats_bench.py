"""Benchmark of the survey statistics engine (issue 4, "Figures").

1,000,000 synthetic responses in 10 strata and 2,000 clusters, raked to 4 margins (sex, age,
education, settlement), then 20 domain means with standard errors (a score by 20 regions),
then one Rao–Scott crosstab (5 × 4). Prints seconds and peak memory (traced numpy/Python
allocations) per step. When ``Rscript`` with the survey package is on PATH, the same job runs
in R on the same data and the ratio is printed; otherwise that part is skipped with a message.

    .venv/bin/python bench/survey_stats_bench.py [--rows 1000000] [--seed 1] [--no-clusters]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glas.test_settings")

import django

django.setup()

from glas.surveys.analysis import Table, crosstab, make_design, mean_by, rake  # noqa: E402

MARGINS = {"sex": 2, "age": 4, "education": 4, "settlement": 6}


def synthetic(rows: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, 10, rows)
    cluster = stratum * 200 + rng.integers(0, 200, rows)  # 200 clusters per stratum, nested
    columns: dict[str, np.ndarray] = {
        "stratum": stratum,
        "cluster": cluster,
        "weight": rng.uniform(0.5, 2.0, rows),
        "region": rng.integers(0, 20, rows),
        "opinion": rng.integers(0, 5, rows),
    }
    for name, levels in MARGINS.items():
        columns[name] = rng.integers(0, levels, rows)
    columns["score"] = 50 + 5 * columns["age"] - 3 * columns["sex"] + rng.normal(0, 10, rows)
    return columns


def population(columns: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Margins a little off the sample's, adding up to 2.5 million."""
    total = 2_500_000.0
    margins = {}
    for name, levels in MARGINS.items():
        shares = np.linspace(1.0, 1.5, levels)
        shares /= shares.sum()
        margins[name] = {str(level): float(total * share) for level, share in enumerate(shares)}
    return margins


def step(label: str, work: Callable[[], Any], timings: dict[str, float]) -> Any:
    tracemalloc.reset_peak()
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    timings[label] = seconds
    print(f"{label:<28} {seconds:8.3f} s   peak {peak:8.1f} MiB")
    return result


R_SCRIPT = """
suppressMessages(library(survey))
d <- read.csv(commandArgs(TRUE)[1])
for (v in c("sex","age","education","settlement","region","opinion")) d[[v]] <- factor(d[[v]])
t0 <- Sys.time()
des <- svydesign(ids=~cluster, strata=~stratum, weights=~weight, data=d)
pops <- lapply(c("sex","age","education","settlement"), function(v) {
  lv <- levels(d[[v]]); s <- seq(1, 1.5, length.out=length(lv)); f <- data.frame(lv, 2.5e6*s/sum(s))
  names(f) <- c(v, "Freq"); f })
r <- rake(des, list(~sex, ~age, ~education, ~settlement), pops, control=list(epsilon=1e-8, maxit=50))
t1 <- Sys.time()
b <- svyby(~score, ~region, r, svymean)
t2 <- Sys.time()
x <- svychisq(~opinion+age, r)
t3 <- Sys.time()
cat(sprintf("%.6f %.6f %.6f %.10g %.10g\\n", as.numeric(t1-t0, units="secs"), as.numeric(t2-t1, units="secs"),
    as.numeric(t3-t2, units="secs"), coef(b)[1], SE(b)[1]))
"""


def run_r(columns: dict[str, np.ndarray], python_total: float) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("R: Rscript is not on PATH; skipping the comparison with R's survey package.")
        return
    check = subprocess.run([rscript, "-e", "library(survey)"], capture_output=True, check=False)  # noqa: S603
    if check.returncode != 0:
        print("R: the survey package is not installed; skipping the comparison.")
        return
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory) / "bench.csv"
        names = list(columns)
        np.savetxt(
            data,
            np.column_stack([columns[n] for n in names]),
            delimiter=",",
            header=",".join(names),
            comments="",
            fmt="%.10g",
        )
        script = Path(directory) / "bench.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        out = subprocess.run([rscript, str(script), str(data)], capture_output=True, text=True, check=True)  # noqa: S603
    rake_s, by_s, chisq_s, estimate, se = (float(x) for x in out.stdout.split())
    r_total = rake_s + by_s + chisq_s
    print(f"R: rake {rake_s:.2f} s, svyby {by_s:.2f} s, svychisq {chisq_s:.2f} s; total {r_total:.2f} s")
    print(f"R: region 0 mean {estimate:.10g} (SE {se:.10g})")
    print(f"ratio R / Glas: {r_total / python_total:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-clusters", action="store_true", help="every response its own PSU (stratified only)")
    args = parser.parse_args()
    columns = synthetic(args.rows, args.seed)
    margins = population(columns)
    clusters = "no clusters" if args.no_clusters else "2,000 clusters"
    print(f"{args.rows:,} responses, 10 strata, {clusters}, 4 raking margins; numpy {np.__version__}")
    tracemalloc.start()
    timings: dict[str, float] = {}
    table = step("load columns", lambda: Table.from_arrays(columns), timings)
    design = step("design", lambda: make_design(table, ids="cluster", strata="stratum", weights="weight"), timings)
    raked, report = step("rake (4 margins)", lambda: rake(design, table, margins, epsilon=1e-8, maxit=50), timings)
    score = table.numeric("score")
    by_region = step(
        "20 domain means with SE",
        lambda: mean_by(raked, score, table.factor("region")),
        timings,
    )
    opinion, age = table.factor("opinion"), table.factor("age")
    test = step("Rao-Scott crosstab 5x4", lambda: crosstab(raked, opinion, age), timings)
    tracemalloc.stop()
    total = sum(timings.values())
    print(f"{'whole job':<28} {total:8.3f} s")
    print(
        f"raking: {report.iterations} sweeps, effective n {report.effective_sample_size:,.0f}, "
        f"weighting deff {report.design_effect:.3f}"
    )
    first = by_region["0"]
    print(f"region 0 mean {first.estimate:.10g} (SE {first.se:.10g}); crosstab F {test.f:.4f}, p {test.p_f:.4g}")
    run_r(columns, total)


if __name__ == "__main__":
    main()
