"""A keyboard walk through the login and sign-up forms: skip link first, then every control in
visual order with a visible focus indicator, and the form filled and sent without a mouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import PASSWORD
from glas.accounts.models import User
from glas.core.services import notify
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# How a control is named in the walk: its id, "submit" for a submit button, a link's href.
KEY = (
    "el => el.id || (el.getAttribute('type') === 'submit' ? 'submit' : "
    "el.getAttribute('href') || el.textContent.trim())"
)
FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    key: (KEY)(el),
    top: box.top + window.scrollY,
    left: box.left + window.scrollX,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}""".replace("KEY", KEY)
# Every visible control in main (the form and the links around it), in document order.
CONTROLS_IN_MAIN = """() => Array.from(document.querySelectorAll(
  'main a[href], main input:not([type=hidden]), main select, main textarea, main button'
)).filter(el => el.getClientRects().length > 0).map(KEY)""".replace("KEY", KEY)


def walk(page: Any, keystrokes: dict[str, Callable[[Any], None]], last: str) -> list[dict[str, Any]]:
    """Tab from the top of the page; type into the controls named in ``keystrokes``; stop at ``last``."""
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["key"] == "#main", f"the first Tab stop is {skip['key']!r}, not the skip link"
    assert skip["onScreen"] and (skip["outline"] or skip["shadow"]), "the focused skip link is not visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    stops: list[dict[str, Any]] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        stops.append(stop)
        assert stop["outline"] or stop["shadow"], f"{stop['key']!r} shows no focus indicator"
        if stop["key"] in keystrokes:
            keystrokes[stop["key"]](page.keyboard)
        if stop["key"] == last:
            return stops
    raise AssertionError(f"Tab never reached {last!r}; it went through {[s['key'] for s in stops]}")


def assert_in_visual_order(stops: list[dict[str, Any]]) -> None:
    for before, after in zip(stops, stops[1:], strict=False):
        same_line = abs(after["top"] - before["top"]) < 4
        assert after["top"] > before["top"] or (same_line and after["left"] > before["left"]), (
            f"{after['key']!r} comes after {before['key']!r} but is shown before it"
        )


def test_login_form_can_be_completed_with_the_keyboard_alone(new_context: Callable[..., Any], citizen: Any) -> None:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    controls = page.evaluate(CONTROLS_IN_MAIN)
    stops = walk(
        page,
        {
            "id_login": lambda keyboard: keyboard.type(citizen.email),
            "id_password": lambda keyboard: keyboard.type(PASSWORD),
        },
        last="submit",
    )
    assert [stop["key"] for stop in stops] == controls[: controls.index("submit") + 1]
    assert {"id_login", "id_password", "id_remember"} <= {stop["key"] for stop in stops}
    assert_in_visual_order(stops)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/me/"), page.url


def test_signup_form_can_be_completed_with_the_keyboard_alone(new_context: Callable[..., Any]) -> None:
    page = new_context(language="en").new_page()
    page.goto("/accounts/signup/")
    controls = page.evaluate(CONTROLS_IN_MAIN)
    stops = walk(
        page,
        {
            "id_email": lambda keyboard: keyboard.type("keyboard.user@example.org"),
            "id_display_name": lambda keyboard: keyboard.type("Ана"),
            "id_password1": lambda keyboard: keyboard.type("a-long-and-unusual-passphrase"),
            "id_password2": lambda keyboard: keyboard.type("a-long-and-unusual-passphrase"),
            "id_accept_terms": lambda keyboard: keyboard.press("Space"),
        },
        last="submit",
    )
    assert [stop["key"] for stop in stops] == controls[: controls.index("submit") + 1]
    assert {"id_email", "id_password1", "id_password2", "id_accept_terms"} <= {stop["key"] for stop in stops}
    assert_in_visual_order(stops)
    assert page.is_checked("#id_accept_terms")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/accounts/confirm-email/"), page.url
    assert page.locator("h1").inner_text() == "Verify Your Email Address"
    assert User.objects.filter(email="keyboard.user@example.org", display_name="Ана").exists()


def test_marking_notifications_read_with_the_keyboard_keeps_focus_on_the_result(
    new_context: Callable[..., Any], citizen: Any
) -> None:
    notify(recipients=[citizen], kind="demo", title="Обществено обсъждане")
    page = new_context().new_page()
    log_in(page, citizen.email)
    page.goto("/notifications/")
    page.focus("#notifications-actions button")
    page.keyboard.press("Enter")
    status = page.locator("#notifications-actions [role=status]")
    status.wait_for()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    assert not citizen.notifications.filter(read_at__isnull=True).exists()
