"""Advisors and interviewers key paper questionnaires, phone interviews and answers given with
help at the bureau; researchers compare the two rounds of double entry.

The answering pages are those of the respondents (``views/respond.py``) under staff URLs. A
paper questionnaire is keyed on one long page with every section, so a keyer moves through it
with Tab alone and never waits for a page load; assisted and phone entry go section by section,
as the respondent would see them.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.surveys import access, selectors, services
from glas.surveys.forms.respond import EntryStartForm
from glas.surveys.models import Response
from glas.surveys.views.respond import Route, answer_page, review_page

ENTRY = Route("surveys:entry_page", "surveys:entry_review", "surveys:entry_review", "surveys:entry_resume", "entry")


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "surveys.enter_responses")
    context = {
        "surveys": selectors.surveys_for_entry(request.user),
        "unfinished": selectors.unfinished_entries(request.user),
    }
    return render(request, "surveys/entry_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_start(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = access.get_survey_for_entry(request.user, public_id)
    form = EntryStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_start(actor=request.user, survey=survey, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(ENTRY.page, response.public_id, 1)
    context = {"survey": survey, "form": form}
    return render(request, "surveys/entry_start.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def entry_page(request: AuthedRequest, response_id: Any, number: int) -> HttpResponse:
    response = access.get_response_for_interviewer(request.user, response_id)
    return answer_page(request, response, number, route=ENTRY, all_sections=response.channel == Response.Channel.PAPER)


@login_required
def entry_resume(request: AuthedRequest, response_id: Any) -> HttpResponse:
    response = access.get_response_for_interviewer(request.user, response_id)
    return redirect(ENTRY.page, response.public_id, 1)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def entry_review(request: AuthedRequest, response_id: Any) -> HttpResponse:
    response = access.get_response_for_interviewer(request.user, response_id)
    if response.status == Response.Status.COMPLETE:
        messages.info(request, _("This questionnaire has been entered."))
        return redirect("surveys:entry_start", response.survey.public_id)

    def submitted(done: Response) -> HttpResponse:
        ref = f" {done.paper_ref}" if done.paper_ref else ""
        messages.success(request, _("Questionnaire%(ref)s saved. Enter the next one.") % {"ref": ref})
        return redirect("surveys:entry_start", done.survey.public_id)

    return review_page(request, response, route=ENTRY, on_submit=submitted)


@login_required
def entry_mismatches(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = access.get_survey_for_double_entry(request.user, public_id)
    report = selectors.double_entry_mismatches(survey)
    if request.GET.get("format") == "csv":
        return _mismatch_csv(survey, report)
    return render(request, "surveys/entry_mismatches.html", {"survey": survey, "report": report})


def _mismatch_csv(survey: Any, report: selectors.DoubleEntryReport) -> HttpResponse:
    http = HttpResponse(content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = f'attachment; filename="double-entry-{survey.public_id}.csv"'
    writer = csv.writer(http)
    writer.writerow(["questionnaire", "variable", "round 1", "round 2"])
    for ref, differences in report.mismatches:
        for name, one, two in differences:
            writer.writerow([_safe(ref), name, _safe(one), _safe(two)])
    for ref, entry_round in report.single:
        writer.writerow(
            [_safe(ref), "", "keyed once" if entry_round == 1 else "", "keyed once" if entry_round == 2 else ""]
        )
    return http


def _safe(value: Any) -> str:
    """Cells starting with = + - @ would run as spreadsheet formulas: prefix them."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
