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
the sum of the weights. Like R, a calibrated design counts every row of the design in ``n``
(R keeps the rows of a calibrated design when it subsets). The design effect is not defined
(``None``) when ``N̂ ≤ n`` or for ratios.
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
from .table import BoolArray, Factor, FloatArray

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


def _rows(design: Design, values: list[FloatArray], domain: BoolArray | None) -> BoolArray:
    """Rows that count: in the domain and with no missing value."""
    keep = np.ones(design.n_rows, dtype=bool) if domain is None else domain.copy()
    for column in values:
        keep &= ~np.isnan(column)
    return keep


def _deff(design: Design, keep: BoolArray, y: FloatArray, variance: float, *, total: bool) -> float | None:
    w = np.where(keep, design.weights, 0.0)
    psum = float(w.sum())
    m = int(np.count_nonzero(w))
    nobs = design.n_rows if design.is_calibrated else int(keep.sum())
    if m < 2 or psum <= nobs:
        return None
    centre = float((w * np.where(keep, y, 0.0)).sum()) / psum
    s2 = float((w * np.square(np.where(keep, y - centre, 0.0))).sum()) / psum * m / (m - 1)
    vsrs = s2 * (psum - nobs) / (psum * nobs)
    if total:
        vsrs *= psum * psum
    return variance / vsrs if vsrs > 0 else None


def _empty(what: str) -> AnalysisError:
    return AnalysisError(_("No rows with a value are left for the %(what)s.") % {"what": what})


def mean(design: Design, y: FloatArray, domain: BoolArray | None = None) -> Estimate:
    """R's ``svymean(~y, design, na.rm = TRUE, deff = TRUE)`` (within ``domain``: ``svyby``)."""
    keep = _rows(design, [y], domain)
    w = np.where(keep, design.weights, 0.0)
    psum = float(w.sum())
    if not keep.any() or psum == 0:
        raise _empty(_("mean"))
    yk = np.where(keep, y, 0.0)
    estimate = float((w * yk).sum()) / psum
    influence = w * (yk - estimate) / psum
    variance = design.variance(influence)
    deff = _deff(design, keep, y, variance, total=False)
    return Estimate(estimate, math.sqrt(max(variance, 0.0)), deff, int(keep.sum()), psum)


def total(design: Design, y: FloatArray, domain: BoolArray | None = None) -> Estimate:
    """R's ``svytotal(~y, design, na.rm = TRUE, deff = TRUE)``."""
    keep = _rows(design, [y], domain)
    if not keep.any():
        raise _empty(_("total"))
    w = np.where(keep, design.weights, 0.0)
    influence = w * np.where(keep, y, 0.0)
    variance = design.variance(influence)
    deff = _deff(design, keep, y, variance, total=True)
    return Estimate(float(influence.sum()), math.sqrt(max(variance, 0.0)), deff, int(keep.sum()), float(w.sum()))


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


def ratio(design: Design, numerator: FloatArray, denominator: FloatArray, domain: BoolArray | None = None) -> Estimate:
    """R's ``svyratio(~y, ~x, design, na.rm = TRUE)``; no design effect."""
    keep = _rows(design, [numerator, denominator], domain)
    w = np.where(keep, design.weights, 0.0)
    y = np.where(keep, numerator, 0.0)
    x = np.where(keep, denominator, 0.0)
    x_total = float((w * x).sum())
    if not keep.any() or x_total == 0:
        raise _empty(_("ratio"))
    estimate = float((w * y).sum()) / x_total
    variance = design.variance(w * (y - estimate * x) / x_total)
    return Estimate(estimate, math.sqrt(max(variance, 0.0)), None, int(keep.sum()), float(w.sum()))


def domains(factor: Factor) -> dict[str, BoolArray]:
    """One domain per level of ``factor`` (rows where it is missing belong to none), as ``svyby``."""
    return {level: factor.codes == code for code, level in enumerate(factor.levels)}
