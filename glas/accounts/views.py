"""A person's own account pages, and the staff pages for verification and roles."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from glas.accounts import selectors, services
from glas.accounts.access import get_person_for_verification
from glas.accounts.forms import (
    AccountDeleteForm,
    FindPersonForm,
    NotificationPreferenceForm,
    ProfileForm,
    ResidentVerificationForm,
    RevokeVerificationForm,
    RoleForm,
)
from glas.accounts.models import ConsentText
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.selectors import current_municipality, settlements_for
from glas.core.services import email_mode_for, notification_preference_set
from glas.core.types import AuthedRequest


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "display_name": user.display_name,
            "language": user.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(actor=user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax")
        return response
    context = {"form": form, "outstanding_consents": selectors.outstanding_consents(user)}
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


@login_required
def notification_settings(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = NotificationPreferenceForm(request.POST or None, initial={"mode": email_mode_for(user, "*")})
    if request.method == "POST" and form.is_valid():
        notification_preference_set(actor=user, kind="*", mode=form.cleaned_data["mode"])
        messages.success(request, _("Your notification settings were saved."))
        return redirect("accounts:notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def data_export(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "accounts.export_own_data")
    if request.method != "POST":
        return render(request, "accounts/data_export.html")
    data = selectors.personal_data_export(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="glas-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "accounts.delete_own_account")
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(actor=request.user)
        logout(request)
        messages.success(request, _("Your account was deleted. What you published stays, without your name."))
        return redirect("core:home")
    return render(request, "accounts/account_delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def consents(request: AuthedRequest) -> HttpResponse:
    outstanding = selectors.outstanding_consents(request.user)
    if request.method == "POST":
        for consent in outstanding:
            services.consent_accept(actor=request.user, consent=consent)
        messages.success(request, _("Thank you. Your acceptance was recorded."))
        return redirect("accounts:consents")
    accepted = request.user.consents.select_related("consent")
    return render(request, "accounts/consents.html", {"outstanding": outstanding, "accepted": accepted})


def consent_text(request: HttpRequest, kind: str) -> HttpResponse:
    texts = ConsentText.objects.filter(kind=kind).order_by("-version")
    current = texts.first()
    if current is None:
        from django.http import Http404

        raise Http404
    return render(request, "accounts/consent_text.html", {"text": current, "versions": texts})


@login_required
def verification_find(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "accounts.verify_resident")
    form = FindPersonForm(request.GET or None)
    if request.GET and form.is_valid():
        person = selectors.find_person(form.cleaned_data["email"])
        if person is not None:
            return redirect("accounts:verify_resident", pk=person.pk)
        form.add_error("email", _("No account has this e-mail address. Ask the person to register first."))
    return render(request, "accounts/verification_find.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def verify_resident(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_verification(request.user, pk)
    settlements = settlements_for(current_municipality())
    form = ResidentVerificationForm(request.POST or None, settlements=settlements)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_verify(
                actor=request.user,
                user=person,
                egn=data["egn"],
                settlement=data["settlement"],
                document=data["document"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The person is now a verified resident."))
            return redirect("accounts:verify_resident", pk=person.pk)
    context = {"person": person, "form": form, "revoke_form": RevokeVerificationForm()}
    return render(request, "accounts/verify_resident.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def verification_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_verification(request.user, pk)
    form = RevokeVerificationForm(request.POST)
    if form.is_valid():
        try:
            services.resident_verification_revoke(
                actor=request.user,
                user=person,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The verification was revoked."))
            return redirect("accounts:verify_resident", pk=person.pk)
    settlements = settlements_for(current_municipality())
    context = {"person": person, "form": ResidentVerificationForm(settlements=settlements), "revoke_form": form}
    return render(request, "accounts/verify_resident.html", context, status=400)


@login_required
def roles(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "accounts.manage_roles")
    form = RoleForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid():
        person = selectors.find_person(form.cleaned_data["email"])
        if action not in {"grant", "revoke"}:
            form.add_error(None, _("Choose whether to grant or remove the role."))
        elif person is None:
            form.add_error("email", _("No account has this e-mail address."))
        else:
            service = services.role_grant if action == "grant" else services.role_revoke
            try:
                service(actor=request.user, user=person, role=form.cleaned_data["role"])
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("The roles were updated."))
                return redirect("accounts:roles")
    context = {"form": form, "people": selectors.people_with_roles()}
    return render(request, "accounts/roles.html", context, status=400 if form.errors else 200)
