"""Results of a survey: frequencies of closed questions and summaries of numbers.

The shapes here (``ResultTable`` holding ``Frequency`` and ``NumericSummary`` items) are what
the public results page, the API and, later, the weighted analysis share. Counts are floats so
that a weighted count fits the same field; ``weighted`` says which kind a table holds and
``base`` is always the unweighted number of complete responses.

``survey_results(survey, weights=None)`` computes unweighted results with aggregate queries
(GROUP BY the stored code or number; the JSON lists of multiple choice, matrix and ranking
answers are read in chunks). The weighting engine of the next issue will call it with
``weights`` — a mapping of response id to weight — and fill the same dataclasses; until then a
non-None ``weights`` is refused rather than silently ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from glas.core.models import Settlement
from glas.surveys.models import OTHER_CODE, Answer, Question, Response, Survey
from glas.surveys.selectors import Structure, survey_structure

CODE_TYPES = frozenset({"single", "dropdown", "yes_no", "likert", "settlement"})
JSON_TYPES = frozenset({"multiple", "matrix", "ranking"})
CHUNK = 2000


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    count: float
    percent: float  # of those who answered (for multiple choice: of those who answered, so
    # the percentages may add up to more than 100)


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

    @property
    def kind(self) -> str:
        return "numeric"


@dataclass
class ResultTable:
    survey: Survey
    base: int  # complete responses (unweighted)
    weighted: bool = False
    items: list[Frequency | NumericSummary] = field(default_factory=list)


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


def survey_results(
    survey: Survey, *, weights: Mapping[int, float] | None = None, structure: Structure | None = None
) -> ResultTable:
    """Frequencies of every closed question and summaries of every numeric one, over complete
    responses, in a fixed number of queries whatever the number of responses. Open text and
    dates are not summarised (open answers are not published)."""
    if weights is not None:
        raise NotImplementedError("Weighted results come with the weighting engine.")
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
    """``survey_results`` kept in the cache for the public page and the API, under a key that
    changes whenever the survey is edited or a response is completed or withdrawn."""
    complete = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1).count()
    key = f"surveys:results:{survey.pk}:{survey.updated_at.timestamp()}:{complete}"
    table = cache.get(key)
    if table is None:
        table = survey_results(survey)
        cache.set(key, table, CACHE_SECONDS)
    return table


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
            data["categories"] = [
                {"code": c.code, "label": c.label, "count": c.count, "percent": c.percent} for c in item.categories
            ]
        else:
            data.update(mean=item.mean, median=item.median, minimum=item.minimum, maximum=item.maximum)
        items.append(data)
    return {"base": table.base, "weighted": table.weighted, "items": items}
