"""The language and larger-text switches, and signing in, work with JavaScript off; larger text
makes the text larger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.browser

ROOT_FONT_SIZE = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
BODY_FONT_SIZE = "parseFloat(getComputedStyle(document.body).fontSize)"


def submit_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_language_switch_works_without_javascript(new_context: Callable[..., Any]) -> None:
    page = new_context(language="bg", javascript=False).new_page()
    page.goto("/rules/")
    assert page.evaluate("typeof window.htmx") == "undefined", "the page's scripts ran"
    assert page.evaluate("document.documentElement.lang") == "bg"
    submit_and_wait(page, "header button[name=language][value=en]")
    assert page.url.endswith("/rules/")
    assert page.evaluate("document.documentElement.lang") == "en"
    submit_and_wait(page, "header button[name=language][value=bg]")
    assert page.evaluate("document.documentElement.lang") == "bg"


def test_larger_text_switch_works_without_javascript(new_context: Callable[..., Any]) -> None:
    page = new_context(javascript=False).new_page()
    page.goto("/accessibility/")
    normal = page.evaluate(ROOT_FONT_SIZE)
    submit_and_wait(page, "header button[name=size][value=large]")
    assert page.url.endswith("/accessibility/")
    assert page.evaluate(ROOT_FONT_SIZE) > normal
    submit_and_wait(page, "header button[name=size][value=normal]")
    assert page.evaluate(ROOT_FONT_SIZE) == normal


def test_login_works_without_javascript(new_context: Callable[..., Any], citizen: Any) -> None:
    page = new_context(javascript=False).new_page()
    page.goto("/accounts/login/")
    page.fill("#id_login", citizen.email)
    page.fill("#id_password", PASSWORD)
    submit_and_wait(page, "main form button[type=submit]")
    assert page.url.endswith("/me/"), page.url
    assert citizen.email in page.locator("main").inner_text()


def test_larger_text_makes_the_root_and_body_text_larger(new_context: Callable[..., Any]) -> None:
    page = new_context().new_page()
    page.goto("/")
    root, body = page.evaluate(ROOT_FONT_SIZE), page.evaluate(BODY_FONT_SIZE)
    submit_and_wait(page, "header button[name=size][value=large]")
    assert page.evaluate(ROOT_FONT_SIZE) >= root * 1.2
    assert page.evaluate(BODY_FONT_SIZE) >= body * 1.2
    page.goto("/rules/")
    assert page.evaluate(ROOT_FONT_SIZE) >= root * 1.2, "the larger text is not remembered"
