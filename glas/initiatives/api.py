"""Public API of initiatives: registered initiatives, their live counts and timelines.

Drafts and initiatives under review are never shown; signatures never are (only counts)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from glas.initiatives import selectors
from glas.initiatives.models import Initiative

router = Router(tags=["initiatives"])
MAX_LIMIT = 100


class InitiativeOut(Schema):
    public_id: uuid.UUID
    kind: str
    status: str
    title: str
    question: str
    territory: str
    territory_name: str
    is_demo: bool
    registered_on: dt.date | None
    voters_snapshot: int | None
    threshold_propose: int | None
    threshold_oblige: int | None
    collection_closes_on: dt.date | None
    decision_due_on: dt.date | None
    decision_overdue: bool


class TimelineOut(Schema):
    status: str
    at: dt.datetime
    note: str


class InitiativeDetailOut(InitiativeOut):
    description: str
    signatures: int
    official_valid: int | None
    official_invalid: int | None
    decision: str
    outcome_valid: bool | None
    outcome_adopted: bool | None
    timeline: list[TimelineOut]


def _out(initiative: Initiative) -> dict[str, object]:
    return {
        **{f: getattr(initiative, f) for f in InitiativeOut.model_fields if hasattr(initiative, f)},
        "territory_name": initiative.territory_name,
        "decision_overdue": initiative.is_overdue,
    }


@router.get("/", response=list[InitiativeOut], summary="Registered initiatives and petitions")
def initiative_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[dict[str, object]]:
    if not (1 <= limit <= MAX_LIMIT) or offset < 0:
        raise HttpError(400, "limit must be 1–100 and offset not negative")
    return [_out(i) for i in selectors.public_initiatives().order_by("-created_at")[offset : offset + limit]]


@router.get("/{public_id}", response=InitiativeDetailOut, summary="One initiative with its count and timeline")
def initiative_detail(request: HttpRequest, public_id: uuid.UUID) -> dict[str, object]:
    initiative = selectors.public_initiatives().filter(public_id=public_id).first()
    if initiative is None:
        raise HttpError(404, "Not found")
    return {
        **_out(initiative),
        "description": initiative.description,
        "signatures": selectors.signature_count(initiative),
        "official_valid": initiative.official_valid,
        "official_invalid": initiative.official_invalid,
        "decision": initiative.decision,
        "outcome_valid": initiative.outcome_valid,
        "outcome_adopted": initiative.outcome_adopted,
        "timeline": [{"status": e.status, "at": e.at, "note": e.note} for e in initiative.timeline.all()],
    }
