"""Create a consultation with 200 paragraphs and 5,000 comments for
``bench/consultation_page.py``, count the queries of its page and print both as JSON."""

import json
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from glas.accounts.models import User
from glas.accounts.roles import Role
from glas.consultations import services
from glas.consultations.models import Contribution, Draft, Paragraph
from glas.core.deadlines import rule_due_date

BENCH_OWNER = "bench-council@example.invalid"
TITLE = "Benchmark consultation (200 paragraphs)"


def _text(articles: int, paragraphs: int) -> str:
    lines = []
    for a in range(1, articles + 1):
        lines.append(f"Чл. {a}. (1) Първа алинея на член {a}: текст за измерване на страницата.")
        lines += [f"({p}) Алинея {p} на член {a}: още текст за измерване." for p in range(2, paragraphs + 1)]
    return "\n".join(lines)


def _queries(path: str) -> int:
    """Queries of one page view, after a first view has filled the cache with the reads every
    page shares (the municipality), as on a running server."""
    client = Client(HTTP_HOST="localhost")
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return len(context.captured_queries)


def _fill(draft: Draft, total: int) -> None:
    """Add comments until the draft has ``total`` (one in ten general, the rest on paragraphs)."""
    start = Contribution.objects.filter(draft=draft).count()
    ids = list(Paragraph.objects.filter(draft=draft).order_by("pk").values_list("pk", flat=True))
    Contribution.objects.bulk_create(
        (
            Contribution(
                draft=draft,
                paragraph_id=ids[n % len(ids)] if n % 10 else None,
                kind="comment" if n % 10 else "general",
                text=f"Коментар № {n} за измерване на страницата на консултацията.",
                author_name="Benchmark",
                status="published",
                confirmed_at=timezone.now(),
            )
            for n in range(start, total)
        ),
        batch_size=1000,
    )


class Command(BaseCommand):
    help = "Create a consultation with 200 paragraphs and 5,000 comments; print it and its queries as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--comments", type=int, default=5000)

    def handle(self, *args: Any, comments: int, **options: Any) -> None:
        owner = User.objects.filter(email=BENCH_OWNER).first() or User.objects.create_user(BENCH_OWNER, None)
        owner.groups.add(Group.objects.get_or_create(name=Role.COUNCIL_STAFF)[0])
        owner = User.objects.get(pk=owner.pk)  # drop cached roles
        draft = Draft.objects.filter(title=TITLE, is_demo=True).first()
        if draft is None:
            draft = services.draft_create(
                actor=owner,
                title=TITLE,
                act_type="ordinance",
                topic="public_order",
                proposer_kind="administration",
                proposer_name="Benchmark",
                motives="<p>Benchmark</p>",
                impact_assessment="<p>Benchmark</p>",
                is_demo=True,
            )
            services.draft_text_set(actor=owner, draft=draft, text=_text(50, 4))
            today = timezone.localdate()
            services.consultation_publish(
                actor=owner, draft=draft, opens_on=today, closes_on=rule_due_date(today, services.TERM_RULE)
            )
        url = reverse("consultations:detail", args=[draft.public_id])
        paragraph = Paragraph.objects.filter(draft=draft).order_by("pk")[100].pk
        paths = [url, f"{url}?paragraph={paragraph}", f"{url}?general=1", f"{url}?page=50"]
        _fill(draft, 20)
        before = [_queries(path) for path in paths]
        _fill(draft, comments)
        after = [_queries(path) for path in paths]
        print(json.dumps({"url": url, "paths": paths, "queries_before": before, "queries_after": after}))
