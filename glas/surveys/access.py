"""Access helpers: fetch a survey or response for a person, or raise 404/403."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from glas.core.access import require_perm
from glas.surveys.models import Question, Response, Survey, SurveyReport


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def get_survey_for_design(user: Any, public_id: Any) -> Survey:
    require_perm(user, "surveys.design_survey")
    return get_object_or_404(Survey.objects.select_related("owner"), public_id=_uuid(public_id))


def get_survey_for_entry(user: Any, public_id: Any) -> Survey:
    """A survey in fieldwork, for an advisor or interviewer entering paper or phone answers."""
    require_perm(user, "surveys.enter_responses")
    return get_object_or_404(Survey, public_id=_uuid(public_id), status=Survey.Status.FIELDWORK)


def get_survey_for_respondent(public_id: Any) -> Survey:
    """A survey anyone may open: in fieldwork (demo surveys included, they are labelled)."""
    return get_object_or_404(Survey, public_id=_uuid(public_id), status=Survey.Status.FIELDWORK)


def get_response_for_entry(user: Any, public_id: Any) -> Response:
    require_perm(user, "surveys.enter_responses")
    return get_object_or_404(
        Response.objects.select_related("survey"),
        public_id=_uuid(public_id),
        channel__in=Response.ENTERED_CHANNELS,
    )


def get_response_for_respondent(user: Any, public_id: Any, *, session_ids: list[str] | None = None) -> Response:
    """A response its respondent may continue or withdraw: their own in identified mode, or one
    started in this browser (its public id kept in the session) otherwise."""
    response = get_object_or_404(Response.objects.select_related("survey"), public_id=_uuid(public_id))
    if response.respondent_id is not None:
        if not (user.is_authenticated and user.pk == response.respondent_id):
            raise Http404
    elif str(response.public_id) not in (session_ids or []):
        raise Http404
    return response


# --- Respondent and entry pages (views/respond.py, views/entry.py) --------------------------


def get_survey_for_answering(public_id: Any) -> Survey:
    """A survey whose respondent pages may be opened: in fieldwork, or closed or archived (so a
    late visitor gets a polite "closed" page instead of a 404). Drafts do not exist for them."""
    return get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), public_id=_uuid(public_id))


def get_response_for_interviewer(user: Any, public_id: Any) -> Response:
    """An entered response, for the person who entered it or a researcher running fieldwork."""
    response = get_response_for_entry(user, public_id)
    if response.interviewer_id != user.pk and not user.has_perm("surveys.run_fieldwork", response.survey):
        raise Http404
    return response


def get_survey_for_double_entry(user: Any, public_id: Any) -> Survey:
    require_perm(user, "surveys.run_fieldwork")
    return get_object_or_404(Survey, public_id=_uuid(public_id))


def get_survey_for_results(user: Any, public_id: Any) -> Survey:
    """A survey whose data a researcher or administrator may export (any status)."""
    require_perm(user, "surveys.view_results")
    return get_object_or_404(Survey, public_id=_uuid(public_id))


def get_survey_with_public_results(public_id: Any) -> Survey:
    """A survey whose results are published (never a draft); 404 otherwise."""
    return get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT), public_id=_uuid(public_id), results_published=True
    )


def get_survey_for_weighting(user: Any, public_id: Any) -> Survey:
    """A survey whose weighting (design and population margins) a researcher may set."""
    require_perm(user, "surveys.weight_survey")
    return get_object_or_404(Survey, public_id=_uuid(public_id))


def get_survey_for_analysis(user: Any, public_id: Any) -> Survey:
    """A survey (not a draft) whose answers a researcher may analyse."""
    require_perm(user, "surveys.analyse_results")
    return get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), public_id=_uuid(public_id))


# --- Reports (views/reports.py) ---------------------------------------------------------------


def get_survey_for_reports(user: Any, public_id: Any) -> Survey:
    """A survey whose reports a researcher or administrator may write (any status)."""
    require_perm(user, "surveys.edit_reports")
    return get_object_or_404(Survey, public_id=_uuid(public_id))


def get_report_for_editing(user: Any, survey: Survey, report_id: Any) -> SurveyReport:
    """A report of ``survey`` (so an id from another survey's report is a 404)."""
    require_perm(user, "surveys.edit_reports")
    return get_object_or_404(SurveyReport.objects.select_related("survey"), public_id=_uuid(report_id), survey=survey)


def get_report_for_reader(user: Any, slug: str) -> SurveyReport:
    """A published report for anyone; a draft only for those who may edit reports (their
    preview), a 404 for everyone else."""
    report = get_object_or_404(SurveyReport.objects.select_related("survey"), slug=slug)
    if not report.is_published and not user.has_perm("surveys.edit_reports"):
        raise Http404
    return report


def get_published_report(public_id: Any) -> SurveyReport:
    return get_object_or_404(SurveyReport, public_id=_uuid(public_id), status=SurveyReport.Status.PUBLISHED)


# --- Coding open answers (views/coding.py) ----------------------------------------------------


def get_survey_for_coding(user: Any, public_id: Any) -> Survey:
    """A survey whose open answers a researcher or administrator may code (any status)."""
    require_perm(user, "surveys.code_answers")
    return get_object_or_404(Survey, public_id=_uuid(public_id))


def get_question_for_coding(user: Any, public_id: Any, question_id: int) -> Question:
    """A question with open text to code (short or long text, or a choice question with "other,
    please specify") of the survey, with the survey and its code frame loaded."""
    require_perm(user, "surveys.code_answers")
    question = get_object_or_404(
        Question.objects.select_related("survey"), pk=question_id, survey__public_id=_uuid(public_id)
    )
    if question.type not in Question.TEXT_TYPES and not question.allow_other:
        raise Http404
    return question
