"""The bureau's knowledge base: writes (drafting, review, publication, linking to cases) and reads
(search and suggestions).

Search has to work on SQLite and PostgreSQL alike and handle Bulgarian, for which neither
database nor Snowball ships a stemmer. Each article keeps a normalised copy of its words
(``search_text``: case-folded, letters and digits only, one space around every word). A query
word matches a word of the article that starts with its stem — the word without its last two
letters when it is longer than five — so "данъци", "данъка" and "данъкът" all find "данък",
and "разрешение" finds "разрешения". Every query word must match.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from glas.bureau.models import Article, Case, Category
from glas.bureau.services import _require, clean_text
from glas.core.audit import audit_log
from glas.core.exceptions import DomainError

if TYPE_CHECKING:
    from glas.accounts.models import User

WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 6
RESULTS = 50

CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """`` word word `` — case-folded words, so a word start is always after a space."""
    words = WORD.findall(unicodedata.normalize("NFC", text).casefold())
    return " " + " ".join(words) + " " if words else ""


def stem(word: str) -> str:
    return word[:-2] if len(word) > 5 else word


def query_stems(query: str) -> list[str]:
    words = [word for word in WORD.findall(unicodedata.normalize("NFC", query or "").casefold()) if len(word) > 1]
    return [stem(word) for word in words[:MAX_QUERY_WORDS]]


def search_articles(query: str, *, limit: int = RESULTS) -> list[Article]:
    """Published articles matching every word of ``query`` (an empty query lists them all)."""
    articles: QuerySet[Article] = Article.objects.filter(status=Article.Status.PUBLISHED)
    for word in query_stems(query):
        articles = articles.filter(search_text__contains=f" {word}")
    return list(articles.order_by("title")[:limit])


def suggest_articles(text: str, *, limit: int = 5) -> list[Article]:
    """Articles for a question being typed: those matching the most of its longer words."""
    stems = [word for word in query_stems(text) if len(word) >= 4]
    if not stems:
        return []
    candidates = Article.objects.filter(status=Article.Status.PUBLISHED)
    scored = []
    for article in candidates.only("slug", "title", "summary", "search_text")[:500]:
        score = sum(1 for word in stems if f" {word}" in article.search_text)
        if score:
            scored.append((-score, article.title, article))
    return [article for _score, _title, article in sorted(scored, key=lambda item: item[:2])[:limit]]


def _unique_slug(title: str) -> str:
    base = slugify(title.casefold().translate(CYRILLIC_TO_LATIN))[:100] or "article"
    slug, number = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _fields(title: str, summary: str, body: str, category: str) -> dict[str, str]:
    if category not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    return {
        "title": clean_text(title, field="title", cap=200, required=True),
        "summary": clean_text(summary, field="summary", cap=300, required=True),
        "body": clean_text(body, field="body", cap=50_000, required=True),
        "category": category,
    }


def article_create(*, actor: User, title: str, summary: str, body: str, category: str) -> Article:
    _require(actor, "bureau.work_cases")
    fields = _fields(title, summary, body, category)
    with transaction.atomic():
        article = Article.objects.create(
            slug=_unique_slug(fields["title"]),
            author=actor,
            search_text=normalise(f"{fields['title']} {fields['summary']} {fields['body']}"),
            **fields,
        )
        audit_log(actor=actor, action="bureau.article.created", obj=article)
    return article


def article_update(*, actor: User, article: Article, title: str, summary: str, body: str, category: str) -> Article:
    """Edit an article; a published one goes back to review (the public keeps the reviewed text
    only while it is published, so an edit withdraws it until it is reviewed again)."""
    _require(actor, "bureau.work_cases")
    if article.author_id != actor.pk and not actor.has_perm("bureau.supervise"):
        raise DomainError(_("You may not do this."), code="forbidden")
    fields = _fields(title, summary, body, category)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(article, name, value)
        article.search_text = normalise(f"{article.title} {article.summary} {article.body}")
        if article.status == Article.Status.PUBLISHED:
            article.status = Article.Status.REVIEW
            article.published_at = None
            article.reviewer = None
        article.updated_at = timezone.now()
        article.save()
        audit_log(actor=actor, action="bureau.article.updated", obj=article)
    return article


def article_submit(*, actor: User, article: Article) -> Article:
    _require(actor, "bureau.work_cases")
    if article.status not in (Article.Status.DRAFT, Article.Status.WITHDRAWN):
        raise DomainError(_("Only a draft can be sent for review."), code="status")
    with transaction.atomic():
        article.status = Article.Status.REVIEW
        article.save(update_fields=["status"])
        audit_log(actor=actor, action="bureau.article.submitted", obj=article)
    return article


def article_publish(*, actor: User, article: Article) -> Article:
    """A supervisor who did not write the article reviews and publishes it."""
    _require(actor, "bureau.supervise")
    if article.status != Article.Status.REVIEW:
        raise DomainError(_("Only an article waiting for review can be published."), code="status")
    if article.author_id == actor.pk:
        raise DomainError(_("Another person must review your article before it is published."), code="own")
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        article.reviewer = actor
        article.published_at = timezone.now()
        article.save(update_fields=["status", "reviewer", "published_at"])
        audit_log(actor=actor, action="bureau.article.published", obj=article)
    return article


def article_withdraw(*, actor: User, article: Article) -> Article:
    _require(actor, "bureau.supervise")
    with transaction.atomic():
        article.status = Article.Status.WITHDRAWN
        article.published_at = None
        article.reviewer = None
        article.save(update_fields=["status", "published_at", "reviewer"])
        audit_log(actor=actor, action="bureau.article.withdrawn", obj=article)
    return article


def case_link_article(*, actor: User, case: Case, article: Article) -> Case:
    """Link a published article to a case (it then shows on the citizen's case page)."""
    _require(actor, "bureau.work_case", case)
    if article.status != Article.Status.PUBLISHED:
        raise DomainError(_("Only a published article can be linked."), field="article")
    with transaction.atomic():
        article.cases.add(case)
        audit_log(actor=actor, action="bureau.case.article_linked", obj=case, data={"article": article.pk})
    return case
