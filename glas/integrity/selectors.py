"""Reads for the integrity channel: the officers' inbox, the register and the annual statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from glas.integrity.models import IntegrityOfficer, Report


def officer_for(user: Any) -> IntegrityOfficer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return IntegrityOfficer.objects.filter(user=user, active=True).first()


def inbox(*, status: str = "") -> QuerySet[Report]:
    reports = Report.objects.only(
        "public_id",
        "reference",
        "kind",
        "context",
        "status",
        "received_on",
        "acknowledge_due",
        "feedback_due",
        "acknowledged_on",
        "feedback_on",
        "closed_on",
    )
    if status == "open":
        reports = reports.exclude(status=Report.Status.CLOSED)
    elif status in Report.Status.values:
        reports = reports.filter(status=status)
    return reports.order_by("-received_on", "-pk")


def reports_needing_attention(by: dt.date) -> list[Report]:
    """Open reports whose acknowledgement or feedback is due on or before ``by``."""
    return list(
        Report.objects.exclude(status=Report.Status.CLOSED)
        .filter(
            Q(acknowledged_on__isnull=True, acknowledge_due__lte=by) | Q(feedback_on__isnull=True, feedback_due__lte=by)
        )
        .only("reference", "acknowledge_due", "feedback_due", "acknowledged_on", "feedback_on", "status")
        .order_by("acknowledge_due")
    )


def register_rows(year: int) -> QuerySet[Report]:
    """The register of signals for a year (the structure of КЗЛД's ordinance on the register:
    number, date received, kind, subject, actions with dates, outcome) — never content."""
    return Report.objects.filter(received_on__year=year).order_by("reference")


@dataclass(frozen=True)
class YearStatistics:
    year: int
    total: int
    by_kind: dict[str, int]
    by_context: dict[str, int]
    by_outcome: dict[str, int]
    acknowledged_on_time: int
    feedback_on_time: int
    forwarded: int
    open_at_year_end: int


def _on_time(rows: list[Any], done: str, due: str) -> int:
    return sum(1 for row in rows if row[done] and row[done] <= row[due])


def year_statistics(year: int) -> YearStatistics:
    rows = list(
        Report.objects.filter(received_on__year=year).values(
            "kind",
            "context",
            "outcome",
            "status",
            "acknowledge_due",
            "acknowledged_on",
            "feedback_due",
            "feedback_on",
            "closed_on",
        )
    )
    year_end = dt.date(year, 12, 31)
    return YearStatistics(
        year=year,
        total=len(rows),
        by_kind=dict(Counter(row["kind"] for row in rows)),
        by_context=dict(Counter(row["context"] for row in rows)),
        by_outcome=dict(Counter(row["outcome"] for row in rows if row["outcome"])),
        acknowledged_on_time=sum(
            1 for r in rows if r["acknowledged_on"] and r["acknowledged_on"] <= r["acknowledge_due"]
        ),
        feedback_on_time=_on_time(rows, "feedback_on", "feedback_due"),
        forwarded=sum(
            1 for r in rows if r["status"] == Report.Status.FORWARDED or r["outcome"] == Report.Outcome.FORWARDED
        ),
        open_at_year_end=sum(1 for r in rows if r["closed_on"] is None or r["closed_on"] > year_end),
    )


EVENT_LABELS = {
    "received": _("received"),
    "acknowledged": _("acknowledged"),
    "officer_replied": _("an officer wrote to the reporter"),
    "feedback_given": _("feedback given on the measures taken"),
    "reporter_added_information": _("the reporter added information"),
    "forwarded": _("forwarded"),
    "closed": _("closed"),
    "identity_requested": _("access to the reporter's identity requested"),
    "identity_access_approved": _("access to the reporter's identity approved by a second officer"),
    "identity_read": _("the reporter's identity was read"),
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def declarations_search(query: str = "", *, position: str = "", year: int | None = None) -> QuerySet[Any]:
    """The public register, searchable by the person's name, a company's name or UIC."""
    from glas.integrity.models import InterestDeclaration

    declarations = InterestDeclaration.objects.select_related("councillor").prefetch_related("companies")
    query = " ".join(query.casefold().split())[:100]
    if query:
        declarations = declarations.filter(search_text__contains=query)
    if position in InterestDeclaration.Position.values:
        declarations = declarations.filter(position=position)
    if year:
        declarations = declarations.filter(year=year)
    return declarations.order_by("-filed_on", "person_name")


def confirmed_flags(declaration: Any) -> QuerySet[Any]:
    from glas.integrity.models import VoteFlag

    return (
        VoteFlag.objects.filter(company__declaration=declaration, status=VoteFlag.Status.CONFIRMED)
        .select_related("vote__decision", "company")
        .order_by("-vote__decision__date")
    )


def commission_declarations() -> QuerySet[Any]:
    """Conflicts of interest declared by Consultative Commission members on agenda items."""
    from glas.commission.models import ConflictDeclaration

    return ConflictDeclaration.objects.select_related("member", "item__meeting").order_by("-declared_at")[:100]
