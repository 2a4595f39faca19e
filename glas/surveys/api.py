"""Public API of surveys: the surveys anyone may see, their questionnaires and published results.

Drafts are never shown. A questionnaire is public while its survey is in fieldwork or once its
results are published; results only once published. Unknown ids get 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from glas.surveys.models import Survey
from glas.surveys.results import cached_survey_results, result_table_as_dict
from glas.surveys.selectors import survey_structure

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    public_id: uuid.UUID
    title: str
    purpose: str
    status: str
    wave: int
    is_demo: bool
    fieldwork_start: dt.date | None
    fieldwork_end: dt.date | None
    results_published: bool


class CodeLabelOut(Schema):
    code: str
    label: str


class QuestionOut(Schema):
    variable: str
    text: str
    help_text: str
    type: str
    required: bool
    allow_other: bool
    choices: list[CodeLabelOut]
    rows: list[CodeLabelOut]
    min_value: float | None
    max_value: float | None
    low_label: str
    high_label: str


class SectionOut(Schema):
    position: int
    title: str
    questions: list[QuestionOut]


class QuestionnaireOut(SurveyOut):
    intro: str
    sections: list[SectionOut]


class CategoryOut(Schema):
    code: str
    label: str
    count: float  # respondents (unweighted)
    percent: float  # weighted when the results are
    moe: float | None = None  # margin of error of a weighted percentage, in percentage points


class ResultItemOut(Schema):
    key: str
    variable: str
    label: str
    type: str
    kind: str
    answered: float
    missing: float
    multiple: bool | None = None
    calibrated: bool | None = None  # weighted to this question's own population figures (no sampling error)
    categories: list[CategoryOut] | None = None
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    moe: float | None = None


class WeightingOut(Schema):
    method: str
    margins_source: str
    effective_sample_size: float | None


class ResultsOut(Schema):
    survey: SurveyOut
    base: int
    weighted: bool
    weighting: WeightingOut | None = None
    note: str
    items: list[ResultItemOut]


def public_surveys() -> QuerySet[Survey]:
    """Surveys in fieldwork and surveys with published results (never drafts)."""
    return Survey.objects.exclude(status=Survey.Status.DRAFT).filter(
        Q(status=Survey.Status.FIELDWORK) | Q(results_published=True)
    )


def _public_survey(public_id: uuid.UUID, *, results: bool = False) -> Survey:
    surveys = public_surveys()
    if results:
        surveys = surveys.filter(results_published=True)
    survey = surveys.filter(public_id=public_id).first()
    if survey is None:
        raise HttpError(404, "No such survey.")
    return survey


@router.get("/", response=list[SurveyOut], summary="Surveys in fieldwork or with published results")
def survey_list(request: HttpRequest) -> QuerySet[Survey]:
    return public_surveys().order_by("-created_at", "-id")


@router.get("/{public_id}", response=QuestionnaireOut, summary="A survey's questionnaire (public wording only)")
def survey_questionnaire(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    survey = _public_survey(public_id)
    structure = survey_structure(survey)
    sections = []
    for section in structure.sections:
        questions = [
            {
                "variable": q.variable,
                "text": q.text,
                "help_text": q.help_text,
                "type": q.type,
                "required": q.required,
                "allow_other": q.allow_other,
                "choices": [{"code": c.code, "label": c.label} for c in q.choices.all()],
                "rows": [{"code": r.code, "label": r.label} for r in q.rows.all()],
                "min_value": q.min_value,
                "max_value": q.max_value,
                "low_label": q.low_label,
                "high_label": q.high_label,
            }
            for q in structure.questions
            if q.section_id == section.pk
        ]
        sections.append({"position": section.position, "title": section.title, "questions": questions})
    return {**SurveyOut.from_orm(survey).dict(), "intro": survey.intro, "sections": sections}


@router.get("/{public_id}/results", response=ResultsOut, summary="Published results: frequencies and summaries")
def survey_results_api(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    survey = _public_survey(public_id, results=True)
    data = result_table_as_dict(cached_survey_results(survey))
    note = (
        "Unweighted counts of complete responses. Public-link respondents choose themselves, so the figures "
        "are not representative of all residents."
    )
    if data["weighted"]:
        note = (
            "Percentages and means are weighted to the population (see 'weighting'), each with its margin of "
            "error at 95 % confidence (moe); counts are unweighted numbers of respondents."
        )
    if survey.is_demo:
        note = "Synthetic demo data. " + note
    return {"survey": survey, "note": note, **data}
