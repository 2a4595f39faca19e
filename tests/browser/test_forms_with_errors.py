"""Forms shown again with errors: no axe violations, an error summary that has focus and links
to each field in error, and following a link puts the cursor in that field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from glas.accounts.demo import demo_egn
from glas.core.models import LegalRule, Settlement
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def assert_error_summary_leads_to(page: Any, field_ids: list[str]) -> None:
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary", "the error summary has no focus"
    targets = [href.lstrip("#") for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)")]
    assert targets == field_ids
    for target in targets:
        control = page.locator(f"#{target}")
        assert control.evaluate("el => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)"), target
        assert control.get_attribute("aria-invalid") == "true" or target == targets[0], target
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == targets[0], "the link did not move focus to its field"
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_login_with_a_wrong_password_shows_an_accessible_error_summary(
    new_context: Callable[..., Any], citizen: Any
) -> None:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.fill("#id_login", citizen.email)
    page.fill("#id_password", "not-the-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_error_summary_leads_to(page, ["id_login"])


def test_signup_with_mismatched_passwords_and_no_consent_shows_an_accessible_error_summary(
    new_context: Callable[..., Any],
) -> None:
    page = new_context(language="en").new_page()
    page.goto("/accounts/signup/")
    page.fill("#id_email", "new.person@example.org")
    page.fill("#id_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_password2", "another-long-passphrase")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_error_summary_leads_to(page, ["id_password2", "id_accept_terms"])


def test_resident_verification_with_a_bad_egn_shows_an_accessible_error_summary(
    new_context: Callable[..., Any], make_user: Callable[..., Any], advisor: Any
) -> None:
    person = make_user("newcomer@example.org")
    page = new_context().new_page()
    log_in(page, advisor.email)
    page.goto(f"/staff/residents/{person.pk}/")
    valid = demo_egn(dt.date(1975, 1, 2), 1)
    page.fill("#id_egn", valid[:-1] + str((int(valid[-1]) + 1) % 10))  # a wrong check digit
    page.select_option("#id_settlement", str(Settlement.objects.get(slug="slivnitsa").pk))
    page.check("#id_address_checked")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_error_summary_leads_to(page, ["id_egn"])


def test_rule_change_without_a_legal_basis_shows_an_accessible_error_summary(
    new_context: Callable[..., Any], council_secretary: Any
) -> None:
    rule = LegalRule.objects.filter(effective_to__isnull=True).first()
    assert rule is not None
    page = new_context().new_page()
    log_in(page, council_secretary.email)
    page.goto(f"/staff/rules/{rule.key}/change/")
    page.fill("#id_value", "12")
    page.fill("#id_effective_from", "2031-01-15")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_error_summary_leads_to(page, ["id_legal_basis"])
