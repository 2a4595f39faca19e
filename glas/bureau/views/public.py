"""Public pages of the bureau: what it offers, the request form, e-mail confirmation, following a
case by account or secret link, rating the help, and the statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from glas.bureau import access, selectors, services
from glas.bureau.forms import CitizenMessageForm, IntakeForm, RateForm
from glas.bureau.models import Case
from glas.bureau.tasks import case_id_from_confirmation
from glas.core import ratelimit
from glas.core.exceptions import DomainError
from glas.core.selectors import current_municipality_or_none

NEW_LINK = "bureau_new_link"


def form_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def private(response: HttpResponse) -> HttpResponse:
    """Pages behind a secret link: not cached, the link never sent to another site as a referrer.

    "same-origin", not "no-referrer": with "no-referrer" browsers send "Origin: null" with the
    page's form posts (a reply, a rating, every advisor's action), which the CSRF check refuses.
    A referrer that comes back to this site is not logged (gunicorn.conf.py)."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def bureau_home(request: HttpRequest) -> HttpResponse:
    return render(request, "bureau/home.html", {"rota": selectors.rota()})


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, municipality=current_municipality_or_none())
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow_request(request, "bureau.ask", limit=settings.BUREAU_ASK_RATE_LIMIT, window=3600):
            return render(request, "bureau/ratelimited.html", status=429)
        try:
            case, token = services.case_submit(actor=request.user, request=form.case_request())  # type: ignore[arg-type]
        except DomainError as error:
            form_error(form, error)
        else:
            request.session[NEW_LINK] = [case.reference, token]
            return redirect("bureau:submitted")
    return render(
        request,
        "bureau/ask.html",
        {"form": form, **services.intake_context()},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    reference, token = request.session.pop(NEW_LINK, [None, None])
    if reference is None:
        return redirect("bureau:home")
    case = Case.objects.filter(reference=reference).first()
    link = request.build_absolute_uri(reverse("bureau:follow", args=[reference, token]))
    return private(render(request, "bureau/submitted.html", {"case": case, "link": link}))


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link from the e-mail. GET shows a button (mail scanners only GET); POST confirms."""
    case_id = case_id_from_confirmation(token)
    if case_id is None:
        return render(request, "bureau/confirm_invalid.html", status=404)
    if request.method == "GET":
        return private(render(request, "bureau/confirm.html", {"token": token}))
    case = services.case_confirm_email(case_id=case_id)
    if case is None:
        return render(request, "bureau/confirm_invalid.html", status=404)
    return private(render(request, "bureau/confirmed.html", {"case": case}))


def _follow_page(
    request: HttpRequest, case: Case, action_url: str, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "public_messages": selectors.case_messages(case, internal=False),
        "articles": list(case.articles.filter(status="published").only("slug", "title")[:20]),
        "action_url": action_url,
        "message_form": forms.get("message") or CitizenMessageForm(),
        "rate_form": forms.get("rate") or RateForm(),
    }
    return private(render(request, "bureau/follow.html", context, status=status))


def _citizen_page(request: HttpRequest, case: Case, action_url: str) -> HttpResponse:
    if request.method == "GET":
        return _follow_page(request, case, action_url, {})
    actor = request.user if request.user.is_authenticated else None
    form: Any
    call: Callable[[dict[str, Any]], Any]
    if request.POST.get("action") == "rate":
        name, form = "rate", RateForm(request.POST)
        call = lambda d: services.case_rate(actor=actor, case=case, rating=d["rating"], comment=d["comment"])  # type: ignore[arg-type]  # noqa: E731
    else:
        name, form = "message", CitizenMessageForm(request.POST)
        call = lambda d: services.case_citizen_message(actor=actor, case=case, body=d["body"], idempotency_key=d["key"])  # type: ignore[arg-type]  # noqa: E731
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return HttpResponseRedirect(action_url)
    return _follow_page(request, case, action_url, {name: form}, status=400)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    case = access.get_case_by_follow_link(reference, token)
    return _citizen_page(request, case, reverse("bureau:follow", args=[reference, token]))


@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    cases = Case.objects.filter(citizen=request.user).exclude(status=Case.Status.UNCONFIRMED).order_by("-created_at")
    return render(request, "bureau/my_cases.html", {"cases": cases[:100]})


@require_http_methods(["GET", "POST"])
def my_case(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    case = access.get_case_for_citizen(request.user, reference)
    return _citizen_page(request, case, reverse("bureau:my_case", args=[reference]))


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    stats = selectors.bureau_statistics()
    # The open data keeps "2026-09"; the page names the month as its reader says it.
    months = [replace(cell, label=month_label(cell.label)) for cell in stats.by_month]
    context = {"stats": stats, "months": months, "small": selectors.SMALL_CELL}
    return render(request, "bureau/statistics.html", context)


def month_label(year_month: str) -> str:
    """ "2026-09" → "септември 2026" (in Bulgarian) or "September 2026"."""
    year, month = (int(part) for part in year_month.split("-"))
    return date_format(dt.date(year, month, 1), "F Y")


@require_GET
def released(request: HttpRequest) -> HttpResponse:
    return render(request, "bureau/released.html", {"cases": selectors.released_information()})
