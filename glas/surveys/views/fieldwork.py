"""Fieldwork pages for researchers: the invitations of a survey (CSV list, random sample,
sending, printed letters) and the fieldwork monitor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.pdf import html_to_pdf
from glas.core.types import AuthedRequest
from glas.surveys import letters, monitor, services
from glas.surveys.access import get_survey_for_design
from glas.surveys.forms.fieldwork import InvitationsUploadForm, LettersForm, SampleDrawForm, SendForm
from glas.surveys.models import Survey
from glas.surveys.services.invitations import ImportRefused, invitations_to_send


def _survey(request: AuthedRequest, public_id: Any) -> Survey:
    survey = get_survey_for_design(request.user, public_id)
    require_perm(request.user, "surveys.run_fieldwork", survey)
    return survey


def _invitations_page(request: AuthedRequest, survey: Survey, *, status: int = 200, **forms: Any) -> HttpResponse:
    rows, total = monitor.invitation_counts(survey)
    context = {
        "survey": survey,
        "refusal": services.invitation_refusal(survey),
        "rows": rows,
        "total": total,
        "recent": monitor.recent_invitations(survey),
        "upload_form": forms.get("upload_form") or InvitationsUploadForm(),
        "sample_form": forms.get("sample_form") or SampleDrawForm(),
        "letters_form": forms.get("letters_form") or LettersForm(),
        "import_errors": forms.get("import_errors", []),
        "to_send": invitations_to_send(survey, "invitation").count(),
        "to_remind": invitations_to_send(survey, "reminder").count(),
    }
    return render(request, "surveys/fieldwork_invitations.html", context, status=status)


@login_required
@require_GET
def fieldwork_invitations(request: AuthedRequest, public_id: Any) -> HttpResponse:
    return _invitations_page(request, _survey(request, public_id))


@login_required
@require_POST
def fieldwork_upload(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = _survey(request, public_id)
    form = InvitationsUploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            report = services.invitations_import_csv(actor=request.user, survey=survey, data=form.cleaned_data["file"])
        except ImportRefused as refused:
            errors = refused.errors
            form.add_error("file", _("The file was not imported: correct the lines listed below and upload it again."))
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            _report_import(request, report)
            return redirect("surveys:fieldwork_invitations", public_id=survey.public_id)
    return _invitations_page(request, survey, status=400, upload_form=form, import_errors=errors)


def _report_import(request: AuthedRequest, report: services.ImportReport) -> None:
    created = ngettext("%(count)s invitation was added.", "%(count)s invitations were added.", report.created)
    messages.success(request, created % {"count": report.created})
    if report.skipped_lines:
        lines = ", ".join(str(line) for line in report.skipped_lines[:50])
        messages.warning(request, _("Already invited to this survey, skipped: lines %(lines)s.") % {"lines": lines})


@login_required
@require_POST
def fieldwork_sample(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = _survey(request, public_id)
    form = SampleDrawForm(request.POST)
    if form.is_valid():
        try:
            report = services.invitations_draw_sample(actor=request.user, survey=survey, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            message = ngettext("%(count)s resident was drawn.", "%(count)s residents were drawn.", report.drawn)
            messages.success(request, message % {"count": report.drawn})
            return redirect("surveys:fieldwork_invitations", public_id=survey.public_id)
    return _invitations_page(request, survey, status=400, sample_form=form)


@login_required
@require_POST
def fieldwork_send(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """First a confirmation page with the number of e-mails, then the sending."""
    survey = _survey(request, public_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", status=400)
    if services.invitation_refusal(survey) is not None:
        return _invitations_page(request, survey, status=400)  # its notice says why
    kind = form.cleaned_data["kind"]
    if not form.cleaned_data["confirmed"]:
        context = {"survey": survey, "kind": kind, "count": invitations_to_send(survey, kind).count()}
        return render(request, "surveys/fieldwork_send_confirm.html", context)
    try:
        count = services.invitations_send(actor=request.user, survey=survey, kind=kind)
    except DomainError as error:  # e.g. a draft: e-mails go only during fieldwork
        messages.error(request, error.message)
        return _invitations_page(request, survey, status=400)
    messages.success(
        request,
        ngettext("%(count)s e-mail is on its way.", "%(count)s e-mails are on their way.", count) % {"count": count},
    )
    return redirect("surveys:fieldwork_invitations", public_id=survey.public_id)


@login_required
@require_GET
def fieldwork_letters(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """The printed invitation letters (PDF) of the invitations without an e-mail address."""
    survey = _survey(request, public_id)
    if services.invitation_refusal(survey) is not None:
        return _invitations_page(request, survey, status=400)  # its notice says why
    form = LettersForm(request.GET)
    if not form.is_valid():
        return _invitations_page(request, survey, status=400, letters_form=form)
    invitations = letters.letter_invitations(
        survey, settlement=form.cleaned_data["settlement"], first=form.cleaned_data["first"] or 0
    )
    if not invitations:
        messages.info(request, _("There are no letters to print: every invitation has an e-mail address or is done."))
        return redirect("surveys:fieldwork_invitations", public_id=survey.public_id)
    pdf = html_to_pdf(letters.letters_html(survey, invitations))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letters-{str(survey.public_id)[:8]}.pdf"'
    return response


@login_required
@require_GET
def fieldwork_monitor(request: AuthedRequest, public_id: Any) -> HttpResponse:
    survey = _survey(request, public_id)
    context = {"survey": survey, "monitor": monitor.fieldwork_monitor(survey)}
    return render(request, "surveys/fieldwork_monitor.html", context)
