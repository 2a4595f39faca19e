"""Public pages (home, rules, accessibility), health checks, and the staff tools of core."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from glas.core import selectors, services
from glas.core.access import get_calendar_day_for_change, get_open_rule_for_change, require_perm
from glas.core.deadlines import WorkingCalendar
from glas.core.exceptions import DomainError
from glas.core.forms import AuditFilterForm, CalendarDayForm, LegalRuleChangeForm
from glas.core.models import CalendarDay, Notification, WorkerHeartbeat
from glas.core.participation import open_items
from glas.core.types import AuthedRequest

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"open_items": open_items()})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def rules_list(request: HttpRequest) -> HttpResponse:
    rules = selectors.rules_in_force()
    return render(request, "core/rules_list.html", {"rules": rules, "today": timezone.localdate()})


def rule_history(request: HttpRequest, key: str) -> HttpResponse:
    versions = selectors.legal_rule_versions(key)
    if not versions:
        raise Http404
    return render(request, "core/rule_history.html", {"versions": versions, "key": key})


@login_required
def rule_change(request: AuthedRequest, key: str) -> HttpResponse:
    rule = get_open_rule_for_change(request.user, key)
    form = LegalRuleChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_rule_change(actor=request.user, key=key, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The rule was changed. The previous version stays in its history."))
            return redirect("core:rule_history", key=key)
    status = 400 if form.errors else 200
    return render(request, "core/rule_change.html", {"rule": rule, "form": form}, status=status)


@login_required
def calendar_days(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "core.change_calendar")
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_day_add(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The day was added to the calendar."))
            return redirect("core:calendar")
    today = timezone.localdate()
    cal = WorkingCalendar.load()
    holidays = [
        (day, cal.holiday_name(day))
        for day in (today + dt.timedelta(days=n) for n in range(366))
        if cal.holiday_name(day)
    ]
    context = {
        "form": form,
        "days": CalendarDay.objects.filter(date__gte=today - dt.timedelta(days=365)),
        "holidays": holidays,
    }
    return render(request, "core/calendar.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def calendar_day_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    day = get_calendar_day_for_change(request.user, pk)
    services.calendar_day_remove(actor=request.user, day=day)
    messages.success(request, _("The day was removed from the calendar."))
    return redirect("core:calendar")


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "core.view_audit_log")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        action=filters.get("action") or "",
        actor_email=filters.get("actor") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@login_required
def staff_home(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "core.view_staff_area")
    return render(request, "core/staff_home.html")


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient=request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request: AuthedRequest) -> HttpResponse:
    services.notification_mark_read(actor=request.user)
    if request.htmx:
        return render(request, "core/_notifications_marked.html")
    messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Larger text for everyone who wants it, remembered in a cookie; works without JavaScript."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if request.POST.get("size") == "large":
        response.set_cookie(
            "glas_text", "large", max_age=60 * 60 * 24 * 365, samesite="Lax", secure=request.is_secure(), httponly=True
        )
    else:
        response.delete_cookie("glas_text")
    return response


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and serving."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: the database answers, the cache works, a task worker is beating."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    try:
        cache.set("glas:readyz", "1", 10)
        checks["cache"] = "ok" if cache.get("glas:readyz") == "1" else "error"
    except Exception:
        checks["cache"] = "error"
    checks["worker"] = "error"
    if checks["database"] == "ok":
        beat = WorkerHeartbeat.objects.filter(name="default").values_list("beat_at", flat=True).first()
        max_age = dt.timedelta(seconds=settings.GLAS_WORKER_HEARTBEAT_MAX_AGE)
        if beat is not None and timezone.now() - beat <= max_age:
            checks["worker"] = "ok"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
