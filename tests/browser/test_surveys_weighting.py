"""Weighting and analysis in the browser: the researcher's weighting and analysis pages and the
weighted public results pass axe-core (WCAG 2.1 A/AA); the analysis form swaps only its result
with htmx and works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.surveys import services
from glas.surveys.tests.weighting_data import CENSUS, SEX, build_weighting_survey
from tests.browser.conftest import log_in
from tests.browser.pages import page_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def weighted(site: Any, researcher: Any) -> Any:
    survey = build_weighting_survey(researcher, respondents=60)
    services.survey_weighting_set(
        actor=researcher,
        survey=survey,
        method="rake",
        margins={"place": CENSUS, "sex": SEX},
        margins_source="НСИ, Преброяване 2011",
    )
    return services.survey_results_publish(actor=researcher, survey=survey, published=True)


def test_weighting_analysis_and_weighted_results_pages_are_accessible(
    new_context: Callable[..., Any], weighted: Any, researcher: Any
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    report = []
    for path in (
        f"/surveys/design/{weighted.public_id}/weighting/",
        f"/surveys/design/{weighted.public_id}/analysis/?variable=place&column=sex",
        f"/surveys/design/{weighted.public_id}/analysis/?variable=happy&by=place",
        f"/surveys/{weighted.public_id}/results/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []


def test_the_analysis_form_swaps_only_the_result(
    new_context: Callable[..., Any], weighted: Any, researcher: Any
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    page.goto(f"/surveys/design/{weighted.public_id}/analysis/")
    page.select_option("select[name=variable]", "trust")
    page.select_option("select[name=by]", "sex")
    page.locator("main form button[type=submit]").click()
    page.locator("#analysis-result table").wait_for()
    assert "variable=trust" in page.url and page.locator("h1").count() == 1


def test_the_analysis_form_works_without_javascript(
    new_context: Callable[..., Any], weighted: Any, researcher: Any
) -> None:
    page = new_context(language="bg", javascript=False).new_page()
    log_in(page, researcher.email)
    page.goto(f"/surveys/design/{weighted.public_id}/analysis/")
    page.select_option("select[name=variable]", "happy")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#analysis-result table").count() == 1
