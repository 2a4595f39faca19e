"""Survey reports: the builder for researchers (list, editor, blocks, publishing) and the
public report page, its PDF and DOCX, and the permanent link of each finding.

Editor actions answer an htmx request with the changed part (the list of blocks, or the form
with its errors) and a plain request with a redirect back to the editor, so everything works
without JavaScript. Refusals are shown with status 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from glas.core.exceptions import DomainError
from glas.core.pdf import html_to_pdf
from glas.core.types import AuthedRequest
from glas.surveys import selectors, services
from glas.surveys.access import (
    get_published_report,
    get_report_for_editing,
    get_report_for_reader,
    get_survey_for_reports,
)
from glas.surveys.forms.reports import FindingForm, NarrativeForm, ReportForm
from glas.surveys.models import ReportBlock, SurveyReport
from glas.surveys.report_docx import report_docx
from glas.surveys.reports import (
    ShownReport,
    cached_shown_report,
    report_cache_key,
    report_variables,
    shown_report,
    spec_in_words,
)
from glas.surveys.services.reports import BLOCK_FIELDS

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- Helpers --------------------------------------------------------------------------------


@dataclass
class BlockRow:
    block: ReportBlock
    words: str
    first: bool = False
    last: bool = False


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _editor(
    report: SurveyReport,
    *,
    narrative_form: NarrativeForm | None = None,
    finding_form: FindingForm | None = None,
    refusal: str = "",
) -> dict[str, Any]:
    """What the editor and its parts show, in a fixed number of queries."""
    variables = report_variables(report.survey)
    blocks = list(ReportBlock.objects.filter(report=report).order_by("position", "id"))
    rows = [BlockRow(block, spec_in_words(block.spec, variables.labels)) for block in blocks]
    if rows:
        rows[0].first, rows[-1].last = True, True
    return {
        "report": report,
        "survey": report.survey,
        "rows": rows,
        "has_methodology": any(block.kind == ReportBlock.Kind.METHODOLOGY for block in blocks),
        "narrative_form": narrative_form or NarrativeForm(),
        "finding_form": finding_form or FindingForm(variables=variables),
        "refusal": refusal,
    }


def _editor_url(report: SurveyReport, anchor: str = "report-blocks") -> str:
    url = reverse("surveys:report_edit", args=[report.survey.public_id, report.public_id])
    return f"{url}#{anchor}"


def _blocks_changed(
    request: AuthedRequest, report: SurveyReport, *, focus: str = "report-blocks-title"
) -> HttpResponse:
    """The list of blocks for htmx (after an add, with fresh add forms swapped out of band); a
    redirect to the editor otherwise."""
    if not request.htmx:
        return redirect(_editor_url(report))
    context = {**_editor(report), "oob": request.POST.get("add") in ("text", "finding"), "swapped": True}
    response = reswap(retarget(render(request, "surveys/_report_blocks.html", context), "#report-blocks"), "outerHTML")
    return trigger_client_event(response, "glas:focus", {"id": focus}, after="settle")


def _refused(request: AuthedRequest, report: SurveyReport, error: DomainError) -> HttpResponse:
    if request.htmx:
        response = render(request, "surveys/_design_refused.html", {"message": error.message}, status=400)
        return reswap(retarget(response, "#report-refusal"), "innerHTML")
    return render(request, "surveys/report_editor.html", _editor(report, refusal=error.message), status=400)


def _form_refused(request: AuthedRequest, report: SurveyReport, name: str, form: forms.Form) -> HttpResponse:
    """An add form with its errors: in place for htmx, in the whole editor otherwise."""
    if isinstance(form, FindingForm):
        context = _editor(report, finding_form=form)
    else:
        context = _editor(report, narrative_form=cast(NarrativeForm, form))
    if request.htmx:
        response = render(request, f"surveys/_report_add_{name}.html", context, status=400)
        return reswap(retarget(response, f"#add-{name}"), "outerHTML")
    return render(request, "surveys/report_editor.html", context, status=400)


def _block(report: SurveyReport, block_id: int) -> ReportBlock:
    return get_object_or_404(ReportBlock.objects.select_related("report__survey"), pk=block_id, report=report)


# --- The builder ----------------------------------------------------------------------------


@login_required
def report_list(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """A survey's reports, and the form that starts a new one."""
    survey = get_survey_for_reports(request.user, public_id)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(actor=request.user, survey=survey, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The report was created. Add its parts."))
            return redirect(_editor_url(report, "main"))
    context = {"survey": survey, "reports": selectors.survey_reports(survey), "form": form}
    return render(request, "surveys/report_list.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def report_edit(request: AuthedRequest, public_id: Any, report_id: Any) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    return render(request, "surveys/report_editor.html", _editor(report))


@login_required
def report_settings(request: AuthedRequest, public_id: Any, report_id: Any) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    initial = {"title": report.title, "summary": report.summary, "slug": report.slug}
    form = ReportForm(_posted(request), initial=initial, frozen=report.keys_frozen)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(actor=request.user, report=report, data=form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(_editor_url(report, "main"))
    context = {"form": form, "report": report, "survey": survey}
    return render(request, "surveys/report_settings.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def report_block_add(request: AuthedRequest, public_id: Any, report_id: Any) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    kind = request.POST.get("add")
    form: NarrativeForm | FindingForm | None = None
    data: dict[str, Any] = {}
    if kind == "text":
        form = NarrativeForm(request.POST)
    elif kind == "finding":
        form = FindingForm(request.POST, variables=report_variables(survey))
    elif kind != "methodology":
        return _refused(request, report, DomainError(_("Choose what to add.")))
    if form is not None:
        if not form.is_valid():
            return _form_refused(request, report, kind, form)
        data = {"spec": form.spec(), **form.cleaned_data} if isinstance(form, FindingForm) else form.cleaned_data
        data = {name: value for name, value in data.items() if name in BLOCK_FIELDS}
    try:
        block = services.block_add(actor=request.user, report=report, kind=kind, data=data)
    except DomainError as error:
        if form is None:
            return _refused(request, report, error)
        _form_error(form, error)
        return _form_refused(request, report, kind, form)
    return _blocks_changed(request, report, focus=f"block-{block.pk}")


@login_required
def report_block_edit(request: AuthedRequest, public_id: Any, report_id: Any, block_id: int) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    block = _block(report, block_id)
    if block.kind == ReportBlock.Kind.METHODOLOGY:
        raise Http404
    form = _block_form(request, report, block)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "spec": form.spec()} if isinstance(form, FindingForm) else form.cleaned_data
        data = {name: value for name, value in data.items() if name in BLOCK_FIELDS}
        try:
            services.block_update(actor=request.user, block=block, data=data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The part was saved."))
            return redirect(_editor_url(report, f"block-{block.pk}"))
    context = {"form": form, "report": report, "survey": survey, "block": block}
    return render(request, "surveys/report_block_edit.html", context, status=400 if form.errors else 200)


def _block_form(request: AuthedRequest, report: SurveyReport, block: ReportBlock) -> NarrativeForm | FindingForm:
    if block.kind == ReportBlock.Kind.TEXT:
        return NarrativeForm(_posted(request), initial={"text": block.text})
    initial = {**(block.spec or {}), "caption": block.caption, "key": block.key}
    variables = report_variables(report.survey)
    return FindingForm(_posted(request), initial=initial, variables=variables, frozen_key=report.keys_frozen)


@login_required
@require_POST
def report_block_move(request: AuthedRequest, public_id: Any, report_id: Any, block_id: int) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    block = _block(report, block_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return _refused(request, report, DomainError(_("Choose whether to move it up or down.")))
    position = block.position - 1 if direction == "up" else block.position + 1
    services.block_move(actor=request.user, block=block, position=position)
    return _blocks_changed(request, report, focus=f"block-{block.pk}")


@login_required
@require_POST
def report_block_delete(request: AuthedRequest, public_id: Any, report_id: Any, block_id: int) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    block = _block(report, block_id)
    try:
        services.block_delete(actor=request.user, block=block)
    except DomainError as error:
        return _refused(request, report, error)
    return _blocks_changed(request, report)


@login_required
@require_POST
def report_publish(request: AuthedRequest, public_id: Any, report_id: Any) -> HttpResponse:
    survey = get_survey_for_reports(request.user, public_id)
    report = get_report_for_editing(request.user, survey, report_id)
    choice = request.POST.get("published")
    try:
        if choice == "1":
            services.report_publish(actor=request.user, report=report)
        elif choice == "0":
            services.report_unpublish(actor=request.user, report=report)
        else:
            raise DomainError(_("Choose whether to publish the report or withdraw it."))
    except DomainError as error:
        return render(request, "surveys/report_editor.html", _editor(report, refusal=error.message), status=400)
    done = _("The report is public.") if choice == "1" else _("The report is no longer public.")
    messages.success(request, done)
    return redirect(_editor_url(report, "main"))


# --- The public report ------------------------------------------------------------------------


def _shown(request: HttpRequest, slug: str) -> ShownReport:
    """A published report (cached), or a draft for its editors (computed afresh)."""
    report = get_report_for_reader(request.user, slug)
    return cached_shown_report(report) if report.is_published else shown_report(report)


def _page_context(request: HttpRequest, shown: ShownReport) -> dict[str, Any]:
    report = shown.report
    return {
        "shown": shown,
        "report": report,
        "survey": report.survey,
        "preview": not report.is_published,
        "site": request.build_absolute_uri("/").rstrip("/"),
    }


@require_GET
def report_public(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _shown(request, slug)
    return render(request, "surveys/report_page.html", _page_context(request, shown))


def _download(shown: ShownReport, fmt: str, build: Any) -> HttpResponse:
    report = shown.report
    key = f"{report_cache_key(report)}:{fmt}" if report.is_published else ""
    content = cache.get(key) if key else None
    if content is None:
        content = build()
        if key:
            cache.set(key, content, 600)
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report.slug}.{fmt}"'
    if not report.is_published:
        response["Cache-Control"] = "no-store"
    return response


@require_GET
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _shown(request, slug)
    context = _page_context(request, shown)
    return _download(
        shown, "pdf", lambda: html_to_pdf(render_to_string("surveys/report_pdf.html", context, request=request))
    )


@require_GET
def report_docx_download(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _shown(request, slug)
    context = _page_context(request, shown)
    return _download(
        shown, "docx", lambda: report_docx(render_to_string("surveys/report_docx.html", context, request=request))
    )


@require_GET
def finding_link(request: HttpRequest, report_id: Any, key: str) -> HttpResponse:
    """The permanent link of a finding: to its place in the published report."""
    report = get_published_report(report_id)
    if not ReportBlock.objects.filter(report=report, kind=ReportBlock.Kind.FINDING, key=key).exists():
        raise Http404
    return redirect(f"{reverse('surveys:report_public', args=[report.slug])}#finding-{key}")
