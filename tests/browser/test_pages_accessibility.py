"""Every page of the foundation, for every persona, in Bulgarian and in English: no axe-core
violation of WCAG 2.1 A/AA, one h1, the right ``<html lang>``, and a working skip link.

Pages that are the same for everyone who may open them (the home page, the rules, sign-in, the
account pages) are checked in full for an anonymous visitor and a signed-in citizen. Every other
persona checks its own header (on the home page and its profile) and the pages only some roles
may open: its staff pages, its second-factor pages, and the first staff page it may not open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from conftest import PASSWORD
from glas.accounts.demo import current_totp_code
from glas.accounts.roles import Role
from glas.core.models import LegalRule
from glas.core.services import notify
from tests.browser.conftest import log_in, wait_for_fresh_totp_step
from tests.browser.pages import page_problems, pages_for

pytestmark = pytest.mark.browser

# The personas that check the pages everyone may open.
SHARED_PAGES_FOR = ("anonymous", "citizen")
PERSONAS = [
    "anonymous",
    "citizen",
    "verified_resident",
    "advisor",
    "commission_member",
    "council_secretary",
    "integrity_officer",
    "researcher",
    "admin_user",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_is_accessible_in_both_languages_for(
    persona: str, request: pytest.FixtureRequest, new_context: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    names = {
        "rule": LegalRule.objects.filter(effective_to__isnull=True).values_list("key", flat=True).first(),
        "person": make_user("newcomer@example.org").pk,
    }
    page = new_context(language="bg").new_page()
    if user is not None:
        notify(recipients=[user], kind="demo", title="Обществено обсъждане", body="Текст", url="/rules/")
        log_in(page, user.email)
    report = []
    for language in ("bg", "en"):
        if language == "en":
            # The header's language button, as a person would switch.
            page.goto("/")
            with page.expect_navigation():
                page.click("header button[name=language][value=en]")
        for spec in pages_for(user, shared=persona in SHARED_PAGES_FOR):
            path = spec.path.format(**names)
            response = page.goto(path)
            problems = []
            if response is None or response.status != spec.status:
                problems.append(f"status {response and response.status}, expected {spec.status}")
            problems += page_problems(page, language)
            report += [f"{language} {path}: {problem}" for problem in problems]
    assert not report, "\n".join(report)


def test_second_factor_set_up_pages_are_accessible(
    new_context: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    """A new staff member is sent to set up an authenticator app: they confirm their password,
    copy the secret, enter a code and are shown their recovery codes."""
    clerk = make_user("new.clerk@example.org", roles=[Role.ADVISOR], totp=False)
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.fill("#id_login", clerk.email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    report = problems_on(page, "/accounts/reauthenticate/")
    page.fill("#id_password", PASSWORD)
    submit(page)
    report += problems_on(page, "/accounts/2fa/totp/activate/")
    wait_for_fresh_totp_step()
    page.fill("#id_code", current_totp_code(page.input_value("#authenticator_secret")))
    submit(page)
    report += problems_on(page, "/accounts/2fa/recovery-codes/")
    assert not report, "\n".join(report)


def submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def problems_on(page: Any, path: str) -> list[str]:
    assert urlparse(page.url).path == path, page.url
    return [f"{path}: {problem}" for problem in page_problems(page, "bg")]
