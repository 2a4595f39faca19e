"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

One browser serves the whole session; each test opens its own contexts (a context per persona and
language setting). Without /usr/bin/chromium the tests are skipped, except in CI (``CI=true``),
where a missing browser fails the run.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache

from conftest import PASSWORD
from glas.accounts.demo import DEMO_TOTP_SECRET, current_totp_code

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = settings.BASE_DIR / "glas" / "static" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make vendor`.")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path, live_server: Any) -> Iterator[Any]:
    """One Chromium for the session; it closes before the live server stops (open keep-alive
    connections would otherwise end in a server without its database)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    test_connections = {alias: connections[alias] for alias in connections}
    # Playwright's sync API keeps an event loop running in this thread, so Django would take the
    # tests' own (synchronous) database calls for calls from async code.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # Starting Playwright switches greenlets, after which Django's context-local connection
        # storage can come back empty in this thread and hand out fresh connections. Keep the
        # test database connections, which the live server shares.
        for alias, connection in test_connections.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def site(transactional_db: Any, live_server: Any, kresna: Any, legal_rules: Any) -> Any:
    """The live server with Kresna, its legal rules, and the roles and consent texts."""
    # A transactional test empties every table when it ends, the data migrations' rows too.
    migration = importlib.import_module("glas.accounts.migrations.0003_roles_and_consent_texts")
    migration.forwards(django_apps, None)
    # Used TOTP codes and login throttling are remembered in the cache; every test starts afresh.
    cache.clear()
    return live_server


@pytest.fixture
def new_context(browser: Any, site: Any) -> Iterator[Callable[..., Any]]:
    """Open a browser context on the live server: ``new_context(language="en", javascript=False)``."""
    contexts: list[Any] = []

    def factory(*, language: str = "bg", javascript: bool = True) -> Any:
        # The site sends a strict CSP; bypassing it lets the tests inject axe-core.
        context = browser.new_context(
            base_url=site.url, bypass_csp=True, java_script_enabled=javascript, locale=language
        )
        context.set_default_timeout(10_000)
        set_language_cookie(context, site.url, language)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


def set_language_cookie(context: Any, url: str, language: str) -> None:
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])


def wait_for_fresh_totp_step(margin: float = 3.0) -> None:
    """Do not type a code in the last seconds of its 30-second step (it could expire in flight)."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.1)


def log_in(page: Any, email: str) -> None:
    """Sign in through the real login form, answering the second-factor form for staff."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        wait_for_fresh_totp_step()
        page.fill("input[name=code]", current_totp_code(DEMO_TOTP_SECRET))
        page.locator("main form").first.get_by_role("button").first.click()
        page.wait_for_load_state()
    assert "/accounts/" not in page.url, f"login of {email} stopped at {page.url}"


def axe_violations(page: Any) -> list[str]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) in the page; one readable line per failing node."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    problems = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            problems.append(f"{violation['id']} ({violation['help']}): {node['target']} {node['html'][:300]}")
    return problems
