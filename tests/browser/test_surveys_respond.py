"""Answering a survey and entering a paper questionnaire in a real browser, in Bulgarian: no
axe-core violation (WCAG 2.1 A/AA) on the start page, a page with every question type (also
when it shows errors), the review and the thank-you page, and the advisor's entry pages; the
display logic hides a dependent question live."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.surveys.tests.respond_helpers import every_type_survey
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def fill_first_page(page: Any) -> None:
    page.check("input[name=voted][value=yes]")
    page.check("input[name=how][value='2']")
    page.fill("#q-age", "40")
    page.select_option("#q-place", "kresna")


def fill_second_page(page: Any) -> None:
    page.check("input[name=trust][value='4']")
    page.check("input[name=sat][value='7']")
    page.check("input[name=topics][value=roads]")
    page.select_option("#q-channel", "web")
    page.check("input[name='services--bus'][value='3']")
    page.check("input[name='services--clinic'][value='1']")
    page.select_option("#q-priority--1", "b")
    page.select_option("#q-priority--2", "a")
    page.select_option("#q-priority--3", "c")


def test_a_resident_answers_in_bulgarian_without_accessibility_problems(
    new_context: Callable[..., Any], researcher: Any
) -> None:
    survey = every_type_survey(researcher)
    page = new_context(language="bg").new_page()
    page.goto(f"/surveys/{survey.public_id}/")
    assert axe_violations(page) == []
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/page/1/")
    assert axe_violations(page) == []
    fill_first_page(page)
    page.click("button[value=next]")
    page.wait_for_url("**/page/2/")
    assert axe_violations(page) == []
    page.check("input[name=topics][value=water]")
    page.check("input[name=topics][value=roads]")
    page.check("input[name=topics][value=jobs]")  # three: more than the two allowed
    page.click("button[value=next]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert axe_violations(page) == []
    fill_second_page(page)
    page.uncheck("input[name=topics][value=jobs]")
    page.click("button[value=next]")
    page.wait_for_url("**/page/3/")
    assert axe_violations(page) == []
    page.fill("#q-comment", "Добре е")
    page.click("button[value=next]")
    page.wait_for_url("**/review/")
    assert axe_violations(page) == []
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/done/")
    assert axe_violations(page) == []


def test_answering_no_hides_the_dependent_question_live(new_context: Callable[..., Any], researcher: Any) -> None:
    survey = every_type_survey(researcher)
    page = new_context(language="bg").new_page()
    page.goto(f"/surveys/{survey.public_id}/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/page/1/")
    how = page.locator("#q-how-block")
    assert not how.is_visible()
    page.check("input[name=voted][value=yes]")
    assert how.is_visible()
    page.check("input[name=voted][value=no]")
    assert not how.is_visible()


def test_without_javascript_every_question_of_the_page_is_shown(
    new_context: Callable[..., Any], researcher: Any
) -> None:
    survey = every_type_survey(researcher)
    page = new_context(language="bg", javascript=False).new_page()
    page.goto(f"/surveys/{survey.public_id}/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/page/1/")
    assert page.locator("#q-how-block").is_visible()


def test_an_advisor_enters_a_paper_questionnaire_without_accessibility_problems(
    new_context: Callable[..., Any], researcher: Any, advisor: Any
) -> None:
    survey = every_type_survey(researcher)
    page = new_context(language="bg").new_page()
    log_in(page, advisor.email)
    page.goto("/surveys/entry/")
    assert axe_violations(page) == []
    page.goto(f"/surveys/entry/{survey.public_id}/new/")
    assert axe_violations(page) == []
    page.fill("#id_paper_ref", "101")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/entry/r/**/page/1/")
    assert axe_violations(page) == []
    fill_first_page(page)
    fill_second_page(page)
    page.click("button[value=next]")
    page.wait_for_url("**/review/")
    assert axe_violations(page) == []


def test_an_invitation_link_starts_the_questionnaire_in_the_browser(
    new_context: Callable[..., Any], researcher: Any
) -> None:
    """The invitation's start page keeps its link from other sites, not from this one: with
    "no-referrer" the browser sent "Origin: null" and the CSRF check refused the start button."""
    from glas.surveys import services
    from glas.surveys.models import Response

    survey = every_type_survey(researcher, anonymity="confidential")
    _invitation, token = services.invitation_create(actor=researcher, survey=survey)
    page = new_context(language="bg").new_page()
    response = page.goto(f"/surveys/{survey.public_id}/i/{token}/")
    assert response is not None and response.headers["referrer-policy"] == "same-origin"
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/page/1/")
    assert axe_violations(page) == []
    assert Response.objects.filter(survey=survey, channel=Response.Channel.INVITATION).count() == 1
