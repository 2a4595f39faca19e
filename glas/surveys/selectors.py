"""Reads for surveys: the questionnaire's structure, a response's values, the flat data table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import Count, Prefetch, QuerySet

from glas.core.models import Settlement
from glas.core.selectors import current_municipality_or_none
from glas.surveys import logic
from glas.surveys.models import (
    OTHER_CODE,
    Answer,
    Choice,
    Code,
    CodedAnswer,
    CodeFrame,
    MatrixRow,
    Question,
    Quota,
    QuotaCell,
    Response,
    Section,
    Survey,
    SurveyReport,
)


def settlement_slugs() -> list[str]:
    """The settlements of the municipality this installation serves, as answer codes."""
    municipality = current_municipality_or_none()
    if municipality is None:
        return []
    return list(Settlement.objects.filter(municipality=municipality).values_list("slug", flat=True))


@dataclass
class Structure:
    """A survey's sections and questions in questionnaire order, choices and rows loaded."""

    survey: Survey
    sections: list[Section]
    questions: list[Question]
    settlements: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def frames(self) -> dict[int, CodeFrame]:
        """Question id → its code frame, codes loaded in order (read on first use: two queries)."""
        frames = CodeFrame.objects.filter(question__survey=self.survey).prefetch_related(
            Prefetch("codes", queryset=Code.objects.order_by("position", "value"))
        )
        return {frame.question_id: frame for frame in frames}

    @property
    def by_variable(self) -> dict[str, Question]:
        return {question.variable: question for question in self.questions}

    @property
    def by_id(self) -> dict[int, Question]:
        return {question.pk: question for question in self.questions}

    def order_of(self, question: Question) -> tuple[int, int]:
        return (self._section_position(question.section_id), question.position)

    def _section_position(self, section_id: int) -> int:
        return next(section.position for section in self.sections if section.pk == section_id)

    def infos(self) -> dict[str, logic.QuestionInfo]:
        return {
            question.variable: logic.QuestionInfo(
                variable=question.variable,
                order=self.order_of(question),
                type=question.type,
                codes=self.codes_of(question),
            )
            for question in self.questions
        }

    def codes_of(self, question: Question) -> frozenset[str]:
        if question.type == Question.Type.SETTLEMENT:
            return self.settlements
        codes = {choice.code for choice in question.choices.all()}
        if question.allow_other:
            codes.add(OTHER_CODE)
        return frozenset(codes)

    def nodes(self) -> list[logic.Node]:
        nodes: list[logic.Node] = []
        for section in self.sections:
            nodes.append(logic.Node(variable="", section_key=section.pk, logic=section.logic))
            nodes.extend(
                logic.Node(variable=question.variable, section_key=section.pk, logic=question.logic)
                for question in self.questions
                if question.section_id == section.pk
            )
        return nodes


def survey_structure(survey: Survey) -> Structure:
    """The questionnaire in a fixed number of queries, whatever its size."""
    sections = list(Section.objects.filter(survey=survey).order_by("position", "id"))
    questions = list(
        Question.objects.filter(survey=survey)
        .order_by("section__position", "section_id", "position", "id")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id")),
            Prefetch("rows", queryset=MatrixRow.objects.order_by("position", "id")),
        )
    )
    needs_settlements = any(question.type == Question.Type.SETTLEMENT for question in questions)
    return Structure(
        survey=survey,
        sections=sections,
        questions=questions,
        settlements=frozenset(settlement_slugs()) if needs_settlements else frozenset(),
    )


def response_values(response: Response, structure: Structure) -> dict[str, Any]:
    """Variable → typed value of the stored answers of ``response``."""
    by_id = structure.by_id
    values: dict[str, Any] = {}
    for answer in Answer.objects.filter(response=response):
        question = by_id.get(answer.question_id)
        if question is not None and question.storage:
            values[question.variable] = getattr(answer, question.storage)
    return values


def visible_questions(structure: Structure, values: dict[str, Any]) -> set[str]:
    return logic.visible_variables(structure.nodes(), values)


def surveys_for_design() -> QuerySet[Survey]:
    return Survey.objects.select_related("owner", "wave_of").order_by("-created_at", "-id")


def quota_cells(survey: Survey) -> QuerySet[QuotaCell]:
    return QuotaCell.objects.filter(quota__survey=survey).select_related("quota").order_by("quota_id", "key")


def quotas_of(survey: Survey) -> list[Quota]:
    return list(Quota.objects.filter(survey=survey).prefetch_related("cells").order_by("id"))


CODED = ":"  # parts of coded columns start with it (no choice code, row code or rank can)


def export_columns(structure: Structure, *, coded: bool = True) -> list[tuple[str, Question, str]]:
    """The flat export variables: (column name, question, part). ``part`` is "" for the
    question's own value, a choice code (multiple choice, 0/1), a row code (matrix), a rank
    number (ranking) or ``other`` for "please specify".

    With ``coded``, a question with a code frame is followed by its coded open answers:
    ``<var>_code`` (part ``:code``, the code's number) for a single-code frame, or one 0/1
    column ``<var>_c<code>`` per code (part ``:c<code>``) when an answer may get several."""
    columns = _question_columns(structure)
    if not coded or not structure.frames:
        return columns
    taken = {name for name, _question, _part in columns}
    with_codes: list[tuple[str, Question, str]] = []
    for index, column in enumerate(columns):
        with_codes.append(column)
        question = column[1]
        last_of_question = index + 1 == len(columns) or columns[index + 1][1] is not question
        frame = structure.frames.get(question.pk)
        if frame is None or not last_of_question or not _has_open_text(question):
            continue
        parts = [f"{CODED}c{code.value}" for code in frame.codes.all()] if frame.multiple else [f"{CODED}code"]
        for part in parts:
            name = f"{question.variable}_{part[1:]}"
            while name in taken:
                name += "_"
            taken.add(name)
            with_codes.append((name, question, part))
    return with_codes


def _has_open_text(question: Question) -> bool:
    """Whether the question still has text to code (its type or "other" may change in draft)."""
    return question.type in Question.TEXT_TYPES or question.allow_other


def _question_columns(structure: Structure) -> list[tuple[str, Question, str]]:
    columns: list[tuple[str, Question, str]] = []
    for question in structure.questions:
        name = question.variable
        if question.type == Question.Type.NOTE:
            continue
        if question.type == Question.Type.MULTIPLE:
            columns.extend((f"{name}_{choice.code}", question, choice.code) for choice in question.choices.all())
        elif question.type == Question.Type.MATRIX:
            columns.extend((f"{name}_{row.code}", question, row.code) for row in question.rows.all())
        elif question.type == Question.Type.RANKING:
            count = len(question.choices.all())
            columns.extend((f"{name}_{rank}", question, str(rank)) for rank in range(1, count + 1))
        else:
            columns.append((name, question, ""))
        if question.allow_other:
            columns.append((f"{name}_{OTHER_CODE}", question, OTHER_CODE))
    return columns


RESPONSE_CHUNK = 1000


class AnswerRow(NamedTuple):
    """The stored columns of an ``Answer``, read without building model instances."""

    response_id: int
    question_id: int
    text: str
    number: Any
    date: Any
    codes: Any
    other_text: str


@dataclass(frozen=True)
class ResponseRecord:
    """One response as exports read it: its metadata and one value per export column.

    ``number`` counts responses 1, 2, … in the order they were started (never the database id);
    ``hidden`` names the questions that display logic hid from this respondent (their values
    are missing because they were not asked, not because they were skipped)."""

    number: int
    channel: str
    status: str
    submitted_at: Any
    entry_round: int
    values: list[Any]
    hidden: frozenset[str]


def response_records(
    structure: Structure, *, complete_only: bool = True, chunk_size: int = RESPONSE_CHUNK, with_hidden: bool = False
) -> Iterator[ResponseRecord]:
    """The survey's responses, ``chunk_size`` at a time (two queries per chunk: the responses
    by primary-key range, then their answers), so memory stays bounded whatever the size.
    ``with_hidden`` works out, per response, which questions display logic hid (else
    ``hidden`` stays empty)."""
    columns = export_columns(structure)
    coded_frames = {question.pk for _name, question, part in columns if part.startswith(CODED)}
    nodes = structure.nodes()
    has_logic = with_hidden and any(node.logic for node in nodes)
    responses = Response.objects.filter(survey=structure.survey)
    if complete_only:
        # Second keyings of paper questionnaires only check the first (see entry_mismatches).
        responses = responses.filter(status=Response.Status.COMPLETE, entry_round=1)
    responses = responses.only("id", "channel", "status", "submitted_at", "entry_round").order_by("pk")
    by_id = structure.by_id
    number, last = 0, 0
    while True:
        chunk = list(responses.filter(pk__gt=last)[:chunk_size])
        if not chunk:
            return
        last = chunk[-1].pk
        answers: dict[int, dict[int, AnswerRow]] = {}
        rows = Answer.objects.filter(response_id__in=[response.pk for response in chunk]).values_list(
            *AnswerRow._fields
        )
        for row in rows:
            answer = AnswerRow(*row)
            answers.setdefault(answer.response_id, {})[answer.question_id] = answer
        codes = final_codes(structure, [response.pk for response in chunk]) if coded_frames else {}
        for response in chunk:
            number += 1
            mine = answers.get(response.pk, {})
            hidden: frozenset[str] = frozenset()
            if has_logic:
                values = {
                    by_id[qid].variable: getattr(answer, by_id[qid].storage)
                    for qid, answer in mine.items()
                    if qid in by_id and by_id[qid].storage
                }
                shown = logic.visible_variables(nodes, values)
                hidden = frozenset(q.variable for q in structure.questions if q.variable not in shown)
            yield ResponseRecord(
                number=number,
                channel=response.channel,
                status=response.status,
                submitted_at=response.submitted_at,
                entry_round=response.entry_round,
                values=[
                    _coded_cell(codes.get((response.pk, question.pk)), part)
                    if part.startswith(CODED)
                    else _cell(mine.get(question.pk), question, part)
                    for _name, question, part in columns
                ],
                hidden=hidden,
            )


def response_table(survey: Survey, *, complete_only: bool = True) -> tuple[list[str], Iterator[list[Any]]]:
    """Column names and an iterator of rows, one per response: what exports and the analysis
    read. Multiple choice gives 0/1 per code (missing when the question was not answered);
    matrix one column per row; ranking the code at each rank; coded open answers their final
    code (see ``export_columns``). Rows are read in chunks (see ``response_records``), in the
    order the responses were started."""
    structure = survey_structure(survey)
    columns = export_columns(structure)

    def rows() -> Iterator[list[Any]]:
        for record in response_records(structure, complete_only=complete_only):
            yield record.values

    return [name for name, _question, _part in columns], rows()


def final_codes(structure: Structure, response_ids: list[int]) -> dict[tuple[int, int], set[int]]:
    """(response id, question id) → the final code numbers of its coded open answer, in one
    query: the adjudicated codes where a researcher settled a disagreement, otherwise those of
    the frame's primary coder. Answers only other coders have coded have no final code."""
    frames = {frame.pk: frame for frame in structure.frames.values()}
    rows = CodedAnswer.objects.filter(frame_id__in=list(frames), answer__response_id__in=response_ids).values_list(
        "answer__response_id", "frame_id", "code__value", "coder_id", "adjudicated"
    )
    adjudicated: dict[tuple[int, int], set[int]] = {}
    primary: dict[tuple[int, int], set[int]] = {}
    for response_id, frame_id, value, coder_id, settled in rows:
        frame = frames[frame_id]
        key = (response_id, frame.question_id)
        if settled:
            adjudicated.setdefault(key, set()).add(value)
        elif coder_id == frame.primary_coder_id:
            primary.setdefault(key, set()).add(value)
    return primary | adjudicated


def _coded_cell(codes: set[int] | None, part: str) -> Any:
    """A coded column: the code's number (single-code frame) or 0/1 for the code ``:c<n>``;
    missing when the answer has no final code."""
    if not codes:
        return None
    if part == f"{CODED}code":
        return min(codes)
    return 1 if int(part[len(CODED) + 1 :]) in codes else 0


def _cell(answer: AnswerRow | Answer | None, question: Question, part: str) -> Any:
    if answer is None:
        return None
    if part == OTHER_CODE and question.allow_other:
        return answer.other_text or None
    if question.type == Question.Type.MULTIPLE:
        return 1 if part in (answer.codes or []) else 0
    if question.type == Question.Type.MATRIX:
        return (answer.codes or {}).get(part)
    if question.type == Question.Type.RANKING:
        ranked = answer.codes or []
        index = int(part) - 1
        return ranked[index] if index < len(ranked) else None
    return getattr(answer, question.storage) if question.storage else None


# --- Design (views/design.py) ---------------------------------------------------------------


def surveys_with_response_counts(*, status: str = "") -> QuerySet[Survey]:
    """Surveys for the designer's list, newest first, with their complete and in-progress
    response counts in the same query."""
    from django.db.models import Count, Q

    surveys = surveys_for_design().annotate(
        complete_count=Count("responses", filter=Q(responses__status=Response.Status.COMPLETE)),
        in_progress_count=Count("responses", filter=Q(responses__status=Response.Status.IN_PROGRESS)),
    )
    return surveys.filter(status=status) if status else surveys


# --- Respondents and entry (views/respond.py, views/entry.py) -------------------------------


def surveys_with_published_results(limit: int = 20) -> list[Survey]:
    """The latest surveys whose results are public (not drafts), newest first."""
    return list(
        Survey.objects.filter(results_published=True)
        .exclude(status=Survey.Status.DRAFT)
        .order_by("-fieldwork_end", "-created_at", "-id")[:limit]
    )


def open_surveys() -> QuerySet[Survey]:
    """Surveys in fieldwork today (the dates are checked in the database)."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        Survey.objects.filter(status=Survey.Status.FIELDWORK)
        .exclude(fieldwork_start__gt=today)
        .exclude(fieldwork_end__lt=today)
        .order_by("fieldwork_end", "-created_at", "-id")
    )


def response_others(response: Response) -> dict[int, str]:
    """Question id → "please specify" text of the stored answers of ``response``."""
    return dict(
        Answer.objects.filter(response=response).exclude(other_text="").values_list("question_id", "other_text")
    )


def visible_sections(structure: Structure, shown: set[str]) -> list[Section]:
    """The sections with at least one question shown (``shown`` from ``visible_questions``)."""
    with_shown = {question.section_id for question in structure.questions if question.variable in shown}
    return [section for section in structure.sections if section.pk in with_shown]


def surveys_for_entry(user: Any) -> QuerySet[Survey]:
    """Surveys in fieldwork, with the number of responses ``user`` has entered in each."""
    from django.db.models import Count, Q

    return Survey.objects.filter(status=Survey.Status.FIELDWORK).annotate(
        my_entries=Count(
            "responses",
            filter=Q(responses__interviewer=user, responses__channel__in=Response.ENTERED_CHANNELS),
        )
    )


def unfinished_entries(user: Any, limit: int = 50) -> list[Response]:
    """Entries ``user`` started and has not finished, newest first."""
    return list(
        Response.objects.filter(
            interviewer=user, status=Response.Status.IN_PROGRESS, channel__in=Response.ENTERED_CHANNELS
        )
        .select_related("survey")
        .order_by("-started_at", "-id")[:limit]
    )


@dataclass
class DoubleEntryReport:
    """Questionnaires keyed twice whose values differ, and those keyed only once."""

    mismatches: list[tuple[str, list[tuple[str, Any, Any]]]]  # (paper ref, [(column, round 1, round 2)])
    matched: list[str]
    single: list[tuple[str, int]]  # (paper ref, the round it was keyed in)


def double_entry_mismatches(survey: Survey) -> DoubleEntryReport:
    """For each questionnaire number keyed in both rounds, the export columns whose values
    differ; in a fixed number of queries, whatever the number of questionnaires."""
    structure = survey_structure(survey)
    columns = export_columns(structure, coded=False)
    keyed = Response.objects.filter(survey=survey, channel__in=Response.ENTERED_CHANNELS).exclude(paper_ref="")
    responses = list(keyed.only("id", "paper_ref", "entry_round").order_by("paper_ref", "entry_round"))
    answers: dict[int, dict[int, Answer]] = {}
    for answer in Answer.objects.filter(response__in=keyed.values("id")):
        answers.setdefault(answer.response_id, {})[answer.question_id] = answer
    by_ref: dict[str, dict[int, Response]] = {}
    for response in responses:
        by_ref.setdefault(response.paper_ref, {})[response.entry_round] = response
    report = DoubleEntryReport(mismatches=[], matched=[], single=[])
    for ref, rounds in sorted(by_ref.items()):
        if set(rounds) != {1, 2}:
            report.single.append((ref, next(iter(rounds))))
            continue
        first, second = answers.get(rounds[1].pk, {}), answers.get(rounds[2].pk, {})
        differences = []
        for name, question, part in columns:
            one = _cell(first.get(question.pk), question, part)
            two = _cell(second.get(question.pk), question, part)
            if one != two:
                differences.append((name, one, two))
        if differences:
            report.mismatches.append((ref, differences))
        else:
            report.matched.append(ref)
    return report


def published_reports(*, survey: Survey | None = None, limit: int = 20) -> list[SurveyReport]:
    """The latest published reports (of one survey, or of any), newest first, with their survey."""
    reports = SurveyReport.objects.filter(status=SurveyReport.Status.PUBLISHED).select_related("survey")
    if survey is not None:
        reports = reports.filter(survey=survey)
    return list(reports.order_by("-published_at", "-id")[:limit])


def survey_reports(survey: Survey) -> list[SurveyReport]:
    """Every report on ``survey`` (drafts too), for the report builder."""
    return list(
        SurveyReport.objects.filter(survey=survey)
        .select_related("author")
        .annotate(block_count=Count("blocks"))
        .order_by("-created_at", "-id")
    )
