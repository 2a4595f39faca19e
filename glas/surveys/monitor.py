"""Reads for fieldwork: the counts of the invitations page and the fieldwork monitor.

Every figure is counted by the database, in a fixed number of queries whatever the number of
responses (``bench/fieldwork_monitor_queries.py`` shows it at 200 and 20,000 responses). The
median duration, too: the complete responses are ordered by their duration and the one or two
in the middle read with ``LIMIT 2 OFFSET (n - 1) / 2``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from glas.core.models import Settlement
from glas.surveys.charts import CHART
from glas.surveys.models import Answer, Invitation, Question, QuotaCell, Response, Survey

# An unfinished response untouched for longer than this counts as broken off.
BREAK_OFF_AFTER = dt.timedelta(hours=24)
BAR_WIDTH = CHART.bar  # the drawing's geometry: surveys/charts.py


@dataclass
class Bar:
    label: str
    value: int
    width: int  # of BAR_WIDTH
    extra: Any = None


@dataclass
class Chart:
    """Rows of a bar chart and of the data table beside it."""

    key: str
    bars: list[Bar] = field(default_factory=list)

    geometry = CHART

    @property
    def height(self) -> int:
        return CHART.row * len(self.bars) + 4


def chart(key: str, items: list[tuple[str, int, Any]]) -> Chart:
    top = max((value for _label, value, _extra in items), default=0)
    return Chart(
        key=key,
        bars=[
            Bar(label=label, value=value, width=round(BAR_WIDTH * value / top) if top else 0, extra=extra)
            for label, value, extra in items
        ],
    )


@dataclass
class InvitationRow:
    settlement: str
    stratum: str
    created: int
    by_letter: int
    sent: int
    reminded: int
    completed: int


def invitation_counts(survey: Survey) -> tuple[list[InvitationRow], InvitationRow]:
    """Created, by letter, sent, reminded and completed invitations per settlement and stratum
    (one aggregated query), and the totals."""
    rows = (
        Invitation.objects.filter(survey=survey)
        .values("settlement__name", "stratum")
        .annotate(
            created=Count("id"),
            by_letter=Count("id", filter=Q(email="")),
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            reminded=Count("id", filter=Q(reminded_at__isnull=False)),
            completed=Count("id", filter=Q(completed_at__isnull=False)),
        )
        .order_by("settlement__name", "stratum")
    )
    result = [
        InvitationRow(
            settlement=row["settlement__name"] or "",
            stratum=row["stratum"],
            created=row["created"],
            by_letter=row["by_letter"],
            sent=row["sent"],
            reminded=row["reminded"],
            completed=row["completed"],
        )
        for row in rows
    ]
    total = InvitationRow(
        settlement="",
        stratum="",
        created=sum(row.created for row in result),
        by_letter=sum(row.by_letter for row in result),
        sent=sum(row.sent for row in result),
        reminded=sum(row.reminded for row in result),
        completed=sum(row.completed for row in result),
    )
    return result, total


@dataclass
class Monitor:
    started: int
    complete: int
    broken_off: int
    completion_rate: float | None
    break_off_rate: float | None
    median_duration: dt.timedelta | None
    by_day: Chart  # value: completed that day; extra: started that day
    by_channel: Chart
    by_settlement: Chart | None
    settlement_question: Question | None
    quota_cells: list[QuotaCell]

    @property
    def median_minutes_seconds(self) -> tuple[int, int] | None:
        if self.median_duration is None:
            return None
        minutes, seconds = divmod(round(self.median_duration.total_seconds()), 60)
        return minutes, seconds


def _median_duration(survey: Survey, complete: int) -> dt.timedelta | None:
    """The median time from start to submission of the complete responses, in one query."""
    if not complete:
        return None
    middle = (complete - 1) // 2
    durations = list(
        Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1)
        .annotate(duration=ExpressionWrapper(F("submitted_at") - F("started_at"), output_field=DurationField()))
        .order_by("duration", "pk")
        .values_list("duration", flat=True)[middle : middle + 2]
    )
    if complete % 2 or len(durations) < 2:
        return durations[0]
    return (durations[0] + durations[1]) / 2


def fieldwork_monitor(survey: Survey, *, now: dt.datetime | None = None) -> Monitor:
    """The fieldwork figures of ``survey`` in at most nine queries."""
    now = now or timezone.now()
    responses = Response.objects.filter(survey=survey)
    # Double entry keys a paper questionnaire twice: the second keying is not another response.
    first_entries = responses.filter(entry_round=1)
    totals = first_entries.aggregate(
        started=Count("id"),
        complete=Count("id", filter=Q(status=Response.Status.COMPLETE)),
        broken_off=Count("id", filter=Q(status=Response.Status.IN_PROGRESS, started_at__lt=now - BREAK_OFF_AFTER)),
    )
    started, complete, broken_off = totals["started"], totals["complete"], totals["broken_off"]
    started_by_day = dict(
        first_entries.annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    completed_by_day = dict(
        first_entries.filter(status=Response.Status.COMPLETE)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    days = sorted(set(started_by_day) | set(completed_by_day))
    channels = {
        row["channel"]: (row["started"], row["complete"])
        for row in first_entries.values("channel").annotate(
            started=Count("id"), complete=Count("id", filter=Q(status=Response.Status.COMPLETE))
        )
    }
    by_channel = chart(
        "channel",
        [
            (str(label), channels.get(code, (0, 0))[1], channels.get(code, (0, 0))[0])
            for code, label in Response.Channel.choices
        ],
    )
    settlement_question = (
        Question.objects.filter(survey=survey, type=Question.Type.SETTLEMENT)
        .order_by("section__position", "position", "id")
        .first()
    )
    by_settlement = None
    if settlement_question is not None:
        counts = dict(
            Answer.objects.filter(
                question=settlement_question, response__status=Response.Status.COMPLETE, response__entry_round=1
            )
            .values("text")
            .annotate(count=Count("id"))
            .values_list("text", "count")
        )
        names = {
            settlement.slug: settlement.display_name
            for settlement in Settlement.objects.filter(
                municipality__code=settings.GLAS_MUNICIPALITY, slug__in=list(counts)
            )
        }
        ordered = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
        by_settlement = chart("settlement", [(names.get(slug, slug), count, None) for slug, count in ordered])
    quota_cells = list(
        QuotaCell.objects.filter(quota__survey=survey).select_related("quota").order_by("quota_id", "key")
    )
    return Monitor(
        started=started,
        complete=complete,
        broken_off=broken_off,
        completion_rate=complete / started if started else None,
        break_off_rate=broken_off / started if started else None,
        median_duration=_median_duration(survey, complete) if complete else None,
        by_day=chart(
            "day",
            [(date_format(day, "d.m.Y"), completed_by_day.get(day, 0), started_by_day.get(day, 0)) for day in days],
        ),
        by_channel=by_channel,
        by_settlement=by_settlement,
        settlement_question=settlement_question,
        quota_cells=quota_cells,
    )


def mask_email(email: str) -> str:
    """ "ivana@example.org" → "i***@example.org": enough to recognise, not to copy."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def recent_invitations(survey: Survey, limit: int = 20) -> list[tuple[Invitation, str]]:
    """The latest invitations with their masked addresses, for a glance at what was added."""
    invitations = (
        Invitation.objects.filter(survey=survey).select_related("settlement").order_by("-created_at", "-pk")[:limit]
    )
    return [(invitation, mask_email(invitation.email)) for invitation in invitations]
