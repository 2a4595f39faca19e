"""Sampling designs and their linearised (Taylor series) variance, with R's semantics.

A :class:`Design` is what R's ``svydesign(ids=~psu, strata=~stratum, weights=~w, fpc=~N)``
builds for a one-stage (or "ultimate cluster") analysis:

* **weights** – sampling weights; when absent they come from ``fpc`` given as population
  counts (``N_h / n_h``, R's ``weights.survey_fpc``), otherwise every row weighs 1;
* **strata** – one stratum when absent;
* **clusters** (``ids``) – the first-stage sampling units (PSUs); every row is its own PSU when
  absent. Clusters must be nested in strata (R's ``check.strata``) unless ``nest`` is set, in
  which case the same cluster id in two strata names two clusters;
* **fpc** – a per-row column (or a constant): all values ``> 1`` are population counts of PSUs
  in the stratum, all ``<= 1`` sampling fractions (R's ``as.fpc``; a mixture, or every value
  exactly 1, is an error as in R). It must be constant within a stratum.

The variance of an estimator with influence values ``u_i`` (estimator − truth ≈ Σ u_i) is the
stratified between-PSU variance of PSU totals (R's ``svyrecvar``/``onestrat`` with
``survey.ultimate.cluster``):

    V = Σ_h (1 − f_h) · n_h / (n_h − 1) · Σ_{j in h} (U_hj − Ū_h)²,

where ``U_hj`` is the total of ``u`` over PSU ``j`` of stratum ``h``, ``n_h`` the number of PSUs
the stratum has in the design and ``f_h = n_h / N_h``. A stratum sampled completely
(``f_h`` < 1e-7) contributes nothing. Rows outside a domain or with a missing value keep their
PSU and stratum with influence 0, which is what R does when it pads a subset's PSU totals with
zeros up to the design's ``n_h``. A stratum with a single PSU has no variance estimate: R stops
with ``survey.lonely.psu = "fail"`` (its default) and so does :func:`make_design`.

Calibration (post-stratification, raking, linear calibration) adds *residualisers* to the
design (see ``calibration.py``): before the variance, the influence values are replaced by their
residuals from the calibration model, in the order the calibrations were applied, exactly as
R's ``svyrecvar`` does with ``design$postStrata``.

Two-stage designs (``ids=[psu, ssu]``, R's ``id=~psu+ssu``): second-stage units are nested
in their PSU. Without a second-stage ``fpc`` the variance is the ultimate-cluster one above
(R's "with replacement" case). With ``fpc=[N1, N2]`` (``N2`` the population count of
second-stage units in the PSU, or a fraction) the weights default to
``N1_h/n1_h · N2_j/n2_j`` and R's ``multistage`` term is added: for each PSU ``j``,
``f1_h · (1 − f2_j) · n2_j / (n2_j − 1) · Σ_k (U_jk − Ū_j)²`` over the totals of its
second-stage units, ``f1_h = n1_h / N1_h``. Deeper stages are not supported.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from django.utils.translation import gettext as _

from .errors import AnalysisError
from .table import FloatArray, IntArray, Table, dense_codes, group_sum

SELF_REPRESENTING = 1e-7  # R's onestrat: a stratum with (N - n)/N below this has no variance
TALL = 65_536  # unit totals with more rows than this use np.einsum for the covariance


class Residualiser(Protocol):
    """One calibration step as seen by the variance: influence values in, residuals out.

    ``psu_correction`` is the batched form used when the design has a single calibration:
    for influence columns ``l = 0..n_codes-1``, each ``values`` on the rows with code ``l``
    (and 0 elsewhere), the PSU totals of ``influence − residual`` (n_psu × n_codes), computed
    from per-cell sums without forming the n × n_codes matrix."""

    def residualise(self, influence: FloatArray) -> FloatArray: ...

    def psu_correction(
        self, rows: IntArray, values: FloatArray, codes: IntArray, n_codes: int, psu: IntArray, n_psu: int
    ) -> FloatArray: ...


@dataclass(frozen=True)
class Design:
    """A sampling design over the rows of a table (see the module docstring)."""

    weights: FloatArray
    psu: IntArray  # row -> PSU number 0..n_psu-1
    psu_stratum: IntArray  # PSU -> stratum number 0..n_strata-1
    stratum_scale: FloatArray  # (1 - f_h) n_h / (n_h - 1); 0 for a completely sampled stratum
    stratum_labels: tuple[str, ...]
    calibrations: tuple[Residualiser, ...] = field(default=())
    # Two-stage designs (R's multistage term when the fpc is given for both stages): the rows'
    # second-stage units, the PSU of each unit and, per PSU, f1 · (1 − f2) · n2 / (n2 − 1).
    # For one stage the units are the PSUs and there is no second-stage term.
    unit: IntArray | None = None
    unit_psu: IntArray | None = None
    stage2_scale: FloatArray | None = None

    @property
    def n_rows(self) -> int:
        return len(self.weights)

    @property
    def n_psu(self) -> int:
        return len(self.psu_stratum)

    @property
    def n_units(self) -> int:
        return self.n_psu if self.unit_psu is None else len(self.unit_psu)

    @property
    def _row_unit(self) -> IntArray:
        return self.psu if self.unit is None else self.unit

    @property
    def n_strata(self) -> int:
        return len(self.stratum_scale)

    @property
    def degrees_of_freedom(self) -> int:
        """Number of PSUs minus number of strata (R's ``degf``)."""
        return self.n_psu - self.n_strata

    @property
    def is_calibrated(self) -> bool:
        return bool(self.calibrations)

    def reweighted(self, weights: FloatArray, calibration: Residualiser | None = None) -> Design:
        """The same design with new weights and, for a calibration, one more residualiser."""
        steps = self.calibrations if calibration is None else (*self.calibrations, calibration)
        return dataclasses.replace(self, weights=weights, calibrations=steps)

    def residualise(self, influence: FloatArray) -> FloatArray:
        for step in self.calibrations:
            influence = step.residualise(influence)
        return influence

    def psu_totals(self, influence: FloatArray) -> FloatArray:
        """Totals of the (calibration-residualised) influence values per sampling unit of the
        last stage (the PSUs for a one-stage design)."""
        return group_sum(self._row_unit, self.residualise(influence), self.n_units)

    def psu_totals_by(self, rows: IntArray, values: FloatArray, codes: IntArray, n_codes: int) -> FloatArray:
        """Unit totals (n_units × n_codes) of ``n_codes`` influence vectors at once: column ``l``
        has ``values[j]`` on row ``rows[j]`` when ``codes[j] == l`` and 0 elsewhere (domains,
        or the cells of a table)."""
        unit, n_units = self._row_unit, self.n_units
        totals = group_sum(unit[rows] * n_codes + codes, values, n_units * n_codes).reshape(n_units, n_codes)
        if not self.calibrations:
            return totals
        if len(self.calibrations) == 1:
            return totals - self.calibrations[0].psu_correction(rows, values, codes, n_codes, unit, n_units)
        columns = []
        for code in range(n_codes):  # several calibrations in a row: one residualised vector per column
            influence = np.zeros(self.n_rows)
            chosen = codes == code
            influence[rows[chosen]] = values[chosen]
            columns.append(self.psu_totals(influence))
        return np.stack(columns, axis=1)

    def _stages(self, totals: FloatArray) -> list[tuple[FloatArray, IntArray, int, FloatArray]]:
        """(totals, group of each total, number of groups, scale per group) for each stage."""
        totals = totals.reshape(self.n_units, -1)
        if self.unit_psu is None:
            return [(totals, self.psu_stratum, self.n_strata, self.stratum_scale)]
        psu_totals = np.stack([group_sum(self.unit_psu, column, self.n_psu) for column in totals.T], axis=1)
        stages = [(psu_totals, self.psu_stratum, self.n_strata, self.stratum_scale)]
        if self.stage2_scale is not None:
            stages.append((totals, self.unit_psu, self.n_psu, self.stage2_scale))
        return stages

    @staticmethod
    def _centred(totals: FloatArray, group: IntArray, n_groups: int) -> FloatArray:
        counts = np.bincount(group, minlength=n_groups).astype(np.float64)
        sums = np.stack([group_sum(group, column, n_groups) for column in totals.T], axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(totals - (sums / counts[:, None])[group])

    def covariance_of_totals(self, totals: FloatArray) -> FloatArray:
        """Covariance matrix from unit totals, one column per statistic (n_units × k)."""
        result: FloatArray | None = None
        for stage_totals, group, n_groups, scale in self._stages(totals):
            centred = self._centred(stage_totals, group, n_groups)
            scaled = centred * scale[group][:, None]
            if len(centred) > TALL:  # a plain loop, not BLAS threads (they thrash on a busy machine)
                part = np.asarray(np.einsum("ij,ik->jk", centred, scaled))
            else:
                part = np.asarray(centred.T @ scaled)
            result = part if result is None else result + part
        assert result is not None  # noqa: S101 - there is always a first stage
        return result

    def variances_of_totals(self, totals: FloatArray) -> FloatArray:
        """The variances only (the diagonal of :meth:`covariance_of_totals`)."""
        result = np.zeros(totals.reshape(self.n_units, -1).shape[1])
        for stage_totals, group, n_groups, scale in self._stages(totals):
            centred = self._centred(stage_totals, group, n_groups)
            result = result + (np.square(centred) * scale[group][:, None]).sum(axis=0)
        return result

    def variance(self, influence: FloatArray) -> float:
        return float(self.covariance_of_totals(self.psu_totals(influence))[0, 0])

    def covariance(self, influences: list[FloatArray]) -> FloatArray:
        totals = np.stack([self.psu_totals(influence) for influence in influences], axis=1)
        return self.covariance_of_totals(totals)


def _codes(table: Table, name: object, what: str) -> tuple[IntArray, tuple[str, ...]]:
    factor = table.factor(name)
    if factor.missing.any():
        raise AnalysisError(
            _("The %(what)s column “%(name)s” is empty in %(count)d rows; every row needs a %(what)s.")
            % {"what": what, "name": name, "count": int(factor.missing.sum())}
        )
    return factor.codes, factor.levels


def make_design(
    table: Table,
    *,
    ids: str | list[str] | None = None,
    strata: str | None = None,
    weights: str | None = None,
    fpc: str | float | list[str | float] | None = None,
    nest: bool = False,
) -> Design:
    """R's ``svydesign(ids, strata, weights, fpc, nest)`` for one stage, or two stages with
    ``ids=[psu, ssu]`` (see the module docstring)."""
    stage2_ids: str | None = None
    stage2_fpc: str | float | None = None
    if isinstance(ids, list | tuple):
        if not 1 <= len(ids) <= 2 or not all(isinstance(name, str) for name in ids):
            raise AnalysisError(_("“ids” may name one or two stages of clusters."))
        ids, stage2_ids = ids[0], (ids[1] if len(ids) == 2 else None)
    if isinstance(fpc, list | tuple):
        stages = list(fpc)
        if not 1 <= len(stages) <= 2 or (len(stages) == 2 and stage2_ids is None):
            raise AnalysisError(_("Give one fpc per stage of clusters."))
        fpc, stage2_fpc = stages[0], (stages[1] if len(stages) == 2 else None)
    n = table.n_rows
    if n == 0:
        raise AnalysisError(_("The data has no rows."))
    if strata is None:
        stratum = np.zeros(n, dtype=np.int64)
        stratum_labels: tuple[str, ...] = ("",)
    else:
        stratum, stratum_labels = _codes(table, strata, _("stratum"))
        present = np.bincount(stratum, minlength=len(stratum_labels))
        if (present == 0).any():  # only possible for data built from arrays with unused levels
            raise AnalysisError(_("A stratum has no rows."))
    n_strata = len(stratum_labels)

    if ids is None:
        psu = np.arange(n, dtype=np.int64)
        psu_stratum = stratum.copy()
    else:
        cluster, _labels = _codes(table, ids, _("cluster"))
        key = cluster * n_strata + stratum
        psu, unique_keys = dense_codes(key, (int(cluster.max()) + 1) * n_strata)
        psu_stratum = (unique_keys % n_strata).astype(np.int64)
        if not nest and len(np.unique(unique_keys // n_strata)) != len(unique_keys):
            raise AnalysisError(
                _(
                    "Clusters are not nested in strata: the same cluster id appears in several strata. "
                    "Give each cluster its own id, or set “nest” to true."
                )
            )
    n_h = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)

    population: FloatArray | None = None
    if fpc is not None:
        population = _population_sizes(table, fpc, stratum, n_h, stratum_labels)

    stage2: tuple[IntArray, IntArray, FloatArray, FloatArray | None] | None = None
    if stage2_ids is not None:
        stage2 = _second_stage(table, stage2_ids, stage2_fpc, psu, len(psu_stratum))

    if weights is not None:
        w = table.numeric(weights)
        if np.isnan(w).any():
            raise AnalysisError(_("The weight column “%(name)s” has missing values.") % {"name": weights})
        if (w <= 0).any() or not np.isfinite(w).all():
            raise AnalysisError(_("Weights must be positive numbers (column “%(name)s”).") % {"name": weights})
        w = w.copy()
    elif population is not None:
        if not np.isfinite(population).all():
            raise AnalysisError(_("Weights cannot be computed from a zero sampling fraction; give weights."))
        w = (population / n_h)[stratum]
        if stage2 is not None:
            unit, unit_psu, n2, population2 = stage2
            if population2 is not None:
                w = w * (population2 / n2)[unit_psu[unit]]
    else:
        w = np.ones(n, dtype=np.float64)

    if population is None:
        keep = np.ones(n_strata)
    else:
        keep = np.where(np.isinf(population), 1.0, (population - n_h) / population)
    scale = _stage_scale(keep, n_h, stratum_labels, _("Stratum “%(stratum)s”"))
    unit_of_row: IntArray | None = None
    unit_psu_of: IntArray | None = None
    stage2_scale: FloatArray | None = None
    if stage2 is not None:
        unit_of_row, unit_psu_of, n2, population2 = stage2
        if population is not None and population2 is not None:
            keep2 = np.where(np.isinf(population2), 1.0, (population2 - n2) / population2)
            labels = tuple(str(j) for j in range(len(n2)))
            first = np.where(np.isinf(population), 0.0, n_h / population)[psu_stratum]
            stage2_scale = first * _stage_scale(keep2, n2, labels, _("A cluster (number %(stratum)s)"))
    return Design(
        weights=w,
        psu=psu,
        psu_stratum=psu_stratum,
        stratum_scale=scale,
        stratum_labels=stratum_labels,
        unit=unit_of_row,
        unit_psu=unit_psu_of,
        stage2_scale=stage2_scale,
    )


def _stage_scale(keep: FloatArray, n: FloatArray, labels: tuple[str, ...], name: str) -> FloatArray:
    """(1 − f) · n / (n − 1) per stratum (0 when sampled completely); one sampled unit in a
    stratum that is not sampled completely is an error (R's ``lonely.psu = "fail"``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 1, keep * n / (n - 1), keep)
    scale = np.where(keep < SELF_REPRESENTING, 0.0, scale)
    lonely = (n == 1) & (scale > 0)
    if lonely.any():
        where = name % {"stratum": labels[int(np.flatnonzero(lonely)[0])]}
        raise AnalysisError(
            _(
                "%(where)s has only one sampled cluster (PSU), so its variance cannot be estimated. "
                "Merge it with a similar stratum."
            )
            % {"where": where}
        )
    return np.asarray(scale, dtype=np.float64)


def _second_stage(
    table: Table, ids: str, fpc: str | float | None, psu: IntArray, n_psu: int
) -> tuple[IntArray, IntArray, FloatArray, FloatArray | None]:
    """Second-stage units nested in the PSUs, their number per PSU and the population counts."""
    cluster, _labels = _codes(table, ids, _("cluster"))
    unit, used = dense_codes(psu * (int(cluster.max()) + 1) + cluster, n_psu * (int(cluster.max()) + 1))
    unit_psu = (used // (int(cluster.max()) + 1)).astype(np.int64)
    n2 = np.bincount(unit_psu, minlength=n_psu).astype(np.float64)
    population2 = None
    if fpc is not None:
        labels = tuple(str(j) for j in range(n_psu))
        population2 = _population_sizes(table, fpc, psu, n2, labels)
    return unit, unit_psu, n2, population2


def _population_sizes(
    table: Table, fpc: str | float, stratum: IntArray, n_h: FloatArray, labels: tuple[str, ...]
) -> FloatArray:
    """Population PSU counts per stratum from an fpc column or constant (R's ``as.fpc``)."""
    if isinstance(fpc, str):
        values = table.numeric(fpc)
    elif isinstance(fpc, int | float) and not isinstance(fpc, bool):
        values = np.full(len(stratum), float(fpc))
    else:
        raise AnalysisError(_("“fpc” must be a column name or a number."))
    if np.isnan(values).any() or (values < 0).any():
        raise AnalysisError(_("The fpc has missing or negative values."))
    n_strata = len(n_h)
    first = np.full(n_strata, math.nan)
    first[stratum[::-1]] = values[::-1]  # the first row's value in each stratum
    if not np.array_equal(first[stratum], values):
        raise AnalysisError(_("The fpc must be the same for every row of a stratum."))
    counts = bool((values > 1).any())
    if counts != bool((values >= 1).all()):
        raise AnalysisError(_("The fpc must be all population counts (> 1) or all sampling fractions (≤ 1)."))
    with np.errstate(divide="ignore"):
        population = first if counts else n_h / first
    if (population < n_h).any():
        label = labels[int(np.flatnonzero(population < n_h)[0])]
        raise AnalysisError(
            _("The fpc of stratum “%(stratum)s” is smaller than the number of clusters sampled in it.")
            % {"stratum": label}
        )
    return population
