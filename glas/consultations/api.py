"""Public API of consultations: published drafts, their text and the published справка.

Drafts in preparation are never shown; unknown ids get 404. Contributions are listed without
e-mail addresses, and a private person's name only with their consent; hidden ones show only
the published reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from glas.consultations import report, selectors
from glas.consultations.models import Draft

router = Router(tags=["consultations"])


class DraftOut(Schema):
    public_id: uuid.UUID
    title: str
    act_type: str
    topic: str
    proposer_kind: str
    proposer_name: str
    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    short_term_reasons: str
    report_published: bool
    is_demo: bool

    @staticmethod
    def resolve_report_published(obj: Draft) -> bool:
        return obj.report_published_at is not None


class ParagraphOut(Schema):
    id: int
    number: str
    text: str


class ArticleOut(Schema):
    number: str
    heading: str
    paragraphs: list[ParagraphOut]


class DraftTextOut(DraftOut):
    summary: str
    motives: str
    impact_assessment: str
    articles: list[ArticleOut]

    @staticmethod
    def resolve_articles(obj: Draft) -> list[dict[str, Any]]:
        return [
            {
                "number": article.number,
                "heading": article.heading,
                "paragraphs": [{"id": p.pk, "number": p.number, "text": p.text} for p in article.paragraphs.all()],
            }
            for article in selectors.articles_of(obj)
        ]


class ReportRowOut(Schema):
    number: int
    author: str
    channel: str
    where: str
    proposal: str
    proposed_text: str
    decision: str
    reasons: str


def _public(public_id: uuid.UUID) -> Draft:
    draft = selectors.public_drafts().filter(public_id=public_id).first()
    if draft is None:
        raise HttpError(404, "No such consultation.")
    return draft


@router.get("/", response=list[DraftOut], summary="Published drafts and their consultations")
def consultation_list(request: HttpRequest) -> QuerySet[Draft]:
    return selectors.public_drafts()[:200]


@router.get("/{public_id}", response=DraftTextOut, summary="A draft with its text, article by article")
def consultation_detail(request: HttpRequest, public_id: uuid.UUID) -> Draft:
    return _public(public_id)


@router.get("/{public_id}/report", response=list[ReportRowOut], summary="The published справка")
def consultation_report(request: HttpRequest, public_id: uuid.UUID) -> list[Any]:
    draft = _public(public_id)
    if draft.report_published_at is None:
        raise HttpError(404, "The report is not published.")
    return [row.__dict__ for row in report.rows(draft)]
