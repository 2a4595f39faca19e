"""The pages of the foundation, who may open them, and the checks every page must pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator

from tests.browser.conftest import axe_violations


def anyone(user: Any) -> bool:
    return True


def anonymous(user: Any) -> bool:
    return user is None


def signed_in(user: Any) -> bool:
    return user is not None


def may(permission: str) -> Callable[[Any], bool]:
    def check(user: Any) -> bool:
        return user is not None and user.has_perm(permission)

    check.__name__ = permission
    return check


def with_totp(user: Any) -> bool:
    return user is not None and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def without_totp(user: Any) -> bool:
    return user is not None and not with_totp(user)


@dataclass(frozen=True)
class Page:
    path: str  # may name {rule} (a legal rule's key) and {person} (the pk of a person to verify)
    opens_for: Callable[[Any], bool]
    status: int = 200


PAGES = [
    Page("/", anyone),
    Page("/rules/", anyone),
    Page("/rules/{rule}/", anyone),
    Page("/accessibility/", anyone),
    Page("/legal/privacy/", anyone),
    Page("/legal/terms/", anyone),
    Page("/no-such-page/", anyone, status=404),
    Page("/accounts/login/", anonymous),
    Page("/accounts/signup/", anonymous),
    Page("/accounts/password/reset/", anonymous),
    Page("/accounts/password/reset/done/", anonymous),
    Page("/accounts/confirm-email/", anonymous),
    Page("/notifications/", signed_in),
    Page("/me/", signed_in),
    Page("/me/notifications/", signed_in),
    Page("/me/data/", may("accounts.export_own_data")),
    Page("/me/delete/", may("accounts.delete_own_account")),
    Page("/me/consents/", signed_in),
    Page("/accounts/email/", signed_in),
    Page("/accounts/password/change/", signed_in),
    Page("/accounts/logout/", signed_in),
    Page("/accounts/2fa/", signed_in),
    Page("/accounts/2fa/totp/activate/", without_totp),
    Page("/accounts/2fa/totp/deactivate/", with_totp),
    Page("/accounts/2fa/recovery-codes/generate/", with_totp),
]
# Staff pages, each behind the permission its view requires; a person without it gets a 403.
STAFF_PAGES = [
    Page("/staff/", may("core.view_staff_area")),
    Page("/staff/residents/", may("accounts.verify_resident")),
    Page("/staff/residents/{person}/", may("accounts.verify_resident")),
    Page("/staff/roles/", may("accounts.manage_roles")),
    Page("/staff/calendar/", may("core.change_calendar")),
    Page("/staff/audit/", may("core.view_audit_log")),
    Page("/staff/rules/{rule}/change/", may("core.change_legal_rule")),
]


# Pages that are the same for everyone who may open them, apart from the header: each role's
# header is checked on these two, whatever the role.
SHARED = (anyone, anonymous, signed_in)
OWN_HEADER = ("/", "/me/")


def pages_for(user: Any, *, shared: bool = True) -> list[Page]:
    """Every page the person may open, and for a signed-in person the first staff page they may
    not (403). With ``shared=False`` a page that is the same for everyone (``SHARED``) is left
    out unless it is in ``OWN_HEADER``: a persona whose shared pages another persona already
    checks needs only its header and its own pages."""
    pages = [
        page
        for page in PAGES + STAFF_PAGES
        if page.opens_for(user) and (shared or page.opens_for not in SHARED or page.path in OWN_HEADER)
    ]
    forbidden = [page for page in STAFF_PAGES if not page.opens_for(user)]
    if user is not None and forbidden:
        pages.append(Page(forbidden[0].path, anyone, status=403))
    return pages


def page_problems(page: Any, language: str) -> list[str]:
    """What is wrong with the page shown: landmarks and headings, the skip link, and axe's findings."""
    problems = []
    html_lang = page.evaluate("document.documentElement.lang")
    if html_lang != language:
        problems.append(f'<html lang="{html_lang}">, expected "{language}"')
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{headings} h1 elements, expected exactly one")
    problems += skip_link_problems(page)
    problems += duplicate_id_problems(page)
    problems += number_header_problems(page)
    problems += axe_violations(page)
    return problems


def number_header_problems(page: Any) -> list[str]:
    """A column of figures set to the right under a header set to the left: the header stands
    apart from its figures (``class="number"`` on the ``td`` but not on its ``th``)."""
    columns = page.evaluate(
        """() => { const right = el => ['right', 'end'].includes(getComputedStyle(el).textAlign);
        const found = [];
        for (const table of document.querySelectorAll('table')) {
          const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
          if (!head) continue;
          const columns = new Map();
          for (const body of table.tBodies) for (const row of body.rows) {
            let index = 0;
            for (const cell of row.cells) {
              if (cell.colSpan === 1) {
                const seen = columns.get(index) || [];
                seen.push(right(cell));
                columns.set(index, seen);
              }
              index += cell.colSpan;
            }
          }
          let index = 0;
          for (const th of head.cells) {
            const seen = columns.get(index);
            if (th.colSpan === 1 && seen && seen.every(Boolean) && !right(th)) found.push(th.textContent.trim());
            index += th.colSpan;
          }
        }
        return found; }"""
    )
    return [f"the figures under {header!r} are set to the right, its header to the left" for header in columns]


def duplicate_id_problems(page: Any) -> list[str]:
    """An id given twice: links, labels and the error summary's focus reach only the first
    (axe-core no longer checks this for ids that no ARIA attribute names)."""
    duplicates = page.evaluate(
        """() => { const seen = new Map();
        for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
        return [...seen].filter(([, n]) => n > 1).map(([id, n]) => id + ' ×' + n); }"""
    )
    return [f"duplicate id {duplicate}" for duplicate in duplicates]


def skip_link_problems(page: Any) -> list[str]:
    """Right after loading, Tab reaches the skip link first, and following it moves focus to main."""
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className")
    if "skip-link" not in first:
        return [f"the first Tab stop is {first!r}, not the skip link"]
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    if focused != "main":
        return [f"the skip link moved focus to {focused!r}, not to main"]
    return []


def drawn_text_heights(page: Any, selector: str) -> list[float]:
    """The heights on screen, in px, of the SVG text elements ``selector`` finds (a chart's
    labels and values)."""
    return page.evaluate(
        "selector => [...document.querySelectorAll(selector)].map(text => text.getBoundingClientRect().height)",
        selector,
    )
