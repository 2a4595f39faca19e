"""The consultation page reads a bounded number of queries, whatever the number of paragraphs
and comments: 5,000 comments across 200 paragraphs read as many queries as a handful."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Contribution, Paragraph, Reaction

MAX_QUERIES = 18  # the draft and its comments, plus the opinion map link and the commission's opinions


def big_text(articles: int, paragraphs: int) -> str:
    lines = []
    for a in range(1, articles + 1):
        lines.append(f"Чл. {a}. (1) Алинея 1 на член {a}.")
        lines += [f"({p}) Алинея {p} на член {a}." for p in range(2, paragraphs + 1)]
    return "\n".join(lines)


def fill(draft, author, count: int) -> None:
    ids = list(Paragraph.objects.filter(draft=draft).values_list("pk", flat=True))
    Contribution.objects.bulk_create(
        Contribution(
            draft=draft,
            paragraph_id=ids[n % len(ids)] if n % 10 else None,
            kind="comment" if n % 10 else "general",
            text=f"Коментар {n}",
            author=author,
            author_name="Мария",
            status="published" if n % 50 else "hidden",
            hidden_reason="" if n % 50 else "Обиди.",
        )
        for n in range(count)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def big(council_secretary, legal_rules, kresna):
    from glas.consultations.tests.conftest import REGULAR_END, TODAY

    draft = services.draft_create(
        actor=council_secretary,
        title="Голяма наредба",
        act_type="ordinance",
        topic="public_order",
        proposer_kind="administration",
        proposer_name="x",
        motives="<p>м</p>",
        impact_assessment="<p>о</p>",
    )
    services.draft_text_set(actor=council_secretary, draft=draft, text=big_text(50, 4))
    return services.consultation_publish(actor=council_secretary, draft=draft, opens_on=TODAY, closes_on=REGULAR_END)


def test_five_thousand_comments_read_as_many_queries_as_a_few(big, citizen, verified_resident, client_for):
    assert Paragraph.objects.filter(draft=big).count() == 200
    fill(big, citizen, 20)
    client = client_for(verified_resident)
    url = reverse("consultations:detail", args=[big.public_id])
    paragraph = Paragraph.objects.filter(draft=big).order_by("pk")[7].pk
    urls = [url, f"{url}?paragraph={paragraph}", f"{url}?general=1", f"{url}?page=3"]
    few = [queries(client, u) for u in urls]
    fill(big, citizen, 4980)
    Reaction.objects.bulk_create(
        Reaction(contribution=c, user=verified_resident, value=1) for c in Contribution.objects.filter(draft=big)[:100]
    )
    many = [queries(client, u) for u in urls]
    assert few == many
    assert max(many) <= MAX_QUERIES
    assert Contribution.objects.filter(draft=big).count() == 5000


def test_the_page_shows_counts_per_paragraph_and_pages_of_comments(big, citizen, client, pages_in_english):
    fill(big, citizen, 500)
    page = client.get(reverse("consultations:detail", args=[big.public_id])).content.decode()
    assert "All comments (500)" in page
    assert "Page 1 of 20" in page
    assert page.count('class="contribution') == 25


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=-1", "?page=99999999999999999999", "?paragraph=x%00", "?paragraph=99999999999"]
)
def test_odd_query_parameters_do_not_break_the_page(big, client, query):
    assert client.get(reverse("consultations:detail", args=[big.public_id]) + query).status_code == 200
