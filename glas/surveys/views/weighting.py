"""Weighting and analysis pages for researchers: the survey's design and population margins
with the weighting report (``weighting``), and estimates with confidence intervals
(``analysis``: a GET form, so every result has its own link; htmx swaps only the result)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.surveys import services
from glas.surveys.access import get_survey_for_analysis, get_survey_for_weighting
from glas.surveys.analysis import AnalysisError
from glas.surveys.findings import SMALL_BASE, SMALL_CELL, Finding, finding_from_frame
from glas.surveys.forms.weighting import AnalysisForm, WeightingForm, margin_initial
from glas.surveys.models import Survey
from glas.surveys.selectors import survey_structure
from glas.surveys.weighting import AnalysisFrame, report_rows, survey_analysis_frame, survey_weighting, variable_infos


def _frame(survey: Survey) -> tuple[AnalysisFrame | None, str]:
    try:
        return survey_analysis_frame(survey), ""
    except AnalysisError as error:
        return None, str(error)


def _weighting_page(
    request: AuthedRequest, survey: Survey, form: WeightingForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    frame, no_data = _frame(survey)
    context = {
        "survey": survey,
        "form": form,
        "weighting": survey_weighting(survey),
        "frame": frame,
        "no_data": no_data,
        "report_rows": report_rows(frame.report) if frame and frame.report else [],
        "filled": form.filled_variables(),
        **extra,
    }
    return render(request, "surveys/weighting.html", context, status=status)


def _form(survey: Survey, data: QueryDict | None = None, initial: dict[str, Any] | None = None) -> WeightingForm:
    variables = list(variable_infos(survey_structure(survey)).values())
    return WeightingForm(data, variables=variables, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def weighting(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_weighting(request.user, public_id)
    if request.method == "GET":
        return _weighting_page(
            request, survey, _form(survey, initial=WeightingForm.initial_of(survey_weighting(survey)))
        )
    if request.POST.get("action") == "prefill":
        return _weighting_prefill(request, survey)
    form = _form(survey, request.POST)
    if form.is_valid():
        try:
            services.survey_weighting_set(actor=request.user, survey=survey, **form.service_data())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The weighting is saved."))
            return redirect("surveys:weighting", public_id=survey.public_id)
    return _weighting_page(request, survey, form, status=400)


def _weighting_prefill(request: AuthedRequest, survey: Survey) -> HttpResponse:
    """The form as sent, with the settlement margins proposed from the census filled in (not saved)."""
    proposal = services.settlement_margins(survey)
    data = request.POST.copy()
    if proposal is None:
        messages.warning(request, _("This survey has no settlement question, or there are no census figures."))
    else:
        for key, value in margin_initial({proposal.variable: proposal.counts}).items():
            data[key] = str(value)
        if not data.get("margins_source"):
            data["margins_source"] = proposal.source
        if data.get("method", "none") == "none":
            data["method"] = "poststratify"
    form = _form(survey, data)
    form.errors.clear()  # a proposal, not a submission: nothing to correct yet
    return _weighting_page(request, survey, form, proposal=proposal)


@login_required
@require_GET
def analysis(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = get_survey_for_analysis(request.user, public_id)
    frame, no_data = _frame(survey)
    form = AnalysisForm(request.GET or None, variables=frame.variables if frame else {})
    finding: Finding | None = None
    error = ""
    if frame is not None and form.is_bound:
        error = _first_error(form)
        if not error:
            try:
                finding = finding_from_frame(frame, form.spec())
            except AnalysisError as problem:
                error = str(problem)
    context = {"survey": survey, "form": form, "frame": frame, "no_data": no_data, "finding": finding, "error": error}
    context.update(small_base=SMALL_BASE, small_cell=SMALL_CELL)
    template = "surveys/_analysis_result.html" if request.htmx else "surveys/analysis.html"
    return render(request, template, context, status=400 if error else 200)


def _first_error(form: AnalysisForm) -> str:
    if form.is_valid():
        return ""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return ""
