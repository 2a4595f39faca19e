"""The coding pages through HTTP: without JavaScript (forms and redirects) and with htmx (the
answer coded in place), bulk coding, suggestions, agreement, permissions and query bounds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glas.surveys import services
from glas.surveys.models import CodedAnswer, CodeFrame
from glas.surveys.tests.coding_data import answers_of, build_open_survey, frame_with_codes, question
from glas.surveys.tests.results_data import submit

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def open_survey(researcher, kresna):
    return build_open_survey(researcher)


@pytest.fixture
def frame(researcher, open_survey):
    return frame_with_codes(researcher, open_survey)


def url(name, survey, frame_or_question, *args):
    question_id = getattr(frame_or_question, "question_id", None) or frame_or_question.pk
    return reverse(f"surveys:{name}", args=[survey.public_id, question_id, *args])


def code_of(frame, value):
    return frame.codes.get(value=value)


def test_the_questionnaire_links_to_coding_and_the_index_lists_open_questions(client_for, researcher, open_survey):
    client = client_for(researcher)
    detail = client.get(reverse("surveys:design_detail", args=[open_survey.public_id])).content.decode()
    index_url = reverse("surveys:coding_index", args=[open_survey.public_id])
    assert index_url in detail

    page = client.get(index_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Какво да се промени?" in content and "Откъде научавате новините?" in content
    assert [question.to_code for question in page.context["questions"]] == [6, 3]
    assert page["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("persona", ["advisor", "citizen", "outsider"])
def test_people_who_may_not_code_get_403_and_see_no_answers(client_for, request, open_survey, frame, persona):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(url("coding_question", open_survey, frame))
    posted = client.post(
        url("coding_code", open_survey, frame),
        {"answers": [answers_of(open_survey)[0].pk], "code": code_of(frame, 1).pk},
    )
    assert page.status_code == 403 and posted.status_code == 403
    assert "Фейсбук" not in page.content.decode()
    assert not CodedAnswer.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, open_survey, frame):
    assert client.get(url("coding_question", open_survey, frame)).status_code == 302


def test_a_question_without_open_text_is_not_found(client_for, researcher, kresna):
    survey = services.survey_create(actor=researcher, title="Затворен")
    services.question_add(actor=researcher, section=survey.sections.get(), variable="n", text="Брой", type="numeric")
    response = client_for(researcher).get(url("coding_question", survey, question(survey, "n")))
    assert response.status_code == 404


def test_a_researcher_creates_a_frame_and_adds_codes_without_javascript(client_for, researcher, open_survey):
    client = client_for(researcher)
    target = question(open_survey)
    first = client.get(url("coding_question", open_survey, target))
    assert "Create the code frame" in first.content.decode()

    created = client.post(url("coding_frame", open_survey, target), {"name": "Теми", "description": ""})
    assert created.status_code == 302
    added = client.post(url("coding_code_add", open_survey, target), {"value": "7", "label": "Вода"})
    assert added.status_code == 302

    frame = CodeFrame.objects.get(question=target)
    assert [(code.value, code.label) for code in frame.codes.all()] == [(7, "Вода")]


def test_bad_frame_and_code_forms_get_400_with_the_error(client_for, researcher, open_survey, frame):
    client = client_for(researcher)
    empty = client.post(url("coding_frame", open_survey, frame), {"name": ""})
    taken = client.post(url("coding_code_add", open_survey, frame), {"value": "1", "label": "Пак"})
    not_number = client.post(url("coding_code_add", open_survey, frame), {"value": "едно", "label": "Пак"})

    assert empty.status_code == taken.status_code == not_number.status_code == 400
    assert "This frame has a code with this number already." in taken.content.decode()


def test_the_coding_page_shows_answers_with_number_keys(client_for, researcher, open_survey, frame):
    page = client_for(researcher).get(url("coding_question", open_survey, frame))
    content = page.content.decode()

    assert page.status_code == 200
    assert "Повече информация във Фейсбук навреме." in content
    assert "<kbd>1</kbd> Информация" in content and 'data-key="3"' in content
    assert 'form="bulk-form"' in content


def test_coding_one_answer_without_javascript_returns_to_the_page_at_the_next_answer(
    client_for, researcher, open_survey, frame
):
    first, second = answers_of(open_survey)[:2]
    response = client_for(researcher).post(
        url("coding_code", open_survey, frame),
        {"answers": [first.pk], "code": code_of(frame, 2).pk, "next": second.pk, "show": "uncoded"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"?show=uncoded#answer-{second.pk}")
    assert CodedAnswer.objects.get(answer=first).code.value == 2


def test_coding_with_htmx_returns_the_answer_coded_in_place(client_for, researcher, open_survey, frame):
    first = answers_of(open_survey)[0]
    response = client_for(researcher).post(
        url("coding_code", open_survey, frame), {"answers": [first.pk], "code": code_of(frame, 1).pk}, **HTMX
    )
    content = response.content.decode()

    assert response.status_code == 200
    assert content.lstrip().startswith(f'<li class="coding-answer" id="answer-{first.pk}"')
    assert "data-coded" in content and "<html" not in content
    assert "1 Информация" in content


def test_an_htmx_coding_with_a_foreign_code_gets_400_in_place(client_for, researcher, open_survey, frame):
    other = frame_with_codes(researcher, open_survey, variable="source")
    first = answers_of(open_survey)[0]
    response = client_for(researcher).post(
        url("coding_code", open_survey, frame), {"answers": [first.pk], "code": code_of(other, 1).pk}, **HTMX
    )
    assert response.status_code == 400
    assert "Choose a code." in response.content.decode()
    assert not CodedAnswer.objects.exists()


def test_bulk_coding_the_chosen_answers(client_for, researcher, open_survey, frame):
    chosen = [answer.pk for answer in answers_of(open_survey)[:4]]
    response = client_for(researcher).post(
        url("coding_code", open_survey, frame), {"answers": chosen, "code": code_of(frame, 3).pk}, follow=True
    )
    assert response.status_code == 200
    assert "4 answers got the code." in response.content.decode()
    assert CodedAnswer.objects.filter(code__value=3).count() == 4


def test_bulk_coding_with_a_tampered_answer_id_changes_nothing(client_for, researcher, open_survey, frame):
    foreign = answers_of(build_open_survey(researcher, title="Чуждо"))[0].pk
    chosen = [answers_of(open_survey)[0].pk, foreign]
    response = client_for(researcher).post(
        url("coding_code", open_survey, frame), {"answers": chosen, "code": code_of(frame, 1).pk}
    )
    assert response.status_code == 400
    assert "not open answers to this question" in response.content.decode()
    assert not CodedAnswer.objects.exists()


def test_nothing_chosen_or_no_code_gets_400(client_for, researcher, open_survey, frame):
    client = client_for(researcher)
    nothing = client.post(url("coding_code", open_survey, frame), {"code": code_of(frame, 1).pk})
    no_code = client.post(url("coding_code", open_survey, frame), {"answers": [answers_of(open_survey)[0].pk]})
    assert nothing.status_code == no_code.status_code == 400


def test_the_filters_show_uncoded_coded_and_disagreements(client_for, researcher, admin_user, open_survey, frame):
    answers = answers_of(open_survey)
    services.answers_code_bulk(
        actor=researcher, frame=frame, answer_ids=[answers[0].pk, answers[1].pk], code=code_of(frame, 1)
    )
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[answers[0].pk], code=code_of(frame, 2))
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[answers[1].pk], code=code_of(frame, 1))
    client = client_for(researcher)

    def shown(**params):
        content = client.get(url("coding_question", open_survey, frame), params).content.decode()
        return [answer.pk for answer in answers if f'id="answer-{answer.pk}"' in content]

    assert shown(show="uncoded") == [answer.pk for answer in answers[2:]]
    assert shown(show="coded") == [answers[0].pk, answers[1].pk]
    assert shown(show="disagreements") == [answers[0].pk]
    assert shown(q="фейсбук") == [answers[0].pk], "search ignores case, also in Cyrillic"
    assert shown(show="nonsense") == [answer.pk for answer in answers]


def test_uncoding_and_adjudicating_through_the_page(client_for, researcher, admin_user, open_survey, frame):
    first = answers_of(open_survey)[0]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[first.pk], code=code_of(frame, 1))
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[first.pk], code=code_of(frame, 2))
    client = client_for(researcher)

    page = client.get(url("coding_question", open_survey, frame), {"show": "disagreements"}).content.decode()
    assert "the coders disagree" in page and "Settle the final code" in page

    settled = client.post(
        url("coding_adjudicate", open_survey, frame), {"answer": first.pk, "codes": [code_of(frame, 2).pk]}, **HTMX
    )
    assert settled.status_code == 200 and "(adjudicated)" in settled.content.decode()
    assert CodedAnswer.objects.get(answer=first, adjudicated=True).code.value == 2

    removed = client.post(url("coding_uncode", open_survey, frame), {"answer": first.pk, "code": code_of(frame, 1).pk})
    assert removed.status_code == 302
    assert not CodedAnswer.objects.filter(answer=first, coder=researcher, adjudicated=False).exists()


def test_editing_and_deleting_codes(client_for, researcher, open_survey, frame):
    client = client_for(researcher)
    one, two = code_of(frame, 1), code_of(frame, 2)
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[answers_of(open_survey)[0].pk], code=one)

    edited = client.post(
        url("coding_code_edit", open_survey, frame, one.pk),
        {"value": "11", "label": "Информираност", "description": "", "position": "1"},
    )
    refused = client.post(url("coding_code_delete", open_survey, frame, one.pk), {"reassign_to": ""})
    confirm = client.get(url("coding_code_delete", open_survey, frame, one.pk))
    deleted = client.post(url("coding_code_delete", open_survey, frame, one.pk), {"reassign_to": two.pk})

    assert edited.status_code == 302
    assert refused.status_code == 400 and "Answers have this code" in refused.content.decode()
    assert "This code was given 1 time." in confirm.content.decode()
    assert deleted.status_code == 302
    assert [code.value for code in frame.codes.all()] == [2, 3]
    assert CodedAnswer.objects.get().code == two


def test_a_code_of_another_question_cannot_be_edited_through_this_one(client_for, researcher, open_survey, frame):
    other = frame_with_codes(researcher, open_survey, variable="source")
    response = client_for(researcher).get(url("coding_code_edit", open_survey, frame, code_of(other, 1).pk))
    assert response.status_code == 404


def test_suggestions_group_the_uncoded_answers_and_a_group_can_be_coded(client_for, researcher, open_survey, frame):
    client = client_for(researcher)
    page = client.get(url("coding_suggest", open_survey, frame))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Group 1:" in content and "Telling words:" in content

    members = [int(pk) for pk in page.context["groups"][0][0].answer_ids]
    assert f'name="answer_list" value="{",".join(map(str, members))}"' in content
    coded = client.post(
        url("coding_code", open_survey, frame),
        {"answer_list": ",".join(map(str, members)), "code": code_of(frame, 1).pk, "back": "suggestions"},
    )
    assert coded.status_code == 302 and coded["Location"] == url("coding_suggest", open_survey, frame)
    assert CodedAnswer.objects.filter(answer_id__in=members).count() == len(members)


def test_the_agreement_page_shows_kappa_between_the_primary_and_the_second_coder(
    client_for, researcher, admin_user, open_survey, frame
):
    answers = answers_of(open_survey)
    services.answers_code_bulk(
        actor=researcher, frame=frame, answer_ids=[a.pk for a in answers[:3]], code=code_of(frame, 1)
    )
    services.answers_code_bulk(
        actor=researcher, frame=frame, answer_ids=[a.pk for a in answers[3:]], code=code_of(frame, 2)
    )
    services.answers_code_bulk(
        actor=admin_user, frame=frame, answer_ids=[a.pk for a in answers[:3]], code=code_of(frame, 1)
    )
    services.answers_code_bulk(
        actor=admin_user, frame=frame, answer_ids=[a.pk for a in answers[3:]], code=code_of(frame, 2)
    )

    content = client_for(researcher).get(url("coding_agreement", open_survey, frame)).content.decode()

    assert "Answers both coded" in content
    assert "1.000" in content and "almost perfect agreement" in content


def test_the_coding_page_takes_a_bounded_number_of_queries(
    client_for, researcher, admin_user, open_survey, frame, django_assert_max_num_queries
):
    client = client_for(researcher)

    def code_all_twice():
        every = [answer.pk for answer in answers_of(open_survey)]
        services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=every, code=code_of(frame, 1))
        services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=every[:3], code=code_of(frame, 2))

    code_all_twice()
    with django_assert_max_num_queries(25) as few:
        client.get(url("coding_question", open_survey, frame), {"show": "all"})
    for index in range(30):
        submit(open_survey, {"idea": f"Още едно предложение {index}"})
    code_all_twice()
    with django_assert_max_num_queries(25) as many:
        client.get(url("coding_question", open_survey, frame), {"show": "all"})
    with django_assert_max_num_queries(25):
        client.get(url("coding_question", open_survey, frame), {"show": "disagreements", "q": "още"})
    assert len(many) == len(few)
