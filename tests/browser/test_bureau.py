"""The citizens' bureau in the browser: public pages, the request form with errors, the follow
page and the advisors' pages pass axe-core (WCAG 2.1 A/AA) with one h1 and a working skip link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.bureau import services
from glas.bureau.tests.conftest import make_request
from tests.browser.conftest import log_in
from tests.browser.pages import page_problems
from tests.browser.test_forms_with_errors import assert_error_summary_leads_to

pytestmark = pytest.mark.browser


@pytest.fixture
def case_and_link(site: Any, advisor: Any) -> tuple[Any, str]:
    case, token = services.case_register(actor=advisor, request=make_request(), channel="walk_in")
    services.case_reply(actor=advisor, case=case, body="Отговор <b>с маркировка</b>.", idempotency_key=None)
    return case, f"/bureau/follow/{case.reference}/{token}/"


def test_the_public_bureau_pages_are_accessible(new_context: Callable[..., Any], case_and_link: Any) -> None:
    page = new_context(language="bg").new_page()
    report = []
    for path in (
        "/bureau/",
        "/bureau/ask/",
        "/bureau/kb/",
        "/bureau/appointments/",
        "/bureau/statistics/",
        case_and_link[1],
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []


def test_the_request_form_with_errors_is_accessible(new_context: Callable[..., Any], site: Any) -> None:
    page = new_context(language="bg").new_page()
    page.goto("/bureau/ask/")
    page.locator("main button[type=submit].button-primary").click()
    page.wait_for_load_state()
    assert_error_summary_leads_to(page, ["id_kind_0", "id_subject", "id_description"])


def test_the_request_form_works_without_javascript(new_context: Callable[..., Any], site: Any) -> None:
    page = new_context(language="bg", javascript=False).new_page()
    page.goto("/bureau/ask/")
    page.locator("main button[type=submit].button-primary").click()
    assert page.locator("#error-summary").count() == 1


def test_the_advisor_pages_are_accessible(new_context: Callable[..., Any], case_and_link: Any, advisor: Any) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, advisor.email)
    report = []
    case = case_and_link[0]
    for path in (
        "/bureau/cases/",
        "/bureau/cases/new/",
        f"/bureau/cases/{case.reference}/",
        "/bureau/kb/manage/",
        "/bureau/appointments/manage/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []
