"""Public API of the council registry (read-only): councillors, sessions, decisions with their
roll calls. Everything here is public information; unknown ids get 404."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from glas.core.selectors import current_municipality_or_none
from glas.council import selectors
from glas.council.models import Councillor, Decision, Session

router = Router(tags=["council"])


class CouncillorOut(Schema):
    id: int
    name: str
    group: str | None
    committees: list[str]
    term: str
    active_from: dt.date
    active_to: dt.date | None
    is_demo: bool

    @staticmethod
    def resolve_group(obj: Councillor) -> str | None:
        return obj.group.name if obj.group else None

    @staticmethod
    def resolve_committees(obj: Councillor) -> list[str]:
        return [committee.name for committee in obj.committees.all()]

    @staticmethod
    def resolve_term(obj: Councillor) -> str:
        return str(obj.term)


class SessionOut(Schema):
    id: int
    number: int
    date: dt.date
    kind: str
    status: str
    place: str
    term: str
    is_demo: bool

    @staticmethod
    def resolve_term(obj: Session) -> str:
        return str(obj.term)


class DecisionOut(Schema):
    public_id: uuid.UUID
    number: int
    date: dt.date
    session_number: int
    title: str
    status: str
    required_majority: str
    term: str
    url: str
    is_demo: bool

    @staticmethod
    def resolve_session_number(obj: Decision) -> int:
        return obj.session.number

    @staticmethod
    def resolve_term(obj: Decision) -> str:
        return str(obj.term)

    @staticmethod
    def resolve_url(obj: Decision) -> str:
        return obj.get_absolute_url()


class VoteOut(Schema):
    councillor_id: int
    councillor: str
    vote: str


class TallyOut(Schema):
    votes_for: int
    against: int
    abstained: int
    absent: int
    present: int
    needed: int
    passes: bool


class DecisionDetailOut(DecisionOut):
    text: str
    tally: TallyOut
    votes: list[VoteOut]

    @staticmethod
    def resolve_tally(obj: Decision) -> dict[str, Any]:
        tally = selectors.decision_tally(obj)
        names = ("votes_for", "against", "abstained", "absent", "present", "needed", "passes")
        return {name: getattr(tally, name) for name in names}

    @staticmethod
    def resolve_votes(obj: Decision) -> list[dict[str, Any]]:
        votes = sorted(obj.votes.all(), key=lambda vote: vote.councillor.name)
        return [{"councillor_id": v.councillor_id, "councillor": v.councillor.name, "vote": v.choice} for v in votes]


def _term_or_404() -> Any:
    term = selectors.current_term(current_municipality_or_none())
    if term is None:
        raise HttpError(404, "No council term is registered.")
    return term


@router.get("/councillors", response=list[CouncillorOut], summary="Councillors of the current term")
def councillors(request: HttpRequest) -> Any:
    return list(selectors.councillors_of(_term_or_404()).select_related("term"))


@router.get("/sessions", response=list[SessionOut], summary="Sessions of the current term")
@paginate(LimitOffsetPagination)
def sessions(request: HttpRequest) -> Any:
    return selectors.sessions_of(_term_or_404()).select_related("term")


@router.get("/decisions", response=list[DecisionOut], summary="Decisions, newest first, with search and filters")
@paginate(LimitOffsetPagination)
def decisions(
    request: HttpRequest,
    q: str = Query("", max_length=200),
    year: int | None = Query(None, ge=1900, le=2100),
    status: str = Query("", max_length=20),
) -> Any:
    if status and status not in Decision.Status.values:
        raise HttpError(422, "Unknown status.")
    return selectors.decisions_search(query=q[:200], year=year, status=status)


@router.get("/decisions/{public_id}", response=DecisionDetailOut, summary="One decision with its roll call")
def decision(request: HttpRequest, public_id: uuid.UUID) -> Any:
    found = selectors.decision_detail(public_id)
    if found is None:
        raise HttpError(404, "Not found.")
    return found
