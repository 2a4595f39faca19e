"""Reads of the bureau: the advisor queue, the case page, assignment suggestions, statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
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
from glas.core.models import Settlement, bilingual, in_english

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


def shared_case_ids(user: User, *, supervisor: bool) -> list[int]:
    """The cases shared with an advisor (a short list); none for supervisors, who see all."""
    if supervisor:
        return []
    statement = compiled(
        "bureau.queue.shared",
        lambda user_id: Case.shared_with.through.objects.filter(user_id=user_id).values_list("case_id")[:1000],
        key_fields=[Case.shared_with.through._meta.get_field("user")],
        samples=[QUEUE_KEYS["user"][1]],
    )
    return [case_id for (case_id,) in statement.rows(user.pk)]


def advisor_scope(user_id: int, *, supervisor: bool, shared: list[int]) -> Q:
    """Which cases the person may list: all for supervisors; otherwise those assigned to them
    or shared with them. The shared ids are read first (``shared_case_ids``), so the database can
    use its indexes instead of scanning every case for an OR with a subquery."""
    if supervisor:
        return Q()
    return Q(assigned_to=user_id) | Q(pk__in=shared) if shared else Q(assigned_to=user_id)


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


def case_queue(
    user_id: int, filters: QueueFilters, *, supervisor: bool, shared: list[int], today: dt.date | None
) -> QuerySet[Case]:
    """Cases the person may see, filtered and ordered; the page slices it (bounded queries)."""
    cases = Case.objects.exclude(status=Case.Status.UNCONFIRMED)
    cases = cases.filter(advisor_scope(user_id, supervisor=supervisor, shared=shared))
    open_statuses = (Case.Status.OPEN, Case.Status.CLARIFICATION)
    if filters.view == "mine":
        cases = cases.filter(status__in=open_statuses)
        if supervisor:
            cases = cases.filter(assigned_to=user_id)
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


# The queue's reads are compiled once per process for each shape of the list (which view,
# filters and ordering, how many shared cases; glas.core.compiled): building them with the ORM
# cost more than the rest of the page's reads together. Each value that changes between requests
# has a sample that no constant of these queries can equal, and the field it is compared with.
QUEUE_KEYS: dict[str, tuple[str, Any]] = {
    "user": ("assigned_to", 2_000_000_011),
    "scope_user": ("assigned_to", 2_000_000_013),
    "today": ("due_on", dt.date(1901, 2, 3)),
    "kind": ("kind", "sample-kind"),
    "category": ("category", "sample-category"),
    "settlement": ("settlement", 2_000_000_017),
}
SAMPLE_SHARED = 2_000_100_000
# Beyond this many shared cases an advisor's queue is built by the ORM each time, so that the
# statements kept per process stay few.
COMPILED_SHARED_MAX = 20


@dataclass(frozen=True)
class QueueRead:
    """One of the queue's reads for one request: ``build(values, shared)`` is its queryset, with
    its SQL compiled once per shape."""

    name: str
    build: Callable[[dict[str, Any], list[int]], QuerySet[Any]]
    values: dict[str, Any]
    shared: list[int]

    def rows(self, *, limit: int | None = None, offset: int = 0) -> list[tuple[Any, ...]]:
        if len(self.shared) > COMPILED_SHARED_MAX:
            queryset = self.build(self.values, self.shared)
            return list(queryset if limit is None else queryset[offset : offset + limit])
        names = list(self.values)
        fields: list[Any] = [Case._meta.get_field(QUEUE_KEYS[name][0]) for name in names]
        fields += [Case._meta.pk] * len(self.shared)
        samples = [QUEUE_KEYS[name][1] for name in names] + [SAMPLE_SHARED + n for n in range(len(self.shared))]

        def build(*keys: Any) -> QuerySet[Any]:
            return self.build(dict(zip(names, keys, strict=False)), list(keys[len(names) :]))

        shape = ".".join([self.name, *names, str(len(self.shared))])
        statement = compiled(shape, build, key_fields=fields, samples=samples, model=Case)
        return statement.rows(*self.values.values(), *self.shared, limit=limit, offset=offset)

    def __getitem__(self, page: slice) -> list[tuple[Any, ...]]:
        """A page of rows, for ``slice_page``."""
        return self.rows(limit=page.stop - (page.start or 0), offset=page.start or 0)


def queue_lines(user: User, filters: QueueFilters, *, supervisor: bool, shared: list[int]) -> QueueRead:
    """The queue's lines (tuples of ``QUEUE_COLUMNS``), to be sliced into a page."""
    values: dict[str, Any] = {}
    if not supervisor or filters.view == "mine":  # a supervisor's other lists are everyone's
        values["user"] = user.pk
    if filters.view == "overdue":
        values["today"] = timezone.localdate()
    for name in ("kind", "category", "settlement"):
        if getattr(filters, name):
            values[name] = getattr(filters, name)

    def build(values: dict[str, Any], shared: list[int]) -> QuerySet[Any]:
        wanted = QueueFilters(
            view=filters.view,
            kind=values.get("kind", ""),
            category=values.get("category", ""),
            settlement=values.get("settlement"),
            ordering=filters.ordering,
        )
        cases = case_queue(
            values.get("user", 0), wanted, supervisor=supervisor, shared=shared, today=values.get("today")
        )
        return cases.values_list(*QUEUE_COLUMNS)

    name = f"bureau.queue.lines.{filters.view}.{filters.ordering}.{'supervisor' if supervisor else 'advisor'}"
    return QueueRead(name, build, values, shared)


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


def queue_counts(user: User, *, supervisor: bool, shared: list[int]) -> dict[str, int]:
    """How many open cases are mine, unassigned and overdue (one query)."""
    values: dict[str, Any] = {"user": user.pk, "today": timezone.localdate()}
    if not supervisor:
        values["scope_user"] = user.pk

    def build(values: dict[str, Any], shared: list[int]) -> QuerySet[Any]:
        scope = advisor_scope(values.get("scope_user", 0), supervisor=supervisor, shared=shared)
        open_cases = Case.objects.filter(scope, status__in=(Case.Status.OPEN, Case.Status.CLARIFICATION))
        # COUNT(1) rather than COUNT(id): the counts then read only bureau_case_open_idx. Grouped
        # by a constant, which Django leaves out of the SQL: one row, as aggregate() would give.
        one = Value(1)
        counts = open_cases.order_by().values(whole=one)
        return counts.annotate(
            mine=Count(one, filter=Q(assigned_to=values["user"])),
            triage=Count(one, filter=Q(assigned_to__isnull=True)),
            overdue=Count(one, filter=Q(due_on__lt=values["today"])),
        ).values_list("mine", "triage", "overdue")

    name = f"bureau.queue.counts.{'supervisor' if supervisor else 'advisor'}"
    ((mine, triage, overdue),) = QueueRead(name, build, values, shared).rows()
    return {"mine": mine, "triage": triage, "overdue": overdue}


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


# Lists most cases do not have. The case is read with a flag for each (``case_list_flags``, in
# ``access``), and its page reads only the lists the flags say are not empty.
CASE_READ_FLAGS = {"referrals": "has_referrals", "shared_with": "has_shares", "articles": "has_articles"}


def case_list_flags() -> dict[str, Exists]:
    """The annotations behind ``CASE_READ_FLAGS``, each an ``EXISTS`` on the case's row."""
    case = OuterRef("pk")
    return {
        "has_referrals": Exists(Referral.objects.filter(case_id=case)),
        "has_shares": Exists(Case.shared_with.through.objects.filter(case_id=case)),
        "has_articles": Exists(Article.cases.through.objects.filter(case_id=case, article__status="published")),
    }


def case_read(name: str, case: Case) -> list[Any]:
    """One of ``CASE_READS`` for the case, through its compiled statement."""
    statement = compiled(f"bureau.case.{name}", CASE_READS[name], key_fields=[Case._meta.pk], samples=[SAMPLE_CASE_ID])
    return statement.instances(case.pk)


def case_messages(case: Case, *, internal: bool) -> list[CaseMessage]:
    return case_read("case_messages" if internal else "public_messages", case)


def case_page_data(case: Case) -> dict[str, Any]:
    """Everything the advisor's case page shows, in at most five queries: two when the case, as
    read by ``access``, has no referrals, shares or linked articles."""
    data = {}
    for name in ("case_messages", "deadlines", "referrals", "shared_with", "articles"):
        flag = CASE_READ_FLAGS.get(name)
        empty = flag is not None and getattr(case, flag, None) is False
        data[name] = [] if empty else case_read(name, case)
    return data


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
    suppressed, so no one can be recognised from a rare combination. Labels are in the active
    language, so the figures are cached per language."""
    key = f"bureau:statistics:v2:{'en' if in_english() else 'bg'}"
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
        _cell(bilingual(row["settlement__name"] or "—", row["settlement__name_en"]), row["n"])
        for row in cases.values("settlement__name", "settlement__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "settlement__name")
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
