"""Integrity pages in the browser: the reporter's pages and the officer's inbox pass axe-core
(WCAG 2.1 A/AA) in both languages, and a tip can be filed without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.integrity import services
from tests.browser.conftest import log_in
from tests.browser.pages import page_problems

pytestmark = pytest.mark.browser
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def officer(site: Any, integrity_officer: Any) -> Any:
    officer = services.officer_enrol(actor=integrity_officer, passphrase=PASSPHRASE, repeat=PASSPHRASE)
    services.report_submit(kind="tip", context="corruption", description="Подкуп")
    return officer


@pytest.mark.parametrize("language", ["bg", "en"])
def test_the_reporter_pages_are_accessible(new_context: Callable[..., Any], officer: Any, language: str) -> None:
    page = new_context(language=language).new_page()
    report = []
    for path in ("/integrity/", "/integrity/report/tip/", "/integrity/report/signal/", "/integrity/follow/"):
        response = page.goto(path)
        assert response is not None and response.status == 200
        report += [f"{path}: {problem}" for problem in page_problems(page, language)]
    assert report == []


def test_a_tip_is_filed_without_javascript_and_the_receipt_is_shown(
    new_context: Callable[..., Any], officer: Any
) -> None:
    page = new_context(language="en", javascript=False).new_page()
    page.goto("/integrity/report/tip/")
    page.get_by_label("corruption").check()
    page.get_by_label("What happened?").fill("Общински имот се ползва безплатно от роднина на служител.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.get_by_role("heading", name="Your receipt code").is_visible()


def test_the_officer_pages_are_accessible(new_context: Callable[..., Any], officer: Any) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, officer.user.email)
    page.goto("/integrity/officers/keys/")
    page.locator("#id_passphrase").fill(PASSPHRASE)
    # Each click waits for the page it opens: reading a page still loading fails at random.
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    report = []
    for path in ("/integrity/officers/reports/", "/integrity/officers/register/", "/integrity/officers/statistics/"):
        response = page.goto(path)
        assert response is not None and response.status == 200
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    page.goto("/integrity/officers/reports/")
    with page.expect_navigation():
        page.locator("tbody a").first.click()
    report += [f"report: {problem}" for problem in page_problems(page, "bg")]
    assert report == []
