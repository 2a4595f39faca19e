"""Results of a survey: frequencies of closed questions and summaries of numbers.

The shapes here (``ResultTable`` holding ``Frequency`` and ``NumericSummary`` items) are what
the public results page and the API share. ``base`` and every ``count`` are always unweighted
numbers of respondents; ``weighted`` says whether the percentages and means are estimates
weighted to the population, each then with its margin of error (``moe``, 95 %).

``survey_results(survey)`` computes unweighted results with aggregate queries (GROUP BY the
stored code or number; the JSON lists of multiple choice, matrix and ranking answers are read in
chunks). When the survey has a weighting (``SurveyWeighting``), ``weighted_result_table``
recomputes the percentages and means from the survey's analysis frame
(``glas.surveys.weighting``) with the statistics engine; ``cached_survey_results`` does both and
keeps the result in the cache.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from glas.core.models import Settlement
from glas.surveys.analysis import AnalysisError, Table, estimates
from glas.surveys.analysis.table import FloatArray
from glas.surveys.models import OTHER_CODE, Answer, Question, Response, Survey
from glas.surveys.selectors import Structure, survey_structure
from glas.surveys.weighting import AnalysisFrame, level_key, survey_analysis_frame, survey_weighting

CODE_TYPES = frozenset({"single", "dropdown", "yes_no", "likert", "settlement"})
JSON_TYPES = frozenset({"multiple", "matrix", "ranking"})
CHUNK = 2000


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    count: float
    percent: float  # of those who answered (for multiple choice: of those who answered, so
    # the percentages may add up to more than 100); weighted when the table is
    moe: float | None = None  # margin of error of the weighted percentage, in percentage points


@dataclass(frozen=True)
class Frequency:
    """The distribution of one closed question (or one matrix row, or rank 1 of a ranking)."""

    key: str  # unique within the table: the variable, or variable_row for a matrix row
    variable: str
    label: str
    type: str
    answered: float
    missing: float
    categories: list[Category]
    multiple: bool = False
    calibrated: bool = False  # weighted to the population figures of this very question: no sampling error

    @property
    def kind(self) -> str:
        return "frequency"


@dataclass(frozen=True)
class NumericSummary:
    key: str
    variable: str
    label: str
    type: str
    answered: float
    missing: float
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    moe: float | None = None  # margin of error of the weighted mean

    @property
    def kind(self) -> str:
        return "numeric"


@dataclass
class ResultTable:
    survey: Survey
    base: int  # complete responses (unweighted)
    weighted: bool = False
    items: list[Frequency | NumericSummary] = field(default_factory=list)
    method: str = ""  # the calibration method's label, when weighted
    margins_source: str = ""
    effective_sample_size: float | None = None


def _complete_answers(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(
        question__survey=survey, response__status=Response.Status.COMPLETE, response__entry_round=1
    )


def _labels(question: Question, settlements: Mapping[str, str]) -> dict[str, str]:
    if question.type == Question.Type.SETTLEMENT:
        return dict(settlements)
    labels = {choice.code: choice.label for choice in question.choices.all()}
    if question.allow_other:
        labels[OTHER_CODE] = _("Other")
    return labels


def _frequency(
    key: str,
    question: Question,
    label: str,
    counts: Mapping[str, float],
    labels: Mapping[str, str],
    base: int,
    *,
    answered: float | None = None,
    multiple: bool = False,
) -> Frequency:
    total = float(answered if answered is not None else sum(counts.values()))
    codes = list(labels) + sorted(code for code in counts if code not in labels)
    categories = [
        Category(
            code=code,
            label=labels.get(code, code),
            count=float(counts.get(code, 0)),
            percent=round(100 * counts.get(code, 0) / total, 1) if total else 0.0,
        )
        for code in codes
    ]
    return Frequency(
        key=key,
        variable=question.variable,
        label=label,
        type=question.type,
        answered=total,
        missing=float(base) - total,
        categories=categories,
        multiple=multiple,
    )


def _numeric(question: Question, distribution: Counter[Decimal], base: int) -> NumericSummary:
    answered = sum(distribution.values())
    if not answered:
        return NumericSummary(
            question.variable, question.variable, question.text, question.type, 0, base, None, None, None, None
        )
    values = sorted(distribution)
    total = sum(value * count for value, count in distribution.items())

    def nth(index: int) -> Decimal:
        seen = 0
        for value in values:
            seen += distribution[value]
            if index < seen:
                return value
        return values[-1]

    middle = answered // 2
    median = nth(middle) if answered % 2 else (nth(middle - 1) + nth(middle)) / 2
    return NumericSummary(
        key=question.variable,
        variable=question.variable,
        label=question.text,
        type=question.type,
        answered=float(answered),
        missing=float(base - answered),
        mean=round(float(total / answered), 2),
        median=float(median),
        minimum=float(values[0]),
        maximum=float(values[-1]),
    )


def survey_results(survey: Survey, *, structure: Structure | None = None) -> ResultTable:
    """Frequencies of every closed question and summaries of every numeric one, over complete
    responses, in a fixed number of queries whatever the number of responses. Open text and
    dates are not summarised (open answers are not published). Unweighted; see
    ``weighted_result_table``."""
    structure = structure or survey_structure(survey)
    base = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1).count()
    questions = [q for q in structure.questions if q.type in CODE_TYPES | JSON_TYPES | Question.NUMBER_TYPES]
    settlements: dict[str, str] = {}
    if any(q.type == Question.Type.SETTLEMENT for q in questions):
        settlements = dict(
            Settlement.objects.filter(slug__in=structure.settlements).order_by("name").values_list("slug", "name")
        )
    answers = _complete_answers(survey)
    codes: dict[int, Counter[str]] = {}
    for row in answers.filter(question__type__in=CODE_TYPES).values("question_id", "text").annotate(n=Count("id")):
        codes.setdefault(row["question_id"], Counter())[row["text"]] += row["n"]
    numbers: dict[int, Counter[Decimal]] = {}
    for row in (
        answers.filter(question__type__in=Question.NUMBER_TYPES, number__isnull=False)
        .values("question_id", "number")
        .annotate(n=Count("id"))
    ):
        numbers.setdefault(row["question_id"], Counter())[row["number"]] += row["n"]
    lists = _json_counts(answers, {q.pk: q for q in questions if q.type in JSON_TYPES})
    table = ResultTable(survey=survey, base=base)
    for question in questions:
        table.items.extend(_items(question, base, codes, numbers, lists, settlements))
    return table


CACHE_SECONDS = 600


def cached_survey_results(survey: Survey) -> ResultTable:
    """``survey_results`` — weighted when the survey has a weighting that applies — kept in the
    cache for the public page and the API, under a key that changes whenever the survey is
    edited, its weighting changes or a response is completed or withdrawn."""
    weighting = survey_weighting(survey)
    complete = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1).count()
    changed = weighting.updated_at.timestamp() if weighting is not None else 0
    # Per language: the table holds a translated label (the "Other" answer).
    key = f"surveys:results:{survey.pk}:{survey.updated_at.timestamp()}:{complete}:{changed}:{get_language()}"
    table = cache.get(key)
    if table is None:
        table = survey_results(survey)
        if weighting is not None and weighting.is_active and complete:
            frame = survey_analysis_frame(survey)
            if frame.weighted:
                table = weighted_result_table(table, frame)
        cache.set(key, table, CACHE_SECONDS)
    return table


def weighted_result_table(table: ResultTable, frame: AnalysisFrame) -> ResultTable:
    """The same table with weighted percentages and means, each with its margin of error
    (the counts stay unweighted numbers of respondents)."""
    items = [_weighted_item(item, frame) for item in table.items]
    return replace(
        table,
        weighted=True,
        items=items,
        method=frame.method_label,
        margins_source=frame.margins_source,
        effective_sample_size=round(frame.effective_sample_size, 1),
    )


def _weighted_item(item: Frequency | NumericSummary, frame: AnalysisFrame) -> Frequency | NumericSummary:
    data = frame.table
    try:
        if isinstance(item, NumericSummary):
            if not item.answered or not data.has(item.variable) or not data.is_numeric(item.variable):
                return item
            values = data.numeric(item.variable)
            result = estimates.mean(frame.design, values)
            return replace(
                item,
                mean=round(result.estimate, 2),
                median=_weighted_median(values, frame.design.weights),
                moe=round(estimates.Z_975 * result.se, 2),
            )
        if item.key in frame.margin_variables:
            categories = [
                replace(category, percent=round(100 * share, 1))
                for category, share in zip(item.categories, _exact_shares(data, item, frame), strict=True)
            ]
            return replace(item, categories=categories, calibrated=True)
        categories = []
        for category in item.categories:
            shares = _shares(data, item, category.code)
            if shares is None or np.isnan(shares).all():
                categories.append(category)
                continue
            result = estimates.mean(frame.design, shares)
            categories.append(
                replace(
                    category,
                    percent=round(100 * result.estimate, 1),
                    moe=round(100 * estimates.Z_975 * result.se, 1),
                )
            )
        return replace(item, categories=categories)
    except AnalysisError:
        return item


def _exact_shares(data: Table, item: Frequency, frame: AnalysisFrame) -> list[float]:
    """The weighted shares of a calibration variable (equal to the population figures)."""
    shares = []
    for category in item.categories:
        values = _shares(data, item, category.code)
        if values is None:
            shares.append(0.0)
            continue
        present = ~np.isnan(values)
        weights = frame.design.weights[present]
        shares.append(float((weights * values[present]).sum() / weights.sum()) if weights.sum() else 0.0)
    return shares


def _shares(data: Table, item: Frequency, code: str) -> FloatArray | None:
    """1 where the respondent gave ``code``, 0 where they answered otherwise, NaN if not asked."""
    if item.multiple:
        name = f"{item.variable}_{code}"
        if data.has(name) and data.is_numeric(name):
            return data.numeric(name)
        return None
    column = f"{item.variable}_1" if item.type == Question.Type.RANKING else item.key
    if not data.has(column):
        return None
    factor = data.factor(column)
    index = factor.code_of(level_key(data, column, code))
    values = (factor.codes == index).astype(np.float64) if index is not None else np.zeros(len(factor.codes))
    values[factor.missing] = math.nan
    return values


def _weighted_median(values: FloatArray, weights: FloatArray) -> float | None:
    present = ~np.isnan(values)
    if not present.any():
        return None
    order = np.argsort(values[present], kind="stable")
    sorted_values, sorted_weights = values[present][order], weights[present][order]
    cumulative = np.cumsum(sorted_weights)
    return float(sorted_values[int(np.searchsorted(cumulative, cumulative[-1] / 2))])


def _json_counts(answers: QuerySet[Answer], questions: Mapping[int, Question]) -> dict[str, Counter[str]]:
    """Counts keyed "<question id>" (answered), "<id>:<code>" or "<id>:<row>" → scale codes,
    read in chunks so memory stays bounded."""
    counts: dict[str, Counter[str]] = {}
    if not questions:
        return counts
    rows = answers.filter(question_id__in=list(questions)).values_list("question_id", "codes")
    for question_id, value in rows.iterator(chunk_size=CHUNK):
        question = questions[question_id]
        if not value:
            continue
        counts.setdefault(str(question_id), Counter())["answered"] += 1
        if question.type == Question.Type.MULTIPLE:
            counts.setdefault(f"{question_id}:", Counter()).update(set(value))
        elif question.type == Question.Type.RANKING:
            counts.setdefault(f"{question_id}:", Counter())[value[0]] += 1
        elif isinstance(value, dict):
            for row_code, scale_code in value.items():
                counts.setdefault(f"{question_id}:{row_code}", Counter())[scale_code] += 1
    return counts


def _items(
    question: Question,
    base: int,
    codes: Mapping[int, Counter[str]],
    numbers: Mapping[int, Counter[Decimal]],
    lists: Mapping[str, Counter[str]],
    settlements: Mapping[str, str],
) -> list[Frequency | NumericSummary]:
    if question.type in Question.NUMBER_TYPES:
        return [_numeric(question, numbers.get(question.pk, Counter()), base)]
    labels = _labels(question, settlements)
    if question.type in CODE_TYPES:
        return [_frequency(question.variable, question, question.text, codes.get(question.pk, Counter()), labels, base)]
    answered = lists.get(str(question.pk), Counter())["answered"]
    if question.type == Question.Type.MULTIPLE:
        chosen = lists.get(f"{question.pk}:", Counter())
        return [
            _frequency(
                question.variable, question, question.text, chosen, labels, base, answered=answered, multiple=True
            )
        ]
    if question.type == Question.Type.RANKING:
        first = lists.get(f"{question.pk}:", Counter())
        return [_frequency(question.variable, question, question.text, first, labels, base, answered=answered)]
    items: list[Frequency | NumericSummary] = []
    for row in question.rows.all():
        scale = lists.get(f"{question.pk}:{row.code}", Counter())
        label = f"{question.text}: {row.label}"
        items.append(_frequency(f"{question.variable}_{row.code}", question, label, scale, labels, base))
    return items


def result_table_as_dict(table: ResultTable) -> dict[str, Any]:
    """The table as plain data (the API's shape)."""
    items = []
    for item in table.items:
        data: dict[str, Any] = {
            "key": item.key,
            "variable": item.variable,
            "label": item.label,
            "type": item.type,
            "kind": item.kind,
            "answered": item.answered,
            "missing": item.missing,
        }
        if isinstance(item, Frequency):
            data["multiple"] = item.multiple
            data["calibrated"] = item.calibrated
            data["categories"] = [
                {"code": c.code, "label": c.label, "count": c.count, "percent": c.percent, "moe": c.moe}
                for c in item.categories
            ]
        else:
            data.update(mean=item.mean, median=item.median, minimum=item.minimum, maximum=item.maximum, moe=item.moe)
        items.append(data)
    weighting = None
    if table.weighted:
        weighting = {
            "method": table.method,
            "margins_source": table.margins_source,
            "effective_sample_size": table.effective_sample_size,
        }
    return {"base": table.base, "weighted": table.weighted, "weighting": weighting, "items": items}
