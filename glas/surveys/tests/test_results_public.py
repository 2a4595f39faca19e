"""Publishing results, the public results page and the frequencies behind it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Survey
from glas.surveys.results import Frequency, NumericSummary, survey_results
from glas.surveys.tests.results_data import build_rich_survey, fill, submit


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    """The pages are read in English (no language cookie or header: the default applies); the
    Bulgarian texts are checked by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def rich(researcher, kresna):
    return fill(build_rich_survey(researcher))


@pytest.fixture
def client(client):
    """Pages in English: the tests read the English texts (tests/test_translations.py checks the
    Bulgarian ones)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def published(researcher, rich):
    return services.survey_results_publish(actor=researcher, survey=rich, published=True)


def by_key(table):
    return {item.key: item for item in table.items}


def counts(item):
    return {category.code: (category.count, category.percent) for category in item.categories}


def test_frequencies_on_a_small_known_dataset_are_right(rich):
    items = by_key(survey_results(rich))

    assert items["voted"].answered == 3 and items["voted"].missing == 0
    assert counts(items["voted"]) == {"yes": (2, 66.7), "no": (1, 33.3)}
    # "how" was asked only of those who voted: 2 answered, 1 missing.
    assert (items["how"].answered, items["how"].missing) == (2, 1)
    assert counts(items["how"]) == {"1": (1, 50.0), "2": (1, 50.0)}
    assert counts(items["sex"]) == {"f": (1, 50.0), "m": (0, 0.0), "other": (1, 50.0)}
    # Multiple choice: percentages of those who answered, adding up to more than 100.
    assert items["topics"].multiple and items["topics"].answered == 3
    assert counts(items["topics"]) == {"roads": (2, 66.7), "water": (1, 33.3), "jobs": (1, 33.3)}
    assert counts(items["services_water"])["3"] == (1, 100.0)
    assert counts(items["services_waste"])["1"] == (1, 100.0)
    assert counts(items["ranks"])["b"] == (1, 100.0), "ranked first"
    age = items["age"]
    assert isinstance(age, NumericSummary)
    assert (age.answered, age.mean, age.median, age.minimum, age.maximum) == (3, 42.0, 40.0, 25.0, 61.0)
    assert (items["happy"].mean, items["happy"].median) == (6.67, 7.0)
    assert "comment" not in items and "moved" not in items, "open text and dates are not summarised"


def test_the_median_of_an_even_number_of_answers_is_the_mean_of_the_middle_two(rich):
    submit(rich, {"voted": "no", "age": 30})
    assert by_key(survey_results(rich))["age"].median == 35.0


def test_results_take_the_same_number_of_queries_for_few_and_more_responses(rich):
    def count():
        with CaptureQueriesContext(connection) as queries:
            survey_results(Survey.objects.get(pk=rich.pk))
        return len(queries)

    few = count()
    for _index in range(6):
        submit(rich, {"voted": "yes", "how": "2", "topics": ["jobs"], "services": {"waste": "2"}, "ranks": ["a"]})
    assert count() == few


def test_the_public_results_page_is_not_found_until_published(client, rich):
    url = reverse("surveys:results_public", args=[rich.public_id])
    assert client.get(url).status_code == 404


def test_a_draft_cannot_have_its_results_published(researcher, kresna):
    draft = services.survey_create(actor=researcher, title="Чернова")
    with pytest.raises(DomainError) as error:
        services.survey_results_publish(actor=researcher, survey=draft, published=True)
    assert error.value.code == "draft"


def test_the_public_results_page_shows_charts_with_their_data_tables(client, published, django_assert_max_num_queries):
    url = reverse("surveys:results_public", args=[published.public_id])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    page = response.content.decode()

    assert response.status_code == 200
    assert 'role="img" aria-labelledby="chart-voted"' in page
    assert '<title id="chart-voted">' in page
    assert page.count("<svg") == page.count("<table") - 2, "every chart has its table (two numeric summaries)"
    assert "66.7%" in page and "По пощата" in page
    assert "=HYPERLINK" not in page, "open answers are not published"
    assert "not necessarily representative" in page and "no weighting to the population" in page


def test_the_public_results_page_is_bulgarian_by_default(published, settings):
    from django.test import Client

    settings.LANGUAGE_CODE = "bg"

    response = Client().get(reverse("surveys:results_public", args=[published.public_id]))
    assert response.status_code == 200
    assert '<html lang="bg"' in response.content.decode()


def test_a_demo_survey_is_marked_as_synthetic(client, published):
    Survey.objects.filter(pk=published.pk).update(is_demo=True)
    page = client.get(reverse("surveys:results_public", args=[published.public_id])).content.decode()
    assert "Synthetic demo data." in page


def test_the_public_page_takes_the_same_number_of_queries_for_few_and_more_responses(client, published):
    url = reverse("surveys:results_public", args=[published.public_id])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _index in range(4):
        submit(published, {"voted": "no", "topics": ["roads", "jobs"], "age": 50})
    assert count() == few


@pytest.mark.parametrize("public_id", ["00000000-0000-0000-0000-000000000000", "nonsense", "1"])
def test_unknown_survey_results_are_not_found(client, db, public_id):
    assert client.get(f"/surveys/{public_id}/results/").status_code == 404


def test_a_researcher_publishes_and_withdraws_results_with_audit(client_for, researcher, rich):
    client = client_for(researcher)
    url = reverse("surveys:results_publish", args=[rich.public_id])

    response = client.post(url, {"published": "1"})
    assert response.status_code == 302
    assert Survey.objects.get(pk=rich.pk).results_published
    assert client.get(reverse("surveys:results_public", args=[rich.public_id])).status_code == 200

    client.post(url, {"published": "0"})
    assert not Survey.objects.get(pk=rich.pk).results_published
    assert client.get(reverse("surveys:results_public", args=[rich.public_id])).status_code == 404
    actions = list(
        AuditEntry.objects.filter(action__startswith="surveys.results.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["surveys.results.published", "surveys.results.unpublished"]


def test_publishing_a_draft_through_the_page_is_refused_with_a_message(client_for, researcher, kresna):
    draft = services.survey_create(actor=researcher, title="Чернова")
    response = client_for(researcher).post(
        reverse("surveys:results_publish", args=[draft.public_id]), {"published": "1"}
    )

    assert response.status_code == 400
    assert "A draft survey has no results to publish." in response.content.decode()
    assert not Survey.objects.get(pk=draft.pk).results_published


@pytest.mark.parametrize("value", ["", "yes", "2", "1; DROP TABLE", "\u202e1"])
def test_a_publish_request_with_a_bad_value_changes_nothing(client_for, researcher, rich, value):
    url = reverse("surveys:results_publish", args=[rich.public_id])
    response = client_for(researcher).post(url, {"published": value})

    assert response.status_code == 400
    assert "Choose whether to publish the results or withdraw them." in response.content.decode()
    assert not Survey.objects.get(pk=rich.pk).results_published


def test_publishing_needs_a_post(client_for, researcher, rich):
    response = client_for(researcher).get(reverse("surveys:results_publish", args=[rich.public_id]))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("researcher", 302), ("admin_user", 302), ("advisor", 403), ("citizen", 403), ("outsider", 403)],
)
def test_only_researchers_and_administrators_publish_results(request, client_for, rich, persona, expected):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("surveys:results_publish", args=[rich.public_id]), {"published": "1"})

    assert response.status_code == expected
    assert Survey.objects.get(pk=rich.pk).results_published is (expected == 302)


def test_publishing_without_a_csrf_token_is_refused(researcher, rich):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    response = client.post(reverse("surveys:results_publish", args=[rich.public_id]), {"published": "1"})

    assert response.status_code == 403
    assert not Survey.objects.get(pk=rich.pk).results_published


def test_extra_fields_in_the_publish_form_are_ignored(client_for, researcher, rich):
    client_for(researcher).post(
        reverse("surveys:results_publish", args=[rich.public_id]),
        {"published": "1", "is_demo": "1", "status": "draft", "title": "x"},
    )
    survey = Survey.objects.get(pk=rich.pk)
    assert (survey.results_published, survey.is_demo, survey.status, survey.title) == (
        True,
        False,
        Survey.Status.FIELDWORK,
        "Кресна 2026",
    )


def test_the_public_results_come_from_the_cache_until_a_response_is_completed(client, published):
    url = reverse("surveys:results_public", args=[published.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert not any("GROUP BY" in query["sql"] for query in cached.captured_queries)

    submit(published, {"voted": "no", "age": 99})
    assert "99" in client.get(url).content.decode()


def test_frequency_items_are_the_shapes_the_weighting_engine_will_fill(rich):
    table = survey_results(rich)
    assert table.weighted is False and table.base == 3
    assert all(isinstance(item, Frequency | NumericSummary) for item in table.items)


def test_a_draft_flagged_as_published_is_still_not_shown(client, researcher, kresna):
    draft = services.survey_create(actor=researcher, title="Чернова")
    Survey.objects.filter(pk=draft.pk).update(results_published=True)

    assert client.get(reverse("surveys:results_public", args=[draft.public_id])).status_code == 404
    assert client.get(f"/api/v1/surveys/{draft.public_id}/results").status_code == 404
    assert str(draft.public_id) not in client.get("/api/v1/surveys/").content.decode()


def test_the_cached_results_are_kept_per_language(client, published):
    """The table names the "Other" answer in the page's language, even when the other language
    filled the cache first."""
    url = reverse("surveys:results_public", args=[published.public_id])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bg"
    assert "Друго" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Other" in english and "Друго" not in english
