"""Consultative Commission pages in the browser: the public record and the meeting workspace
pass axe-core (WCAG 2.1 A/AA) in both languages, with one h1 and a working skip link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.accounts.roles import Role
from glas.commission.tests.commission_data import published_opinion
from tests.browser.conftest import log_in
from tests.browser.pages import page_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def opinion(site: Any, commission_member: Any, council_secretary: Any, make_user: Callable[..., Any]) -> Any:
    others = [make_user(f"expert{n}@example.org", roles=[Role.COMMISSION_MEMBER]) for n in range(2)]
    return published_opinion(council_secretary, [commission_member, *others])


@pytest.mark.parametrize("language", ["bg", "en"])
def test_the_public_commission_pages_are_accessible(
    new_context: Callable[..., Any], opinion: Any, language: str
) -> None:
    page = new_context(language=language).new_page()
    report = []
    for path in (
        "/commission/",
        f"/commission/meetings/{opinion.item.meeting.public_id}/",
        f"/commission/opinions/{opinion.public_id}/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200
        report += [f"{path}: {problem}" for problem in page_problems(page, language)]
    assert report == []


def test_the_workspace_and_secretariat_are_accessible(
    new_context: Callable[..., Any], opinion: Any, council_secretary: Any
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, council_secretary.email)
    report = []
    for path in (f"/commission/work/{opinion.item.meeting.public_id}/", "/commission/manage/"):
        response = page.goto(path)
        assert response is not None and response.status == 200
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []
