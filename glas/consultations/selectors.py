"""Reads for draft acts and consultations. The consultation page reads a bounded number of
queries whatever the number of paragraphs and comments (tests assert it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.consultations.compliance import Check, compliance_checks
from glas.consultations.models import Article, Contribution, Draft, Paragraph, Reaction, Subscription
from glas.consultations.text import ArticleChange, article_diff
from glas.core.participation import OpenItem

PAGE_SIZE = 25
VISIBLE = (Contribution.Status.PUBLISHED, Contribution.Status.HIDDEN)


def public_drafts() -> QuerySet[Draft]:
    return Draft.objects.exclude(status=Draft.Status.DRAFT).order_by("-opens_on", "-id")


def open_drafts() -> QuerySet[Draft]:
    today = timezone.localdate()
    return Draft.objects.filter(status=Draft.Status.PUBLISHED, opens_on__lte=today, closes_on__gte=today)


def open_now(limit: int) -> list[OpenItem]:
    from django.urls import reverse

    return [
        OpenItem(
            kind=_("Public consultation"),
            title=draft.title,
            url=reverse("consultations:detail", args=[draft.public_id]),
            closes_on=draft.closes_on,
            summary=draft.summary,
        )
        for draft in open_drafts().order_by("closes_on")[:limit]
    ]


def articles_of(draft: Draft, version: str = Article.Version.DRAFT) -> list[Article]:
    """The articles of one version with their paragraphs (two queries)."""
    return list(
        Article.objects.filter(draft=draft, version=version)
        .order_by("position")
        .prefetch_related(Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")))
    )


def paragraph_choices(draft: Draft) -> list[tuple[int, str]]:
    return [
        (pk, f"{article} {number}".strip())
        for pk, article, number in Paragraph.objects.filter(draft=draft, article__version=Article.Version.DRAFT)
        .order_by("article__position", "position")
        .values_list("pk", "article__number", "number")
    ]


def contributions_for_page(draft: Draft) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(draft=draft, status__in=VISIBLE)
        .select_related("paragraph__article", "author")
        .order_by("created_at", "id")
    )


@dataclass
class ConsultationPage:
    draft: Draft
    articles: list[Article]
    counts: dict[int | None, int]
    contributions: Page[Contribution]
    selected_paragraph: Paragraph | None
    showing_general: bool
    my_reactions: dict[int, int]
    checks: list[Check]
    total: int
    unanswered: int
    attachments: list[Any] = field(default_factory=list)
    settlements: list[Any] = field(default_factory=list)


def consultation_page(
    draft: Draft, *, user: Any, paragraph_id: int | None, general: bool, page: Any
) -> ConsultationPage:
    articles = articles_of(draft)
    paragraphs = {p.pk: p for article in articles for p in article.paragraphs.all()}
    counts: dict[int | None, int] = {
        row["paragraph_id"]: row["n"]
        for row in Contribution.objects.filter(draft=draft, status__in=VISIBLE)
        .values("paragraph_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    for pk, paragraph in paragraphs.items():
        paragraph.comment_count = counts.get(pk, 0)  # type: ignore[attr-defined]
    unanswered = Contribution.objects.filter(draft=draft, status=Contribution.Status.PUBLISHED, decision="").count()
    selected = paragraphs.get(paragraph_id) if paragraph_id is not None else None
    listed = contributions_for_page(draft)
    if selected is not None:
        listed = listed.filter(paragraph=selected)
    elif general:
        listed = listed.filter(paragraph__isnull=True)
    paginator = Paginator(listed, PAGE_SIZE)
    total = sum(counts.values())
    paginator.count = counts.get(selected.pk, 0) if selected else (counts.get(None, 0) if general else total)
    contributions = paginator.get_page(page)
    my_reactions: dict[int, int] = {}
    if user.is_authenticated and contributions.object_list:
        ids = [c.pk for c in contributions.object_list]
        my_reactions = dict(
            Reaction.objects.filter(user=user, contribution_id__in=ids).values_list("contribution_id", "value")
        )
    for contribution in contributions.object_list:
        contribution.my_reaction = my_reactions.get(contribution.pk)  # type: ignore[attr-defined]
    return ConsultationPage(
        draft=draft,
        articles=articles,
        counts=counts,
        contributions=contributions,
        selected_paragraph=selected,
        showing_general=general and selected is None,
        my_reactions=my_reactions,
        checks=compliance_checks(draft, article_count=len(articles), unanswered=unanswered),
        total=total,
        unanswered=unanswered,
        attachments=list(draft.attachments.all()),
        settlements=list(draft.settlements.all()),
    )


def staff_contributions(draft: Draft, *, only_unanswered: bool) -> QuerySet[Contribution]:
    listed = (
        Contribution.objects.filter(draft=draft)
        .select_related("paragraph__article", "author")
        .order_by("created_at", "id")
    )
    if only_unanswered:
        listed = listed.filter(status=Contribution.Status.PUBLISHED, decision="")
    return listed


def report_rows(draft: Draft) -> list[Contribution]:
    """The rows of the справка: every published contribution with its answer, in order."""
    return list(
        Contribution.objects.filter(draft=draft, status=Contribution.Status.PUBLISHED)
        .select_related("paragraph__article", "author")
        .order_by("created_at", "id")
    )


def hidden_count(draft: Draft) -> int:
    return Contribution.objects.filter(draft=draft, status=Contribution.Status.HIDDEN).count()


def _article_texts(articles: list[Article]) -> list[tuple[str, str]]:
    return [
        (article.number, "\n".join(f"{p.number} {p.text}".strip() for p in article.paragraphs.all()))
        for article in articles
    ]


def adoption_diff(draft: Draft) -> list[ArticleChange]:
    return article_diff(
        _article_texts(articles_of(draft, Article.Version.DRAFT)),
        _article_texts(articles_of(draft, Article.Version.ADOPTED)),
    )


def decision_counts(draft: Draft) -> dict[str, int]:
    rows = (
        Contribution.objects.filter(draft=draft, status=Contribution.Status.PUBLISHED)
        .values("decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["decision"]: row["n"] for row in rows}


def drafts_closing(*, since: Any = None) -> QuerySet[Draft]:
    """Consultations for the calendar: every published one, with its dates."""
    return public_drafts().filter(opens_on__isnull=False, closes_on__isnull=False)


def staff_drafts() -> QuerySet[Draft]:
    return Draft.objects.annotate(
        unanswered=Count("contributions", filter=Q(contributions__status="published", contributions__decision=""))
    ).order_by("-created_at")


def personal_data(user: Any) -> dict[str, Any]:
    """A person's contributions, supports and subscriptions, for their data export."""
    contributions = Contribution.objects.filter(author=user).select_related("draft", "paragraph__article")
    return {
        "contributions": [
            {
                "draft": c.draft.title,
                "kind": c.kind,
                "paragraph": c.paragraph.label if c.paragraph else "",
                "text": c.text,
                "proposed_text": c.proposed_text,
                "organisation": c.organisation,
                "name_published": c.publish_name,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "decision": c.decision,
                "reasons": c.reasons,
            }
            for c in contributions
        ],
        "reactions": [
            {"contribution": str(public_id), "value": value}
            for public_id, value in Reaction.objects.filter(user=user).values_list("contribution__public_id", "value")
        ],
        "subscriptions": [
            {"topic": topic, "settlement": settlement or ""}
            for topic, settlement in Subscription.objects.filter(user=user).values_list("topic", "settlement__name")
        ],
    }
