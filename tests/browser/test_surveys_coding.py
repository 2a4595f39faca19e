"""The coding pages in a browser, as a researcher: no axe-core violation on the answers page,
the suggestions and the agreement page; a number key codes the focused answer in place (htmx)
and focus moves on to the next answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.surveys import services
from glas.surveys.models import CodedAnswer, CodeFrame, Survey
from glas.surveys.tests.coding_data import answers_of, build_open_survey, frame_with_codes
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coded_survey(researcher: Any, admin_user: Any) -> Survey:
    survey = build_open_survey(researcher)
    frame = frame_with_codes(researcher, survey)
    first = answers_of(survey)[0]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[first.pk], code=frame.codes.get(value=1))
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[first.pk], code=frame.codes.get(value=2))
    return survey


def test_the_coding_pages_are_accessible(
    new_context: Callable[..., Any], researcher: Any, coded_survey: Survey
) -> None:
    frame = CodeFrame.objects.get(question__survey=coded_survey)
    base = f"/surveys/design/{coded_survey.public_id}/coding/"
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    for path in (
        base,
        f"{base}{frame.question_id}/",
        f"{base}{frame.question_id}/?show=disagreements",
        f"{base}{frame.question_id}/suggestions/",
        f"{base}{frame.question_id}/agreement/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1
        violations = axe_violations(page)
        assert not violations, "\n".join(violations)


def test_a_number_key_codes_the_focused_answer_and_focus_moves_on(
    new_context: Callable[..., Any], researcher: Any, coded_survey: Survey
) -> None:
    frame = CodeFrame.objects.get(question__survey=coded_survey)
    second, third = answers_of(coded_survey)[1:3]
    page = new_context(language="en").new_page()
    log_in(page, researcher.email)
    page.goto(f"/surveys/design/{coded_survey.public_id}/coding/{frame.question_id}/")

    page.locator(f"#answer-{second.pk} .coding-keys button").first.focus()
    page.keyboard.press("3")
    page.locator(f"#answer-{second.pk}[data-coded]").wait_for()

    assert CodedAnswer.objects.get(answer=second, coder=researcher).code.value == 3
    focused = page.evaluate("document.activeElement.closest('.coding-answer').id")
    assert focused == f"answer-{third.pk}"
