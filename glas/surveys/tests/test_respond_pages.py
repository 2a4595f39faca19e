"""Residents answer through the pages: public link, invitation link, letter code, save and
resume, review, submit, thank-you page and withdrawal."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client

from glas.core.models import AuditEntry
from glas.core.participation import open_items
from glas.surveys import services
from glas.surveys.models import Answer, Invitation, QuotaCell, Response, Survey
from glas.surveys.tests.respond_helpers import PAGE_1, PAGE_2, PAGE_3, every_type_survey, page_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(researcher, kresna):
    return every_type_survey(researcher)


def answer_all(client, response):
    for number, data in ((1, PAGE_1), (2, PAGE_2), (3, PAGE_3)):
        page = client.post(page_url(response, number), data)
        assert page.status_code == 302, page.content.decode()[-3000:]
    return client.post(f"/surveys/r/{response.public_id}/review/")


def test_open_surveys_are_listed_and_shown_on_the_home_page(client, survey):
    page = client.get("/surveys/")
    assert page.status_code == 200
    assert f"/surveys/{survey.public_id}/".encode() in page.content
    assert any(item.url == f"/surveys/{survey.public_id}/" for item in open_items())
    assert f"/surveys/{survey.public_id}/".encode() in client.get("/").content


def test_published_results_are_listed_but_unpublished_ones_are_not(client, survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    assert f"/surveys/{survey.public_id}/results/".encode() not in client.get("/surveys/").content
    Survey.objects.filter(pk=survey.pk).update(results_published=True)
    assert f"/surveys/{survey.public_id}/results/".encode() in client.get("/surveys/").content


def test_the_start_page_explains_anonymity_and_that_the_public_link_is_not_representative(client, survey):
    page = client.get(f"/surveys/{survey.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Участието е доброволно." in text
    assert "Open to anyone" in text
    assert "not representative" in text


def test_a_resident_answers_by_public_link_from_start_to_thank_you(client, survey):
    response = start(client, survey)
    assert str(response.public_id) in client.session["surveys_responses"]
    submitted = answer_all(client, response)
    assert submitted.status_code == 302
    assert submitted["Location"] == f"/surveys/r/{response.public_id}/done/"
    response.refresh_from_db()
    assert response.status == Response.Status.COMPLETE
    assert response.channel == Response.Channel.WEB
    assert client.get(submitted["Location"]).status_code == 200
    values = dict(Answer.objects.filter(response=response).values_list("question__variable", "codes"))
    assert values["services"] == {"bus": "3", "clinic": "1"}
    assert values["priority"] == ["b", "a", "c"]
    assert values["topics"] == ["roads", "water"]
    assert "glas_surveys_answered" in submitted.cookies


def test_a_second_start_after_submitting_is_politely_refused(client, survey):
    answer_all(client, start(client, survey))
    again = client.post(f"/surveys/{survey.public_id}/")
    assert again.status_code == 400
    assert Response.objects.filter(survey=survey).count() == 1


def test_starting_again_resumes_the_response_in_progress(client, survey):
    response = start(client, survey)
    again = client.post(f"/surveys/{survey.public_id}/")
    assert again["Location"] == page_url(response, 1)
    assert Response.objects.filter(survey=survey).count() == 1


def test_save_and_continue_later_shows_a_resume_link_that_works_in_this_browser(client, survey):
    response = start(client, survey)
    saved = client.post(page_url(response, 1), {**PAGE_1, "action": "later"})
    assert saved["Location"] == f"/surveys/r/{response.public_id}/"
    resume = client.get(saved["Location"])
    assert resume.status_code == 200
    assert f"/surveys/r/{response.public_id}/".encode() in resume.content
    assert Answer.objects.filter(response=response).count() == 4
    page = client.get(page_url(response, 1))
    assert b'value="40"' in page.content
    assert Client().get(saved["Location"]).status_code == 404


def test_back_goes_to_the_previous_shown_section_and_keeps_the_answers(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), PAGE_1)
    back = client.post(page_url(response, 2), {**PAGE_2, "action": "back"})
    assert back["Location"] == page_url(response, 1)
    assert Answer.objects.filter(response=response, question__variable="trust").exists()


def test_a_section_hidden_by_logic_is_skipped_and_not_reviewed(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), {**PAGE_1, "voted": "no"})
    after_two = client.post(page_url(response, 2), PAGE_2)
    assert after_two["Location"] == f"/surveys/r/{response.public_id}/review/"
    assert client.get(page_url(response, 3))["Location"] == f"/surveys/r/{response.public_id}/review/"


def test_answers_to_questions_hidden_by_logic_are_not_reviewed_and_are_discarded(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), {**PAGE_1, "voted": "no", "how": "1"})
    client.post(page_url(response, 2), PAGE_2)
    review = client.get(f"/surveys/r/{response.public_id}/review/")
    assert "Как гласувахте?" not in review.content.decode()
    client.post(f"/surveys/r/{response.public_id}/review/")
    assert not Answer.objects.filter(response=response, question__variable="how").exists()


def test_the_review_lists_required_questions_left_unanswered_with_a_400(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), {**PAGE_1, "voted": ""})
    review = client.post(f"/surveys/r/{response.public_id}/review/")
    assert review.status_code == 400
    assert b"error-summary" in review.content
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_the_logic_sent_to_the_page_is_the_stored_logic(client, survey):
    response = start(client, survey)
    page = client.get(page_url(response, 1))
    data = json.loads(re.search(r'data-logic="([^"]*)"', page.content.decode()).group(1).replace("&quot;", '"'))
    stored = {question.variable: question.logic for question in survey.questions.exclude(logic=None)}
    assert data["questions"] == {"how": stored["how"]}
    assert data["order"] == ["voted", "how", "age", "place"]


def test_the_logic_of_a_later_page_carries_the_answers_it_depends_on(client, researcher, kresna):
    survey = services.survey_create(actor=researcher, title="Две страници")
    first = survey.sections.get()
    second = services.section_add(actor=researcher, survey=survey, title="Втора")
    services.question_add(actor=researcher, section=first, variable="voted", text="Гласувахте ли?", type="yes_no")
    services.question_add(actor=researcher, section=second, variable="why", text="Защо?", type="short_text",
                          logic={"op": "equals", "var": "voted", "value": "yes"})  # fmt: skip
    services.question_add(actor=researcher, section=second, variable="when", text="Кога?", type="date")
    services.survey_transition(actor=researcher, survey=survey, to="fieldwork")
    response = start(client, survey)
    client.post(page_url(response, 1), {"voted": "yes"})
    page = client.get(page_url(response, 2))
    data = json.loads(re.search(r'data-logic="([^"]*)"', page.content.decode()).group(1).replace("&quot;", '"'))
    assert data["answers"] == {"voted": "yes"}
    assert data["questions"] == {"why": {"op": "equals", "var": "voted", "value": "yes"}}
    client.post(page_url(response, 1), {"voted": "no"})
    later = client.get(page_url(response, 2)).content.decode()
    assert 'name="why"' not in later  # hidden by an answer on an earlier page: not sent at all
    assert 'name="when"' in later


def test_randomised_choices_keep_their_order_for_one_response(client, survey):
    response = start(client, survey)
    first = re.findall(r'name="how" id="[^"]+" value="(\w+)"', client.get(page_url(response, 1)).content.decode())
    second = re.findall(r'name="how" id="[^"]+" value="(\w+)"', client.get(page_url(response, 1)).content.decode())
    assert first == second
    assert sorted(first) == ["1", "2", "3", "other"]
    assert first[-1] == "other"


def test_every_question_type_is_rendered_with_its_labels(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), PAGE_1)
    page = client.get(page_url(response, 2)).content.decode()
    assert page.count("<fieldset") == 5  # Likert, 0–10, multiple, matrix, ranking
    assert 'aria-labelledby="q-services--bus-label q-services-c0"' in page
    assert '<label for="q-channel"' in page
    assert '<label for="q-priority--3"' in page
    first = client.get(page_url(response, 1)).content.decode()
    assert 'type="number"' in first and 'min="18"' in first and 'max="110"' in first
    assert 'aria-describedby="q-age-help"' in first
    assert '<option value="kresna" selected>' in first


def test_an_invitation_link_starts_a_confidential_response_and_marks_the_invitation(researcher, kresna, client):
    survey = every_type_survey(researcher, anonymity="confidential", title="Поверително")
    invitation, token = services.invitation_create(actor=researcher, survey=survey)
    url = f"/surveys/{survey.public_id}/i/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    started = client.post(url)
    response = Response.objects.get(public_id=started["Location"].split("/")[3])
    assert response.channel == Response.Channel.INVITATION
    assert response.invitation_id is None
    assert answer_all(client, response).status_code == 302
    invitation.refresh_from_db()
    assert invitation.completed_at is not None
    assert not any(token in json.dumps(entry.data) for entry in AuditEntry.objects.all())
    assert token not in json.dumps(dict(client.session))


def test_a_letter_code_starts_the_survey_from_the_list_of_open_surveys(researcher, kresna, client):
    survey = every_type_survey(researcher, anonymity="confidential", title="Поверително")
    invitation, _token = services.invitation_create(actor=researcher, survey=survey)
    started = client.post("/surveys/", {"survey": str(survey.public_id), "code": invitation.short_code.lower()})
    assert started.status_code == 302
    response = Response.objects.get(public_id=started["Location"].split("/")[3])
    assert answer_all(client, response).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).completed_at is not None


def test_a_letter_code_on_the_start_page_starts_the_survey(researcher, kresna, client):
    survey = every_type_survey(researcher, anonymity="confidential", title="Поверително")
    invitation, _token = services.invitation_create(actor=researcher, survey=survey)
    started = client.post(f"/surveys/{survey.public_id}/", {"code": invitation.short_code})
    assert started.status_code == 302
    assert Response.objects.filter(survey=survey, channel="invitation").count() == 1


def test_an_identified_respondent_answers_and_withdraws_after_confirming(researcher, kresna, citizen, client_for):
    survey = every_type_survey(researcher, anonymity="identified", title="С име")
    client = client_for(citizen)
    response = start(client, survey)
    assert response.respondent == citizen
    answer_all(client, response)
    done = client.get(f"/surveys/r/{response.public_id}/done/")
    assert f"/surveys/r/{response.public_id}/withdraw/".encode() in done.content
    confirm = client.get(f"/surveys/r/{response.public_id}/withdraw/")
    assert confirm.status_code == 200
    assert Response.objects.filter(pk=response.pk).exists()
    withdrawn = client.post(f"/surveys/r/{response.public_id}/withdraw/")
    assert withdrawn.status_code == 302
    assert not Response.objects.filter(pk=response.pk).exists()


def test_an_identified_survey_asks_an_anonymous_visitor_to_sign_in(researcher, kresna, client):
    survey = every_type_survey(researcher, anonymity="identified", title="С име")
    page = client.get(f"/surveys/{survey.public_id}/")
    assert b"/accounts/login/" in page.content
    assert client.post(f"/surveys/{survey.public_id}/").status_code == 400
    assert not Response.objects.filter(survey=survey).exists()


def test_withdrawal_is_not_offered_in_an_anonymous_survey(client, survey):
    response = start(client, survey)
    answer_all(client, response)
    assert b"/withdraw/" not in client.get(f"/surveys/r/{response.public_id}/done/").content


def test_a_full_quota_cell_is_explained_politely(researcher, kresna, client):
    survey = services.survey_create(actor=researcher, title="Квота")
    section = survey.sections.get()
    services.question_add(actor=researcher, section=section, variable="sex", text="Пол", type="single",
                          choices=[("f", "Жена"), ("m", "Мъж")])  # fmt: skip
    services.quota_define(actor=researcher, survey=survey, name="По пол", variables=["sex"],
                          cells=[({"sex": "f"}, 1), ({"sex": "m"}, 5)])  # fmt: skip
    services.survey_transition(actor=researcher, survey=survey, to="fieldwork")
    first = services.response_start(actor=None, survey=survey, channel="web")
    services.response_save_answers(actor=None, response=first, answers={"sex": "f"})
    services.response_submit(actor=None, response=first)
    response = start(client, survey)
    client.post(page_url(response, 1), {"sex": "f"})
    refused = client.post(f"/surveys/r/{response.public_id}/review/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "all the answers we need from people in your group" in refused.content.decode()
    assert QuotaCell.objects.get(key="sex=f").filled == 1
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_the_answer_page_makes_a_bounded_number_of_queries(client, survey, django_assert_max_num_queries):
    response = start(client, survey)
    client.post(page_url(response, 1), PAGE_1)
    client.post(page_url(response, 2), PAGE_2)
    cache.clear()
    with django_assert_max_num_queries(20):
        assert client.get(page_url(response, 2)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/surveys/r/{response.public_id}/review/").status_code == 200


def test_a_survey_that_is_not_open_yet_shows_when_it_opens(researcher, kresna, client):
    import datetime as dt

    from django.utils import timezone

    survey = every_type_survey(researcher)
    Survey.objects.filter(pk=survey.pk).update(fieldwork_start=timezone.localdate() + dt.timedelta(days=3))
    page = client.get(f"/surveys/{survey.public_id}/")
    assert page.status_code == 400
    assert client.post(f"/surveys/{survey.public_id}/").status_code == 400


def test_a_second_letter_code_on_the_same_computer_starts_its_own_response(researcher, kresna, client):
    survey = every_type_survey(researcher, anonymity="confidential", title="Поверително")
    first, _token = services.invitation_create(actor=researcher, survey=survey)
    second, _token = services.invitation_create(actor=researcher, survey=survey)
    one = client.post(f"/surveys/{survey.public_id}/", {"code": first.short_code})
    again = client.post(f"/surveys/{survey.public_id}/", {"code": first.short_code})
    other = client.post(f"/surveys/{survey.public_id}/", {"code": second.short_code})
    assert again["Location"] == one["Location"]
    assert other["Location"] != one["Location"]
    assert Response.objects.filter(survey=survey).count() == 2
