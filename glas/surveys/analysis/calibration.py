"""Calibration of weights to population figures, and what it does to the variance.

Each function returns a new :class:`~.design.Design` (weights changed, one residualiser
added) and a :class:`WeightingReport`. The residualisers reproduce R's ``svyrecvar`` handling
of ``design$postStrata`` (survey package by T. Lumley), so standard errors agree with R:

* :func:`poststratify` – R's ``postStratify``: weights in each post-stratum (one factor or the
  joint cells of several) are scaled to the population count. Variance: the influence values
  ``x`` become ``x − w·m_s`` where ``m_s`` is the mean of ``x·w₀/w`` over post-stratum ``s``
  weighted by the weights before post-stratification ``w₀``.
* :func:`rake` – R's ``rake``: iterative proportional fitting, i.e. post-stratification on each
  margin in turn, repeated until the full cross-table of all margin variables changes by less
  than ``epsilon`` between two sweeps (``epsilon ≥ 1`` is an absolute tolerance in weighted
  counts, ``< 1`` relative to the sum of the weights before raking; R's defaults are
  ``epsilon = 1, maxit = 10``). R warns when it does not converge; here it is an error.
  Variance: ten back-fitting sweeps over the margins, each replacing ``x`` by
  ``x − w_m · ave_m(x / w_m)`` (``ave_m`` the unweighted mean within the margin's level,
  ``w_m`` the weights right after that margin's step in the last raking sweep). The weights are
  products of the base weights and a factor per joint cell of the margin variables, so both the
  fitting and the back-fitting run on the (small) table of cells, with one pass over the rows
  per influence vector.
* :func:`calibrate_linear` – R's ``calibrate(design, formula, population)`` with the default
  linear distance (GREG): ``g = 1 + x'(T_x − t̂_x)ᵀ(XᵀDX)⁻¹`` with ``D`` the weights before
  calibration and an intercept always in the model. Variance: the residuals of the influence
  values from the weighted regression on ``X`` **with the original design weights** (R's
  ``qr.resid(qr(X·√d), x / (g√d)) · g√d``).
* :func:`trim_weights` – R's ``trimWeights``: weights outside ``[lower, upper]`` are set to the
  bound and the amount trimmed is shared equally by the other rows (``strict`` repeats until no
  weight is outside). Like R, trimming adds no residualiser.

Missing values in a calibration variable are an error (R's ``na.fail``), as are levels present
in the data but not in the margins and margins with a positive count but no respondents.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from scipy import sparse

from .design import Design
from .errors import AnalysisError
from .table import FloatArray, IntArray, Table, dense_codes, group_sum, level_label

BACKFIT_SWEEPS = 10  # R's svyrecvar iterates the raking projections ten times


@dataclass(frozen=True)
class WeightSummary:
    minimum: float
    maximum: float
    mean: float
    total: float

    @classmethod
    def of(cls, weights: FloatArray) -> WeightSummary:
        return cls(float(weights.min()), float(weights.max()), float(weights.mean()), float(weights.sum()))


@dataclass(frozen=True)
class WeightingReport:
    """What a weighting step did: weights before and after, Kish's effective sample size
    ``(Σw)²/Σw²`` and design effect from weighting ``n·Σw²/(Σw)²`` (after), and for raking the
    number of sweeps and whether it converged."""

    method: str
    before: WeightSummary
    after: WeightSummary
    effective_sample_size: float
    design_effect: float
    iterations: int
    converged: bool

    @classmethod
    def of(cls, method: str, before: FloatArray, after: FloatArray, iterations: int = 1) -> WeightingReport:
        n_eff = float(after.sum() ** 2 / np.square(after).sum())
        return cls(
            method, WeightSummary.of(before), WeightSummary.of(after), n_eff, len(after) / n_eff, iterations, True
        )

    def as_dict(self) -> dict[str, Any]:
        def summary(s: WeightSummary) -> dict[str, float]:
            return {"min": s.minimum, "max": s.maximum, "mean": s.mean, "sum": s.total}

        return {
            "method": self.method,
            "weights_before": summary(self.before),
            "weights_after": summary(self.after),
            "effective_sample_size": self.effective_sample_size,
            "design_effect": self.design_effect,
            "iterations": self.iterations,
            "converged": self.converged,
        }


# --- cells of one or more factors ---------------------------------------------------------------


@dataclass(frozen=True)
class _Cells:
    """The occupied joint cells of some factors: ``row_cell`` per row, ``codes[m]`` per cell."""

    row_cell: IntArray
    codes: list[IntArray]
    levels: list[tuple[str, ...]]

    @property
    def n_cells(self) -> int:
        return len(self.codes[0])


def _cells(table: Table, names: list[str]) -> _Cells:
    factors = [table.factor(name) for name in names]
    for name, factor in zip(names, factors, strict=True):
        if factor.missing.any():
            raise AnalysisError(
                _("The calibration variable “%(name)s” has %(count)d missing values.")
                % {"name": name, "count": int(factor.missing.sum())}
            )
    sizes = [max(len(factor.levels), 1) for factor in factors]
    if math.prod(sizes) >= 2**62:
        raise AnalysisError(_("Too many combinations of calibration variables."))
    combined = np.zeros(table.n_rows, dtype=np.int64)
    for factor, size in zip(factors, sizes, strict=True):
        combined = combined * size + factor.codes
    row_cell, unique = dense_codes(combined, math.prod(sizes))
    codes: list[IntArray] = []
    rest = unique
    for size in reversed(sizes):
        codes.append(rest % size)
        rest = rest // size
    codes.reverse()
    return _Cells(row_cell.astype(np.int64), codes, [factor.levels for factor in factors])


def _joint_margin(cells: _Cells, names: list[str], key: str) -> tuple[IntArray, tuple[str, ...]]:
    """For a margin on one variable or a joint margin ``"a|b"``: the margin's level of each cell
    (0..k-1) and the level labels (``"x|y"`` for a joint margin)."""
    parts = key.split("|")
    combined = np.zeros(cells.n_cells, dtype=np.int64)
    for part in parts:
        index = names.index(part)
        combined = combined * max(len(cells.levels[index]), 1) + cells.codes[index]
    size = math.prod(max(len(cells.levels[names.index(part)]), 1) for part in parts)
    codes, used = dense_codes(combined, size)
    labels = []
    for value in used:
        rest, words = int(value), []
        for part in reversed(parts):
            levels = cells.levels[names.index(part)]
            words.append(levels[rest % max(len(levels), 1)])
            rest //= max(len(levels), 1)
        labels.append("|".join(reversed(words)))
    return codes, tuple(labels)


def _joint_counts(key: str, counts: object) -> object:
    """Population counts with joint labels normalised ("1|2.0" → "1|2")."""
    if isinstance(counts, Mapping) and "|" in key:
        return {"|".join(level_label(part) for part in str(k).split("|")): v for k, v in counts.items()}
    return counts


def _margin_counts(name: str, levels: tuple[str, ...], margin: object) -> FloatArray:
    """Population counts in the order of the sample's levels, with the coverage checks."""
    if not isinstance(margin, Mapping) or not margin:
        raise AnalysisError(_("The margin of “%(name)s” must map levels to population counts.") % {"name": name})
    counts: dict[str, float] = {}
    for key, value in margin.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise AnalysisError(
                _("The population count of “%(level)s” in “%(name)s” must be a non-negative number.")
                % {"level": key, "name": name}
            )
        counts[level_label(key)] = float(value)
    missing = [level for level in levels if counts.get(level, 0.0) == 0.0]
    if missing:
        raise AnalysisError(
            _("Level “%(level)s” of “%(name)s” occurs in the data but not in the population margins.")
            % {"level": missing[0], "name": name}
        )
    absent = [level for level, count in counts.items() if count > 0 and level not in levels]
    if absent:
        raise AnalysisError(
            _("Level “%(level)s” of “%(name)s” has a population count but no respondents.")
            % {"level": absent[0], "name": name}
        )
    return np.array([counts[level] for level in levels], dtype=np.float64)


def _spread(
    cache: dict[str, Any], psu: IntArray, cell: IntArray, weights: FloatArray, n_psu: int, per_cell: FloatArray
) -> FloatArray:
    """PSU totals of ``weights_i · per_cell[cell_i, :]``. When every row is its own unit the
    rows are simply gathered; otherwise through a cached PSU × cell matrix of weight sums."""
    if n_psu == len(psu):
        out = np.empty((n_psu, per_cell.shape[1]))
        out[psu] = weights[:, None] * per_cell[cell]
        return out
    if "spread" not in cache:
        cache["spread"] = _cell_by_psu(psu, cell, weights, n_psu, per_cell.shape[0])
    return np.asarray(cache["spread"] @ per_cell)


def _cell_by_psu(psu: IntArray, cell: IntArray, weights: FloatArray, n_psu: int, n_cells: int) -> Any:
    """n_psu × n_cells matrix of weight sums, to carry per-cell corrections to PSUs: dense
    when small (one ``bincount``), sparse otherwise."""
    if n_psu * n_cells <= 4 * len(psu) + 4096:
        return group_sum(psu * n_cells + cell, weights, n_psu * n_cells).reshape(n_psu, n_cells)
    return sparse.csr_array(sparse.coo_array((weights, (psu, cell)), shape=(n_psu, n_cells)))


def _cell_sums(cell: IntArray, codes: IntArray, values: FloatArray, n_cells: int, n_codes: int) -> FloatArray:
    return group_sum(cell * n_codes + codes, values, n_cells * n_codes).reshape(n_cells, n_codes)


# --- post-stratification ----------------------------------------------------------------------


@dataclass(frozen=True)
class PostStratification:
    cell: IntArray
    old_weights: FloatArray
    new_weights: FloatArray
    n_cells: int
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # PSU × cell weight sums

    def residualise(self, influence: FloatArray) -> FloatArray:
        ratio = self.old_weights / self.new_weights
        sums = group_sum(self.cell, influence * ratio, self.n_cells)
        base = group_sum(self.cell, self.old_weights, self.n_cells)
        return influence - (sums / base)[self.cell] * self.new_weights

    def psu_correction(
        self, rows: IntArray, values: FloatArray, codes: IntArray, n_codes: int, psu: IntArray, n_psu: int
    ) -> FloatArray:
        ratio = self.old_weights[rows] / self.new_weights[rows]
        sums = _cell_sums(self.cell[rows], codes, values * ratio, self.n_cells, n_codes)
        base = group_sum(self.cell, self.old_weights, self.n_cells)
        return _spread(self.cache, psu, self.cell, self.new_weights, n_psu, sums / base[:, None])


def poststratify(design: Design, table: Table, population: Mapping[str, Any]) -> tuple[Design, WeightingReport]:
    """Post-stratify to one margin ``{"sex": {"female": 2410, ...}}`` or a joint table
    ``{"sex|age": {"female|18-34": 410, ...}}`` (R's ``postStratify``)."""
    if len(population) != 1:
        raise AnalysisError(_("Post-stratification takes one margin or one joint table."))
    ((key, counts),) = population.items()
    names = str(key).split("|")
    cells = _cells(table, names)
    labels = tuple(
        "|".join(levels[codes[c]] for levels, codes in zip(cells.levels, cells.codes, strict=True))
        for c in range(cells.n_cells)
    )
    target = _margin_counts(str(key), labels, _joint_counts(str(key), counts))
    before = design.weights
    current = group_sum(cells.row_cell, before, cells.n_cells)
    after = before * (target / current)[cells.row_cell]
    step = PostStratification(cells.row_cell, before, after, cells.n_cells)
    return design.reweighted(after, step), WeightingReport.of("poststratify", before, after)


# --- raking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raking:
    """Back-fitting in cell space: weights after margin m = base weight × ``factors[m][cell]``."""

    row_cell: IntArray
    base_weights: FloatArray
    cell_counts: FloatArray  # rows per cell
    margin_codes: list[IntArray]  # per margin: level of each cell
    factors: list[FloatArray]  # per margin: weight factor of each cell after that margin's step
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # PSU × cell weight sums

    def _shift(self, sums: FloatArray) -> FloatArray:
        """Back-fitting on the cell table: ``sums`` (cells × k) holds Σ x_i / d_i per cell;
        the result is the shift with x_i ← x_i − d_i · shift[cell_i]."""
        shift = np.zeros_like(sums)
        counts = self.cell_counts[:, None]
        for _sweep in range(BACKFIT_SWEEPS):
            for codes, factor in zip(self.margin_codes, self.factors, strict=True):
                n_levels = int(codes.max()) + 1
                onehot = np.zeros((n_levels, len(codes)))
                onehot[codes, np.arange(len(codes))] = 1.0
                level_sum = onehot @ ((sums - counts * shift) / factor[:, None])
                level_n = onehot @ self.cell_counts
                shift = shift + factor[:, None] * (level_sum / level_n[:, None])[codes]
        return shift

    def residualise(self, influence: FloatArray) -> FloatArray:
        n_cells = len(self.cell_counts)
        sums = group_sum(self.row_cell, influence / self.base_weights, n_cells)
        shift = self._shift(sums[:, None])[:, 0]
        return influence - self.base_weights * shift[self.row_cell]

    def psu_correction(
        self, rows: IntArray, values: FloatArray, codes: IntArray, n_codes: int, psu: IntArray, n_psu: int
    ) -> FloatArray:
        n_cells = len(self.cell_counts)
        sums = _cell_sums(self.row_cell[rows], codes, values / self.base_weights[rows], n_cells, n_codes)
        return _spread(self.cache, psu, self.row_cell, self.base_weights, n_psu, self._shift(sums))


def rake(
    design: Design, table: Table, margins: Mapping[str, Any], *, epsilon: float = 1.0, maxit: int = 10
) -> tuple[Design, WeightingReport]:
    """Rake to several margins ``{"sex": {...}, "age": {...}}`` (R's ``rake``); a margin may be a
    joint table of several variables, ``{"sex|age": {"female|18-34": n, ...}, "region": {...}}``."""
    if not isinstance(margins, Mapping) or not margins:
        raise AnalysisError(_("Raking needs at least one margin."))
    if not (isinstance(epsilon, int | float) and epsilon > 0) or not (isinstance(maxit, int) and maxit >= 1):
        raise AnalysisError(_("“epsilon” must be positive and “maxit” a positive whole number."))
    keys = [str(key) for key in margins]
    names = list(dict.fromkeys(part for key in keys for part in key.split("|")))
    cells = _cells(table, names)
    margin_codes: list[IntArray] = []
    targets: list[FloatArray] = []
    for key, margin in zip(keys, margins.values(), strict=True):
        codes, labels = _joint_margin(cells, names, key)
        margin_codes.append(codes)
        targets.append(_margin_counts(key, labels, _joint_counts(key, margin)))
    before = design.weights
    base = group_sum(cells.row_cell, before, cells.n_cells)
    tolerance = epsilon * before.sum() if epsilon < 1 else epsilon
    factor = np.ones(cells.n_cells)
    old = base
    factors: list[FloatArray] = []
    iterations = 0
    converged = False
    while iterations < maxit:
        factors = []
        for codes, target in zip(margin_codes, targets, strict=True):
            current = group_sum(codes, base * factor, len(target))
            factor = factor * (target / current)[codes]
            factors.append(factor)
        new = base * factor
        iterations += 1
        if np.abs(new - old).max() < tolerance:
            converged = True
            break
        old = new
    if not converged:
        raise AnalysisError(
            _("Raking did not converge in %(maxit)d iterations; raise “maxit” or “epsilon”, or check the margins.")
            % {"maxit": maxit}
        )
    after = before * factor[cells.row_cell]
    counts = np.bincount(cells.row_cell, minlength=cells.n_cells).astype(np.float64)
    step = Raking(cells.row_cell, before, counts, margin_codes, factors)
    report = WeightingReport.of("rake", before, after, iterations)
    return design.reweighted(after, step), report


# --- linear calibration (GREG) -------------------------------------------------------------------


@dataclass(frozen=True)
class LinearCalibration:
    model: FloatArray  # n × k, first column the intercept
    design_weights: FloatArray
    g: FloatArray
    cross: FloatArray  # XᵀDX with the design weights
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # PSU sums of g·d·X

    def residualise(self, influence: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(self.g != 0, influence / self.g, 0.0)
        beta = np.linalg.solve(self.cross, self.model.T @ scaled)
        return influence - self.g * self.design_weights * (self.model @ beta)

    def psu_correction(
        self, rows: IntArray, values: FloatArray, codes: IntArray, n_codes: int, psu: IntArray, n_psu: int
    ) -> FloatArray:
        g = self.g[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(g != 0, values / g, 0.0)
        k = self.model.shape[1]
        moments = np.stack(
            [group_sum(codes, self.model[rows, j] * scaled, n_codes) for j in range(k)]
        )  # k × n_codes: Xᵀ(u/g) per column
        beta = np.linalg.solve(self.cross, moments)
        if "spread" not in self.cache:
            spread = self.g * self.design_weights
            columns = [group_sum(psu, spread * self.model[:, j], n_psu) for j in range(k)]
            self.cache["spread"] = np.stack(columns, axis=1)
        return np.asarray(self.cache["spread"] @ beta)


def calibrate_linear(
    design: Design,
    table: Table,
    *,
    population: float | None = None,
    margins: Mapping[str, Any] | None = None,
    totals: Mapping[str, Any] | None = None,
) -> tuple[Design, WeightingReport]:
    """Linear (GREG) calibration to the population size, factor margins (full level counts) and
    totals of numeric variables: R's ``calibrate(design, ~f1 + x1, c(N, ...))``."""
    margins = margins or {}
    totals = totals or {}
    n = table.n_rows
    columns: list[FloatArray] = [np.ones(n)]
    targets: list[float] = []
    sizes: list[float] = []
    for name, margin in margins.items():
        cells = _cells(table, [str(name)])
        counts = _margin_counts(str(name), cells.levels[0], margin)
        sizes.append(float(sum(float(v) for v in margin.values())))
        codes = cells.codes[0][cells.row_cell]
        for level in range(1, len(counts)):  # R's treatment contrasts: the first level is the reference
            columns.append((codes == level).astype(np.float64))
            targets.append(float(counts[level]))
    for name, total in totals.items():
        values = table.numeric(name)
        if np.isnan(values).any():
            raise AnalysisError(
                _("The calibration variable “%(name)s” has %(count)d missing values.")
                % {"name": name, "count": int(np.isnan(values).sum())}
            )
        if isinstance(total, bool) or not isinstance(total, int | float) or not math.isfinite(total):
            raise AnalysisError(_("The population total of “%(name)s” must be a number.") % {"name": name})
        columns.append(values)
        targets.append(float(total))
    if population is not None:
        if isinstance(population, bool) or not isinstance(population, int | float) or population <= 0:
            raise AnalysisError(_("The population size must be a positive number."))
        sizes.insert(0, float(population))
    if not sizes:
        raise AnalysisError(_("Linear calibration needs the population size or a complete margin."))
    if any(abs(size - sizes[0]) > 1e-9 * sizes[0] for size in sizes):
        raise AnalysisError(_("The margins and the population size add up to different totals."))
    model = np.stack(columns, axis=1)
    target = np.array([sizes[0], *targets])
    d = design.weights
    cross = model.T @ (model * d[:, None])
    try:
        lam = np.linalg.solve(cross, target - model.T @ d)
    except np.linalg.LinAlgError as error:
        raise AnalysisError(_("The calibration variables are collinear; drop one of them.")) from error
    if np.linalg.cond(cross) > 1e14:
        raise AnalysisError(_("The calibration variables are collinear; drop one of them."))
    g = 1.0 + model @ lam
    after = d * g
    step = LinearCalibration(model, d, g, cross)
    return design.reweighted(after, step), WeightingReport.of("linear", d, after)


# --- trimming -----------------------------------------------------------------------------------


def trim_weights(
    design: Design, *, lower: float = -math.inf, upper: float = math.inf, strict: bool = False
) -> tuple[Design, WeightingReport]:
    """R's ``trimWeights``: clip to ``[lower, upper]``, share the trimmed amount equally among
    the weights inside; ``strict`` repeats until every weight is inside."""
    if not lower < upper:
        raise AnalysisError(_("The lower trimming bound must be below the upper bound."))
    before = design.weights
    weights = before
    rounds = 0
    while True:
        outside = (weights < lower) | (weights > upper)
        if not outside.any():
            break
        if outside.all():
            raise AnalysisError(_("Every weight is outside the trimming bounds."))
        clipped = np.clip(weights, lower, upper)
        trimmed = float((weights - clipped).sum())
        weights = np.where(outside, clipped, clipped + trimmed / int((~outside).sum()))
        rounds += 1
        if not strict or rounds > len(weights):
            break
    return design.reweighted(weights), WeightingReport.of("trim", before, weights, rounds)
