"""Bad input and abuse on the respondent pages: tampered ids and codes, hidden questions, values
out of range, over-long text, reused or foreign tokens, closed surveys, other people's
responses, bursts from one address and POSTs without a CSRF token."""

import pytest
from django.test import Client

from glas.surveys import services
from glas.surveys.models import Answer, Response, Survey
from glas.surveys.tests.respond_helpers import PAGE_1, PAGE_2, PAGE_3, every_type_survey, page_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(researcher, kresna):
    return every_type_survey(researcher)


@pytest.fixture
def confidential(researcher, kresna):
    return every_type_survey(researcher, anonymity="confidential", title="Поверително")


def english_post(client, url, data=None):
    return client.post(url, data or {}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_tampered_choice_code_is_refused_with_a_message_on_the_question(client, survey):
    response = start(client, survey)
    page = english_post(client, page_url(response, 1), {**PAGE_1, "how": "99"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Choose one of the answers offered." in text
    assert 'href="#q-how-0"' in text
    assert not Answer.objects.filter(response=response).exists()


def test_tampered_matrix_and_ranking_values_are_refused(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), PAGE_1)
    matrix = english_post(client, page_url(response, 2), {**PAGE_2, "services--bus": "9"})
    assert matrix.status_code == 400
    ranking = english_post(client, page_url(response, 2), {**PAGE_2, "priority--2": "b"})
    assert ranking.status_code == 400
    checkboxes = english_post(client, page_url(response, 2), {**PAGE_2, "topics": ["roads", "zzz"]})
    assert checkboxes.status_code == 400
    assert not Answer.objects.filter(response=response, question__section__position=2).exists()


def test_fields_that_are_not_questions_of_the_page_are_ignored(client, survey):
    response = start(client, survey)
    other_survey_question = every_type_survey(survey.owner, title="Друго").questions.first()
    page = client.post(
        page_url(response, 1),
        {**PAGE_1, "comment": "от друга страница", str(other_survey_question.pk): "yes", "status": "complete"},
    )
    assert page.status_code == 302
    assert set(Answer.objects.filter(response=response).values_list("question__variable", flat=True)) == {
        "voted", "how", "age", "place"
    }  # fmt: skip
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_a_number_out_of_range_and_a_text_over_its_cap_are_refused(client, survey):
    response = start(client, survey)
    low = english_post(client, page_url(response, 1), {**PAGE_1, "age": "12"})
    assert low.status_code == 400
    assert "Enter a number of at least 18." in low.content.decode()
    client.post(page_url(response, 1), PAGE_1)
    client.post(page_url(response, 2), PAGE_2)
    long = english_post(client, page_url(response, 3), {**PAGE_3, "comment": "д" * 51})
    assert long.status_code == 400
    assert "Keep the answer within 50 characters" in long.content.decode()
    nul = client.post(page_url(response, 3), {**PAGE_3, "story": "a\x00b"})
    assert nul.status_code == 400
    assert not Answer.objects.filter(response=response, question__variable__in=["comment", "story"]).exists()


def test_other_please_specify_is_required_when_other_is_chosen(client, survey):
    response = start(client, survey)
    page = english_post(client, page_url(response, 1), {**PAGE_1, "how": "other"})
    assert page.status_code == 400
    assert 'href="#q-how--other"' in page.content.decode()
    ok = client.post(page_url(response, 1), {**PAGE_1, "how": "other", "how--other": "По телефона"})
    assert ok.status_code == 302
    assert Answer.objects.get(response=response, question__variable="how").other_text == "По телефона"


def test_an_answer_to_a_hidden_question_is_discarded_at_submission(client, survey):
    response = start(client, survey)
    client.post(page_url(response, 1), {**PAGE_1, "voted": "no", "how": "3"})
    client.post(page_url(response, 3), PAGE_3)  # a section hidden by logic, posted directly
    client.post(page_url(response, 2), PAGE_2)
    client.post(f"/surveys/r/{response.public_id}/review/")
    variables = set(Answer.objects.filter(response=response).values_list("question__variable", flat=True))
    assert not variables & {"how", "comment", "story", "moved"}
    assert Response.objects.get(pk=response.pk).status == Response.Status.COMPLETE


def test_a_page_number_out_of_range_is_404(client, survey):
    response = start(client, survey)
    assert client.get(page_url(response, 0)).status_code == 404
    assert client.get(page_url(response, 99)).status_code == 404


def test_someone_elses_response_is_not_found(client, survey):
    response = start(client, survey)
    stranger = Client()
    for url in (page_url(response, 1), f"/surveys/r/{response.public_id}/review/",
                f"/surveys/r/{response.public_id}/", f"/surveys/r/{response.public_id}/done/"):  # fmt: skip
        assert stranger.get(url).status_code == 404
    assert stranger.post(page_url(response, 1), PAGE_1).status_code == 404
    assert not Answer.objects.filter(response=response).exists()


def test_another_persons_identified_response_is_not_found_and_cannot_be_withdrawn(
    researcher, kresna, citizen, outsider, client_for
):
    survey = every_type_survey(researcher, anonymity="identified", title="С име")
    response = start(client_for(citizen), survey)
    other = client_for(outsider)
    assert other.get(page_url(response, 1)).status_code == 404
    assert other.post(f"/surveys/r/{response.public_id}/withdraw/").status_code == 404
    assert Response.objects.filter(pk=response.pk).exists()


def test_an_invitation_token_used_twice_is_refused(confidential, researcher, client):
    _invitation, token = services.invitation_create(actor=researcher, survey=confidential)
    url = f"/surveys/{confidential.public_id}/i/{token}/"
    response = Response.objects.get(public_id=client.post(url)["Location"].split("/")[3])
    for number, data in ((1, PAGE_1), (2, PAGE_2), (3, PAGE_3)):
        client.post(page_url(response, number), data)
    client.post(f"/surveys/r/{response.public_id}/review/")
    again = english_post(Client(), url)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()
    assert Response.objects.filter(survey=confidential).count() == 1


def test_an_invitation_token_of_another_survey_is_refused(confidential, researcher, client):
    other = every_type_survey(researcher, anonymity="confidential", title="Друго")
    invitation, token = services.invitation_create(actor=researcher, survey=other)
    by_link = english_post(client, f"/surveys/{confidential.public_id}/i/{token}/")
    assert by_link.status_code == 400
    assert "not valid for this survey" in by_link.content.decode()
    by_code = english_post(client, f"/surveys/{confidential.public_id}/", {"code": invitation.short_code})
    assert by_code.status_code == 400
    guessed = english_post(client, f"/surveys/{confidential.public_id}/i/{'x' * 43}/")
    assert guessed.status_code == 400
    assert not Response.objects.filter(survey=confidential).exists()


def test_a_confidential_survey_cannot_be_started_without_an_invitation(confidential, client):
    assert client.post(f"/surveys/{confidential.public_id}/").status_code == 400
    assert not Response.objects.filter(survey=confidential).exists()


def test_a_closed_survey_gets_a_polite_page_not_an_error(researcher, survey, client):
    response = start(client, survey)
    client.post(page_url(response, 1), PAGE_1)
    services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.CLOSED)
    assert client.get(f"/surveys/{survey.public_id}/").status_code == 410
    assert client.post(f"/surveys/{survey.public_id}/").status_code == 410
    assert client.post(page_url(response, 2), PAGE_2).status_code == 410
    assert client.post(f"/surveys/r/{response.public_id}/review/").status_code == 410
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_a_draft_survey_is_not_found(researcher, kresna, client):
    draft = services.survey_create(actor=researcher, title="Чернова")
    assert client.get(f"/surveys/{draft.public_id}/").status_code == 404
    assert client.get("/surveys/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_burst_of_starts_from_one_address_is_throttled(settings, survey):
    settings.SURVEYS_PUBLIC_RATE_LIMIT = 3
    codes = [Client().post(f"/surveys/{survey.public_id}/").status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Response.objects.filter(survey=survey).count() == 3


def test_a_burst_of_submissions_from_one_address_is_throttled(settings, survey):
    settings.SURVEYS_PUBLIC_RATE_LIMIT = 100
    clients = [Client() for _ in range(3)]
    responses = [start(client, survey) for client in clients]
    for client, response in zip(clients, responses, strict=True):
        for number, data in ((1, PAGE_1), (2, PAGE_2), (3, PAGE_3)):
            client.post(page_url(response, number), data)
    settings.SURVEYS_PUBLIC_RATE_LIMIT = 1
    codes = [client.post(f"/surveys/r/{response.public_id}/review/").status_code
             for client, response in zip(clients, responses, strict=True)]  # fmt: skip
    assert codes == [302, 429, 429]
    assert Response.objects.filter(survey=survey, status="complete").count() == 1


def test_posts_without_a_csrf_token_are_refused(survey):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/surveys/{survey.public_id}/").status_code == 403
    assert not Response.objects.filter(survey=survey).exists()
    response = services.response_start(actor=None, survey=survey, channel="web")
    session = client.session
    session["surveys_responses"] = [str(response.public_id)]
    session.save()
    assert client.post(page_url(response, 1), PAGE_1).status_code == 403
    assert client.post(f"/surveys/r/{response.public_id}/review/").status_code == 403
    assert not Answer.objects.filter(response=response).exists()


def test_get_requests_change_nothing(survey, client):
    client.get(f"/surveys/{survey.public_id}/")
    assert not Response.objects.filter(survey=survey).exists()
    response = start(client, survey)
    client.get(f"/surveys/r/{response.public_id}/review/")
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_a_refused_invitation_link_does_not_write_its_token_to_the_log(confidential, caplog):
    import logging

    token = "t" * 43
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level("DEBUG", logger="django.request"):
            page = Client().post(f"/surveys/{confidential.public_id}/i/{token}/")
    finally:
        request_logger.removeHandler(caplog.handler)
    assert page.status_code == 400
    assert token not in caplog.text
