"""Staff pages: prepare a draft, open the consultation, enter and answer proposals, moderate,
publish the справка, send to the council, record the adoption."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.consultations import selectors, services
from glas.consultations.access import get_contribution_for_staff, get_draft_for_staff
from glas.consultations.compliance import compliance_checks
from glas.consultations.forms import (
    AdoptForm,
    AnswerForm,
    AttachmentForm,
    DocxForm,
    DraftForm,
    EnterForm,
    ExtendForm,
    HideForm,
    PublishForm,
    TextForm,
    WithdrawForm,
)
from glas.consultations.models import Contribution, Draft
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest


def _manage(draft: Draft) -> HttpResponse:
    return redirect("consultations:manage", public_id=draft.public_id)


def _details(draft: Draft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in DraftForm.base_fields if name != "settlements"}


@login_required
@require_GET
def staff_list(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "consultations.manage_draft")
    page = Paginator(selectors.staff_drafts(), 50).get_page(request.GET.get("page"))
    return render(request, "consultations/staff_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "consultations.manage_draft")
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            settlements = list(data.pop("settlements"))
            draft = services.draft_create(actor=request.user, settlements=settlements, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _manage(draft)
    return render(
        request,
        "consultations/staff_form.html",
        {"form": form, "title": _("New draft act")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    initial = {**_details(draft), "settlements": list(draft.settlements.all())}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            services.draft_update(actor=request.user, draft=draft, settlements=list(data.pop("settlements")), **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _manage(draft)
    context = {"form": form, "draft": draft, "title": _("Details of the draft")}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def draft_manage(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    articles = selectors.articles_of(draft)
    unanswered = Contribution.objects.filter(draft=draft, status=Contribution.Status.PUBLISHED, decision="").count()
    context = {
        "draft": draft,
        "articles": articles,
        "checks": compliance_checks(draft, article_count=len(articles), unanswered=unanswered),
        "unanswered": unanswered,
        "attachments": list(draft.attachments.all()),
        "publish_form": PublishForm(),
        "extend_form": ExtendForm(),
    }
    return render(request, "consultations/staff_manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft_text(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    form = TextForm(request.POST if "text" in request.POST else None)
    docx_form = DocxForm(request.POST if "import" in request.POST else None, request.FILES or None)
    if request.method == "POST":
        try:
            if "import" in request.POST and docx_form.is_valid():
                count = services.draft_text_import(
                    actor=request.user, draft=draft, upload=docx_form.cleaned_data["file"]
                )
            elif "text" in request.POST and form.is_valid():
                count = services.draft_text_set(actor=request.user, draft=draft, text=form.cleaned_data["text"])
            else:
                count = 0
        except DomainError as error:
            (docx_form if "import" in request.POST else form).add_domain_error(error)
        else:
            if count:
                saved = ngettext(
                    "The text is saved: %(count)s article.", "The text is saved: %(count)s articles.", count
                )
                messages.success(request, saved % {"count": count})
                return _manage(draft)
    context = {"draft": draft, "form": form, "docx_form": docx_form, "articles": selectors.articles_of(draft)}
    status = 400 if form.errors or docx_form.errors else 200
    return render(request, "consultations/staff_text.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                draft=draft,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _manage(draft)
    context = {"form": form, "draft": draft, "title": _("Attach a document"), "multipart": True}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_publish(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_publish(actor=request.user, draft=draft, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The draft is published for public consultation."))
            return _manage(draft)
    context = {"form": form, "draft": draft, "title": _("Open the public consultation")}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_extend(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_extend(actor=request.user, draft=draft, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _manage(draft)
    context = {"form": form, "draft": draft, "title": _("Extend the consultation")}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_enter(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id, "consultations.enter_proposals")
    form = EnterForm(request.POST or None, paragraphs=selectors.paragraph_choices(draft))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.contribution_enter(actor=request.user, draft=draft, paragraph_id=data.pop("paragraph"), **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The proposal is entered and published."))
            return redirect("consultations:enter", public_id=draft.public_id)
    context = {"form": form, "draft": draft, "title": _("Enter a proposal received by e-mail, post or in person")}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def proposals(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id, "consultations.moderate")
    only_unanswered = request.GET.get("unanswered") == "1"
    page = Paginator(selectors.staff_contributions(draft, only_unanswered=only_unanswered), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "draft": draft,
        "page": page,
        "only_unanswered": only_unanswered,
        "answer_form": AnswerForm(),
        "hide_form": HideForm(),
    }
    return render(request, "consultations/staff_proposals.html", context)


def _proposal_action(
    request: AuthedRequest, public_id: str, contribution_id: str, perm: str, form_class: type, act: Any
) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id, perm)
    contribution = get_contribution_for_staff(request.user, draft, contribution_id, perm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(contribution, form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            url = reverse("consultations:proposals", args=[draft.public_id])
            return redirect(f"{url}#p-{contribution.public_id}")
    context = {"draft": draft, "contribution": contribution, "form": form}
    return render(request, "consultations/staff_proposal_form.html", context, status=400)


@login_required
@require_POST
def proposal_answer(request: AuthedRequest, public_id: str, contribution_id: str) -> HttpResponse:
    def act(contribution: Contribution, data: dict[str, Any]) -> None:
        services.contribution_answer(actor=request.user, contribution=contribution, **data)

    return _proposal_action(request, public_id, contribution_id, "consultations.answer_proposals", AnswerForm, act)


@login_required
@require_POST
def proposal_hide(request: AuthedRequest, public_id: str, contribution_id: str) -> HttpResponse:
    def act(contribution: Contribution, data: dict[str, Any]) -> None:
        services.contribution_hide(actor=request.user, contribution=contribution, **data)

    return _proposal_action(request, public_id, contribution_id, "consultations.moderate", HideForm, act)


def _transition(request: AuthedRequest, public_id: str, perm: str, act: Any, done: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id, perm)
    try:
        act(draft)
    except DomainError as error:
        return render(request, "consultations/staff_refused.html", {"draft": draft, "error": error.message}, status=400)
    messages.success(request, done)
    return _manage(draft)


@login_required
@require_POST
def report_publish(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _transition(
        request,
        public_id,
        "consultations.publish_report",
        lambda draft: services.report_publish(actor=request.user, draft=draft),
        _("The report on the proposals is published."),
    )


@login_required
@require_POST
def send_to_council(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _transition(
        request,
        public_id,
        "consultations.manage_draft",
        lambda draft: services.draft_send_to_council(actor=request.user, draft=draft),
        _("The draft is sent to the municipal council."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_adopt(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_adopt(actor=request.user, draft=draft, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _manage(draft)
    context = {"form": form, "draft": draft, "title": _("Record the adoption by the council")}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def draft_withdraw(request: AuthedRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_staff(request.user, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_withdraw(actor=request.user, draft=draft, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The draft is withdrawn."))
            return _manage(draft)
    context = {"form": form, "draft": draft, "title": _("Withdraw the draft")}
    return render(request, "consultations/staff_form.html", context, status=400 if form.errors else 200)
