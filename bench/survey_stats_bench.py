"""Benchmark of the survey statistics engine (issue 4, "Figures"), and the same job in R.

1,000,000 synthetic responses in 10 strata and 2,000 clusters, raked to 4 margins (sex, age,
education, settlement), then 20 domain means with standard errors (a score by 20 regions),
then one Rao–Scott crosstab (5 × 4). Prints seconds and peak memory (traced numpy/Python
allocations) per step.

When ``Rscript`` with the survey package is on PATH, the same data and margins are written to
a temporary CSV (17 significant digits, so R reads the same doubles) and the same job runs in
R's survey package (``factor`` → ``svydesign`` → ``rake`` → ``svyby(svymean)`` → ``svychisq``),
each step timed in R with ``proc.time`` (``read.csv`` is timed but not counted). The script
then prints R's seconds and peak memory (``gc`` "max used") per step, the ratio R / Glas per
step and for the whole job, and the largest relative difference between the 44 figures (20
domain means, their SEs, and F, ndf, ddf, p). Without R it says so and prints Glas's figures
only. Nothing in the tests or CI needs R.

    .venv/bin/python bench/survey_stats_bench.py [--rows 1000000] [--seed 1] [--no-clusters]
                                                 [--no-r] [--r-timeout 3600]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas

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


R_SCRIPT = r"""
## The benchmark's job in R's survey package; every step timed with proc.time() (elapsed).
suppressMessages(library(survey))
args <- commandArgs(TRUE)  # data.csv margins.csv clusters(0/1)
elapsed <- function() proc.time()[["elapsed"]]
peak <- function() { g <- gc(); sum(g[, ncol(g)]) }  # "max used" (Mb) since the last reset
step <- function(label, expr) {
  invisible(gc(reset = TRUE))
  t0 <- elapsed()
  value <- force(expr)
  cat(sprintf("time	%s	%.6f	%.1f
", label, elapsed() - t0, peak()))
  value
}
t0 <- elapsed()
d <- read.csv(args[1], colClasses = c(rep("integer", 2), "numeric", rep("integer", 6), "numeric"))
margins <- read.csv(args[2], colClasses = c("character", "character", "numeric"))
cat(sprintf("read	%.6f
", elapsed() - t0))
factors <- c("stratum", "cluster", "region", "opinion", "sex", "age", "education", "settlement")
d <- step("load columns", { for (v in factors) d[[v]] <- factor(d[[v]]); d })
des <- step("design", if (args[3] == "1") {
  svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = d)
} else {
  svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = d)
})
vars <- unique(margins$variable)
pops <- lapply(vars, function(v) {
  m <- margins[margins$variable == v, ]
  f <- data.frame(m$level, m$Freq)
  names(f) <- c(v, "Freq")
  f
})
raked <- step("rake", rake(des, lapply(vars, function(v) as.formula(paste0("~", v))), pops,
                           control = list(epsilon = 1e-8, maxit = 50)))
by <- step("domain means", svyby(~score, ~region, raked, svymean, keep.names = FALSE))
x <- step("crosstab", svychisq(~opinion + age, raked))
for (i in seq_len(nrow(by))) cat(sprintf("mean	%s	%.17g	%.17g
", by$region[i], by$score[i], by$se[i]))
cat(sprintf("chisq	%.17g	%.17g	%.17g	%.17g
", x$statistic, x$parameter[["ndf"]], x$parameter[["ddf"]], x$p.value))
"""

STEPS = ("load columns", "design", "rake", "domain means", "crosstab")


def write_inputs(directory: Path, columns: dict[str, np.ndarray], margins: dict[str, dict[str, float]]) -> None:
    """The data and the margins as CSV, numbers written with 17 significant digits (R reads
    back exactly the doubles Glas uses)."""
    names = ["stratum", "cluster", "weight", "region", "opinion", *MARGINS, "score"]
    frame = pandas.DataFrame({name: columns[name] for name in names})
    frame.to_csv(directory / "data.csv", index=False, float_format="%.17g")
    lines = ["variable,level,Freq"]
    lines += [f"{name},{level},{count!r}" for name, counts in margins.items() for level, count in counts.items()]
    (directory / "margins.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def find_r() -> str | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("\nR: Rscript was not found on PATH; Glas figures only.")
        return None
    check = subprocess.run([rscript, "-e", "library(survey)"], capture_output=True, check=False)  # noqa: S603
    if check.returncode != 0:
        print("\nR: Rscript was found but not the survey package; Glas figures only.")
        return None
    return rscript


def run_r(
    rscript: str,
    columns: dict[str, np.ndarray],
    margins: dict[str, dict[str, float]],
    clusters: bool,
    timeout: float,
) -> dict[str, Any] | None:
    """Run the same job in R; its step timings and figures, or None when R failed."""
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        started = time.perf_counter()
        write_inputs(directory, columns, margins)
        print(f"\nR: data written to a temporary CSV in {time.perf_counter() - started:.1f} s; running {rscript}")
        script = directory / "bench.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        data, margins_csv = str(directory / "data.csv"), str(directory / "margins.csv")
        command = [rscript, str(script), data, margins_csv, str(int(clusters))]
        result: dict[str, Any] = {"times": {}, "peaks": {}, "means": {}, "read": math.nan, "chisq": None}
        errors = directory / "stderr.txt"
        with errors.open("w", encoding="utf-8") as stderr:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)  # noqa: S603
            timer = threading.Timer(timeout, process.kill)
            timer.start()
            assert process.stdout is not None  # stdout is a pipe
            for line in process.stdout:  # steps are printed as R finishes them
                kind, *fields = line.rstrip("\n").split("\t")
                if kind == "read":
                    result["read"] = float(fields[0])
                    print(f"R: read.csv {result['read']:.2f} s (not counted)", flush=True)
                elif kind == "time":
                    result["times"][fields[0]] = float(fields[1])
                    result["peaks"][fields[0]] = float(fields[2])
                    print(f"R: {fields[0]:<25} {float(fields[1]):8.3f} s   max used {fields[2]} MB", flush=True)
                elif kind == "mean":
                    result["means"][fields[0]] = (float(fields[1]), float(fields[2]))
                elif kind == "chisq":
                    result["chisq"] = tuple(float(field) for field in fields)
            returncode = process.wait()
            timed_out = not timer.is_alive() and returncode != 0
            timer.cancel()
        if returncode != 0:
            if timed_out:
                print(f"R: stopped after {timeout:.0f} s (--r-timeout); try fewer --rows.")
            else:
                print("R failed:\n" + errors.read_text(encoding="utf-8")[-2000:])
            return None
    return result


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b)) if a != b else 0.0


def compare(glas: dict[str, float], r: dict[str, Any], figures: dict[str, float]) -> None:
    """Per-step seconds and ratio, then the largest relative difference between the figures."""
    print()
    print(f"{'step':<28} {'R s':>9} {'R peak MB':>10} {'Glas s':>9} {'R / Glas':>9}")
    for label in STEPS:
        seconds = r["times"][label]
        print(
            f"{label:<28} {seconds:9.3f} {r['peaks'][label]:10.0f} {glas[label]:9.3f} "
            f"{seconds / max(glas[label], 1e-6):8.0f}x"
        )
    r_total, glas_total = sum(r["times"].values()), sum(glas.values())
    print(f"{'whole job':<28} {r_total:9.3f} {'':>10} {glas_total:9.3f} {r_total / glas_total:8.0f}x")
    theirs = {f"mean {region}": value[0] for region, value in r["means"].items()}
    theirs |= {f"SE {region}": value[1] for region, value in r["means"].items()}
    theirs |= dict(zip(("F", "ndf", "ddf", "p"), r["chisq"], strict=True))
    worst = max(theirs, key=lambda key: relative(figures[key], theirs[key]))
    difference = relative(figures[worst], theirs[worst])
    verdict = "agree" if difference <= 1e-6 else "DIFFER"
    print(
        f"figures: {len(theirs)} compared (20 domain means and SEs, F, ndf, ddf, p); "
        f"max relative difference {difference:.2e} ({worst}: Glas {figures[worst]:.12g}, R {theirs[worst]:.12g}) "
        f"— {verdict} at 1e-6"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-clusters", action="store_true", help="every response its own PSU (stratified only)")
    parser.add_argument("--no-r", action="store_true", help="do not run the comparison with R")
    parser.add_argument("--r-timeout", type=float, default=3600.0, help="seconds to wait for R (default 3600)")
    args = parser.parse_args()
    columns = synthetic(args.rows, args.seed)
    margins = population(columns)
    clusters = "no clusters" if args.no_clusters else "2,000 clusters"
    print(f"{args.rows:,} responses, 10 strata, {clusters}, 4 raking margins; numpy {np.__version__}")
    tracemalloc.start()
    timings: dict[str, float] = {}
    table = step("load columns", lambda: Table.from_arrays(columns), timings)
    ids = None if args.no_clusters else "cluster"
    design = step("design", lambda: make_design(table, ids=ids, strata="stratum", weights="weight"), timings)
    raked, report = step("rake", lambda: rake(design, table, margins, epsilon=1e-8, maxit=50), timings)
    score = table.numeric("score")
    by_region = step("domain means", lambda: mean_by(raked, score, table.factor("region")), timings)
    opinion, age = table.factor("opinion"), table.factor("age")
    test = step("crosstab", lambda: crosstab(raked, opinion, age), timings)
    tracemalloc.stop()
    total = sum(timings.values())
    print(f"{'whole job':<28} {total:8.3f} s")
    print(
        f"raking (4 margins): {report.iterations} sweeps, effective n {report.effective_sample_size:,.0f}, "
        f"weighting deff {report.design_effect:.3f}; domain means: score by 20 regions; crosstab: opinion x age"
    )
    first = by_region["0"]
    print(f"region 0 mean {first.estimate:.10g} (SE {first.se:.10g}); crosstab F {test.f:.4f}, p {test.p_f:.4g}")
    if args.no_r:
        return
    rscript = find_r()
    if rscript is None:
        return
    r = run_r(rscript, columns, margins, not args.no_clusters, args.r_timeout)
    if r is None:
        return
    figures = {f"mean {level}": value.estimate for level, value in by_region.items()}
    figures |= {f"SE {level}": value.se for level, value in by_region.items()}
    figures |= {"F": test.f, "ndf": test.ndf, "ddf": test.ddf, "p": test.p_f}
    compare(timings, r, figures)


if __name__ == "__main__":
    main()
