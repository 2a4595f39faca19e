"""Public pages: the list, an initiative with its progress and timeline, signing, withdrawing,
and the committee confirmation link."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.core import ratelimit
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest
from glas.initiatives import selectors, services
from glas.initiatives.access import get_initiative_to_sign, get_public_initiative
from glas.initiatives.emails import email_domain
from glas.initiatives.models import Initiative
from glas.initiatives.views.common import form_error

FREE_MAIL = {"gmail.com", "abv.bg", "yahoo.com", "outlook.com", "hotmail.com", "mail.bg", "dir.bg", "icloud.com"}


@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_initiatives(), 20).get_page(request.GET.get("page"))
    return render(request, "initiatives/list.html", {"page": page})


def _detail(request: HttpRequest, initiative: Initiative, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "initiative": initiative,
        "progress": selectors.progress(initiative),
        "timeline": initiative.timeline.all(),
        "own_signature": selectors.own_signature(request.user, initiative),
        "can_manage": request.user.has_perm("initiatives.manage_initiative", initiative),
        "error": error,
    }
    return render(request, "initiatives/detail.html", context, status=status)


@require_GET
def initiative_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail(request, get_public_initiative(public_id))


def _suspicious(request: AuthedRequest) -> bool:
    """True when the address or (for a small provider) the e-mail domain signs in bulk."""
    per_address, per_domain = settings.INITIATIVES_SIGN_LIMIT_PER_ADDRESS, settings.INITIATIVES_SIGN_LIMIT_PER_DOMAIN
    checks = [("initiatives.sign", ratelimit.client_key(request), per_address, 3600)]
    domain = email_domain(request.user.email)
    if domain not in FREE_MAIL:
        checks.append(("initiatives.sign.domain", domain, per_domain, 3600))
    return not all(ratelimit.allow_many(checks))


@login_required
@require_POST
def initiative_sign(request: AuthedRequest, public_id: str) -> HttpResponse:
    initiative = get_initiative_to_sign(public_id)
    try:
        services.signature_sign(actor=request.user, initiative=initiative, hold=_suspicious(request))
    except DomainError as error:
        status = 403 if error.code == "unverified" else 400
        return _detail(request, get_public_initiative(public_id), error=error.message, status=status)
    messages.success(request, _("Thank you: your signature is recorded."))
    return redirect("initiatives:detail", public_id=initiative.public_id)


@login_required
@require_POST
def initiative_withdraw(request: AuthedRequest, public_id: str) -> HttpResponse:
    initiative = get_public_initiative(public_id)
    try:
        services.signature_withdraw(actor=request.user, initiative=initiative)
    except DomainError as error:
        return _detail(request, initiative, error=error.message, status=400)
    messages.success(request, _("Your signature is withdrawn."))
    return redirect("initiatives:detail", public_id=initiative.public_id)


@require_http_methods(["GET", "POST"])
def committee_confirm(request: HttpRequest, token: str) -> HttpResponse:
    member = services.committee_member_for_token(token)
    if member is None:
        raise Http404
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        try:
            services.committee_member_confirm(
                actor=request.user if request.user.is_authenticated else None, member=member
            )  # type: ignore[arg-type]
        except DomainError as error:
            form_error(form, error)
            return render(request, "initiatives/committee_confirm.html", {"member": member, "form": form}, status=400)
    return render(request, "initiatives/committee_confirm.html", {"member": member, "form": form})
