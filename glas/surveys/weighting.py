"""A survey's answers ready for analysis: the data table, the (calibrated) design and its report.

``survey_analysis_frame(survey)`` reads the complete responses once (``response_table``, one
column per export variable), builds the sampling design the survey's ``SurveyWeighting`` names
(strata, first-stage clusters, finite population correction), calibrates the weights to the
population margins (post-stratification, raking or linear calibration, with R's semantics:
see ``glas.surveys.analysis.calibration``), trims them if asked, and keeps the result in the
cache. Without a weighting — or with one that changes nothing — the design gives every
response the weight 1 and ``weighted`` is false.

The cache key holds the survey's and the weighting's ``updated_at`` and the number, last
submission and highest id of the complete responses, so a new response, a withdrawn one, an
edit of the questionnaire or a new weighting all make a new frame; reading the key costs two
queries. A weighting that no longer fits the data (a new answer in a level the margins do not
cover, raking that no longer converges) does not break the pages: the frame falls back to equal
weights and ``problem`` says why, for the researcher's pages to show.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from glas.core.models import Settlement
from glas.surveys.analysis import AnalysisError, Design, Table, WeightingReport, make_design
from glas.surveys.analysis import calibration as cal
from glas.surveys.analysis.table import level_label
from glas.surveys.models import OTHER_CODE, Question, Response, Survey, SurveyWeighting
from glas.surveys.selectors import Structure, response_table, survey_structure

CACHE_SECONDS = 3600
# Questions whose answer is one code: they can be calibration, strata, cluster and domain variables.
CLOSED_TYPES = Question.SINGLE_CODE_TYPES
# Questions whose mean is meaningful (Likert codes are the scale points 1..n).
MEAN_TYPES = Question.NUMBER_TYPES | {"likert"}


@dataclass(frozen=True)
class VariableInfo:
    """What the analysis needs to know about one question: its wording and answer labels."""

    variable: str
    label: str
    type: str
    categories: tuple[tuple[str, str], ...] = ()  # (code, label) in questionnaire order

    @property
    def closed(self) -> bool:
        return self.type in CLOSED_TYPES

    @property
    def multiple(self) -> bool:
        return self.type == Question.Type.MULTIPLE

    @property
    def numeric(self) -> bool:
        return self.type in MEAN_TYPES

    def label_of(self, code: str) -> str:
        return dict(self.categories).get(code, code)


@dataclass(frozen=True)
class WeightingSettings:
    """The parts of a ``SurveyWeighting`` that build the design (also used to check a new one)."""

    method: str = SurveyWeighting.Method.NONE
    margins: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    strata_variable: str = ""
    cluster_variable: str = ""
    fpc: float | None = None
    epsilon: float = 1.0
    max_iterations: int = 10
    trim_lower: float | None = None
    trim_upper: float | None = None

    @classmethod
    def of(cls, weighting: SurveyWeighting) -> WeightingSettings:
        return cls(
            method=weighting.method,
            margins=weighting.margins or {},
            strata_variable=weighting.strata_variable,
            cluster_variable=weighting.cluster_variable,
            fpc=weighting.fpc,
            epsilon=weighting.epsilon,
            max_iterations=weighting.max_iterations,
            trim_lower=weighting.trim_lower,
            trim_upper=weighting.trim_upper,
        )

    @property
    def active(self) -> bool:
        return bool(
            self.method != SurveyWeighting.Method.NONE
            or self.strata_variable
            or self.cluster_variable
            or self.fpc
            or self.trim_lower is not None
            or self.trim_upper is not None
        )


@dataclass(frozen=True)
class AnalysisFrame:
    """The data and the design every estimate of a survey is computed from.

    ``weighted`` is true when a weighting was applied (calibration, design or trimming);
    ``report`` then describes what calibration and trimming did to the weights.
    ``method`` and ``margins_source`` say how, for the pages that show weighted figures."""

    table: Table
    design: Design
    report: WeightingReport | None
    weighted: bool
    variables: dict[str, VariableInfo] = field(default_factory=dict)
    method: str = SurveyWeighting.Method.NONE
    margins_source: str = ""
    problem: str = ""  # why a weighting that is set could not be applied (then weighted is False)
    margin_variables: tuple[str, ...] = ()  # calibrated to the population: their shares have no sampling error

    @property
    def n(self) -> int:
        return self.table.n_rows

    @property
    def method_label(self) -> str:
        return str(SurveyWeighting.Method(self.method).label)

    @property
    def effective_sample_size(self) -> float:
        weights = self.design.weights
        return float(weights.sum() ** 2 / np.square(weights).sum())


def level_key(table: Table, variable: str, code: object) -> str:
    """How a choice code is written as a level of the table's column: a column of numeric
    codes is numeric in the table, so its level "01" reads "1"."""
    text = str(code)
    if table.has(variable) and table.is_numeric(variable):
        try:
            number = float(text)
        except ValueError:
            return text
        if math.isfinite(number):
            return level_label(number)
    return text


def variable_infos(structure: Structure) -> dict[str, VariableInfo]:
    """Wording and answer labels of every question that can be analysed (not text, dates or notes)."""
    names: dict[str, str] = {}
    if structure.settlements:
        names = dict(
            Settlement.objects.filter(slug__in=structure.settlements)
            .order_by("kind", "name")
            .values_list("slug", "name")
        )
    infos: dict[str, VariableInfo] = {}
    for question in structure.questions:
        if question.type not in CLOSED_TYPES | MEAN_TYPES | {Question.Type.MULTIPLE}:
            continue
        if question.type == Question.Type.SETTLEMENT:
            categories = tuple(names.items())
        else:
            categories = tuple((choice.code, choice.label) for choice in question.choices.all())
            if question.allow_other:
                categories += ((OTHER_CODE, _("Other")),)
        infos[question.variable] = VariableInfo(question.variable, question.text, question.type, categories)
    return infos


def _relative_trim(design: Design, lower: float | None, upper: float | None) -> Design:
    mean = float(design.weights.mean())
    trimmed, _report = cal.trim_weights(
        design,
        lower=-math.inf if lower is None else lower * mean,
        upper=math.inf if upper is None else upper * mean,
    )
    return trimmed


def apply_weighting(table: Table, settings: WeightingSettings) -> tuple[Design, WeightingReport | None]:
    """The design and calibrated weights that ``settings`` describe, on ``table``; raises
    ``AnalysisError`` (translated) when they do not fit the data."""
    if table.n_rows == 0:
        raise AnalysisError(_("There are no complete responses to analyse yet."))
    design = make_design(
        table,
        ids=settings.cluster_variable or None,
        strata=settings.strata_variable or None,
        fpc=settings.fpc,
    )
    before = design.weights
    report: WeightingReport | None = None
    margins = {
        variable: {level_key(table, variable, code): count for code, count in counts.items()}
        for variable, counts in settings.margins.items()
    }
    iterations = 1
    if settings.method == SurveyWeighting.Method.POSTSTRATIFY:
        design, report = cal.poststratify(design, table, margins)
    elif settings.method == SurveyWeighting.Method.RAKE:
        design, report = cal.rake(design, table, margins, epsilon=settings.epsilon, maxit=settings.max_iterations)
        iterations = report.iterations
    elif settings.method == SurveyWeighting.Method.LINEAR:
        design, report = cal.calibrate_linear(design, table, margins=margins)
        if (design.weights <= 0).any():
            raise AnalysisError(
                _("Linear calibration gave some responses a negative or zero weight; use raking instead.")
            )
    if settings.trim_lower is not None or settings.trim_upper is not None:
        design = _relative_trim(design, settings.trim_lower, settings.trim_upper)
    if settings.active:
        method = report.method if report is not None else "design"
        report = WeightingReport.of(method, before, design.weights, iterations)
    return design, report


def build_analysis_frame(survey: Survey, weighting: SurveyWeighting | None) -> AnalysisFrame:
    """Read the complete responses and apply the weighting (no cache; see ``survey_analysis_frame``)."""
    structure = survey_structure(survey)
    names, rows = response_table(survey)
    table = Table.from_rows(names, rows)
    infos = variable_infos(structure)
    if table.n_rows == 0:
        raise AnalysisError(_("There are no complete responses to analyse yet."))
    settings = WeightingSettings.of(weighting) if weighting is not None else WeightingSettings()
    plain = make_design(table)
    if not settings.active:
        return AnalysisFrame(table, plain, None, False, infos)
    assert weighting is not None  # noqa: S101 - active settings come from a weighting
    try:
        design, report = apply_weighting(table, settings)
    except AnalysisError as error:
        return AnalysisFrame(table, plain, None, False, infos, problem=str(error))
    return AnalysisFrame(
        table,
        design,
        report,
        True,
        infos,
        weighting.method,
        weighting.margins_source,
        margin_variables=tuple(settings.margins),
    )


def frame_cache_key(survey: Survey, weighting: SurveyWeighting | None) -> str:
    stats = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1).aggregate(
        n=Count("id"), last=Max("submitted_at"), top=Max("id")
    )
    last = stats["last"].timestamp() if stats["last"] else 0
    changed = weighting.updated_at.timestamp() if weighting is not None else 0
    return f"surveys:frame:1:{survey.pk}:{survey.updated_at.timestamp()}:{changed}:{stats['n']}:{last}:{stats['top']}"


def survey_weighting(survey: Survey) -> SurveyWeighting | None:
    return SurveyWeighting.objects.filter(survey=survey).first()


def survey_analysis_frame(survey: Survey) -> AnalysisFrame:
    """The survey's analysis frame, from the cache when nothing changed (two queries then).
    Raises ``AnalysisError`` when there are no complete responses yet."""
    weighting = survey_weighting(survey)
    key = frame_cache_key(survey, weighting)
    frame: AnalysisFrame | None = cache.get(key)
    if frame is None:
        frame = build_analysis_frame(survey, weighting)
        cache.set(key, frame, CACHE_SECONDS)
    return frame


def report_rows(report: WeightingReport) -> list[dict[str, Any]]:
    """The weights before and after, row by row, for the report table."""
    return [
        {"label": _("Smallest weight"), "before": report.before.minimum, "after": report.after.minimum},
        {"label": _("Largest weight"), "before": report.before.maximum, "after": report.after.maximum},
        {"label": _("Mean weight"), "before": report.before.mean, "after": report.after.mean},
        {"label": _("Sum of the weights"), "before": report.before.total, "after": report.after.total},
        {
            "label": _("Largest to smallest weight"),
            "before": report.before.maximum / report.before.minimum if report.before.minimum > 0 else None,
            "after": report.after.maximum / report.after.minimum if report.after.minimum > 0 else None,
        },
    ]
