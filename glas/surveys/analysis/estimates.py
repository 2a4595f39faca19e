"""Design-based estimates with Taylor-linearised standard errors (R's ``svymean``,
``svytotal``, ``svyratio`` and ``svyby``).

Every estimator is a smooth function of weighted totals; its *influence values* ``u_i`` (with
the weights built in) give the variance through :meth:`Design.variance`:

* mean ``ȳ = Σwy / Σw``: ``u_i = w_i (y_i − ȳ) / Σw``;
* total ``Σwy``: ``u_i = w_i y_i``;
* proportion of a level: the mean of the 0/1 indicator;
* ratio ``R = Σwy / Σwx``: ``u_i = w_i (y_i − R x_i) / Σwx``.

Missing values are excluded as with ``na.rm = TRUE``, and a domain (``svyby``) is a
subpopulation: rows outside it, or with a missing value, keep their PSU and stratum and get
influence 0 — they are never dropped before the variance.

Confidence intervals are ``estimate ± z₀.₉₇₅ · SE`` (R's ``confint`` for ``svystat``). The design
effect follows ``svymean(..., deff = TRUE)``: the design variance over the variance under
simple random sampling without replacement of the same size,
``v_srs = s²_w · (N̂ − n) / (N̂ · n)`` for a mean and ``s²_w · N̂² · (N̂ − n) / (N̂ · n)`` for a
total, with ``s²_w = Σw(y − ȳ)²/Σw · m/(m − 1)`` (``m`` rows with a non-zero weight) and ``N̂``
the sum of the weights and ``n = m`` the rows of the domain with a value and a non-zero
weight (R's ``nobs <- sum(weights(design) != 0)`` after ``na.rm``/``svyby`` subsetting). This
holds for calibrated designs too: R keeps all their rows when it subsets but gives the rows
outside a weight of 0, so they are not counted (checked against R in
``tests/fixtures/r/expected.json``). The design effect is not defined (``None``) when
``N̂ ≤ n`` or for ratios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from scipy import stats

from .design import Design
from .errors import AnalysisError
from .table import BoolArray, Factor, FloatArray, IntArray, group_sum

Z_975 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Estimate:
    """An estimate with its standard error, 95 % CI, design effect and the unweighted count."""

    estimate: float
    se: float
    deff: float | None
    n: int
    weighted_n: float

    @property
    def ci(self) -> tuple[float, float]:
        return (self.estimate - Z_975 * self.se, self.estimate + Z_975 * self.se)

    def as_dict(self) -> dict[str, Any]:
        return {
            "estimate": _finite(self.estimate),
            "se": _finite(self.se),
            "ci": [_finite(self.ci[0]), _finite(self.ci[1])],
            "deff": _finite(self.deff),
            "n": self.n,
            "weighted_n": _finite(self.weighted_n),
        }


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _estimates_by(
    design: Design, kind: str, y: FloatArray, codes: IntArray, n_codes: int, x: FloatArray | None = None
) -> list[Estimate]:
    """Estimates in ``n_codes`` domains at once (``codes`` per row, -1 outside every domain):
    one pass over the rows for the sums, one batched variance for all domains."""
    keep = (codes >= 0) & ~np.isnan(y)
    if x is not None:
        keep &= ~np.isnan(x)
    rows = np.flatnonzero(keep)
    code = codes[rows]
    w = design.weights[rows]
    yv = y[rows]
    n = np.bincount(code, minlength=n_codes)
    weight_sum = group_sum(code, w, n_codes)
    y_sum = group_sum(code, w * yv, n_codes)
    with np.errstate(divide="ignore", invalid="ignore"):
        y_mean = y_sum / weight_sum
        if kind == "mean":
            estimate = y_mean
            values = w * (yv - estimate[code]) / weight_sum[code]
        elif kind == "total":
            estimate = y_sum
            values = w * yv
        else:
            assert x is not None  # noqa: S101 - ratio always has a denominator
            xv = x[rows]
            x_sum = group_sum(code, w * xv, n_codes)
            estimate = y_sum / x_sum
            values = w * (yv - estimate[code] * xv) / x_sum[code]
    totals = design.psu_totals_by(rows, values, code, n_codes)
    variance = design.variances_of_totals(totals)
    deff = np.full(n_codes, math.nan)
    if kind != "ratio":
        nobs = group_sum(code, (w != 0).astype(np.float64), n_codes)
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = group_sum(code, w * np.square(yv - y_mean[code]), n_codes) / weight_sum
            s2 = spread * nobs / (nobs - 1)
            vsrs = s2 * (weight_sum - nobs) / (weight_sum * nobs)
            if kind == "total":
                vsrs = vsrs * weight_sum * weight_sum
            deff = np.where((nobs >= 2) & (weight_sum > nobs) & (vsrs > 0), variance / vsrs, math.nan)
    return [
        Estimate(
            float(estimate[j]) if n[j] else math.nan,
            math.sqrt(max(float(variance[j]), 0.0)) if n[j] else math.nan,
            _finite(float(deff[j])),
            int(n[j]),
            float(weight_sum[j]),
        )
        for j in range(n_codes)
    ]


def _one(design: Design, kind: str, y: FloatArray, domain: BoolArray | None, x: FloatArray | None = None) -> Estimate:
    codes = np.zeros(design.n_rows, dtype=np.int64) if domain is None else np.where(domain, 0, -1)
    (result,) = _estimates_by(design, kind, y, codes, 1, x)
    if result.n == 0 or not math.isfinite(result.estimate):
        raise AnalysisError(_("No rows with a value are left for the %(what)s.") % {"what": kind})
    return result


def _by(design: Design, kind: str, y: FloatArray, by: Factor, x: FloatArray | None = None) -> dict[str, Estimate]:
    results = _estimates_by(design, kind, y, by.codes, len(by.levels), x)
    return dict(zip(by.levels, results, strict=True))


def mean(design: Design, y: FloatArray, domain: BoolArray | None = None) -> Estimate:
    """R's ``svymean(~y, design, na.rm = TRUE, deff = TRUE)`` (within ``domain``: ``svyby``)."""
    return _one(design, "mean", y, domain)


def total(design: Design, y: FloatArray, domain: BoolArray | None = None) -> Estimate:
    """R's ``svytotal(~y, design, na.rm = TRUE, deff = TRUE)``."""
    return _one(design, "total", y, domain)


def ratio(design: Design, numerator: FloatArray, denominator: FloatArray, domain: BoolArray | None = None) -> Estimate:
    """R's ``svyratio(~y, ~x, design, na.rm = TRUE)``; no design effect."""
    return _one(design, "ratio", numerator, domain, denominator)


def indicator(factor: Factor, level: object) -> FloatArray:
    """0/1 for a level of a factor, NaN where the factor is missing."""
    code = factor.code_of(level)
    if code is None:
        raise AnalysisError(_("Level “%(level)s” does not occur in the data.") % {"level": level})
    values = (factor.codes == code).astype(np.float64)
    values[factor.missing] = math.nan
    return values


def proportion(design: Design, factor: Factor, level: object, domain: BoolArray | None = None) -> Estimate:
    """The share of a level (R's ``svymean(~factor)`` for that level)."""
    return mean(design, indicator(factor, level), domain)


def mean_by(design: Design, y: FloatArray, by: Factor) -> dict[str, Estimate]:
    """``svyby(~y, ~by, design, svymean, na.rm = TRUE)``: one estimate per level of ``by``
    (a level without values gets NaN); all domains in one pass."""
    return _by(design, "mean", y, by)


def total_by(design: Design, y: FloatArray, by: Factor) -> dict[str, Estimate]:
    return _by(design, "total", y, by)


def ratio_by(design: Design, numerator: FloatArray, denominator: FloatArray, by: Factor) -> dict[str, Estimate]:
    return _by(design, "ratio", numerator, by, denominator)


def proportion_by(design: Design, factor: Factor, level: object, by: Factor) -> dict[str, Estimate]:
    return _by(design, "mean", indicator(factor, level), by)


def domains(factor: Factor) -> dict[str, BoolArray]:
    """One domain per level of ``factor`` (rows where it is missing belong to none), as ``svyby``."""
    return {level: factor.codes == code for code, level in enumerate(factor.levels)}
