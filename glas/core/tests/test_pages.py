"""Public pages, language and text size, error pages, CSRF and security headers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from glas.core.models import CalendarDay, LegalRule, Notification, NotificationPreference
from glas.core.services import calendar_day_add, notify

ENGLISH = {"Accept-Language": "en"}


def test_the_home_page_is_in_bulgarian_by_default(kresna, client):
    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert '<html lang="bg"' in response.content.decode()
    assert "Община Кресна" in response.content.decode()


def test_the_home_page_is_in_english_with_the_language_cookie(kresna, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("core:home")).content.decode()

    assert '<html lang="en"' in page
    assert "Your voice in the Municipality of Kresna" in page


def test_the_layout_parts_kept_per_process_follow_the_language_the_page_and_the_municipality(kresna, client):
    """The navigation's public links and the footer are rendered once per process
    (``CACHES["layout"]``, templates/base.html), keyed by everything they show."""
    home, rules = reverse("core:home"), reverse("core:rules")
    page = client.get(home).content.decode()
    assert f'href="{home}" aria-current="page"' in page and "About Glas" not in page
    other = client.get(rules).content.decode()
    assert f'href="{home}" aria-current' not in other and f'href="{rules}" aria-current="page"' in other
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(home).content.decode()
    assert "Take part" in english and "About Glas" in english and "Община Кресна" not in english
    kresna.phone = "0746 99 999"
    kresna.save()
    assert "0746 99 999" in client.get(home).content.decode()


def test_pages_outside_the_navigation_share_one_cached_copy_of_it(kresna, client):
    """The navigation is keyed by which of its links is current, not by the page's address, so a
    thousand case pages do not fill the cache with a thousand copies."""
    caches["layout"].clear()
    for path in (reverse("core:accessibility"), "/no-such-page/"):
        page = client.get(path).content.decode()
        assert 'aria-current="page"' not in page.split('class="site-nav"')[1].split("</nav>")[0]
    assert len([key for key in caches["layout"]._cache if "layout_nav" in key]) == 1
    client.get(reverse("core:rules"))
    assert len([key for key in caches["layout"]._cache if "layout_nav" in key]) == 2


def test_every_link_in_the_cached_navigation_is_named_in_its_key():
    """The cached navigation's aria-current is right only for links ``{% current_link %}`` names:
    a link added inside the cached block without it would be marked current on the wrong pages."""
    source = (Path(settings.BASE_DIR) / "glas" / "templates" / "base.html").read_text()
    keyed = re.search(r"{% current_link request\.path ((?:'[^']+' )+)as nav_current %}", source)
    block = re.search(r"{% cache None layout_nav .*?%}(.*?){% endcache %}", source, re.S)
    assert keyed and block
    linked = re.findall(r"{% link '([^']+)' as \w+ %}", block.group(1))
    assert linked and linked == re.findall(r"'([^']+)'", keyed.group(1))


def test_the_language_switch_remembers_english_and_returns_to_the_page(kresna, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:rules")})

    assert response.status_code == 302
    assert response.url == reverse("core:rules")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in client.get(reverse("core:home")).content.decode()

    client.post(reverse("set_language"), {"language": "bg", "next": "/"})
    assert '<html lang="bg"' in client.get(reverse("core:home")).content.decode()


def test_the_language_switch_refuses_to_redirect_elsewhere(kresna, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response.url == "/"


def test_the_home_page_works_before_a_municipality_is_loaded(db, client):
    response = client.get(reverse("core:home"), headers=ENGLISH)

    assert response.status_code == 200
    assert "Your voice in your municipality" in response.content.decode()


def test_the_accessibility_statement_is_public(kresna, client):
    response = client.get(reverse("core:accessibility"), headers=ENGLISH)

    assert response.status_code == 200
    assert "<h1>Accessibility statement</h1>" in response.content.decode()
    assert "EN 301 549" in response.content.decode()


def test_the_footer_links_to_the_accessibility_statement_on_every_page(kresna, legal_rules, client):
    for url in [reverse("core:home"), reverse("core:rules"), "/no-such-page/"]:
        assert f'href="{reverse("core:accessibility")}"' in client.get(url).content.decode()


def test_the_footer_names_the_municipality_and_province_in_the_pages_language(kresna, client):
    english = client.get(reverse("core:rules"), headers=ENGLISH).content.decode()
    assert "Municipality of Kresna, Blagoevgrad province" in english
    bulgarian = client.get(reverse("core:rules"), headers={"Accept-Language": "bg"}).content.decode()
    assert "Община Кресна, област Благоевград" in bulgarian


@pytest.mark.parametrize("url", ["/no-such-page/", "/rules/no.such.rule/", "/staff/rules/x/y/z/"])
def test_unknown_addresses_get_the_sites_404_page(kresna, legal_rules, client, url):
    response = client.get(url, headers=ENGLISH)

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert '<html lang="en"' in response.content.decode()


# --- Text size ----------------------------------------------------------------------------


def test_the_larger_text_switch_sets_a_cookie_and_returns_to_the_page(kresna, client):
    response = client.post(reverse("core:text_size"), {"size": "large", "next": reverse("core:rules")})

    assert response.status_code == 302
    assert response.url == reverse("core:rules")
    cookie = response.cookies["glas_text"]
    assert cookie.value == "large"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert 'class="text-large"' in client.get(reverse("core:home")).content.decode()


def test_the_normal_text_switch_removes_the_cookie(kresna, client):
    client.post(reverse("core:text_size"), {"size": "large", "next": "/"})

    response = client.post(reverse("core:text_size"), {"size": "normal", "next": "/"})

    assert response.cookies["glas_text"].value == ""
    assert response.cookies["glas_text"]["max-age"] == 0
    assert 'class="text-large"' not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/",
        "//evil.example/",
        "\\\\evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "",
    ],
)
def test_the_text_size_switch_refuses_open_redirects(db, client, target):
    response = client.post(reverse("core:text_size"), {"size": "large", "next": target})

    assert response.status_code == 302
    assert response.url == "/"


def test_the_text_size_switch_refuses_get(db, client):
    response = client.get(reverse("core:text_size"), {"size": "large"})

    assert response.status_code == 405
    assert "glas_text" not in response.cookies


# --- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def calendar_day(db, council_secretary):
    return calendar_day_add(
        actor=council_secretary, date=dt.date(2026, 12, 31), kind=CalendarDay.Kind.NON_WORKING, reason="РМС № 1/2026"
    )


def state(citizen) -> tuple[int, int, int, int]:
    return (
        LegalRule.objects.count(),
        CalendarDay.objects.count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        NotificationPreference.objects.filter(user=citizen).count(),
    )


def unsafe_requests(calendar_day) -> dict[str, tuple[str | None, str, dict[str, str]]]:
    """name -> (persona allowed to POST, URL, form data)"""
    return {
        "text size": (None, reverse("core:text_size"), {"size": "large", "next": "/"}),
        "language": (None, reverse("set_language"), {"language": "en", "next": "/"}),
        "mark read": ("citizen", reverse("core:notifications_mark_read"), {}),
        "notification settings": ("citizen", reverse("accounts:notification_settings"), {"mode": "off"}),
        "rule change": (
            "council_secretary",
            reverse("core:rule_change", args=["consultation.term.min"]),
            {"value": "45", "effective_from": "2030-01-01", "legal_basis": "ЗНА"},
        ),
        "calendar add": (
            "council_secretary",
            reverse("core:calendar"),
            {"date": "2027-01-04", "kind": "non_working", "reason": "РМС"},
        ),
        "calendar remove": ("council_secretary", reverse("core:calendar_day_remove", args=[calendar_day.pk]), {}),
    }


UNSAFE = [
    "text size",
    "language",
    "mark read",
    "notification settings",
    "rule change",
    "calendar add",
    "calendar remove",
]


@pytest.mark.parametrize("name", UNSAFE)
def test_every_unsafe_endpoint_refuses_a_post_without_csrf_token(
    request, legal_rules, calendar_day, citizen, council_secretary, name
):
    notify(recipients=[citizen], kind="test.event", title="Непрочетено")
    persona, url, data = unsafe_requests(calendar_day)[name]
    client = Client(enforce_csrf_checks=True)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    before = state(citizen)

    response = client.post(url, data)

    assert response.status_code == 403
    assert state(citizen) == before
    assert not response.cookies.get("glas_text")
    assert not response.cookies.get(settings.LANGUAGE_COOKIE_NAME)


def test_the_same_post_with_the_csrf_token_is_accepted(kresna, citizen):
    notify(recipients=[citizen], kind="test.event", title="Непрочетено")
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.get(reverse("core:notifications"))

    response = client.post(
        reverse("core:notifications_mark_read"),
        {"csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value},
    )

    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


# --- Security headers ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/rules/", "/no-such-page/", "/api/v1/rules", "/healthz"])
def test_every_response_carries_the_security_headers(kresna, legal_rules, client, url):
    response = client.get(url)

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
