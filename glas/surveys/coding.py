"""Reads for coding open answers (the services are in ``services/coding.py``, the pages in
``views/coding.py``): which questions have text to code, the answers to code with everybody's
codes, disagreements between coders, and Cohen's kappa between two coders.

Which answers are coded: those of complete responses (first keying of paper questionnaires),
the same set the exports hold, with a non-empty text — the answer itself for short and long
text questions, the "other, please specify" text for choice questions.

The texts may hold names and other personal data that people wrote in: they are shown only on
pages behind ``surveys.code_answers`` and are never written to logs or audit entries.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from glas.surveys.models import Answer, Code, CodedAnswer, CodeFrame, Question, Response, Survey

FILTERS = ("all", "uncoded", "coded", "disagreements")


def frame_source(question: Question) -> str:
    return CodeFrame.Source.TEXT if question.type in Question.TEXT_TYPES else CodeFrame.Source.OTHER


def codable_questions(survey: Survey) -> list[Question]:
    """The questions with open text: short and long text, and choice questions with "other,
    please specify"; each with its code frame (or None) as ``frame`` and the number of answers
    with text to code as ``to_code``, in questionnaire order (one query)."""
    counted = Q(answers__response__status=Response.Status.COMPLETE, answers__response__entry_round=1)
    questions: list[Question] = list(
        Question.objects.filter(survey=survey)
        .filter(Q(type__in=Question.TEXT_TYPES) | Q(allow_other=True))
        .select_related("code_frame")
        .annotate(
            texts=Count("answers", filter=counted & ~Q(answers__text="")),
            others=Count("answers", filter=counted & ~Q(answers__other_text="")),
        )
        .order_by("section__position", "section_id", "position", "id")
    )
    for question in questions:
        question.frame = getattr(question, "code_frame", None)  # type: ignore[attr-defined]
        source = frame_source(question)
        question.to_code = question.others if source == CodeFrame.Source.OTHER else question.texts  # type: ignore[attr-defined]
    return questions


def codable_answers(question: Question) -> QuerySet[Answer]:
    """The answers with text to code (complete responses, first keying), oldest first."""
    answers = Answer.objects.filter(
        question=question, response__status=Response.Status.COMPLETE, response__entry_round=1
    )
    if frame_source(question) == CodeFrame.Source.OTHER:
        return answers.exclude(other_text="").order_by("response_id")
    return answers.exclude(text="").order_by("response_id")


def answer_text(answer: Answer, question: Question) -> str:
    return answer.other_text if frame_source(question) == CodeFrame.Source.OTHER else answer.text


def search_answers(answers: QuerySet[Answer], question: Question, words: str) -> QuerySet[Answer]:
    """Answers whose text holds ``words``. SQLite compares case only for Latin letters, so
    the lower-case, capitalised and upper-case forms are tried too (PostgreSQL needs none)."""
    column = "other_text" if frame_source(question) == CodeFrame.Source.OTHER else "text"
    forms = {words, words.lower(), words.capitalize(), words.upper()}
    condition = Q()
    for form in forms:
        condition |= Q(**{f"{column}__icontains": form})
    return answers.filter(condition)


@dataclass
class AnswerCodes:
    """Everybody's codes for one answer (code ids)."""

    by_coder: dict[int, set[int]] = field(default_factory=dict)
    adjudicated: set[int] = field(default_factory=set)

    def disagree(self) -> bool:
        sets = [frozenset(codes) for codes in self.by_coder.values()]
        return len(sets) >= 2 and len(set(sets)) > 1


def frame_codings(frame: CodeFrame, answer_ids: Iterable[int] | None = None) -> dict[int, AnswerCodes]:
    """Answer id → everybody's codes, in one query (all answers of the frame, or those given)."""
    rows = CodedAnswer.objects.filter(frame=frame)
    if answer_ids is not None:
        rows = rows.filter(answer_id__in=list(answer_ids))
    codings: dict[int, AnswerCodes] = {}
    for answer_id, coder_id, code_id, adjudicated in rows.values_list(
        "answer_id", "coder_id", "code_id", "adjudicated"
    ):
        entry = codings.setdefault(answer_id, AnswerCodes())
        if adjudicated:
            entry.adjudicated.add(code_id)
        else:
            entry.by_coder.setdefault(coder_id, set()).add(code_id)
    return codings


def coding_answers(frame: CodeFrame, question: Question, user: Any, *, show: str, words: str) -> QuerySet[Answer]:
    """The answers of the coding page after its filter (``FILTERS``: not yet coded by ``user``,
    coded by them, or where coders disagree) and its search words."""
    answers = codable_answers(question).only("id", "response_id", "question_id", "text", "other_text")
    mine = CodedAnswer.objects.filter(frame=frame, coder=user, adjudicated=False).values("answer_id")
    if show == "uncoded":
        answers = answers.exclude(pk__in=mine)
    elif show == "coded":
        answers = answers.filter(pk__in=mine)
    elif show == "disagreements":
        disagreeing = [answer_id for answer_id, codes in frame_codings(frame).items() if codes.disagree()]
        answers = answers.filter(pk__in=disagreeing)
    if words:
        answers = search_answers(answers, question, words)
    return answers


@dataclass
class CodingRow:
    """One answer on the coding page."""

    answer: Answer
    text: str
    mine: list[Code]
    final: list[Code]
    others: list[tuple[str, list[Code]]]  # (coder's name, codes) of the other coders
    adjudicated: bool
    disagree: bool
    next_id: int | None = None  # the answer after it on the page, where focus goes next


def coding_rows(frame: CodeFrame, question: Question, answers: Sequence[Answer], user: Any) -> list[CodingRow]:
    """The page's answers with their codes, in two queries (codings, then the coders' names)."""
    codes = {code.pk: code for code in frame.codes.all()}
    codings = frame_codings(frame, [answer.pk for answer in answers])
    coder_ids = {coder for entry in codings.values() for coder in entry.by_coder}
    names = _coder_names(coder_ids)

    def listed(ids: set[int]) -> list[Code]:
        return sorted((codes[pk] for pk in ids if pk in codes), key=lambda code: (code.position, code.value))

    rows = []
    for answer in answers:
        entry = codings.get(answer.pk, AnswerCodes())
        final = entry.adjudicated or entry.by_coder.get(frame.primary_coder_id or 0, set())
        others = [
            (names.get(coder, "?"), listed(ids)) for coder, ids in sorted(entry.by_coder.items()) if coder != user.pk
        ]
        rows.append(
            CodingRow(
                answer=answer,
                text=answer_text(answer, question),
                mine=listed(entry.by_coder.get(user.pk, set())),
                final=listed(final),
                others=others,
                adjudicated=bool(entry.adjudicated),
                disagree=entry.disagree(),
            )
        )
    for row, after in zip(rows, rows[1:], strict=False):
        row.next_id = after.answer.pk
    return rows


def _coder_names(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: str(getattr(user, "display_name", "") or user) for user in users}


def frame_progress(frame: CodeFrame, question: Question) -> dict[str, int]:
    """How many answers there are to code, and how many have a final code."""
    total = codable_answers(question).count()
    final = (
        CodedAnswer.objects.filter(frame=frame)
        .filter(Q(adjudicated=True) | Q(coder_id=frame.primary_coder_id, adjudicated=False))
        .values("answer_id")
        .distinct()
        .count()
    )
    return {"total": total, "final": final}


def frame_coders(frame: CodeFrame) -> list[tuple[int, str, int]]:
    """(user id, name, answers coded) for every coder of the frame, the primary coder first."""
    counts = (
        CodedAnswer.objects.filter(frame=frame, adjudicated=False)
        .values("coder_id")
        .annotate(answers=Count("answer_id", distinct=True))
    )
    per_coder = {row["coder_id"]: row["answers"] for row in counts}
    names = _coder_names(per_coder)
    return sorted(
        ((coder, names.get(coder, "?"), count) for coder, count in per_coder.items()),
        key=lambda row: (row[0] != frame.primary_coder_id, row[1]),
    )


# --- Agreement (Cohen's kappa) ------------------------------------------------------------------

# Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for categorical
# data. Biometrics 33(1), 159–174: the usual words for ranges of kappa.
BANDS = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def band_label(band: str) -> str:
    return {
        "poor": _("poor agreement"),
        "slight": _("slight agreement"),
        "fair": _("fair agreement"),
        "moderate": _("moderate agreement"),
        "substantial": _("substantial agreement"),
        "almost perfect": _("almost perfect agreement"),
        "undefined": _("not defined: both coders used one and the same code throughout"),
    }[band]


def landis_koch(kappa: float | None) -> str:
    """The Landis & Koch band of ``kappa``: below 0 poor, to 0.20 slight, to 0.40 fair, to 0.60
    moderate, to 0.80 substantial, above almost perfect."""
    if kappa is None:
        return "undefined"
    if kappa < 0:
        return "poor"
    for upper, name in BANDS[1:]:
        if kappa <= upper + 1e-12:
            return name
    return "almost perfect"


@dataclass(frozen=True)
class Agreement:
    """Agreement of two coders over the ``n`` answers both coded."""

    n: int
    observed: float
    expected: float
    kappa: float | None  # None when undefined (expected agreement 1)
    label: str = ""  # the code, for per-code agreement of multi-code frames

    @property
    def band(self) -> str:
        return landis_koch(self.kappa)

    @property
    def band_label(self) -> str:
        return band_label(self.band)


def cohen_kappa(first: Sequence[Any], second: Sequence[Any], *, label: str = "") -> Agreement:
    """Cohen's kappa of two raters' labels for the same items: (pₒ − pₑ) / (1 − pₑ), where pₒ
    is the share of items they gave the same label and pₑ the share expected by chance from
    each rater's own label frequencies (Σ over labels of p₁(label) · p₂(label))."""
    if len(first) != len(second):
        raise ValueError("both raters must label the same items")
    n = len(first)
    if n == 0:
        return Agreement(n=0, observed=math.nan, expected=math.nan, kappa=None, label=label)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_first: dict[Any, int] = {}
    counts_second: dict[Any, int] = {}
    for value in first:
        counts_first[value] = counts_first.get(value, 0) + 1
    for value in second:
        counts_second[value] = counts_second.get(value, 0) + 1
    expected = sum(count * counts_second.get(value, 0) for value, count in counts_first.items()) / (n * n)
    kappa = None if math.isclose(expected, 1.0) else (observed - expected) / (1 - expected)
    return Agreement(n=n, observed=observed, expected=expected, kappa=kappa, label=label)


def frame_agreement(frame: CodeFrame, first_coder: int, second_coder: int) -> list[Agreement]:
    """Agreement of two coders over the answers both coded: one kappa for a single-code frame,
    one per code (given / not given) when an answer may get several codes. One query."""
    codings = frame_codings(frame)
    both = sorted(
        answer_id
        for answer_id, entry in codings.items()
        if first_coder in entry.by_coder and second_coder in entry.by_coder
    )
    if not frame.multiple:
        first = [min(codings[answer_id].by_coder[first_coder]) for answer_id in both]
        second = [min(codings[answer_id].by_coder[second_coder]) for answer_id in both]
        return [cohen_kappa(first, second)]
    results = []
    for code in frame.codes.all():
        first = [code.pk in codings[answer_id].by_coder[first_coder] for answer_id in both]
        second = [code.pk in codings[answer_id].by_coder[second_coder] for answer_id in both]
        results.append(cohen_kappa(first, second, label=str(code)))
    return results
