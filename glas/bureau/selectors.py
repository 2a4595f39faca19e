"""Reads of the bureau: the advisor queue, the case page, assignment suggestions, statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import quote

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from glas.accounts.models import User
from glas.bureau.models import (
    AdvisorProfile,
    Article,
    Case,
    CaseDeadline,
    CaseMessage,
    Category,
    Referral,
    RotaSlot,
    Service,
)
from glas.core.compiled import compiled
from glas.core.models import Settlement

QUEUE_VIEWS = ("mine", "triage", "overdue", "escalated", "all", "closed")
QUEUE_ORDERINGS = {"due": ("due_on", "id"), "new": ("-created_at", "-id"), "reference": ("reference",)}
SMALL_CELL = 5


@dataclass
class QueueFilters:
    view: str = "mine"
    kind: str = ""
    category: str = ""
    settlement: int | None = None
    ordering: str = "due"
    errors: list[str] = field(default_factory=list)


def parse_queue_filters(params: Any, *, supervisor: bool) -> QueueFilters:
    """Filters from the query string, each checked against an allow-list (unknown values ignored)."""
    filters = QueueFilters()
    view = params.get("view", "")
    allowed = QUEUE_VIEWS if supervisor else ("mine", "overdue", "closed")
    if view in allowed:
        filters.view = view
    if params.get("kind", "") in Case.Kind.values:
        filters.kind = params["kind"]
    if params.get("category", "") in Category.values:
        filters.category = params["category"]
    settlement = params.get("settlement", "")
    if isinstance(settlement, str) and settlement.isdigit() and len(settlement) < 10:
        filters.settlement = int(settlement)
    if params.get("ordering", "") in QUEUE_ORDERINGS:
        filters.ordering = params["ordering"]
    return filters


def advisor_scope(user: User, *, supervisor: bool) -> Q:
    """Which cases the person may list: all for supervisors; otherwise those assigned to them
    or shared with them. The shared ids are read first (a short list), so the database can use
    its indexes instead of scanning every case for an OR with a subquery."""
    if supervisor:
        return Q()
    shared = list(Case.shared_with.through.objects.filter(user=user).values_list("case_id", flat=True)[:1000])
    return Q(assigned_to=user) | Q(pk__in=shared) if shared else Q(assigned_to=user)


# The columns the queue shows, and no others: a queue page reads 51 rows of these as tuples
# (no model instances), which is most of what a page costs.
QUEUE_COLUMNS = (
    "reference",
    "subject",
    "kind",
    "category",
    "status",
    "due_on",
    "escalated_at",
    "settlement_id",
    "assigned_to__display_name",
    "assigned_to__deleted_at",
)


def case_queue(user: User, filters: QueueFilters, *, supervisor: bool, scope: Q) -> QuerySet[Case]:
    """Cases the person may see (``scope``), filtered; the page slices it (bounded queries)."""
    cases = Case.objects.exclude(status=Case.Status.UNCONFIRMED)
    cases = cases.filter(scope)
    today = timezone.localdate()
    open_statuses = (Case.Status.OPEN, Case.Status.CLARIFICATION)
    if filters.view == "mine":
        cases = cases.filter(status__in=open_statuses)
        if supervisor:
            cases = cases.filter(assigned_to=user)
    elif filters.view == "triage":
        cases = cases.filter(status__in=open_statuses, assigned_to__isnull=True)
    elif filters.view == "overdue":
        cases = cases.filter(status__in=open_statuses, due_on__lt=today)
    elif filters.view == "escalated":
        cases = cases.filter(status__in=open_statuses, escalated_at__isnull=False)
    elif filters.view == "closed":
        cases = cases.filter(status=Case.Status.CLOSED)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.settlement:
        cases = cases.filter(settlement_id=filters.settlement)
    return cases.order_by(*QUEUE_ORDERINGS[filters.ordering])


class QueueRow(TypedDict):
    """One line of the queue, ready to print: labels looked up once per page, the deadline
    formatted, "—" for no settlement or advisor. A dict, because the template language finds a
    dict's keys on its first try and a dataclass's attributes only after a failed lookup (with
    fifty rows of eleven cells that difference was a tenth of the page's time)."""

    reference: str
    url: str
    subject: str
    escalated: bool
    kind: str
    category: str
    settlement: str
    advisor: str
    due: str
    overdue: bool
    status: str


NONE_SHOWN = "—"


def queue_rows(lines: Iterable[tuple[Any, ...]], settlements: Iterable[Settlement]) -> list[QueueRow]:
    """The queue's lines (tuples of ``QUEUE_COLUMNS``) with their labels; ``settlements`` are
    those the page lists for its filter (a case in any other settlement costs one more query)."""
    lines = list(lines)
    today = timezone.localdate()
    kinds = {value: str(label) for value, label in Case.Kind.choices}
    categories = {value: str(label) for value, label in Category.choices}
    statuses = {value: str(label) for value, label in Case.Status.choices}
    places = {settlement.pk: settlement.prefixed_name for settlement in settlements}
    missing = {line[7] for line in lines if line[7] is not None and line[7] not in places}
    if missing:
        places.update((item.pk, item.prefixed_name) for item in Settlement.objects.filter(pk__in=missing))
    # One reverse() for the page; each row's link differs only by its (quoted) reference.
    link = reverse("bureau:case_detail", args=["__reference__"])
    open_statuses = (Case.Status.OPEN, Case.Status.CLARIFICATION)
    rows = []
    for reference, subject, kind, category, status, due_on, escalated_at, place, advisor, gone in lines:
        is_open = status in open_statuses
        rows.append(
            QueueRow(
                reference=reference,
                url=link.replace("__reference__", quote(reference)),
                subject=subject,
                escalated=bool(escalated_at and is_open),
                kind=kinds.get(kind, kind),
                category=categories.get(category, category),
                settlement=(places.get(place) if place else None) or NONE_SHOWN,
                advisor=User.public_name_of(advisor, gone) if advisor is not None else NONE_SHOWN,
                due=f"{due_on:%d.%m.%Y}" if due_on else "",
                overdue=bool(is_open and due_on and due_on < today),
                status=statuses.get(status, status),
            )
        )
    return rows


def queue_counts(user: User, *, scope: Q) -> dict[str, int]:
    """How many open cases are mine, unassigned and overdue (one query)."""
    today = timezone.localdate()
    open_cases = Case.objects.filter(scope, status__in=(Case.Status.OPEN, Case.Status.CLARIFICATION))
    # COUNT(1) rather than COUNT(id): the counts then read only bureau_case_open_idx.
    one = Value(1)
    return open_cases.aggregate(
        mine=Count(one, filter=Q(assigned_to=user)),
        triage=Count(one, filter=Q(assigned_to__isnull=True)),
        overdue=Count(one, filter=Q(due_on__lt=today)),
    )


# The case page's reads are the same statements for every case, so their SQL is compiled once
# per process (glas.core.compiled): building them cost about as much as the rest of the page.
# A case id no real case has, which no constant of these queries equals.
SAMPLE_CASE_ID = 2_000_000_007


def _messages(case_id: int, *, internal: bool) -> QuerySet[CaseMessage]:
    messages = CaseMessage.objects.filter(case_id=case_id).select_related("author").order_by("created_at", "id")
    return messages if internal else messages.exclude(kind=CaseMessage.Kind.NOTE)


CASE_READS: dict[str, Any] = {
    "case_messages": lambda pk: _messages(pk, internal=True)[:500],
    "public_messages": lambda pk: _messages(pk, internal=False)[:500],
    "deadlines": lambda pk: CaseDeadline.objects.filter(case_id=pk)[:50],
    "referrals": lambda pk: Referral.objects.filter(case_id=pk).select_related("service")[:50],
    "shared_with": lambda pk: User.objects.filter(bureau_shared=pk)[:50],
    "articles": lambda pk: Article.objects.filter(cases=pk, status="published").only("slug", "title")[:20],
}


def case_read(name: str, case: Case) -> list[Any]:
    """One of ``CASE_READS`` for the case, through its compiled statement."""
    statement = compiled(f"bureau.case.{name}", CASE_READS[name], key_fields=[Case._meta.pk], samples=[SAMPLE_CASE_ID])
    return statement.instances(case.pk)


def case_messages(case: Case, *, internal: bool) -> list[CaseMessage]:
    return case_read("case_messages" if internal else "public_messages", case)


def case_page_data(case: Case) -> dict[str, Any]:
    """Everything the advisor's case page shows, in a fixed number of queries."""
    return {
        name: case_read(name, case) for name in ("case_messages", "deadlines", "referrals", "shared_with", "articles")
    }


def advisors_for(case: Case) -> list[AdvisorProfile]:
    """Advisors ranked for a case: skill in its category, a rota slot in its settlement, the
    fewest open cases; those at capacity or unavailable come last (never hidden)."""
    open_count = Count(
        "user__bureau_assigned",
        filter=Q(user__bureau_assigned__status__in=(Case.Status.OPEN, Case.Status.CLARIFICATION)),
    )
    in_place = RotaSlot.objects.filter(advisor=OuterRef("pk"), settlement=case.settlement)
    profiles = list(
        AdvisorProfile.objects.filter(user__is_active=True, user__groups__name="advisor")
        .select_related("user")
        .annotate(open_cases=open_count, visits_place=Exists(in_place))[:200]
    )

    def score(profile: Any) -> tuple[int, int, int, int]:
        has_room = profile.available and profile.open_cases < profile.max_open_cases
        return (
            0 if has_room else 1,
            0 if case.category in profile.skills else 1,
            0 if profile.visits_place else 1,
            profile.open_cases,
        )

    return sorted(profiles, key=score)


def released_information(*, limit: int = 100) -> list[Case]:
    """ЗДОИ requests whose released information the bureau chose to publish (ЗДОИ art. 15a):
    the subject, the decision date and the decision text — never the applicant."""
    cases = (
        Case.objects.filter(
            kind=Case.Kind.ZDOI,
            publish_released=True,
            outcome__in=(Case.Outcome.FULL, Case.Outcome.PARTIAL),
            anonymised_at__isnull=True,
        )
        .only("reference", "subject", "decided_on", "outcome")
        .order_by("-decided_on", "-id")[:limit]
    )
    replies = {
        message.case_id: message
        for message in CaseMessage.objects.filter(case__in=[c.pk for c in cases], kind=CaseMessage.Kind.REPLY)
        .only("case_id", "body", "created_at")
        .order_by("created_at", "id")
    }
    result = list(cases)
    for case in result:
        case.released_text = replies[case.pk].body if case.pk in replies else ""  # type: ignore[attr-defined]
    return result


def rota() -> list[RotaSlot]:
    return list(RotaSlot.objects.select_related("advisor__user", "settlement").order_by("weekday", "starts_at")[:200])


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).order_by("name")


# --- Public statistics ----------------------------------------------------------------------


@dataclass
class Cell:
    label: str
    count: int | None  # None: fewer than SMALL_CELL, suppressed


@dataclass
class BureauStatistics:
    total: int | None
    closed: int | None
    by_category: list[Cell]
    by_kind: list[Cell]
    by_settlement: list[Cell]
    by_month: list[Cell]
    median_days_to_close: float | None
    on_time_percent: float | None
    referrals: list[Cell]
    generated_at: dt.datetime


def _cell(label: str, count: int) -> Cell:
    return Cell(label=label, count=count if count >= SMALL_CELL else None)


def _suppressed(count: int) -> int | None:
    return count if count >= SMALL_CELL else None


def bureau_statistics(*, use_cache: bool = True) -> BureauStatistics:
    """Anonymised figures for the public page and the API. Cells with fewer than five cases are
    suppressed, so no one can be recognised from a rare combination."""
    key = "bureau:statistics:v1"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
    cases = Case.objects.exclude(status=Case.Status.UNCONFIRMED)
    category_labels = dict(Category.choices)
    kind_labels = dict(Case.Kind.choices)
    by_category = [
        _cell(str(category_labels.get(row["category"], row["category"])), row["n"])
        for row in cases.values("category").annotate(n=Count("id")).order_by("-n", "category")
    ]
    by_kind = [
        _cell(str(kind_labels.get(row["kind"], row["kind"])), row["n"])
        for row in cases.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    by_settlement = [
        _cell(row["settlement__name"] or "—", row["n"])
        for row in cases.values("settlement__name").annotate(n=Count("id")).order_by("-n", "settlement__name")
    ]
    by_month = [
        _cell(row["month"].strftime("%Y-%m"), row["n"])
        for row in cases.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
        if row["month"] is not None
    ]
    closed = cases.filter(status=Case.Status.CLOSED, received_on__isnull=False)
    durations = [
        (timezone.localdate(closed_at) - received).days
        for received, closed_at in closed.values_list("received_on", "closed_at")
        if received is not None and closed_at is not None
    ]
    on_time = Counter(closed.values_list("closed_on_time", flat=True))
    judged = on_time[True] + on_time[False]
    service_kinds = dict(Service.Kind.choices)
    referrals = [
        _cell(str(service_kinds.get(row["service__kind"], row["service__kind"])), row["n"])
        for row in Referral.objects.values("service__kind").annotate(n=Count("id")).order_by("service__kind")
    ]
    result = BureauStatistics(
        total=_suppressed(cases.count()),
        closed=_suppressed(len(durations)),
        by_category=by_category,
        by_kind=by_kind,
        by_settlement=by_settlement,
        by_month=by_month,
        median_days_to_close=float(statistics.median(durations)) if len(durations) >= SMALL_CELL else None,
        on_time_percent=round(100 * on_time[True] / judged, 1) if judged >= SMALL_CELL else None,
        referrals=referrals,
        generated_at=timezone.now(),
    )
    if use_cache:
        cache.set(key, result, timeout=600)
    return result


def personal_data_section(user: User) -> list[dict[str, Any]]:
    """The person's own bureau cases with the public replies, for their data export (``/me/data/``).
    Internal notes are the bureau's working papers and are not included."""
    cases = Case.objects.filter(citizen=user).prefetch_related("messages").order_by("created_at")[:1000]
    return [
        {
            "reference": case.reference,
            "kind": case.kind,
            "category": case.category,
            "status": case.status,
            "subject": case.subject,
            "description": case.description,
            "name": case.name,
            "email": case.email,
            "phone": case.phone,
            "address": case.address,
            "consent_process": case.consent_process,
            "consent_refer": case.consent_refer,
            "consent_version": case.consent_version,
            "created_at": case.created_at.isoformat(),
            "messages": [
                {"kind": m.kind, "body": m.body, "created_at": m.created_at.isoformat()}
                for m in case.messages.all()
                if m.kind != CaseMessage.Kind.NOTE
            ],
        }
        for case in cases
    ]
