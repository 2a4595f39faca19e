"""The questionnaire designer in a browser, in Bulgarian, as a researcher: no axe-core violation
on its pages (a questionnaire with every type of question, quotas, import with errors), and a
question added through the htmx editor with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.surveys import services
from glas.surveys.models import Question, Survey
from tests.browser.conftest import axe_violations, log_in
from tests.browser.pages import page_problems

pytestmark = pytest.mark.browser


def questionnaire(researcher: Any) -> Survey:
    """A draft with one question of every type, display logic, two sections and a quota."""
    survey = services.survey_create(
        actor=researcher, title="Гражданско участие", purpose="Базово проучване", anonymity="confidential"
    )
    section = survey.sections.get()
    add = services.question_add
    add(actor=researcher, section=section, variable="voted", text="Гласувахте ли?", type="yes_no", required=True)
    add(
        actor=researcher,
        section=section,
        variable="how",
        text="Как гласувахте?",
        type="single",
        choices=[("1", "В секция"), ("2", "По пощата")],
        allow_other=True,
        logic={"op": "equals", "var": "voted", "value": "yes"},
    )
    add(
        actor=researcher,
        section=section,
        variable="news",
        text="Откъде научавате новините?",
        type="multiple",
        choices=[("tv", "Телевизия"), ("web", "Сайт")],
        max_choices=2,
    )
    add(
        actor=researcher,
        section=section,
        variable="sex",
        text="Пол",
        type="dropdown",
        choices=[("f", "Жена"), ("m", "Мъж")],
    )
    add(actor=researcher, section=section, variable="trust", text="Имам доверие", type="likert", scale_points=5)
    add(
        actor=researcher,
        section=section,
        variable="rate",
        text="Оценете",
        type="matrix",
        choices=[("1", "Лошо"), ("2", "Добре")],
        rows=[("roads", "Пътища"), ("water", "Вода")],
    )
    add(actor=researcher, section=section, variable="age", text="Възраст", type="numeric", min_value=16, max_value=110)
    second = services.section_add(actor=researcher, survey=survey, title="Мнения")
    add(actor=researcher, section=second, variable="name", text="Име на квартала", type="short_text")
    add(actor=researcher, section=second, variable="comment", text="Коментар", type="long_text")
    add(actor=researcher, section=second, variable="moved", text="Кога се преместихте?", type="date")
    add(
        actor=researcher,
        section=second,
        variable="rank",
        text="Подредете",
        type="ranking",
        choices=[("a", "Пътища"), ("b", "Паркове")],
    )
    add(
        actor=researcher,
        section=second,
        variable="nps",
        text="Бихте ли препоръчали?",
        type="scale_0_10",
        low_label="Не",
        high_label="Да",
    )
    add(actor=researcher, section=second, variable="place", text="Къде живеете?", type="settlement")
    add(actor=researcher, section=second, variable="thanks", text="Благодарим!", type="note")
    services.quota_define(
        actor=researcher,
        survey=survey,
        name="Пол",
        variables=["sex"],
        cells=[({"sex": "f"}, 50), ({"sex": "m"}, 50)],
        closes_survey=True,
    )
    return survey


def test_the_designer_pages_are_accessible_in_bulgarian(new_context: Callable[..., Any], researcher: Any) -> None:
    survey = questionnaire(researcher)
    how = survey.questions.get(variable="how")
    rate = survey.questions.get(variable="rate")
    section = survey.sections.first()
    base = f"/surveys/design/{survey.public_id}/"
    paths = [
        "/surveys/design/",
        "/surveys/design/new/",
        "/surveys/design/import/",
        base,
        f"{base}preview/",
        f"{base}quotas/",
        f"{base}settings/",
        f"{base}copy/",
        f"{base}status/fieldwork/",
        f"{base}questions/{how.pk}/edit/",
        f"{base}questions/{how.pk}/logic/",
        f"{base}questions/{how.pk}/delete/",
        f"{base}questions/{rate.pk}/choices/",
        f"{base}sections/{section.pk}/questions/new/?type=matrix",
        f"{base}sections/{section.pk}/logic/",
        f"{base}sections/{section.pk}/delete/",
    ]
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    report = []
    for path in paths:
        response = page.goto(path)
        problems = [] if response and response.status == 200 else [f"status {response and response.status}"]
        report += [f"{path}: {problem}" for problem in problems + page_problems(page, "bg")]
    assert not report, "\n".join(report)


def test_forms_shown_with_errors_are_accessible(
    new_context: Callable[..., Any], researcher: Any, tmp_path: Any
) -> None:
    survey = questionnaire(researcher)
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    report = []

    bad = tmp_path / "въпросник.xlsx"
    bad.write_bytes(b"this is not a workbook")
    page.goto("/surveys/design/import/")
    page.set_input_files("#id_file", str(bad))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() >= 1
    assert page.evaluate("document.activeElement.id") == "error-summary"
    report += [f"import: {problem}" for problem in axe_violations(page)]

    comment = survey.questions.get(variable="comment")
    page.goto(f"/surveys/design/{survey.public_id}/questions/{comment.pk}/logic/")
    page.select_option("#id_var_0", "voted")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    report += [f"logic: {problem}" for problem in axe_violations(page)]
    assert not report, "\n".join(report)


def test_a_question_is_added_through_the_editor_with_the_keyboard_alone(
    new_context: Callable[..., Any], researcher: Any
) -> None:
    survey = services.survey_create(actor=researcher, title="Клавиатура")
    section = survey.sections.get()
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    page.goto(f"/surveys/design/{survey.public_id}/")

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("selector => document.activeElement === document.querySelector(selector)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to(f"#new-type-{section.pk}")
    position = [value for value, _label in Question.Type.choices].index("short_text")
    for _ in range(position):
        page.keyboard.press("ArrowDown")
    assert page.eval_on_selector(f"#new-type-{section.pk}", "el => el.value") == "short_text"
    tab_to(f"#section-{section.pk} .design-add-question button")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.activeElement.id === 'section-{section.pk}-new-title'")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_variable"
    page.keyboard.type("district")
    page.keyboard.press("Tab")
    page.keyboard.type("В кой квартал живеете?")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_required"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_max_length"
    page.keyboard.type("80")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('type')") == "submit"
    page.keyboard.press("Enter")

    page.wait_for_function("document.activeElement.id.startsWith('question-')")
    question = Question.objects.get(survey=survey)
    assert page.evaluate("document.activeElement.id") == f"question-{question.pk}-title"
    assert (question.variable, question.type, question.required, question.max_length) == (
        "district",
        "short_text",
        True,
        80,
    )
    assert page.locator(f"#question-{question.pk}-title").inner_text().endswith("В кой квартал живеете?")
