"""Findings: one estimate table of a survey, weighted when the survey has a weighting.

This is the interface the analysis page, the public results and the reports use::

    spec = FindingSpec.from_dict({"kind": "frequency", "variable": "q07_trust", "by": "q01_settlement"})
    finding = compute_finding(survey, spec)   # rows with estimate, SE, 95 % CI, MoE, unweighted n

and the templates ``surveys/_finding.html`` (the accessible table) and
``surveys/_finding_chart.html`` (an SVG bar chart with the confidence intervals as whiskers;
the table is its text alternative), both self-contained with a ``finding`` context variable.

Kinds:

* ``frequency`` — the share of each answer of a closed question (single choice, dropdown,
  yes/no, Likert, settlement) among those who answered it; for a multiple-choice question the
  share choosing each option (so the shares may add up to more than 100 %). With ``by``, within
  each answer of another closed question (domains, R's ``svyby``).
* ``mean`` — the mean of a number, a 0–10 scale or a Likert scale, optionally ``by`` domain.
* ``crosstab`` — ``variable`` (rows) × ``column``: the row percentages with their confidence
  intervals, and the Rao–Scott corrected test of independence (R's ``svychisq``, F statistic).

Every estimate comes from the analysis engine (``glas.surveys.analysis``) on the survey's
analysis frame (``glas.surveys.weighting``): a proportion is the mean of a 0/1 indicator, so
``proportion(frame.design, factor, level)`` gives the same figure. Confidence intervals are
``estimate ± 1.96 · SE``; for a proportion they are cut at 0 and 100 %. Counts (``n``,
``base``) are always the unweighted numbers of respondents, so a reader sees how many people
a figure rests on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from glas.surveys.analysis import AnalysisError, Design, crosstab, mean, mean_by
from glas.surveys.analysis.estimates import Z_975, Estimate
from glas.surveys.analysis.table import Factor, FloatArray, Table
from glas.surveys.charts import CHART
from glas.surveys.models import Survey
from glas.surveys.weighting import AnalysisFrame, VariableInfo, level_key, survey_analysis_frame

KINDS = ("frequency", "mean", "crosstab")
SPEC_KEYS = frozenset({"kind", "variable", "by", "column"})
# A figure is flagged as resting on few people when fewer than SMALL_BASE respondents answered
# the question in its group (the base of the percentage or mean) or, for a share, fewer than
# SMALL_CELL respondents gave the answer: such estimates are unstable and their confidence
# intervals (normal approximation) unreliable. The thresholds follow common practice of
# statistical offices (e.g. Eurostat's flag for unreliable cells).
SMALL_BASE = 30
SMALL_CELL = 5
SIGNIFICANCE = 0.05  # the level of the Rao–Scott test; p below it is called significant


# --- The specification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingSpec:
    kind: str  # "frequency" | "mean" | "crosstab"
    variable: str
    by: str | None = None
    column: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, variables: Mapping[str, VariableInfo] | None = None) -> FindingSpec:
        """Read a specification (JSON-like). Checks its shape always and, given the survey's
        ``variables`` (``frame.variables``), that the questions exist and suit the kind;
        ``compute_finding`` checks them in any case. Raises ``AnalysisError``."""
        if not isinstance(data, Mapping):
            raise AnalysisError(_("A finding is described by an object with “kind” and “variable”."))
        extra = sorted(str(key) for key in set(data) - SPEC_KEYS)
        if extra:
            raise AnalysisError(_("Unknown key “%(key)s” in the description of a finding.") % {"key": extra[0]})
        kind = data.get("kind")
        if kind not in KINDS:
            raise AnalysisError(
                _("Unknown kind of finding “%(kind)s”: choose frequency, mean or crosstab.") % {"kind": kind}
            )
        names: dict[str, str | None] = {}
        for key in ("variable", "by", "column"):
            value = data.get(key)
            if value in (None, "") and key != "variable":
                names[key] = None
            elif isinstance(value, str) and value:
                names[key] = value
            else:
                raise AnalysisError(_("“%(key)s” must name a question of the survey.") % {"key": key})
        variable = names["variable"]
        assert variable is not None  # noqa: S101 - checked just above
        spec = cls(kind=str(kind), variable=variable, by=names["by"], column=names["column"])
        if spec.kind == "crosstab" and spec.column is None:
            raise AnalysisError(_("A cross-tabulation needs a second question for its columns."))
        if spec.kind != "crosstab" and spec.column is not None:
            raise AnalysisError(_("Only a cross-tabulation has a column question."))
        if spec.kind == "crosstab" and spec.by is not None:
            raise AnalysisError(_("A cross-tabulation cannot be split by a third question."))
        if variables is not None:
            spec.check(variables)
        return spec

    def as_dict(self) -> dict[str, str]:
        data = {"kind": self.kind, "variable": self.variable}
        if self.by is not None:
            data["by"] = self.by
        if self.column is not None:
            data["column"] = self.column
        return data

    def check(self, variables: Mapping[str, VariableInfo]) -> None:
        """That the questions exist and suit the kind (``AnalysisError`` otherwise)."""
        info = _known(variables, self.variable)
        if self.kind == "frequency" and not (info.closed or info.multiple):
            raise AnalysisError(
                _("“%(variable)s” is not a closed question; the shares of answers need one.")
                % {"variable": self.variable}
            )
        if self.kind == "mean" and not info.numeric:
            raise AnalysisError(
                _("“%(variable)s” is not a number or a scale; a mean needs one.") % {"variable": self.variable}
            )
        if self.kind == "crosstab":
            for name in (self.variable, self.column or ""):
                if not _known(variables, name).closed:
                    raise AnalysisError(
                        _("“%(variable)s” is not a single-answer closed question; a cross-tabulation needs two.")
                        % {"variable": name}
                    )
            if self.column == self.variable:
                raise AnalysisError(_("Cross-tabulate two different questions."))
        if self.by is not None:
            if not _known(variables, self.by).closed:
                raise AnalysisError(
                    _("“%(variable)s” is not a single-answer closed question; groups need one.") % {"variable": self.by}
                )
            if self.by == self.variable:
                raise AnalysisError(_("Split the answers by a different question."))


def _known(variables: Mapping[str, VariableInfo], name: str) -> VariableInfo:
    info = variables.get(name)
    if info is None:
        raise AnalysisError(_("The survey has no question “%(variable)s” that can be analysed.") % {"variable": name})
    return info


# --- The result ----------------------------------------------------------------------------------


def _number(value: float, decimals: int) -> str:
    return number_format(round(value, decimals), decimals)


@dataclass(frozen=True)
class FindingRow:
    """One estimate: a share (``percent``: 0–1, shown as per cent) or a mean, in a domain."""

    domain: str | None  # the group's label (``by`` answer, or the row of a cross-tabulation)
    category: str | None  # the answer's label (None for a mean)
    n: int  # respondents in the cell (who gave this answer; for a mean, who answered)
    base: int  # respondents who answered the question in the domain
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    moe: float  # half the width of the 95 % confidence interval
    small: bool
    percent: bool = True
    row_percent: float | None = None  # cross-tabulation: per cent of the row (= 100 · estimate)
    column_percent: float | None = None  # cross-tabulation: per cent of the column
    code: str = ""
    domain_code: str | None = None

    def _shown(self, value: float) -> str:
        return f"{_number(100 * value, 1)}\u00a0%" if self.percent else _number(value, 2)

    @property
    def shown_estimate(self) -> str:
        return self._shown(self.estimate)

    @property
    def shown_ci(self) -> str:
        return f"{self._shown(self.ci_low)} – {self._shown(self.ci_high)}"

    @property
    def shown_moe(self) -> str:
        if self.percent:
            return "±\u00a0" + _("%(points)s pp") % {"points": _number(100 * self.moe, 1)}
        return f"±\u00a0{_number(self.moe, 2)}"

    @property
    def shown_column_percent(self) -> str:
        return "—" if self.column_percent is None else f"{_number(self.column_percent, 1)}\u00a0%"


@dataclass(frozen=True)
class RaoScottResult:
    """The Rao–Scott corrected test of independence of a cross-tabulation (second order, F)."""

    f: float
    df1: float
    df2: float
    p: float

    @property
    def computed(self) -> bool:
        return math.isfinite(self.p)

    @property
    def significant(self) -> bool:
        return self.computed and self.p < SIGNIFICANCE

    @property
    def shown_p(self) -> str:
        if not self.computed:
            return "—"
        return "< 0,001" if self.p < 0.001 else _number(self.p, 3)

    @property
    def statement(self) -> str:
        if not self.computed:
            return _("The test could not be computed for this table (too few answers in some groups).")
        if self.significant:
            return _(
                "The answers differ between the groups more than chance alone would readily explain "
                "(statistically significant at the 5 %% level, p = %(p)s)."
            ) % {"p": self.shown_p}
        return _(
            "The differences between the groups are not statistically significant at the 5 %% level "
            "(p = %(p)s): they may well be due to chance."
        ) % {"p": self.shown_p}


@dataclass(frozen=True)
class ChartBar:
    label: str
    y: int
    width: float
    low: float
    high: float
    value: str
    small: bool


@dataclass(frozen=True)
class Finding:
    spec: FindingSpec
    title: str  # the question's wording
    weighted: bool
    rows: list[FindingRow]
    columns: list[str] = field(default_factory=list)  # cross-tabulation: the column answers
    test: RaoScottResult | None = None
    by_title: str | None = None  # the wording of the ``by`` (or column) question
    column_title: str | None = None
    multiple: bool = False
    method: str = ""  # the calibration method's label, when weighted
    margins_source: str = ""
    effective_sample_size: float | None = None
    respondents: int = 0  # complete responses the figures rest on
    calibrated: bool = False  # the question's shares were set to the population figures by the weighting

    @property
    def key(self) -> str:
        parts = [self.spec.kind, self.spec.variable, self.spec.by or "", self.spec.column or ""]
        return "finding-" + "-".join(part for part in parts if part)

    @property
    def percent(self) -> bool:
        return self.spec.kind != "mean"

    @property
    def has_small(self) -> bool:
        return any(row.small for row in self.rows)

    @property
    def has_domains(self) -> bool:
        return any(row.domain is not None for row in self.rows)

    @property
    def groups(self) -> list[tuple[str | None, list[FindingRow]]]:
        """The rows grouped by domain, in order."""
        groups: list[tuple[str | None, list[FindingRow]]] = []
        for row in self.rows:
            if not groups or groups[-1][0] != row.domain:
                groups.append((row.domain, []))
            groups[-1][1].append(row)
        return groups

    @property
    def comparisons(self) -> int:
        """How many estimates are shown side by side (for the multiple-comparisons caveat)."""
        return len(self.rows)

    SMALL_BASE = SMALL_BASE  # for the templates
    SMALL_CELL = SMALL_CELL
    CHART_BAR = CHART.bar  # the drawing's geometry: surveys/charts.py
    CHART_ROW = CHART.row

    @property
    def chart(self) -> list[ChartBar]:
        """Bars (with whiskers for the 95 % CI) in SVG coordinates."""
        top = 1.0 if self.percent else max([row.ci_high for row in self.rows] + [row.estimate for row in self.rows])
        top = top if top > 0 else 1.0
        bars = []
        for index, row in enumerate(self.rows):
            scale = self.CHART_BAR / top
            label = " · ".join(part for part in (row.domain, row.category) if part) or self.title
            bars.append(
                ChartBar(
                    label=label,
                    y=index * self.CHART_ROW,
                    width=round(max(row.estimate, 0) * scale, 1),
                    low=round(max(row.ci_low, 0) * scale, 1),
                    high=round(min(max(row.ci_high, 0), top) * scale, 1),
                    value=row.shown_estimate,
                    small=row.small,
                )
            )
        return bars

    @property
    def chart_height(self) -> int:
        return max(len(self.rows), 1) * self.CHART_ROW + 4

    @property
    def chart_width(self) -> int:
        return CHART.width


# --- Computing -----------------------------------------------------------------------------------


def compute_finding(survey: Survey, spec: FindingSpec) -> Finding:
    """The finding ``spec`` describes, on the survey's (cached) analysis frame. Raises
    ``AnalysisError`` for a question that does not suit the kind or data that cannot give it."""
    return finding_from_frame(survey_analysis_frame(survey), spec)


def finding_from_frame(frame: AnalysisFrame, spec: FindingSpec) -> Finding:
    spec.check(frame.variables)
    info = frame.variables[spec.variable]
    by = frame.variables[spec.by] if spec.by else None
    columns: list[str] = []
    test: RaoScottResult | None = None
    column = frame.variables[spec.column] if spec.column else None
    if spec.kind == "frequency":
        rows = _frequency(frame, info, by)
    elif spec.kind == "mean":
        rows = _mean(frame, info, by)
    else:
        assert column is not None  # noqa: S101 - a crosstab spec always has a column
        rows, columns, test = _crosstab(frame, info, column)
    return Finding(
        spec=spec,
        title=info.label,
        weighted=frame.weighted,
        rows=rows,
        columns=columns,
        test=test,
        by_title=by.label if by else (column.label if column else None),
        column_title=column.label if column else None,
        multiple=info.multiple and spec.kind == "frequency",
        method=frame.method_label if frame.weighted else "",
        margins_source=frame.margins_source if frame.weighted else "",
        effective_sample_size=frame.effective_sample_size if frame.weighted else None,
        respondents=frame.n,
        calibrated=spec.kind == "frequency" and spec.by is None and spec.variable in frame.margin_variables,
    )


@dataclass(frozen=True)
class _Level:
    code: str
    label: str
    index: int  # the factor's code of this level, -1 when nobody gave it


def _levels(table: Table, info: VariableInfo, factor: Factor, *, present_only: bool = False) -> list[_Level]:
    """The answers of a closed question in questionnaire order, then any other code in the data."""
    levels: list[_Level] = []
    seen: set[int] = set()
    for code, label in info.categories:
        index = factor.code_of(level_key(table, info.variable, code))
        if index is None and present_only:
            continue
        levels.append(_Level(code, label, -1 if index is None else index))
        if index is not None:
            seen.add(index)
    for index, level in enumerate(factor.levels):
        if index not in seen:
            levels.append(_Level(level, level, index))
    return levels


def _indicator(factor: Factor, index: int) -> FloatArray:
    values = (factor.codes == index).astype(np.float64) if index >= 0 else np.zeros(len(factor.codes))
    values[factor.missing] = math.nan
    return values


def _row(
    estimate: Estimate, *, n: int, percent: bool, domain: _Level | None, category: _Level | None, **extra: Any
) -> FindingRow:
    value, se = estimate.estimate, estimate.se
    low, high = value - Z_975 * se, value + Z_975 * se
    if percent:
        low, high = max(low, 0.0), min(high, 1.0)
    small = estimate.n < SMALL_BASE or (percent and n < SMALL_CELL)
    return FindingRow(
        domain=domain.label if domain else None,
        category=category.label if category else None,
        n=n,
        base=estimate.n,
        estimate=value,
        se=se,
        ci_low=low,
        ci_high=high,
        moe=Z_975 * se,
        small=small,
        percent=percent,
        code=category.code if category else "",
        domain_code=domain.code if domain else None,
        **extra,
    )


def _estimates(
    design: Design, y: FloatArray, domains: list[_Level] | None, by: Factor | None
) -> list[tuple[_Level | None, Estimate, np.ndarray[Any, Any] | None]]:
    """The mean of ``y`` overall, or in each domain (with the domain's rows)."""
    if domains is None or by is None:
        if np.isnan(y).all():
            return []
        return [(None, mean(design, y), None)]
    results = mean_by(design, y, by)
    out: list[tuple[_Level | None, Estimate, np.ndarray[Any, Any] | None]] = []
    for level in domains:
        estimate = results[by.levels[level.index]]
        if estimate.n:
            out.append((level, estimate, by.codes == level.index))
    return out


def _domains(frame: AnalysisFrame, by: VariableInfo | None) -> tuple[list[_Level] | None, Factor | None]:
    if by is None:
        return None, None
    factor = frame.table.factor(by.variable)
    return _levels(frame.table, by, factor, present_only=True), factor


def _frequency(frame: AnalysisFrame, info: VariableInfo, by: VariableInfo | None) -> list[FindingRow]:
    table, design = frame.table, frame.design
    domains, by_factor = _domains(frame, by)
    series: list[tuple[_Level, FloatArray]] = []
    if info.multiple:
        for code, label in info.categories:
            name = f"{info.variable}_{code}"
            if table.has(name) and table.is_numeric(name):
                series.append((_Level(code, label, -1), table.numeric(name)))
    else:
        factor = table.factor(info.variable)
        series = [(level, _indicator(factor, level.index)) for level in _levels(table, info, factor)]
    cells: list[FindingRow] = []
    for category, y in series:
        for domain, estimate, rows in _estimates(design, y, domains, by_factor):
            chosen = y == 1 if rows is None else (y == 1) & rows
            cells.append(_row(estimate, n=int(chosen.sum()), percent=True, domain=domain, category=category))
    if domains is None:
        return cells
    order = {level.code: position for position, level in enumerate(domains)}
    return sorted(cells, key=lambda row: order.get(row.domain_code or "", 0))


def _mean(frame: AnalysisFrame, info: VariableInfo, by: VariableInfo | None) -> list[FindingRow]:
    y = frame.table.numeric(info.variable)
    domains, by_factor = _domains(frame, by)
    return [
        _row(estimate, n=estimate.n, percent=False, domain=domain, category=None)
        for domain, estimate, _rows in _estimates(frame.design, y, domains, by_factor)
    ]


def _crosstab(
    frame: AnalysisFrame, info: VariableInfo, column: VariableInfo
) -> tuple[list[FindingRow], list[str], RaoScottResult]:
    table, design = frame.table, frame.design
    row_factor, column_factor = table.factor(info.variable), table.factor(column.variable)
    result = crosstab(design, row_factor, column_factor)
    row_levels = _levels(table, info, row_factor, present_only=True)
    column_levels = _levels(table, column, column_factor, present_only=True)
    in_rows = {label: i for i, label in enumerate(result.row_levels)}
    in_columns = {label: j for j, label in enumerate(result.column_levels)}
    row_levels = [level for level in row_levels if row_factor.levels[level.index] in in_rows]
    column_levels = [level for level in column_levels if column_factor.levels[level.index] in in_columns]
    with np.errstate(divide="ignore", invalid="ignore"):
        column_pct = 100 * result.weighted / result.weighted.sum(axis=0, keepdims=True)
    rows: list[FindingRow] = []
    shares = {
        level.index: mean_by(design, _indicator(column_factor, level.index), row_factor) for level in column_levels
    }
    for row_level in row_levels:
        i = in_rows[row_factor.levels[row_level.index]]
        for column_level in column_levels:
            j = in_columns[column_factor.levels[column_level.index]]
            estimate = shares[column_level.index][row_factor.levels[row_level.index]]
            cell = _row(
                estimate,
                n=int(result.unweighted[i, j]),
                percent=True,
                domain=row_level,
                category=column_level,
                row_percent=100 * estimate.estimate,
                column_percent=float(column_pct[i, j]) if math.isfinite(column_pct[i, j]) else None,
            )
            rows.append(replace(cell, base=int(result.unweighted[i].sum())))
    test = RaoScottResult(f=result.f, df1=result.ndf, df2=result.ddf, p=result.p_f)
    return rows, [level.label for level in column_levels], test
