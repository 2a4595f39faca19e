"""Consultations in the browser: the public page with comments, a wording compared with the
draft and a hidden comment; the form with its errors; the справка; the staff page. Each passes
axe-core (WCAG 2.1 A/AA) with one h1 and a working skip link, and works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.consultations.demo import ORDINANCE_TITLE, PROGRAMME_TITLE, seed_consultations
from glas.consultations.models import Draft
from tests.browser.conftest import log_in
from tests.browser.pages import page_problems
from tests.browser.test_forms_with_errors import assert_error_summary_leads_to

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(site: Any) -> dict[str, Draft]:
    from glas.accounts.demo import seed_personas

    seed_personas(lambda text: None)
    seed_consultations(lambda text: None)
    return {
        "open": Draft.objects.get(title=ORDINANCE_TITLE),
        "closed": Draft.objects.get(title=PROGRAMME_TITLE),
    }


def test_the_public_pages_are_accessible_in_bulgarian(new_context: Callable[..., Any], demo: dict[str, Draft]) -> None:
    page = new_context(language="bg").new_page()
    report = []
    for path in (
        "/consultations/",
        f"/consultations/{demo['open'].public_id}/",
        f"/consultations/{demo['open'].public_id}/contribute/",
        f"/consultations/{demo['closed'].public_id}/report/",
        f"/consultations/{demo['closed'].public_id}/timeline/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []


def test_the_form_with_errors_is_accessible_and_works_without_javascript(
    new_context: Callable[..., Any], demo: dict[str, Draft]
) -> None:
    for javascript in (False, True):
        page = new_context(language="bg", javascript=javascript).new_page()
        page.goto(f"/consultations/{demo['open'].public_id}/contribute/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").count() == 1
    # Without an account: the name and e-mail are asked for, with the comment.
    assert_error_summary_leads_to(page, ["id_name", "id_email"])


def test_the_staff_pages_are_accessible(
    new_context: Callable[..., Any], demo: dict[str, Draft], council_secretary: Any
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, council_secretary.email)
    report = []
    for path in (
        "/consultations/staff/",
        f"/consultations/staff/{demo['open'].public_id}/",
        f"/consultations/staff/{demo['open'].public_id}/proposals/",
        f"/consultations/staff/{demo['open'].public_id}/enter/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []
