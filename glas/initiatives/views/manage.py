"""The committee's and the council's pages for one initiative: create, the manage page with the
forms of the steps that are possible now, the lifecycle actions and paper entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.selectors import current_municipality
from glas.core.types import AuthedRequest
from glas.initiatives import forms, selectors, services
from glas.initiatives.access import get_initiative_for_paper_entry, get_initiative_for_user
from glas.initiatives.models import Initiative
from glas.initiatives.views.common import form_error


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "initiatives.create_initiative")
    municipality = current_municipality()
    form = forms.InitiativeForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(actor=request.user, municipality=municipality, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return redirect("initiatives:manage", public_id=initiative.public_id)
    return render(request, "initiatives/create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def my_initiatives(request: AuthedRequest) -> HttpResponse:
    context = {
        "mine": selectors.initiatives_of(request.user),
        "staff": selectors.initiatives_for_staff() if request.user.has_perm("initiatives.review_initiative") else None,
    }
    return render(request, "initiatives/mine.html", context)


# Each action: the form it reads (None: a button) and the service call it makes.
Action = tuple[type[django_forms.Form] | None, Callable[[Any, Initiative, dict[str, Any]], Any]]
ACTIONS: dict[str, Action] = {
    "wording": (forms.WordingForm, lambda u, i, d: services.initiative_update(actor=u, initiative=i, **d)),
    "invite": (forms.InviteForm, lambda u, i, d: services.committee_member_invite(actor=u, initiative=i, **d)),
    "submit-review": (None, lambda u, i, d: services.initiative_submit_for_review(actor=u, initiative=i)),
    "review": (forms.ReviewForm, lambda u, i, d: services.initiative_review(actor=u, initiative=i, **d)),
    "open": (forms.OpenCollectionForm, lambda u, i, d: services.initiative_open_collection(actor=u, initiative=i, **d)),
    "submit": (None, lambda u, i, d: services.initiative_submit_signatures(actor=u, initiative=i)),
    "verify": (None, lambda u, i, d: services.initiative_start_verification(actor=u, initiative=i)),
    "complete": (None, lambda u, i, d: services.verification_complete(actor=u, initiative=i)),
    "decision": (forms.DecisionForm, lambda u, i, d: services.initiative_record_decision(actor=u, initiative=i, **d)),
    "outcome": (forms.OutcomeForm, lambda u, i, d: services.referendum_record_outcome(actor=u, initiative=i, **d)),
    "archive": (None, lambda u, i, d: services.initiative_archive(actor=u, initiative=i)),
}


def _forms(initiative: Initiative, data: Any = None, only: str = "") -> dict[str, django_forms.Form]:
    built: dict[str, django_forms.Form] = {}
    for name, (form_class, _call) in ACTIONS.items():
        if form_class is None or (only and name != only):
            continue
        bound = data if name == only else None
        kwargs: dict[str, Any] = {"prefix": name}
        if form_class is forms.ReviewForm:
            kwargs["topics"] = selectors.excluded_topics()
        if form_class is forms.WordingForm and bound is None:
            kwargs["initial"] = {
                "title": initiative.title,
                "question": initiative.question,
                "description": initiative.description,
            }
        built[name.replace("-", "_")] = form_class(bound, **kwargs)
    return built


def shown_actions(initiative: Initiative, *, can_manage: bool, is_council: bool) -> set[str]:
    """The actions whose form or button the manage page shows now (the template asks this)."""
    status, Status = initiative.status, Initiative.Status
    shown: set[str] = set()
    if can_manage and status in (Status.DRAFT, Status.COMMITTEE):
        shown |= {"invite", "wording", "submit-review"}
    if can_manage and status == Status.REGISTERED:
        shown.add("open")
    if can_manage and status == Status.COLLECTING:
        shown.add("submit")
    if is_council:
        by_status: dict[str, str] = {
            Status.REVIEW: "review",
            Status.SUBMITTED: "verify",
            Status.VERIFICATION: "complete",
            Status.AWAITING_DECISION: "decision",
        }
        if status in by_status:
            shown.add(by_status[status])
        ordered = initiative.kind == Initiative.Kind.REFERENDUM and initiative.decision == Initiative.Decision.ORDERED
        if status == Status.DECIDED and ordered:
            shown.add("outcome")
        if status in (Status.DECIDED, Status.OUTCOME, Status.INADMISSIBLE):
            shown.add("archive")
    return shown


def _manage_page(
    request: AuthedRequest,
    initiative: Initiative,
    *,
    failed: django_forms.Form | None = None,
    action: str = "",
    error: str = "",
) -> HttpResponse:
    built = _forms(initiative)
    can_manage = request.user.has_perm("initiatives.manage_initiative", initiative)
    is_council = request.user.has_perm("initiatives.review_initiative")
    shown = shown_actions(initiative, can_manage=can_manage, is_council=is_council)
    if failed is not None and action in ACTIONS and ACTIONS[action][0] is not None:
        built[action.replace("-", "_")] = failed
        if action in shown:
            error = ""  # the form is on the page again, with its own summary of the errors
    context = {
        "initiative": initiative,
        "forms": built,
        "shown": shown,
        "committee": initiative.committee.all(),
        "timeline": initiative.timeline.all(),
        "progress": selectors.progress(initiative) if initiative.collection_opened_at else None,
        "dashboard": selectors.campaign_dashboard(initiative) if initiative.collection_opened_at else None,
        "can_manage": can_manage,
        "is_council": is_council,
        "error": error,
    }
    status = 400 if failed is not None and (error or failed.errors) else 200
    return render(request, "initiatives/manage.html", context, status=status)


@login_required
@require_GET
def initiative_manage(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _manage_page(request, get_initiative_for_user(request.user, public_id))


@login_required
@require_POST
def initiative_action(request: AuthedRequest, public_id: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    initiative = get_initiative_for_user(request.user, public_id)
    form_class, call = ACTIONS[action]
    form = _forms(initiative, request.POST, action)[action.replace("-", "_")] if form_class else django_forms.Form({})
    if form.is_valid():
        try:
            call(request.user, initiative, form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
            return _manage_page(request, initiative, failed=form, action=action, error=error.message)
        messages.success(request, _("Done."))
        return redirect("initiatives:manage", public_id=initiative.public_id)
    return _manage_page(request, initiative, failed=form, action=action, error=_("Please correct the form."))


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: AuthedRequest, public_id: str) -> HttpResponse:
    initiative = get_initiative_for_paper_entry(request.user, public_id)
    settlements = selectors.territory_settlements(initiative)
    form = forms.PaperSignatureForm(request.POST or None, settlements=settlements)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enter = services.signature_key_again if data.pop("second_keying") else services.signature_enter_paper
        try:
            enter(actor=request.user, initiative=initiative, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Line %(line)s of sheet %(sheet)s is entered.")
                % {"line": form.cleaned_data["line_number"], "sheet": form.cleaned_data["sheet_number"]},
            )
            return redirect("initiatives:paper_entry", public_id=initiative.public_id)
    context = {"initiative": initiative, "form": form, "count": selectors.signature_count(initiative)}
    return render(request, "initiatives/paper_entry.html", context, status=400 if form.errors else 200)
