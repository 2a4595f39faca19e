"""Following consultations: an ICS calendar of deadlines, an Atom feed, subscriptions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from glas.consultations import selectors, services
from glas.consultations.access import get_own_subscription
from glas.consultations.forms import SubscriptionForm
from glas.consultations.models import Draft, Subscription
from glas.core.access import require_perm
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest


def _ics_text(value: str) -> str:
    """Escape a value for an iCalendar TEXT property (RFC 5545, 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return " ".join(value.split()).replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545, 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 74:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """Every published consultation as an all-day event on its closing date."""
    site = settings.GLAS_SITE_URL.rstrip("/")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Glas//Consultations//BG",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(_('Public consultations: deadlines'))}",
    ]
    for draft in selectors.drafts_closing()[:500]:
        if draft.closes_on is None:
            continue
        url = site + reverse("consultations:detail", args=[draft.public_id])
        lines += [
            "BEGIN:VEVENT",
            f"UID:consultation-{draft.public_id}@glas",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{draft.closes_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{draft.closes_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(_('Last day for proposals: %(title)s') % {'title': draft.title})}",
            f"URL:{url}",
            f"DESCRIPTION:{_ics_text(url)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class ConsultationFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Public consultations")
    subtitle = gettext_lazy("Draft acts of the municipality published for public consultation.")

    def link(self) -> str:
        return reverse("consultations:list")

    def items(self) -> list[Draft]:
        return list(selectors.public_drafts().order_by("-published_at")[:50])

    def item_title(self, item: Draft) -> str:
        return item.title

    def item_description(self, item: Draft) -> str:
        closes = item.closes_on.strftime("%d.%m.%Y") if item.closes_on else ""
        return f"{item.summary}\n{_('Proposals until %(date)s.') % {'date': closes}}".strip()

    def item_link(self, item: Draft) -> str:
        return reverse("consultations:detail", args=[item.public_id])

    def item_pubdate(self, item: Draft) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Draft) -> dt.datetime:
        return item.updated_at


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, "consultations.subscribe")
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_add(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("You will be told when such a consultation opens."))
            return redirect("consultations:subscriptions")
    mine = Subscription.objects.filter(user=request.user).select_related("settlement")
    return render(
        request,
        "consultations/subscriptions.html",
        {"form": form, "subscriptions": mine},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def subscription_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    services.subscription_remove(actor=request.user, subscription=get_own_subscription(request.user, pk))
    messages.success(request, _("The subscription is removed."))
    return redirect("consultations:subscriptions")
