"""The council registry in the browser: the public pages (Bulgarian and English, anonymous)
and the staff pages pass axe-core (WCAG 2.1 A/AA) with one h1 and a working skip link; the
roll call is recorded with the keyboard alone, and the pages work without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glas.council import services
from glas.council.demo import seed_council
from glas.council.models import Councillor, Decision, Session, Vote
from tests.browser.conftest import log_in
from tests.browser.pages import page_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def council(site: Any, council_secretary: Any) -> Any:
    seed_council(lambda _message: None, actor=council_secretary)
    return Decision.objects.get(number=310)


def test_the_public_pages_are_accessible_in_both_languages(new_context: Callable[..., Any], council: Any) -> None:
    session = Session.objects.get(number=17)
    councillor = Councillor.objects.get(name="Ана Примерова")
    report = []
    for language in ("bg", "en"):
        page = new_context(language=language).new_page()
        for path in (
            "/council/",
            f"/council/councillors/{councillor.pk}/",
            "/council/sessions/",
            f"/council/sessions/{session.pk}/",
            "/council/decisions/",
            "/council/decisions/?q=бюджет&status=adopted",
            council.get_absolute_url(),
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            report += [f"{language} {path}: {problem}" for problem in page_problems(page, language)]
    assert report == []


def test_the_staff_pages_are_accessible(new_context: Callable[..., Any], council: Any, council_secretary: Any) -> None:
    session = Session.objects.get(number=17)
    page = new_context(language="bg").new_page()
    log_in(page, council_secretary.email)
    report = []
    for path in (
        "/council/staff/",
        "/council/staff/sessions/new/",
        f"/council/staff/sessions/{session.pk}/",
        f"/council/staff/sessions/{session.pk}/decisions/new/",
        f"/council/staff/decisions/{council.public_id}/edit/",
        f"/council/staff/decisions/{council.public_id}/votes/",
        "/council/staff/import/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []


def test_the_roll_call_is_recorded_with_the_keyboard_alone_without_javascript(
    new_context: Callable[..., Any], council: Any, council_secretary: Any
) -> None:
    session = Session.objects.get(number=18)
    decision = services.decision_record(
        actor=council_secretary, session=session, data={"number": 399, "title": "Нова детска площадка"}
    )
    page = new_context(language="en", javascript=False).new_page()
    log_in(page, council_secretary.email)
    page.goto(f"/council/staff/decisions/{decision.public_id}/votes/")
    voters = page.locator("fieldset").count()
    assert voters == 13
    # Each councillor is one radio group: Tab reaches the group, Space chooses the focused
    # answer ("for", the first), the next Tab goes on to the next councillor.
    page.locator("fieldset input[type=radio]").first.focus()
    for _ in range(voters):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(decision.get_absolute_url())
    assert Vote.objects.filter(decision=decision, choice="for").count() == 13
