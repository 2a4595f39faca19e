"""Survey results in the browser: the public results page (Bulgarian, anonymous) and the
researchers' data page pass axe-core (WCAG 2.1 A/AA) with one h1 and a working skip link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.surveys import services
from glas.surveys.tests.results_data import build_rich_survey, fill
from tests.browser.conftest import log_in
from tests.browser.pages import drawn_text_heights, page_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def published(site: Any, researcher: Any) -> Any:
    survey = fill(build_rich_survey(researcher))
    return services.survey_results_publish(actor=researcher, survey=survey, published=True)


def test_the_public_results_page_is_accessible_to_anyone_in_bulgarian(
    new_context: Callable[..., Any], published: Any
) -> None:
    page = new_context(language="bg").new_page()
    response = page.goto(f"/surveys/{published.public_id}/results/")

    assert response is not None and response.status == 200
    assert page.locator("svg[role=img]").count() >= 5
    assert page_problems(page, "bg") == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_charts_text_is_readable_on_a_phone_and_a_desktop(
    new_context: Callable[..., Any], published: Any, width: int
) -> None:
    """The charts' labels and values are drawn at least at 14 px: a chart scaled down to a
    phone's width once drew them at 9 px."""
    page = new_context(language="bg").new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/surveys/{published.public_id}/results/")
    sizes = drawn_text_heights(page, ".result-chart text")
    assert sizes and min(sizes) >= 14, sorted(sizes)[:5]


def test_the_results_page_works_without_javascript(new_context: Callable[..., Any], published: Any) -> None:
    page = new_context(language="bg", javascript=False).new_page()
    page.goto(f"/surveys/{published.public_id}/results/")
    assert page.locator("table").count() >= 5


def test_the_data_page_and_codebook_are_accessible_to_a_researcher(
    new_context: Callable[..., Any], published: Any, researcher: Any
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    report = []
    for path in (
        f"/surveys/design/{published.public_id}/data/",
        f"/surveys/design/{published.public_id}/data/codebook/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []
