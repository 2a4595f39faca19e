"""The knowledge base: review before publication, search that handles Bulgarian, suggestions while
typing, links from cases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glas.bureau import knowledge, services
from glas.bureau.models import Article
from glas.core.exceptions import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(advisor, supervisor) -> Article:
    article = knowledge.article_create(
        actor=advisor,
        title="Данък върху недвижимите имоти",
        summary="Кога и как се плаща данъкът.",
        body="Данъкът се плаща на две вноски. При плащане до 30 април има отстъпка от 5 %.",
        category="taxes",
    )
    knowledge.article_submit(actor=advisor, article=article)
    return knowledge.article_publish(actor=supervisor, article=article)


def test_an_article_is_public_only_after_another_person_reviewed_it(client, advisor, supervisor):
    article = knowledge.article_create(
        actor=advisor, title="Скица", summary="Как се получава.", body="Текст.", category="permits"
    )
    assert client.get(reverse("bureau:kb_article", args=[article.slug])).status_code == 404
    knowledge.article_submit(actor=advisor, article=article)
    with pytest.raises(DomainError):
        knowledge.article_publish(actor=advisor, article=article)  # an advisor is no reviewer
    own = knowledge.article_create(actor=supervisor, title="Своя", summary="С.", body="Т.", category="other")
    knowledge.article_submit(actor=supervisor, article=own)
    with pytest.raises(DomainError):
        knowledge.article_publish(actor=supervisor, article=own)  # not one's own
    knowledge.article_publish(actor=supervisor, article=article)
    assert client.get(reverse("bureau:kb_article", args=[article.slug])).status_code == 200
    assert article.slug.isascii()


def test_editing_a_published_article_sends_it_back_to_review(client, advisor, published):
    knowledge.article_update(
        actor=advisor, article=published, title=published.title, summary="Ново.", body="Нов текст.", category="taxes"
    )
    assert client.get(reverse("bureau:kb_article", args=[published.slug])).status_code == 404


@pytest.mark.parametrize("query", ["данък", "ДАНЪЦИ", "данъка", "недвижим имот", "отстъпки", "вноска"])
def test_search_finds_bulgarian_words_in_other_forms_and_cases(client, published, query):
    page = client.get(reverse("bureau:kb_list"), {"q": query})
    assert published.title in page.content.decode()


@pytest.mark.parametrize("query", ["строителство", "' OR 1=1 --", "ззз%ззз", "ззз_ззз"])
def test_search_without_a_match_or_with_sql_characters_finds_nothing(client, published, query):
    page = client.get(reverse("bureau:kb_list"), {"q": query})
    assert page.status_code == 200 and published.title not in page.content.decode()


@pytest.mark.parametrize("query", ["%", "_", "\\", ""])
def test_a_query_of_only_wildcards_is_like_an_empty_one(client, published, query):
    page = client.get(reverse("bureau:kb_list"), {"q": query})
    assert page.status_code == 200 and published.title in page.content.decode()


def test_articles_are_suggested_while_the_question_is_typed(client, published):
    partial = client.get(reverse("bureau:kb_suggest"), {"subject": "Въпрос за данъка", "description": "имоти"})
    assert published.title in partial.content.decode()
    nothing = client.get(reverse("bureau:kb_suggest"), {"subject": "здравей"})
    assert published.title not in nothing.content.decode()


def test_an_advisor_links_an_article_and_the_citizen_sees_it(client_for, citizen, advisor, supervisor, published):
    from glas.bureau.tests.conftest import make_request

    case, token = services.case_submit(actor=citizen, request=make_request())
    services.case_assign(actor=supervisor, case=case, advisor=advisor)
    url = reverse("bureau:case_action", args=[case.reference, "article"])
    assert client_for(advisor).post(url, {"article": published.pk}).status_code == 302
    page = client_for(None).get(reverse("bureau:follow", args=[case.reference, token]))
    assert published.title in page.content.decode()


def test_only_bureau_staff_reach_the_article_editor(client_for, citizen, advisor):
    assert client_for(citizen).get(reverse("bureau:kb_new")).status_code == 403
    assert client_for(advisor).get(reverse("bureau:kb_new")).status_code == 200
    response = client_for(advisor).post(
        reverse("bureau:kb_new"), {"title": "<script>x</script>", "summary": "s", "category": "other", "body": "b"}
    )
    assert response.status_code == 302
    manage = client_for(advisor).get(reverse("bureau:kb_manage")).content.decode()
    assert "<script>x</script>" not in manage and "&lt;script&gt;" in manage
