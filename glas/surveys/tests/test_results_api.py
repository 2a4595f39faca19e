"""The surveys API: public surveys, their questionnaires and published results."""

from __future__ import annotations

import pytest

from glas.surveys import services
from glas.surveys.tests.results_data import build_rich_survey, fill


@pytest.fixture
def rich(researcher, kresna):
    return fill(build_rich_survey(researcher))


def test_the_list_shows_surveys_in_fieldwork_but_never_drafts(client, researcher, rich):
    draft = services.survey_create(actor=researcher, title="Чернова")
    data = client.get("/api/v1/surveys/").json()

    ids = {item["public_id"] for item in data}
    assert str(rich.public_id) in ids and str(draft.public_id) not in ids
    assert next(item for item in data if item["public_id"] == str(rich.public_id))["results_published"] is False


def test_the_questionnaire_gives_sections_questions_and_choices_but_no_logic(client, rich):
    data = client.get(f"/api/v1/surveys/{rich.public_id}").json()

    [section] = data["sections"]
    questions = {q["variable"]: q for q in section["questions"]}
    assert questions["how"]["choices"] == [{"code": "1", "label": "В секция"}, {"code": "2", "label": "По пощата"}]
    assert [row["code"] for row in questions["services"]["rows"]] == ["water", "waste"]
    assert "logic" not in questions["how"]


def test_a_draft_questionnaire_is_not_found(client, researcher, kresna):
    draft = services.survey_create(actor=researcher, title="Чернова")
    assert client.get(f"/api/v1/surveys/{draft.public_id}").status_code == 404


def test_results_are_not_found_until_published(client, rich):
    assert client.get(f"/api/v1/surveys/{rich.public_id}/results").status_code == 404


def test_published_results_give_the_same_frequencies_as_the_page(client, researcher, rich):
    services.survey_results_publish(actor=researcher, survey=rich, published=True)
    data = client.get(f"/api/v1/surveys/{rich.public_id}/results").json()

    assert (data["base"], data["weighted"]) == (3, False)
    assert "not representative" in data["note"]
    items = {item["key"]: item for item in data["items"]}
    assert {c["code"]: c["count"] for c in items["voted"]["categories"]} == {"yes": 2, "no": 1}
    assert items["age"]["median"] == 40.0 and items["age"]["kind"] == "numeric"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/surveys/00000000-0000-0000-0000-000000000000",
        "/api/v1/surveys/00000000-0000-0000-0000-000000000000/results",
    ],
)
def test_unknown_surveys_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/surveys/not-a-uuid", "/api/v1/surveys/1/results"])
def test_malformed_ids_are_refused_without_a_server_error(client, db, path):
    assert 400 <= client.get(path).status_code < 500


def test_the_list_takes_a_bounded_number_of_queries(client, researcher, rich, django_assert_max_num_queries):
    build_rich_survey(researcher, title="Втора вълна")
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/surveys/").status_code == 200
