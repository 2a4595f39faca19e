"""Reads of the council registry. Each page's reads are a fixed number of queries, whatever
the number of councillors, sessions, decisions or votes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from glas.core.models import Municipality
from glas.council.models import (
    AdministrationUnit,
    AgendaItem,
    Councillor,
    Decision,
    Official,
    Session,
    SessionDocument,
    StandingCommittee,
    Term,
    Vote,
    search_key,
)
from glas.council.tally import Tally, tally_of


def current_term(municipality: Municipality | None, *, on: dt.date | None = None) -> Term | None:
    """The term in force on ``on`` (today), else the latest one."""
    if municipality is None:
        return None
    on = on or timezone.localdate()
    terms = Term.objects.filter(municipality=municipality)
    return terms.filter(start__lte=on, end__gte=on).first() or terms.order_by("-start").first()


def councillors_of(term: Term) -> QuerySet[Councillor]:
    return (
        Councillor.objects.filter(term=term)
        .select_related("group")
        .prefetch_related(Prefetch("committees", queryset=StandingCommittee.objects.order_by("name")))
        .order_by("group__name", "name")
    )


def officials_of(municipality: Municipality) -> QuerySet[Official]:
    return Official.objects.filter(municipality=municipality, active_to__isnull=True).order_by("role", "name")


def units_of(municipality: Municipality) -> QuerySet[AdministrationUnit]:
    return AdministrationUnit.objects.filter(municipality=municipality)


def committees_of(term: Term) -> QuerySet[StandingCommittee]:
    return StandingCommittee.objects.filter(term=term).prefetch_related(
        Prefetch("members", queryset=Councillor.objects.order_by("name"))
    )


@dataclass(frozen=True)
class VotingRecord:
    votes_for: int
    against: int
    abstained: int
    absent: int

    @property
    def total(self) -> int:
        return self.votes_for + self.against + self.abstained + self.absent

    @property
    def attendance(self) -> float | None:
        """Share of recorded votes at which the councillor was present, in percent."""
        if not self.total:
            return None
        return round(100 * (self.total - self.absent) / self.total, 1)


def voting_record(councillor: Councillor) -> VotingRecord:
    counts = Vote.objects.filter(councillor=councillor).aggregate(
        votes_for=Count("pk", filter=Q(choice=Vote.Choice.FOR)),
        against=Count("pk", filter=Q(choice=Vote.Choice.AGAINST)),
        abstained=Count("pk", filter=Q(choice=Vote.Choice.ABSTAINED)),
        absent=Count("pk", filter=Q(choice=Vote.Choice.ABSENT)),
    )
    return VotingRecord(**counts)


def votes_of(councillor: Councillor) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(councillor=councillor)
        .select_related("decision", "decision__session")
        .order_by("-decision__date", "-decision__number")
    )


def sessions_of(term: Term) -> QuerySet[Session]:
    return Session.objects.filter(term=term).annotate(decision_count=Count("decisions")).order_by("-date", "-number")


def session_detail(pk: int) -> Session | None:
    documents = SessionDocument.objects.order_by("title", "pk")
    return (
        Session.objects.select_related("term", "minutes")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("committee").prefetch_related(
                    Prefetch("documents", queryset=documents),
                    Prefetch("decisions", queryset=Decision.objects.order_by("number")),
                ),
            ),
            Prefetch("documents", queryset=documents.filter(agenda_item__isnull=True), to_attr="session_documents"),
            Prefetch("decisions", queryset=Decision.objects.order_by("number")),
        )
        .filter(pk=pk)
        .first()
    )


def decision_detail(public_id: uuid.UUID) -> Decision | None:
    return (
        Decision.objects.select_related("term", "session", "agenda_item", "committee")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("councillor__group")))
        .filter(public_id=public_id)
        .first()
    )


def decision_tally(decision: Decision) -> Tally:
    """The tally of a decision whose votes are prefetched (``decision_detail``)."""
    return tally_of(
        (vote.choice for vote in decision.votes.all()),
        seats=decision.term.seats,
        required_majority=decision.required_majority,
    )


def decision_years(term: Term | None = None) -> list[int]:
    decisions = Decision.objects.all() if term is None else Decision.objects.filter(term=term)
    return sorted({day.year for day in decisions.dates("date", "year")}, reverse=True)


DECISION_NUMBER = re.compile(r"(?:№\s*)?(\d{1,7})")


def decisions_search(
    *,
    query: str = "",
    year: int | None = None,
    status: str = "",
    committee: StandingCommittee | None = None,
    term: Term | None = None,
) -> QuerySet[Decision]:
    """Decisions matching ``query`` in their number, title or text, with filters: a
    case-insensitive substring of the case-folded ``search_text`` (any database), and on
    PostgreSQL also full-text search of the words in any order ("simple" configuration, as
    PostgreSQL has no Bulgarian stemmer)."""
    decisions = Decision.objects.select_related("session", "committee", "term")
    if term is not None:
        decisions = decisions.filter(term=term)
    query = search_key(query)[:200]
    if query:
        match = Q(search_text__contains=query)
        number = DECISION_NUMBER.fullmatch(query)
        if number:
            match |= Q(number=int(number.group(1)))
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            decisions = decisions.annotate(search=SearchVector("title", "text", config="simple"))
            match |= Q(search=SearchQuery(query, config="simple", search_type="websearch"))
        decisions = decisions.filter(match)
    if year is not None:
        # A year the calendar cannot hold matches nothing (Django's lookup would raise).
        decisions = decisions.filter(date__year=year) if 1 <= year <= 9999 else decisions.none()
    if status:
        decisions = decisions.filter(status=status)
    if committee is not None:
        decisions = decisions.filter(Q(committee=committee) | Q(agenda_item__committee=committee))
    return decisions.order_by("-date", "-number")


def next_decision_number(term: Term) -> int:
    """The number the next decision of ``term`` would usually get."""
    last = Decision.objects.filter(term=term).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def latest_decisions(term: Term, limit: int = 5) -> QuerySet[Decision]:
    return Decision.objects.filter(term=term).select_related("session").order_by("-date", "-number")[:limit]
