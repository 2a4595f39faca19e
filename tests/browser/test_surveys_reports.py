"""Survey reports in the browser: the public report and the report builder pass axe-core
(WCAG 2.1 A/AA); the builder adds a part in place with htmx and works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.surveys import services
from glas.surveys.tests.report_data import build_channel_survey, text_report
from tests.browser.conftest import log_in
from tests.browser.pages import drawn_text_heights, page_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def report(site: Any, researcher: Any) -> Any:
    report = text_report(researcher, build_channel_survey(researcher))
    for spec in (
        {"kind": "frequency", "variable": "voted"},
        {"kind": "mean", "variable": "age", "by": "sex"},
        {"kind": "crosstab", "variable": "voted", "column": "sex"},
    ):
        services.block_add(actor=researcher, report=report, kind="finding", data={"spec": spec})
    return services.report_publish(actor=researcher, report=report)


def editor(report: Any) -> str:
    return f"/surveys/design/{report.survey.public_id}/reports/{report.public_id}/"


def test_the_public_report_and_the_builder_are_accessible(
    new_context: Callable[..., Any], report: Any, researcher: Any
) -> None:
    problems = []
    public = new_context(language="bg").new_page()
    response = public.goto(f"/surveys/reports/{report.slug}/")
    assert response is not None and response.status == 200
    problems += [f"report: {problem}" for problem in page_problems(public, "bg")]
    staff = new_context(language="bg").new_page()
    log_in(staff, researcher.email)
    for path in (editor(report), f"/surveys/design/{report.survey.public_id}/reports/"):
        response = staff.goto(path)
        assert response is not None and response.status == 200
        problems += [f"{path}: {problem}" for problem in page_problems(staff, "bg")]
    assert problems == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_findings_charts_text_is_readable_on_a_phone_and_a_desktop(
    new_context: Callable[..., Any], report: Any, width: int
) -> None:
    """Labels and values drawn at least at 14 px: side by side, a finding's chart scaled down to
    a phone's width drew them at 8 px."""
    page = new_context(language="bg").new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/surveys/reports/{report.slug}/")
    sizes = drawn_text_heights(page, ".finding-chart text")
    assert sizes and min(sizes) >= 14, sorted(sizes)[:5]


def test_adding_text_swaps_the_parts_in_place(new_context: Callable[..., Any], report: Any, researcher: Any) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    page.goto(editor(report))
    page.fill("#id_text-text", "Заключителен абзац.")
    page.locator("#add-text button[type=submit]").click()
    page.locator("#report-blocks", has_text="Заключителен абзац.").wait_for()
    assert page.locator("h1").count() == 1
    assert page.input_value("#id_text-text") == "", "a fresh form replaces the used one"


def test_the_builder_works_without_javascript(new_context: Callable[..., Any], report: Any, researcher: Any) -> None:
    page = new_context(language="bg", javascript=False).new_page()
    log_in(page, researcher.email)
    page.goto(editor(report))
    page.select_option("#id_finding-variable", "agree")
    page.locator("#add-finding button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#report-blocks li", has_text="agree").count() == 1
