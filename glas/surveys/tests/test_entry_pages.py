"""Advisors and interviewers key paper questionnaires and interviews; researchers compare the
two rounds of double entry."""

import re

import pytest

from glas.surveys import services
from glas.surveys.models import Answer, Response
from glas.surveys.tests.respond_helpers import PAGE_1, PAGE_2, PAGE_3, every_type_survey

pytestmark = pytest.mark.django_db

ENTERS = {"advisor", "researcher", "admin_user"}
RUNS_FIELDWORK = {"researcher", "admin_user"}
PAPER = {**PAGE_1, **PAGE_2, **PAGE_3, "action": "next"}


@pytest.fixture
def survey(researcher, kresna):
    return every_type_survey(researcher)


def start_entry(client, survey, **data):
    started = client.post(f"/surveys/entry/{survey.public_id}/new/", {"channel": "paper", "entry_round": 1, **data})
    assert started.status_code == 302, started.content.decode()[-2000:]
    return Response.objects.get(public_id=re.search(r"r/([0-9a-f-]{36})/", started["Location"]).group(1))


def key_paper(client, survey, ref, entry_round=1, **changes):
    response = start_entry(client, survey, paper_ref=ref, entry_round=entry_round)
    saved = client.post(f"/surveys/entry/r/{response.public_id}/page/1/", {**PAPER, **changes})
    assert saved["Location"] == f"/surveys/entry/r/{response.public_id}/review/"
    assert client.post(saved["Location"]).status_code == 302
    return response


def test_entry_pages_are_open_only_to_advisors_and_researchers(any_persona, request, client_for, survey):
    name = request.node.callspec.params["any_persona"]
    client = client_for(any_persona)
    expected = 200 if name in ENTERS else 403
    assert client.get("/surveys/entry/").status_code == expected
    assert client.get(f"/surveys/entry/{survey.public_id}/new/").status_code == expected
    report = client.get(f"/surveys/design/{survey.public_id}/double-entry/")
    assert report.status_code == (200 if name in RUNS_FIELDWORK else 403)


def test_entry_pages_send_anonymous_visitors_to_sign_in(client, survey):
    for url in ("/surveys/entry/", f"/surveys/entry/{survey.public_id}/new/",
                f"/surveys/design/{survey.public_id}/double-entry/"):  # fmt: skip
        page = client.get(url)
        assert page.status_code == 302
        assert "/accounts/login/" in page["Location"]


def test_the_entry_list_counts_my_entries(advisor, client_for, survey):
    client = client_for(advisor)
    key_paper(client, survey, "A-1")
    page = client.get("/surveys/entry/")
    assert page.context["surveys"].get(pk=survey.pk).my_entries == 1


def test_a_paper_questionnaire_is_keyed_on_one_page_and_saved(advisor, client_for, survey):
    client = client_for(advisor)
    response = start_entry(client, survey, paper_ref="17")
    page = client.get(f"/surveys/entry/r/{response.public_id}/page/1/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="voted"' in text and 'name="comment"' in text  # all sections on one page
    assert "17" in text and advisor.email in text
    key = client.post(f"/surveys/entry/r/{response.public_id}/page/1/", PAPER)
    assert key["Location"].endswith("/review/")
    done = client.post(key["Location"])
    assert done["Location"] == f"/surveys/entry/{survey.public_id}/new/"
    response.refresh_from_db()
    assert response.status == Response.Status.COMPLETE
    assert response.channel == "paper"
    assert response.interviewer == advisor
    assert response.paper_ref == "17"


def test_a_phone_interview_goes_section_by_section(advisor, client_for, survey):
    client = client_for(advisor)
    response = start_entry(client, survey, channel="phone")
    first = client.get(f"/surveys/entry/r/{response.public_id}/page/1/").content.decode()
    assert 'name="comment"' not in first
    assert client.post(f"/surveys/entry/r/{response.public_id}/page/1/", PAGE_1)["Location"].endswith("/page/2/")


def test_the_same_questionnaire_number_twice_in_one_round_is_refused(advisor, client_for, survey):
    client = client_for(advisor)
    key_paper(client, survey, "5")
    again = client.post(f"/surveys/entry/{survey.public_id}/new/", {"channel": "paper", "entry_round": 1,
                                                                      "paper_ref": "5"})  # fmt: skip
    assert again.status_code == 400
    second_round_without_number = client.post(
        f"/surveys/entry/{survey.public_id}/new/", {"channel": "paper", "entry_round": 2, "paper_ref": ""}
    )
    assert second_round_without_number.status_code == 400
    bad_channel = client.post(f"/surveys/entry/{survey.public_id}/new/", {"channel": "web", "entry_round": 1})
    assert bad_channel.status_code == 400
    assert Response.objects.filter(survey=survey).count() == 1


def test_an_interviewer_cannot_open_another_interviewers_entry(advisor, make_user, client_for, survey):
    from glas.accounts.roles import Role

    response = start_entry(client_for(advisor), survey, paper_ref="9")
    other = make_user("other.advisor@example.org", roles=[Role.ADVISOR])
    assert client_for(other).get(f"/surveys/entry/r/{response.public_id}/page/1/").status_code == 404
    assert client_for(other).post(f"/surveys/entry/r/{response.public_id}/review/").status_code == 404


def test_a_web_response_cannot_be_opened_through_the_entry_pages(researcher, client_for, survey):
    response = services.response_start(actor=None, survey=survey, channel="web")
    assert client_for(researcher).get(f"/surveys/entry/r/{response.public_id}/page/1/").status_code == 404


def test_entry_answers_are_checked_like_the_respondents(advisor, client_for, survey):
    client = client_for(advisor)
    response = start_entry(client, survey, paper_ref="3")
    page = client.post(f"/surveys/entry/r/{response.public_id}/page/1/", {**PAPER, "age": "500"})
    assert page.status_code == 400
    assert not Answer.objects.filter(response=response).exists()


def test_the_double_entry_report_lists_differences_and_questionnaires_keyed_once(advisor, researcher, client_for,
                                                                                 survey):  # fmt: skip
    client = client_for(advisor)
    key_paper(client, survey, "1")
    key_paper(client, survey, "1", entry_round=2, age="41", **{"services--clinic": "2"})
    key_paper(client, survey, "2")
    key_paper(client, survey, "2", entry_round=2)
    key_paper(client, survey, "3")
    page = client_for(researcher).get(f"/surveys/design/{survey.public_id}/double-entry/")
    report = page.context["report"]
    assert report.mismatches == [("1", [("age", 40, 41), ("services_clinic", "1", "2")])]
    assert report.matched == ["2"]
    assert report.single == [("3", 1)]
    csv = client_for(researcher).get(f"/surveys/design/{survey.public_id}/double-entry/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "services_clinic,1,2" in csv.content.decode()


@pytest.mark.parametrize("pairs", [1, 6])
def test_the_double_entry_report_makes_a_bounded_number_of_queries(
    pairs, advisor, researcher, client_for, survey, django_assert_max_num_queries
):
    client = client_for(advisor)
    for number in range(pairs):
        key_paper(client, survey, str(number))
        key_paper(client, survey, str(number), entry_round=2, age="50")
    reader = client_for(researcher)
    with django_assert_max_num_queries(15):
        page = reader.get(f"/surveys/design/{survey.public_id}/double-entry/")
    assert len(page.context["report"].mismatches) == pairs


@pytest.mark.parametrize("surveys", [1, 4])
def test_the_entry_list_makes_a_bounded_number_of_queries(
    surveys, advisor, researcher, client_for, kresna, django_assert_max_num_queries
):
    client = client_for(advisor)
    for number in range(surveys):
        survey = every_type_survey(researcher, title=f"Проучване {number}")
        start_entry(client, survey, paper_ref=f"{number}")
    with django_assert_max_num_queries(12):
        page = client.get("/surveys/entry/")
    assert len(page.context["unfinished"]) == surveys


@pytest.mark.parametrize("surveys", [1, 4])
def test_the_list_of_open_surveys_makes_a_bounded_number_of_queries(
    surveys, researcher, client, kresna, django_assert_max_num_queries
):
    for number in range(surveys):
        every_type_survey(researcher, anonymity="confidential", title=f"Проучване {number}")
    with django_assert_max_num_queries(8):
        page = client.get("/surveys/")
    assert len(page.context["surveys"]) == surveys
