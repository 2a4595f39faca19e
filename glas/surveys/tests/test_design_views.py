"""The questionnaire designer through HTTP: who may use it, the editor with and without htmx,
tampered ids, the frozen structure in fieldwork, and bounded queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from glas.surveys import services
from glas.surveys.models import Choice, MatrixRow, Question, Section, Survey

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_for(client_for):
    """Signed-in clients that read the pages in English (the messages are asserted in English)."""

    def factory(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return factory


def url(name, survey, *args):
    return reverse(f"surveys:{name}", args=[survey.public_id, *args])


def editor(survey):
    return url("design_detail", survey)


# --- Who may use the designer ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["researcher", "admin_user"])
def test_researchers_and_administrators_open_every_designer_page(request, client_for, persona, civic_survey):
    client = client_for(request.getfixturevalue(persona))
    question = civic_survey.questions.get(variable="how")
    section = civic_survey.sections.get()
    pages = [
        reverse("surveys:design_list"),
        reverse("surveys:design_create"),
        reverse("surveys:design_import"),
        editor(civic_survey),
        url("design_settings", civic_survey),
        url("design_preview", civic_survey),
        url("design_quotas", civic_survey),
        url("design_copy_wave", civic_survey),
        url("design_transition", civic_survey, "fieldwork"),
        url("design_section_edit", civic_survey, section.pk),
        url("design_section_logic", civic_survey, section.pk),
        url("design_section_delete", civic_survey, section.pk),
        url("design_question_edit", civic_survey, question.pk),
        url("design_question_logic", civic_survey, question.pk),
        url("design_question_delete", civic_survey, question.pk),
        url("design_choices", civic_survey, question.pk),
        url("design_question_add", civic_survey, section.pk) + "?type=matrix",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert client.get(url("design_export_xlsform", civic_survey)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["citizen", "verified_resident", "advisor", "commission_member", "integrity_officer", "outsider"]
)
def test_other_people_may_neither_see_nor_change_a_questionnaire(request, client_for, persona, civic_survey):
    client = client_for(request.getfixturevalue(persona))
    question = civic_survey.questions.get(variable="how")
    section = civic_survey.sections.get()

    assert client.get(reverse("surveys:design_list")).status_code == 403
    assert client.get(editor(civic_survey)).status_code == 403
    assert client.get(url("design_export_xlsform", civic_survey)).status_code == 403
    assert client.post(reverse("surveys:design_create"), {"title": "X", "anonymity": "anonymous"}).status_code == 403
    assert client.post(url("design_question_edit", civic_survey, question.pk), {"text": "Хакнато"}).status_code == 403
    assert client.post(url("design_section_delete", civic_survey, section.pk)).status_code == 403
    assert client.post(url("design_transition", civic_survey, "fieldwork")).status_code == 403
    assert Survey.objects.count() == 1
    assert civic_survey.questions.get(variable="how").text == "Как гласувахте?"
    civic_survey.refresh_from_db()
    assert civic_survey.status == Survey.Status.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in(client, civic_survey):
    for page in (reverse("surveys:design_list"), editor(civic_survey), reverse("surveys:design_import")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_staff_home_links_to_the_designer_only_for_designers(client_for, researcher, advisor):
    link = reverse("surveys:design_list")
    assert link in client_for(researcher).get(reverse("core:staff_home")).content.decode()
    assert link not in client_for(advisor).get(reverse("core:staff_home")).content.decode()


# --- Surveys --------------------------------------------------------------------------------


def test_a_researcher_creates_a_survey_and_lands_in_its_editor(client_for, researcher):
    response = client_for(researcher).post(
        reverse("surveys:design_create"),
        {
            "title": "Доверие в общината",
            "purpose": "Годишно проучване",
            "anonymity": "confidential",
            "fieldwork_start": "2026-05-01",
            "fieldwork_end": "2026-05-31",
            "intro": "Здравейте",
            "consent_text": "Съгласявам се",
            "status": "fieldwork",
            "owner": "1",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == editor(survey)
    assert (survey.title, survey.anonymity, survey.status) == ("Доверие в общината", "confidential", "draft")
    assert survey.owner == researcher


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "anonymity": "anonymous"}, "title"),
        ({"title": "X", "anonymity": "everyone"}, "anonymity"),
        ({"title": "X" * 301, "anonymity": "anonymous"}, "title"),
        ({"title": "X\u202e", "anonymity": "anonymous"}, "title"),
        (
            {"title": "X", "anonymity": "anonymous", "fieldwork_start": "2026-05-10", "fieldwork_end": "2026-05-01"},
            "fieldwork_end",
        ),
        ({"title": "X", "anonymity": "anonymous", "fieldwork_start": "31.02.2026"}, "fieldwork_start"),
    ],
)
def test_a_bad_new_survey_is_a_field_error(client_for, researcher, data, field):
    response = client_for(researcher).post(reverse("surveys:design_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Survey.objects.exists()


def test_the_list_shows_response_counts_and_filters_by_status(client_for, researcher, civic_survey, in_fieldwork):
    draft = services.survey_create(actor=researcher, title="Втора чернова")
    client = client_for(researcher)

    everything = client.get(reverse("surveys:design_list"))
    fieldwork = client.get(reverse("surveys:design_list"), {"status": "fieldwork"})

    assert [s.pk for s in everything.context["page"].object_list] == [draft.pk, civic_survey.pk]
    assert [s.pk for s in fieldwork.context["page"].object_list] == [civic_survey.pk]
    assert fieldwork.context["page"].object_list[0].complete_count == 0


def test_an_unknown_status_filter_is_refused(client_for, researcher):
    response = client_for(researcher).get(reverse("surveys:design_list"), {"status": "<script>"})
    assert response.status_code == 400
    assert b"<script>" not in response.content


def test_the_list_needs_the_same_number_of_queries_for_few_and_many_surveys(
    client_for, researcher, django_assert_max_num_queries
):
    client = client_for(researcher)
    services.survey_create(actor=researcher, title="Първо")
    client.get(reverse("surveys:design_list"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("surveys:design_list"))
    for number in range(30):
        services.survey_create(actor=researcher, title=f"Проучване {number}")
    with django_assert_max_num_queries(8) as many:
        client.get(reverse("surveys:design_list"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_details_of_a_survey_are_changed_through_the_settings_page(client_for, researcher, survey):
    response = client_for(researcher).post(
        url("design_settings", survey), {"title": "Ново заглавие", "anonymity": "identified"}
    )
    survey.refresh_from_db()
    assert response.status_code == 302
    assert (survey.title, survey.anonymity) == ("Ново заглавие", "identified")


def test_in_fieldwork_the_settings_do_not_offer_anonymity_and_ignore_it(client_for, researcher, in_fieldwork):
    client = client_for(researcher)
    assert "anonymity" not in client.get(url("design_settings", in_fieldwork)).context["form"].fields

    client.post(url("design_settings", in_fieldwork), {"title": "Поправено", "anonymity": "identified"})

    in_fieldwork.refresh_from_db()
    assert (in_fieldwork.title, in_fieldwork.anonymity) == ("Поправено", "anonymous")


# --- The editor -----------------------------------------------------------------------------


def grow(researcher, survey, count):
    section = survey.sections.first()
    for number in range(count):
        services.question_add(
            actor=researcher,
            section=section,
            variable=f"q{number}",
            text=f"Въпрос {number}",
            type="single",
            choices=[("1", "Да"), ("2", "Не")],
            logic={"op": "equals", "var": "q0", "value": "1"} if number else None,
        )
    services.section_add(actor=researcher, survey=survey, title="Втора")


def test_the_editor_needs_the_same_number_of_queries_for_3_and_30_questions(
    client_for, researcher, make_user, django_assert_max_num_queries
):
    client = client_for(researcher)
    small = services.survey_create(actor=researcher, title="Малко")
    large = services.survey_create(actor=researcher, title="Голямо")
    grow(researcher, small, 3)
    grow(researcher, large, 30)
    client.get(editor(small))
    with django_assert_max_num_queries(12) as few:
        assert client.get(editor(small)).status_code == 200
    with django_assert_max_num_queries(12) as many:
        assert client.get(editor(large)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_preview_needs_a_bounded_number_of_queries(client_for, researcher, django_assert_max_num_queries):
    survey = services.survey_create(actor=researcher, title="Голямо")
    grow(researcher, survey, 30)
    client = client_for(researcher)
    client.get(reverse("surveys:design_list"))
    with django_assert_max_num_queries(12):
        response = client.get(url("design_preview", survey))
    assert "Shown when q0 = 1 (Да)" in response.content.decode()


def test_a_question_is_added_without_javascript_and_the_editor_shows_it(client_for, researcher, section, survey):
    client = client_for(researcher)
    add = url("design_question_add", survey, section.pk) + "?type=multiple"

    response = client.post(
        add,
        {
            "variable": "channels",
            "text": "Откъде научавате новините?",
            "required": "on",
            "min_choices": "1",
            "max_choices": "2",
            "allow_other": "on",
            "choices": "tv;Телевизия\nweb;Сайт на общината\r\nfb\tFacebook",
        },
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == editor(survey) + f"#question-{question.pk}-title"
    assert (question.type, question.required, question.allow_other, question.max_choices) == ("multiple", True, True, 2)
    assert list(question.choices.values_list("code", "label")) == [
        ("tv", "Телевизия"),
        ("web", "Сайт на общината"),
        ("fb", "Facebook"),
    ]
    assert "Откъде научавате новините?" in client.get(editor(survey)).content.decode()


def test_with_htmx_a_new_question_comes_back_as_its_section_with_focus_on_it(client_for, researcher, section, survey):
    client = client_for(researcher)
    add = url("design_question_add", survey, section.pk)

    form = client.get(add, {"type": "likert"}, **HTMX)
    response = client.post(
        add + "?type=likert", {"variable": "trust", "text": "Имам доверие", "scale_points": "7"}, **HTMX
    )

    question = Question.objects.get()
    assert form.status_code == 200
    assert "glas:focus" in form["HX-Trigger-After-Settle"]
    assert b"<html" not in form.content
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#section-{section.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert f"question-{question.pk}-title" in response["HX-Trigger-After-Settle"]
    assert b"<html" not in response.content
    assert f'id="section-{section.pk}"' in response.content.decode()
    assert question.choices.count() == 7


def test_with_htmx_a_refused_question_comes_back_as_the_form_with_status_400(client_for, researcher, section, survey):
    response = client_for(researcher).post(
        url("design_question_add", survey, section.pk) + "?type=short_text",
        {"variable": "1bad name", "text": "?"},
        **HTMX,
    )
    assert response.status_code == 400
    assert b"<html" not in response.content
    assert "variable" in response.context["form"].errors
    assert not Question.objects.exists()


@pytest.mark.parametrize("variable", ["1abc", "has space", "кирилица", "a-b", "x" * 65, "voted"])
def test_invalid_or_repeated_variable_names_are_refused(client_for, researcher, civic_survey, variable):
    section = civic_survey.sections.get()
    response = client_for(researcher).post(
        url("design_question_add", civic_survey, section.pk) + "?type=short_text", {"variable": variable, "text": "?"}
    )
    assert response.status_code == 400
    assert "variable" in response.context["form"].errors
    assert civic_survey.questions.count() == 6


@pytest.mark.parametrize("kind", ["", "python", "note'"])
def test_an_unknown_question_type_is_refused(client_for, researcher, section, survey, kind):
    response = client_for(researcher).get(url("design_question_add", survey, section.pk), {"type": kind})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("1 Yes", "Line 1"),
        ("1;Да\n;Не", "Line 2"),
        ("1;Да\n1;Не", "own code"),
        ("ключ;Да\n2;Не", "not valid"),
    ],
)
def test_badly_pasted_answers_are_reported_and_nothing_is_added(
    client_for, researcher, section, survey, choices, message
):
    response = client_for(researcher).post(
        url("design_question_add", survey, section.pk) + "?type=single",
        {"variable": "q", "text": "?", "choices": choices},
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors)
    assert not Question.objects.exists()


def test_the_question_form_offers_only_the_fields_of_its_type(client_for, researcher, section, survey):
    client = client_for(researcher)

    def fields(kind):
        return set(client.get(url("design_question_add", survey, section.pk), {"type": kind}).context["form"].fields)

    assert fields("numeric") == {
        "variable",
        "text",
        "help_text",
        "required",
        "min_value",
        "max_value",
        "decimal_places",
    }
    assert fields("scale_0_10") == {"variable", "text", "help_text", "required", "low_label", "high_label"}
    assert fields("matrix") == {"variable", "text", "help_text", "required", "randomise", "choices", "rows"}
    assert fields("note") == {"variable", "text", "help_text"}


def test_a_question_is_edited_in_place_with_htmx(client_for, researcher, civic_survey):
    question = civic_survey.questions.get(variable="age")
    client = client_for(researcher)
    edit = url("design_question_edit", civic_survey, question.pk)

    form = client.get(edit, **HTMX)
    response = client.post(
        edit,
        {"variable": "age", "text": "Възраст", "min_value": "16", "max_value": "99", "decimal_places": "0"},
        **HTMX,
    )

    question.refresh_from_db()
    assert f'id="question-{question.pk}"' in form.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#question-{question.pk}"
    assert response.content.decode().lstrip().startswith(f'<li id="question-{question.pk}"')
    assert (question.text, question.min_value) == ("Възраст", 16)


def test_a_question_edit_without_javascript_redirects_to_the_editor(client_for, researcher, civic_survey):
    question = civic_survey.questions.get(variable="comment")
    response = client_for(researcher).post(
        url("design_question_edit", civic_survey, question.pk),
        {"variable": "remark", "text": "Бележка", "max_length": "100"},
    )
    question.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{question.pk}-title")
    assert (question.variable, question.max_length) == ("remark", 100)


def test_extra_fields_such_as_type_or_survey_are_ignored_when_editing(client_for, researcher, civic_survey, make_user):
    other = services.survey_create(actor=researcher, title="Друго")
    question = civic_survey.questions.get(variable="comment")
    client_for(researcher).post(
        url("design_question_edit", civic_survey, question.pk),
        {"variable": "comment", "text": "Коментар", "type": "numeric", "survey": other.pk, "position": "99"},
    )
    question.refresh_from_db()
    assert (question.type, question.survey_id, question.position) == ("short_text", civic_survey.pk, 6)


def test_questions_move_down_and_up_within_their_section(client_for, researcher, civic_survey):
    client = client_for(researcher)
    voted = civic_survey.questions.get(variable="age")
    section = civic_survey.sections.get()

    down = client.post(url("design_question_move", civic_survey, voted.pk), {"direction": "down"}, **HTMX)
    up = client.post(url("design_question_move", civic_survey, voted.pk), {"direction": "up"})

    assert down.status_code == 200
    assert down["HX-Retarget"] == f"#section-{section.pk}"
    assert up.status_code == 302
    assert list(civic_survey.questions.order_by("position").values_list("variable", flat=True)) == [
        "voted",
        "how",
        "age",
        "sex",
        "place",
        "comment",
    ]


def test_a_move_that_would_break_the_logic_is_refused_with_its_reason(client_for, researcher, civic_survey):
    how = civic_survey.questions.get(variable="how")
    response = client_for(researcher).post(
        url("design_question_move", civic_survey, how.pk), {"direction": "up"}, **HTMX
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#design-refusal"
    assert "earlier questions" in response.content.decode()
    assert list(civic_survey.questions.order_by("position").values_list("variable", flat=True))[:2] == ["voted", "how"]


def test_without_javascript_a_refused_move_shows_the_editor_with_the_reason(client_for, researcher, civic_survey):
    how = civic_survey.questions.get(variable="how")
    response = client_for(researcher).post(url("design_question_move", civic_survey, how.pk), {"direction": "up"})
    assert response.status_code == 400
    assert "earlier questions" in response.content.decode()
    assert "<html" in response.content.decode()


def test_a_question_moves_to_another_section(client_for, researcher, civic_survey):
    second = services.section_add(actor=researcher, survey=civic_survey, title="Край")
    comment = civic_survey.questions.get(variable="comment")

    response = client_for(researcher).post(
        url("design_question_move", civic_survey, comment.pk), {"section": str(second.pk)}, **HTMX
    )

    comment.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#design-sections"
    assert (comment.section_id, comment.position) == (second.pk, 1)


def test_sections_are_added_renamed_moved_and_deleted(client_for, researcher, survey, section):
    client = client_for(researcher)

    added = client.post(url("design_section_add", survey), **HTMX)
    second = Section.objects.get(survey=survey, position=2)
    renamed = client.post(url("design_section_edit", survey, second.pk), {"title": "Демография"}, **HTMX)
    moved = client.post(url("design_section_move", survey, second.pk), {"direction": "up"})
    confirm = client.get(url("design_section_delete", survey, section.pk))
    deleted = client.post(url("design_section_delete", survey, section.pk))

    assert added.status_code == 200
    assert added["HX-Retarget"] == "#design-sections"
    assert renamed["HX-Retarget"] == f"#section-{second.pk}"
    assert "Демография" in renamed.content.decode()
    assert moved.status_code == 302
    assert confirm.status_code == 200
    assert deleted.status_code == 302
    assert list(Section.objects.filter(survey=survey).values_list("title", "position")) == [("Демография", 1)]


def test_the_last_section_cannot_be_deleted(client_for, researcher, survey, section):
    response = client_for(researcher).post(url("design_section_delete", survey, section.pk))
    assert response.status_code == 400
    assert "at least one section" in response.content.decode()
    assert Section.objects.filter(survey=survey).count() == 1


def test_a_question_is_deleted_after_confirmation(client_for, researcher, civic_survey):
    comment = civic_survey.questions.get(variable="comment")
    client = client_for(researcher)
    assert client.get(url("design_question_delete", civic_survey, comment.pk)).status_code == 200
    assert Question.objects.filter(pk=comment.pk).exists()

    response = client.post(url("design_question_delete", civic_survey, comment.pk))

    assert response.status_code == 302
    assert not Question.objects.filter(pk=comment.pk).exists()


def test_a_question_others_depend_on_cannot_be_deleted(client_for, researcher, civic_survey):
    voted = civic_survey.questions.get(variable="voted")
    response = client_for(researcher).post(url("design_question_delete", civic_survey, voted.pk))
    assert response.status_code == 400
    assert Question.objects.filter(pk=voted.pk).exists()


def test_moving_and_deleting_need_post(client_for, researcher, civic_survey):
    client = client_for(researcher)
    comment = civic_survey.questions.get(variable="comment")
    assert client.get(url("design_question_move", civic_survey, comment.pk)).status_code == 405
    assert client.get(url("design_section_add", civic_survey)).status_code == 405
    assert Question.objects.filter(pk=comment.pk).exists()


# --- Answers and matrix rows ----------------------------------------------------------------


def test_answers_are_pasted_edited_moved_and_deleted(client_for, researcher, civic_survey):
    client = client_for(researcher)
    sex = civic_survey.questions.get(variable="sex")

    pasted = client.post(url("design_choices", civic_survey, sex.pk), {"lines": "x;Друго\ny;Не казвам"}, **HTMX)
    first = sex.choices.get(code="f")
    edited = client.post(
        url("design_choice_edit", civic_survey, "choice", first.pk),
        {f"choice{first.pk}-code": "w", f"choice{first.pk}-label": "Жена (ж)"},
    )
    moved = client.post(url("design_choice_move", civic_survey, "choice", first.pk), {"direction": "down"}, **HTMX)
    deleted = client.post(url("design_choice_delete", civic_survey, "choice", sex.choices.get(code="x").pk))

    assert pasted.status_code == 200
    assert 'id="choices-editor"' in pasted.content.decode()
    assert edited.status_code == 302
    assert moved.status_code == 200
    assert deleted.status_code == 302
    assert list(sex.choices.order_by("position").values_list("code", "label")) == [
        ("m", "Мъж"),
        ("w", "Жена (ж)"),
        ("y", "Не казвам"),
    ]


def test_a_matrix_gets_rows_and_scale_points(client_for, researcher, survey, section):
    client = client_for(researcher)
    client.post(
        url("design_question_add", survey, section.pk) + "?type=matrix",
        {"variable": "trust", "text": "Доверие в", "choices": "1;Никакво\n2;Голямо", "rows": "mayor;Кмета"},
    )
    trust = Question.objects.get(variable="trust")

    response = client.post(url("design_choices", survey, trust.pk), {"kind": "row", "lines": "council;Съвета"})

    assert response.status_code == 302
    assert list(trust.rows.values_list("code", flat=True)) == ["mayor", "council"]
    assert list(trust.choices.values_list("code", flat=True)) == ["1", "2"]


def test_a_pasted_list_with_a_repeated_code_adds_nothing(client_for, researcher, civic_survey):
    sex = civic_survey.questions.get(variable="sex")
    response = client_for(researcher).post(url("design_choices", civic_survey, sex.pk), {"lines": "x;Друго\nm;Мъж"})
    assert response.status_code == 400
    assert "already used" in response.content.decode()
    assert sex.choices.count() == 2


def test_questions_without_answers_have_no_answer_editor(client_for, researcher, civic_survey):
    age = civic_survey.questions.get(variable="age")
    assert client_for(researcher).get(url("design_choices", civic_survey, age.pk)).status_code == 404


# --- Tampered ids ---------------------------------------------------------------------------


@pytest.fixture
def other_survey(researcher):
    survey = services.survey_create(actor=researcher, title="Чуждо")
    services.question_add(
        actor=researcher,
        section=survey.sections.get(),
        variable="m",
        text="Матрица",
        type="matrix",
        choices=[("1", "Да"), ("2", "Не")],
        rows=[("r", "Ред")],
    )
    return survey


def test_ids_of_another_surveys_parts_are_not_found(client_for, researcher, civic_survey, other_survey):
    client = client_for(researcher)
    question = other_survey.questions.get()
    section = other_survey.sections.get()
    choice = question.choices.first()
    row = question.rows.get()
    posts = [
        url("design_question_edit", civic_survey, question.pk),
        url("design_question_move", civic_survey, question.pk),
        url("design_question_delete", civic_survey, question.pk),
        url("design_question_logic", civic_survey, question.pk),
        url("design_choices", civic_survey, question.pk),
        url("design_section_edit", civic_survey, section.pk),
        url("design_section_move", civic_survey, section.pk),
        url("design_section_delete", civic_survey, section.pk),
        url("design_section_logic", civic_survey, section.pk),
        url("design_question_add", civic_survey, section.pk) + "?type=date",
        url("design_choice_edit", civic_survey, "choice", choice.pk),
        url("design_choice_move", civic_survey, "choice", choice.pk),
        url("design_choice_delete", civic_survey, "choice", choice.pk),
        url("design_choice_delete", civic_survey, "row", row.pk),
        url("design_choice_delete", civic_survey, "nonsense", row.pk),
        url("design_quota_targets", civic_survey, 999999),
    ]
    for post in posts:
        assert client.post(post, {"direction": "up", "title": "X", "variable": "x", "text": "X"}).status_code == 404, (
            post
        )
    assert (
        client.get(reverse("surveys:design_detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    )
    assert client.get("/surveys/design/not-a-uuid/").status_code == 404
    assert Choice.objects.filter(pk=choice.pk).exists() and MatrixRow.objects.filter(pk=row.pk).exists()
    assert Section.objects.filter(pk=section.pk).exists()


def test_moving_a_question_to_another_surveys_section_is_refused(client_for, researcher, civic_survey, other_survey):
    comment = civic_survey.questions.get(variable="comment")
    response = client_for(researcher).post(
        url("design_question_move", civic_survey, comment.pk), {"section": str(other_survey.sections.get().pk)}
    )
    comment.refresh_from_db()
    assert response.status_code == 400
    assert comment.section.survey_id == civic_survey.pk


# --- Fieldwork freezes the structure --------------------------------------------------------


def test_in_fieldwork_the_editor_offers_wording_edits_only(client_for, researcher, in_fieldwork):
    client = client_for(researcher)
    how = in_fieldwork.questions.get(variable="how")
    page = client.get(editor(in_fieldwork)).content.decode()
    form = client.get(url("design_question_edit", in_fieldwork, how.pk)).context["form"]

    assert url("design_question_edit", in_fieldwork, how.pk) in page
    assert url("design_question_delete", in_fieldwork, how.pk) not in page
    assert url("design_question_move", in_fieldwork, how.pk) not in page
    assert url("design_section_add", in_fieldwork) not in page
    assert "?type=" not in page
    assert set(form.fields) == {"text", "help_text"}


def test_in_fieldwork_wording_can_be_fixed(client_for, researcher, in_fieldwork):
    how = in_fieldwork.questions.get(variable="how")
    response = client_for(researcher).post(
        url("design_question_edit", in_fieldwork, how.pk), {"text": "Как гласувахте на изборите?", "required": ""}
    )
    how.refresh_from_db()
    assert response.status_code == 302
    assert (how.text, how.required) == ("Как гласувахте на изборите?", True)


def test_in_fieldwork_structural_changes_are_refused(client_for, researcher, in_fieldwork):
    client = client_for(researcher)
    section = in_fieldwork.sections.get()
    how = in_fieldwork.questions.get(variable="how")
    choice = how.choices.first()

    added = client.post(
        url("design_question_add", in_fieldwork, section.pk) + "?type=date", {"variable": "d", "text": "?"}
    )
    moved = client.post(url("design_question_move", in_fieldwork, how.pk), {"direction": "down"})
    deleted = client.post(url("design_question_delete", in_fieldwork, how.pk))
    recoded = client.post(
        url("design_choice_edit", in_fieldwork, "choice", choice.pk),
        {f"choice{choice.pk}-code": "zz", f"choice{choice.pk}-label": "В изборна секция"},
    )
    section_added = client.post(url("design_section_add", in_fieldwork), **HTMX)

    assert added.status_code == 400
    assert "Fieldwork has started" in added.content.decode()
    assert moved.status_code == 400
    assert deleted.status_code == 400
    assert section_added.status_code == 400
    choice.refresh_from_db()
    assert (choice.code, choice.label) == ("1", "В изборна секция")
    assert recoded.status_code == 302
    assert in_fieldwork.questions.count() == 6
    assert list(in_fieldwork.questions.order_by("position").values_list("variable", flat=True))[:2] == ["voted", "how"]


# --- Status, waves, preview, export ---------------------------------------------------------


def test_fieldwork_starts_after_confirmation(client_for, researcher, civic_survey):
    client = client_for(researcher)
    assert client.get(url("design_transition", civic_survey, "fieldwork")).status_code == 200
    civic_survey.refresh_from_db()
    assert civic_survey.status == "draft"

    response = client.post(url("design_transition", civic_survey, "fieldwork"))

    civic_survey.refresh_from_db()
    assert response.status_code == 302
    assert civic_survey.status == "fieldwork"


def test_an_empty_survey_cannot_start_fieldwork_and_says_why(client_for, researcher, survey):
    response = client_for(researcher).post(url("design_transition", survey, "fieldwork"))
    survey.refresh_from_db()
    assert response.status_code == 400
    assert "at least one question" in response.content.decode()
    assert survey.status == "draft"


@pytest.mark.parametrize("to", ["archived", "closed", "draft"])
def test_transitions_the_status_does_not_allow_are_refused(client_for, researcher, civic_survey, to):
    response = client_for(researcher).post(url("design_transition", civic_survey, to))
    civic_survey.refresh_from_db()
    assert response.status_code == 400
    assert civic_survey.status == "draft"


def test_an_unknown_status_is_not_found(client_for, researcher, civic_survey):
    assert client_for(researcher).post(url("design_transition", civic_survey, "deleted")).status_code == 404


def test_a_closed_survey_reopens(client_for, researcher, in_fieldwork):
    client = client_for(researcher)
    client.post(url("design_transition", in_fieldwork, "closed"))
    client.post(url("design_transition", in_fieldwork, "fieldwork"))
    in_fieldwork.refresh_from_db()
    assert in_fieldwork.status == "fieldwork"


def test_a_survey_is_copied_as_its_next_wave(client_for, researcher, in_fieldwork):
    response = client_for(researcher).post(url("design_copy_wave", in_fieldwork), {"title": "Вълна 2"})
    copy = Survey.objects.get(wave_of=in_fieldwork)
    assert response.status_code == 302
    assert response["Location"] == editor(copy)
    assert (copy.title, copy.wave, copy.status) == ("Вълна 2", 2, "draft")
    assert copy.questions.count() == 6


def test_the_xlsform_download_is_an_attachment(client_for, researcher, civic_survey):
    response = client_for(researcher).get(url("design_export_xlsform", civic_survey))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content[:2] == b"PK"


def test_survey_texts_are_shown_inert(client_for, researcher):
    survey = services.survey_create(actor=researcher, title="<script>alert(1)</script>")
    services.question_add(
        actor=researcher, section=survey.sections.get(), variable="q", text="<img src=x onerror=alert(1)>", type="date"
    )
    client = client_for(researcher)
    for page in (editor(survey), url("design_preview", survey), reverse("surveys:design_list")):
        content = client.get(page).content.decode()
        assert "<script>alert(1)" not in content
        assert "<img src=x" not in content
