"""Weighted cross-tabulation and the Rao–Scott test of independence (R's ``svychisq``).

For an ``r × c`` table the cell proportions ``p̂`` (rows with both variables present, like
``na.rm = TRUE``) get their design covariance ``V`` from the influence values of the cell
indicators. With ``C`` a basis of the interaction contrasts (orthogonal to the main effects)
and ``D = diag(p̂)``, the generalised design effect matrix is

    Δ = (Cᵀ D⁻¹ C / N)⁻¹ · Cᵀ D⁻¹ V D⁻¹ C,

``N`` the number of rows of the design. The Pearson statistic ``X²`` is computed on the
weighted table scaled to ``N`` (R's ``svytable(..., Ntotal = N)``, without continuity
correction). Then (R's defaults):

* ``"F"`` (second-order Rao–Scott): ``F = X² / tr Δ`` on ``ndf = (tr Δ)² / tr Δ²`` and
  ``ddf = ndf · (number of PSUs − number of strata)`` degrees of freedom;
* ``"Chisq"`` (first-order): ``X²`` itself is reported, with the p-value of ``X² / mean(diag Δ)``
  against χ² on ``(r − 1)(c − 1)`` degrees of freedom.

The test does not depend on the choice of ``C``; here it is an orthonormal basis of the
complement of the main-effects design matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _
from scipy import linalg, stats

from .design import Design
from .errors import AnalysisError
from .table import Factor, FloatArray, group_sum


@dataclass(frozen=True)
class Crosstab:
    row_levels: tuple[str, ...]
    column_levels: tuple[str, ...]
    weighted: FloatArray  # r × c weighted counts
    unweighted: FloatArray  # r × c row counts
    pearson: float  # X² of the weighted table scaled to N
    f: float
    ndf: float
    ddf: float
    p_f: float
    df: int
    p_chisq: float

    def test(self, statistic: str = "F") -> dict[str, Any]:
        if statistic == "Chisq":
            return {"X2": _num(self.pearson), "df": self.df, "p": _num(self.p_chisq)}
        return {"F": _num(self.f), "ndf": _num(self.ndf), "ddf": _num(self.ddf), "p": _num(self.p_f)}

    def table(self) -> dict[str, Any]:
        """Weighted counts, cell, row and column percentages and unweighted counts."""
        total = self.weighted.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            row_pct = 100 * self.weighted / self.weighted.sum(axis=1, keepdims=True)
            col_pct = 100 * self.weighted / self.weighted.sum(axis=0, keepdims=True)
        cells: dict[str, dict[str, Any]] = {}
        for i, row in enumerate(self.row_levels):
            cells[row] = {
                column: {
                    "weighted": _num(self.weighted[i, j]),
                    "percent": _num(100 * self.weighted[i, j] / total),
                    "row_percent": _num(row_pct[i, j]),
                    "column_percent": _num(col_pct[i, j]),
                    "n": int(self.unweighted[i, j]),
                }
                for j, column in enumerate(self.column_levels)
            }
        return cells


def _num(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _present(factor: Factor, keep: npt.NDArray[np.bool_]) -> Factor:
    """The factor restricted to the levels that occur where ``keep`` (a level seen only beside a
    missing value of the other variable would be an empty row, for which R returns NaN)."""
    used = np.bincount(factor.codes[keep], minlength=len(factor.levels)) > 0
    if used.all():
        return factor
    mapping = np.where(used, np.cumsum(used) - 1, -1)
    codes = np.where(factor.codes >= 0, mapping[np.maximum(factor.codes, 0)], -1)
    return Factor(codes.astype(np.int64), tuple(level for level, on in zip(factor.levels, used, strict=True) if on))


def crosstab(design: Design, rows: Factor, columns: Factor) -> Crosstab:
    """Weighted table of two factors with the Rao–Scott corrected tests."""
    keep = ~rows.missing & ~columns.missing
    if not keep.any():
        raise AnalysisError(_("No rows have both variables of the cross-tabulation."))
    rows, columns = _present(rows, keep), _present(columns, keep)
    nr, nc = len(rows.levels), len(columns.levels)
    if nr < 2 or nc < 2:
        raise AnalysisError(_("A cross-tabulation needs at least two levels in each variable."))
    k = nr * nc
    cell = np.where(keep, rows.codes + nr * columns.codes, 0)  # rows vary fastest, as R's interaction()
    w = np.where(keep, design.weights, 0.0)
    weighted = group_sum(cell, w, k)
    unweighted = group_sum(cell, keep.astype(np.float64), k)
    psum = weighted.sum()
    p = weighted / psum

    kept = np.flatnonzero(keep)
    share = w[kept] / psum
    by_cell = design.psu_totals_by(kept, share, cell[kept], k)
    overall = design.psu_totals_by(kept, share, np.zeros(len(kept), dtype=np.int64), 1)
    totals = by_cell - overall * p[None, :]  # influence of cell j: w (1[cell = j] − p_j) / Σw
    v = design.covariance_of_totals(totals)

    n = float(design.n_rows)
    rows_of = np.arange(k) % nr
    cols_of = np.arange(k) // nr
    main = np.column_stack(
        [np.ones(k)]
        + [(rows_of == i).astype(float) for i in range(1, nr)]
        + [(cols_of == j).astype(float) for j in range(1, nc)]
    )
    contrasts = linalg.null_space(main.T)
    with np.errstate(divide="ignore"):
        inverse_p = np.where(p == 0, 0.0, 1.0 / p)
    scaled = contrasts * inverse_p[:, None]
    denominator = contrasts.T @ scaled / n
    numerator = scaled.T @ v @ scaled
    if np.linalg.cond(denominator) < 1e12:
        delta = np.linalg.solve(denominator, numerator)
    else:
        # Cells empty in the sample: a contrast that only they define has no variance and no
        # weight (0 / 0). R's solve() stops here, or on some processors returns noise, so the
        # same table worked on one machine and not on another. The pseudo-inverse gives those
        # directions a design effect of 0 and the others theirs, the same on every machine.
        delta = np.linalg.pinv(denominator, hermitian=True) @ numerator
    trace = float(np.trace(delta))
    trace2 = float(np.trace(delta @ delta))
    if not (np.isfinite(trace) and np.isfinite(trace2) and trace > 0 and trace2 > 0):
        raise AnalysisError(_("The design effects of this table cannot be computed."))
    ndf = trace * trace / trace2
    ddf = ndf * design.degrees_of_freedom

    table = (p * n).reshape(nc, nr).T  # r × c, scaled to N
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float((np.square(table - expected) / expected).sum())
    f = pearson / trace
    df = (nr - 1) * (nc - 1)
    return Crosstab(
        row_levels=rows.levels,
        column_levels=columns.levels,
        weighted=weighted.reshape(nc, nr).T,
        unweighted=unweighted.reshape(nc, nr).T,
        pearson=pearson,
        f=f,
        ndf=ndf,
        ddf=ddf,
        p_f=float(stats.f.sf(f, ndf, ddf)),
        df=df,
        p_chisq=float(stats.chi2.sf(pearson / (trace / delta.shape[0]), df)),
    )
