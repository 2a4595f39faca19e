"""Public pages: the list, the consultation page, taking part, the справка and the timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.consultations import report, selectors, services
from glas.consultations.access import get_draft_with_report, get_public_contribution, get_public_draft
from glas.consultations.forms import ContributionForm
from glas.consultations.models import Draft
from glas.core.exceptions import DomainError
from glas.core.ratelimit import allow_request
from glas.core.types import AuthedRequest


def _int_or_none(value: Any) -> int | None:
    try:
        number = int(str(value)[:12])
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def page_number(value: Any) -> int:
    return _int_or_none(value) or 1


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    drafts = selectors.public_drafts()
    return render(request, "consultations/list.html", {"open": selectors.open_drafts(), "drafts": drafts[:100]})


@require_GET
def consultation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    draft = get_public_draft(public_id)
    data = selectors.consultation_page(
        draft,
        user=request.user,
        paragraph_id=_int_or_none(request.GET.get("paragraph")),
        general=request.GET.get("general") == "1",
        page=page_number(request.GET.get("page")),
    )
    query = f"paragraph={data.selected_paragraph.pk}" if data.selected_paragraph else ""
    context = {
        "draft": draft,
        "data": data,
        "query": query or ("general=1" if data.showing_general else ""),
        "can_react": draft.is_open and request.user.has_perm("consultations.take_part"),
        "reaction_choices": [(1, _("Support")), (-1, _("Oppose"))],
        "contribute_url": reverse("consultations:contribute", args=[draft.public_id]),
    }
    return render(request, "consultations/detail.html", context)


def _contribution_form(request: HttpRequest, draft: Draft, data: Any = None) -> ContributionForm:
    initial = {"paragraph": _int_or_none(request.GET.get("paragraph")), "kind": "comment"}
    if initial["paragraph"] is None:
        initial["kind"] = "general"
    return ContributionForm(
        data,
        initial=initial,
        paragraphs=selectors.paragraph_choices(draft),
        anonymous=not request.user.is_authenticated,
    )


@require_http_methods(["GET", "POST"])
def contribution_new(request: HttpRequest, public_id: str) -> HttpResponse:
    draft = get_public_draft(public_id)
    if not draft.is_open:
        return render(
            request, "consultations/closed.html", {"draft": draft}, status=403 if request.method == "POST" else 200
        )
    form = _contribution_form(request, draft, request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return render(
            request, "consultations/contribute.html", {"draft": draft, "form": form}, status=400 if form.errors else 200
        )
    if not allow_request(request, "consultations.contribute", limit=20, window=3600):
        return render(request, "consultations/ratelimited.html", {"draft": draft}, status=429)
    try:
        contribution = services.contribution_submit(
            actor=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
            draft=draft,
            paragraph_id=form.cleaned_data["paragraph"],
            **{
                k: form.cleaned_data.get(k, "")
                for k in ("kind", "text", "proposed_text", "name", "email", "organisation")
            },
            publish_name=form.cleaned_data["publish_name"],
        )
    except DomainError as error:
        form.add_domain_error(error)
        return render(request, "consultations/contribute.html", {"draft": draft, "form": form}, status=400)
    return render(request, "consultations/contributed.html", {"draft": draft, "contribution": contribution})


@require_GET
def contribution_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contribution = services.contribution_confirm(token=token)
    except DomainError as error:
        return render(request, "consultations/confirm_failed.html", {"error": error.message}, status=400)
    return render(request, "consultations/confirmed.html", {"draft": contribution.draft, "contribution": contribution})


@login_required
@require_POST
def reaction_set(request: AuthedRequest, public_id: str, contribution_id: str) -> HttpResponse:
    draft = get_public_draft(public_id)
    contribution = get_public_contribution(draft, contribution_id)
    value = {"1": 1, "-1": -1}.get(request.POST.get("value", ""), 0)
    try:
        services.reaction_set(actor=request.user, contribution=contribution, value=value)
    except DomainError as error:
        return render(
            request,
            "consultations/problem.html",
            {"draft": draft, "error": error.message},
            status=403 if error.code == "forbidden" else 400,
        )
    messages.success(request, _("Your choice is recorded."))
    return redirect(f"{draft_url(draft)}?{_back_query(request)}#c-{contribution.public_id}")


def draft_url(draft: Draft) -> str:
    return reverse("consultations:detail", args=[draft.public_id])


def _back_query(request: HttpRequest) -> str:
    paragraph = _int_or_none(request.POST.get("paragraph"))
    parts = [f"paragraph={paragraph}"] if paragraph else []
    if request.POST.get("general") == "1":
        parts.append("general=1")
    page = page_number(request.POST.get("page"))
    if page > 1:
        parts.append(f"page={page}")
    return "&".join(parts)


@require_GET
def report_page(request: HttpRequest, public_id: str) -> HttpResponse:
    draft = get_draft_with_report(public_id)
    return render(request, "consultations/report.html", report.report_context(draft))


@require_GET
def report_file(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    draft = get_draft_with_report(public_id)
    if fmt == "pdf":
        response = HttpResponse(report.report_pdf(draft), content_type="application/pdf")
    elif fmt == "docx":
        response = HttpResponse(
            report.report_docx(draft),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{report.file_name(draft, fmt)}"'
    return response


@require_GET
def timeline(request: HttpRequest, public_id: str) -> HttpResponse:
    draft = get_public_draft(public_id)
    context = {
        "draft": draft,
        "events": list(draft.events.all()),
        "changes": selectors.adoption_diff(draft) if draft.status == Draft.Status.ADOPTED else [],
        "decisions": selectors.decision_counts(draft),
    }
    return render(request, "consultations/timeline.html", context)


@require_GET
def attachment_download(request: HttpRequest, public_id: str, attachment_id: int) -> FileResponse:
    draft = get_public_draft(public_id)
    attachment = get_object_or_404(draft.attachments, pk=attachment_id)
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=f"{attachment.pk}.{extension}")
