"""The citizens' bureau in the browser: public pages, the request form with errors, the follow
page and the advisors' pages pass axe-core (WCAG 2.1 A/AA) with one h1 and a working skip link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from glas.bureau import services
from glas.bureau.models import Case
from glas.bureau.tests.conftest import make_request
from tests.browser.conftest import axe_violations, log_in
from tests.browser.pages import duplicate_id_problems, page_problems
from tests.browser.test_forms_with_errors import assert_error_summary_leads_to

pytestmark = pytest.mark.browser


@pytest.fixture
def case_and_link(site: Any, advisor: Any) -> tuple[Any, str]:
    case, token = services.case_register(actor=advisor, request=make_request(), channel="walk_in")
    services.case_reply(actor=advisor, case=case, body="Отговор <b>с маркировка</b>.", idempotency_key=None)
    return case, f"/bureau/follow/{case.reference}/{token}/"


def test_the_public_bureau_pages_are_accessible(new_context: Callable[..., Any], case_and_link: Any) -> None:
    page = new_context(language="bg").new_page()
    report = []
    for path in (
        "/bureau/",
        "/bureau/ask/",
        "/bureau/kb/",
        "/bureau/appointments/",
        "/bureau/statistics/",
        case_and_link[1],
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    assert report == []


def test_the_request_form_with_errors_is_accessible(new_context: Callable[..., Any], site: Any) -> None:
    page = new_context(language="bg").new_page()
    page.goto("/bureau/ask/")
    page.locator("main button[type=submit].button-primary").click()
    page.wait_for_load_state()
    assert_error_summary_leads_to(page, ["id_kind_0", "id_subject", "id_description"])


def test_the_request_form_works_without_javascript(new_context: Callable[..., Any], site: Any) -> None:
    page = new_context(language="bg", javascript=False).new_page()
    page.goto("/bureau/ask/")
    with page.expect_navigation():
        page.locator("main button[type=submit].button-primary").click()
    assert page.locator("#error-summary").count() == 1


def test_the_advisor_pages_are_accessible(new_context: Callable[..., Any], case_and_link: Any, advisor: Any) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, advisor.email)
    report = []
    case = case_and_link[0]
    for path in (
        "/bureau/cases/",
        "/bureau/cases/new/",
        f"/bureau/cases/{case.reference}/",
        f"/bureau/cases/{case.reference}/escalate/",  # a step's form on a page of its own
        "/bureau/kb/manage/",
        "/bureau/appointments/manage/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        report += [f"{path}: {problem}" for problem in page_problems(page, "bg")]
    # A step's panel, opened: its form is fetched into the page.
    page.goto(f"/bureau/cases/{case.reference}/")
    page.locator("#action-escalate summary").click()
    page.locator("#id_escalate_reason").wait_for()
    report += [f"opened panel: {problem}" for problem in axe_violations(page) + duplicate_id_problems(page)]
    assert report == []


def test_an_advisor_records_an_access_to_information_request_and_the_applicant_follows_it(
    new_context: Callable[..., Any], site: Any, advisor: Any
) -> None:
    """A letter with a ЗДОИ request: entered without an address it is refused (the law requires
    one), then registered; the applicant writes back through the secret link; an extension
    without reasons is refused inside its panel; the decision is recorded and the applicant
    reads it.

    Every form here posts from a page that keeps its referrer to this site: with
    "Referrer-Policy: no-referrer" the browser sent "Origin: null" and the CSRF check refused
    every advisor's action and the applicant's message (the test client sends no Origin)."""
    page = new_context(language="bg").new_page()
    log_in(page, advisor.email)
    page.goto("/bureau/cases/new/")
    page.select_option("#id_channel", "letter")
    page.check("#id_kind_1")  # access to public information
    page.select_option("#id_category", "information")
    page.fill("#id_subject", "Договор за улично осветление")
    page.fill("#id_description", "Моля за копие от договора за улично осветление от 2025 г.")
    page.select_option("#id_access_form", "paper")
    page.fill("#id_name", "Иван Петров Иванов")
    page.select_option("#id_preferred_contact", "letter")
    page.check("#id_consent_process")
    with page.expect_navigation():
        page.locator("main form button[type=submit].button-primary").click()
    assert_error_summary_leads_to(page, ["id_address"])
    page.fill("#id_address", "гр. Кресна, ул. „Македония“ 1")
    with page.expect_navigation():
        page.locator("main form button[type=submit].button-primary").click()
    case = Case.objects.get()
    assert (case.kind, case.channel) == ("zdoi", "letter")
    report = [f"link page: {problem}" for problem in page_problems(page, "bg")]
    follow_link = page.locator("main a[href*='/bureau/follow/']").first.get_attribute("href")
    assert follow_link is not None

    # The applicant writes back through the follow page.
    applicant = new_context(language="bg").new_page()
    applicant.goto(follow_link)
    report += [f"follow page: {problem}" for problem in page_problems(applicant, "bg")]
    applicant.fill("main form textarea[name=body]", "Предпочитам копието на хартия, ще го взема лично.")
    with applicant.expect_navigation():
        applicant.locator("main form button[type=submit]").click()
    assert case.messages.filter(kind="citizen").count() == 1

    page.goto(f"/bureau/cases/{case.reference}/")
    assert case.due_on is not None and case.due_on.strftime("%d.%m.%Y") in page.inner_text("main")
    page.locator("#action-extend summary").click()
    page.select_option("#id_extend_ground", "volume")
    with page.expect_navigation():
        page.locator("#action-extend button[type=submit]").click()
    assert_error_summary_leads_to(page, ["id_extend_reason"])
    page.locator("#action-decide summary").click()
    page.select_option("#id_decide_decision", "full")
    page.fill("#id_decide_text", "Предоставя се пълен достъп: копие от договора се изпраща по пощата.")
    with page.expect_navigation():
        page.locator("#action-decide button[type=submit]").click()
    case.refresh_from_db()
    assert case.decided_on is not None
    report += [f"case page: {problem}" for problem in page_problems(page, "bg")]

    applicant.goto(follow_link)
    assert "Предоставя се пълен достъп" in applicant.inner_text("main")
    assert report == []


def test_an_advisor_without_javascript_opens_a_step_from_its_panel(
    new_context: Callable[..., Any], case_and_link: Any, advisor: Any
) -> None:
    """Each step's panel fetches its form when opened. Without JavaScript the panel holds a
    link to a page with the form."""
    case, _link = case_and_link
    page = new_context(language="bg", javascript=False).new_page()
    log_in(page, advisor.email)
    page.goto(f"/bureau/cases/{case.reference}/")
    assert page.locator("#id_escalate_reason").count() == 0
    page.locator("#action-escalate summary").click()
    with page.expect_navigation():
        page.locator("#action-escalate a").click()
    assert unquote(urlparse(page.url).path) == f"/bureau/cases/{case.reference}/escalate/"
    page.fill("#id_escalate_reason", "Нужно е становище на юриста.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert unquote(urlparse(page.url).path) == f"/bureau/cases/{case.reference}/"
    case.refresh_from_db()
    assert case.escalation_reason == "Нужно е становище на юриста."


def test_a_resident_without_an_account_asks_and_confirms_by_the_e_mailed_link(
    new_context: Callable[..., Any], site: Any
) -> None:
    """The public form, then the link from the e-mail: its page has a button (mail scanners
    only follow links), and the button's post must pass the CSRF check in a real browser."""
    from django.core import mail

    page = new_context(language="bg").new_page()
    page.goto("/bureau/ask/")
    page.check("#id_kind_0")  # a general inquiry
    page.select_option("#id_category", "taxes")
    page.fill("#id_subject", "Данък сгради")
    page.fill("#id_description", "Каква е отстъпката при плащане до края на април?")
    page.fill("#id_name", "Мария Петрова")
    page.fill("#id_email", "maria@example.org")
    page.select_option("#id_preferred_contact", "email")
    page.check("#id_consent_process")
    with page.expect_navigation():
        page.locator("main form button[type=submit].button-primary").click()
    case = Case.objects.get()
    assert case.status == Case.Status.UNCONFIRMED
    report = [f"sent page: {problem}" for problem in page_problems(page, "bg")]
    link = next(
        line.strip() for message in mail.outbox for line in message.body.splitlines() if "/bureau/confirm/" in line
    )
    path = urlparse(link).path  # the e-mail names the site's configured address
    page.goto(path)
    report += [f"confirm page: {problem}" for problem in page_problems(page, "bg")]
    page.goto(path)  # afresh: the skip link check left the address at "#main"
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    report += [f"confirmed page: {problem}" for problem in page_problems(page, "bg")]
    assert report == []


def test_a_resident_books_an_appointment_online_saves_it_to_a_calendar_and_cancels_it(
    new_context: Callable[..., Any], site: Any, advisor: Any
) -> None:
    """The booking's own page is a secret link; its cancel button must pass the CSRF check in
    a real browser, and the calendar file downloads."""
    import datetime as dt

    from django.utils import timezone

    from glas.bureau import appointments
    from glas.bureau.models import Appointment
    from glas.core.models import Settlement

    appointments.slots_create(
        actor=advisor,
        settlement=Settlement.objects.get(slug="kresna"),
        place="Общината, стая 12",
        day=timezone.localdate() + dt.timedelta(days=3),
        start=dt.time(9),
        end=dt.time(10),
        minutes=30,
    )
    page = new_context(language="bg").new_page()
    page.goto("/bureau/appointments/")
    report = [f"slots: {problem}" for problem in page_problems(page, "bg")]
    with page.expect_navigation():
        page.locator("main a[href*='/book/']").first.click()
    report += [f"booking form: {problem}" for problem in page_problems(page, "bg")]
    page.fill("#id_name", "Стоянка Димитрова")
    page.fill("#id_phone", "0888 123 456")
    page.fill("#id_topic", "Помощ за енергийни помощи")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    booking = Appointment.objects.get()
    booking_page = urlparse(page.url).path
    assert booking.status == Appointment.Status.BOOKED and booking_page.startswith("/bureau/appointments/b/")
    page.goto(booking_page)  # afresh: the address kept the skip link's "#main" through the redirects
    report += [f"booking page: {problem}" for problem in page_problems(page, "bg")]
    with page.expect_download() as download:
        page.locator("main a[href$='calendar.ics']").click()
    assert download.value.suggested_filename == "bureau-appointment.ics"
    page.goto(booking_page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    booking.refresh_from_db()
    assert booking.status == Appointment.Status.CANCELLED
    assert report == []


@pytest.fixture
def supervisor(site: Any, admin_user: Any, make_user: Callable[..., Any]) -> Any:
    """An advisor who supervises the bureau (as in ``glas/bureau/tests/conftest.py``)."""
    from glas.accounts.models import User
    from glas.accounts.roles import Role

    user = make_user("supervisor@example.org", roles=[Role.ADVISOR])
    services.advisor_profile_save(
        actor=admin_user, advisor=user, kind="staff", skills=[], available=True, is_supervisor=True
    )
    return User.objects.get(pk=user.pk)


def test_answers_are_suggested_in_the_same_live_region_while_the_question_is_typed(
    new_context: Callable[..., Any], site: Any, advisor: Any, supervisor: Any
) -> None:
    """Screen readers announce changes inside a live region, not a region that is replaced: the
    suggestions go into the element that was there when the page loaded."""
    from glas.bureau import knowledge

    article = knowledge.article_create(
        actor=advisor,
        title="Данък върху недвижимите имоти",
        summary="Кога и как се плаща данъкът.",
        body="Данъкът се плаща на две вноски. При плащане до 30 април има отстъпка от 5 %.",
        category="taxes",
    )
    knowledge.article_submit(actor=advisor, article=article)
    knowledge.article_publish(actor=supervisor, article=article)
    page = new_context(language="bg").new_page()
    page.goto("/bureau/ask/")
    page.evaluate("document.getElementById('kb-suggestions').dataset.original = 'yes'")
    page.fill("#id_subject", "Въпрос за данъка")
    page.locator("#id_description").press_sequentially("недвижими имоти", delay=20)
    region = page.locator("#kb-suggestions")
    region.get_by_role("link", name=article.title).wait_for()
    # The region the screen reader watches is the same element, with new content.
    assert region.get_attribute("aria-live") == "polite" and region.get_attribute("data-original") == "yes"
    assert page.locator("#kb-suggestions").count() == 1


def test_a_reply_sent_twice_by_a_double_click_is_stored_once(
    new_context: Callable[..., Any], case_and_link: Any, advisor: Any
) -> None:
    """The reply form carries a one-time key. Chromium itself sends one post for a double
    click, but a slow connection, another browser or the back button can send the same form
    twice: here the page posts its own form twice, and one reply is stored. (One after the
    other: the live server shares one SQLite connection between its threads, so concurrent
    posts are tried on PostgreSQL, in glas/bureau/tests.)"""
    case = case_and_link[0]
    replies_before = case.messages.filter(kind="reply").count()
    page = new_context(language="bg").new_page()
    log_in(page, advisor.email)
    page.goto(f"/bureau/cases/{case.reference}/")
    page.locator("#action-reply summary").click()
    page.fill("#id_reply_body", "Отстъпката при плащане до 30 април е 5 %.")
    statuses = page.evaluate(
        """async () => {
        const form = document.querySelector('#action-reply form[method=post]');
        const send = () => fetch(form.action, {method: 'POST', body: new FormData(form), credentials: 'same-origin'});
        const first = await send();
        const second = await send();
        return [first.status, second.status];
    }"""
    )
    assert statuses == [200, 200]  # each followed its redirect back to the case page
    assert case.messages.filter(kind="reply").count() == replies_before + 1


def test_a_supervisor_assigns_a_request_and_sees_it_escalated(
    new_context: Callable[..., Any],
    site: Any,
    advisor: Any,
    supervisor: Any,
    citizen: Any,
) -> None:
    """Triage by the supervisor (the assign panel's advisor list), the advisor's queue, and an
    escalation back to the supervisors' view, all through the pages."""
    case, _token = services.case_submit(actor=citizen, request=make_request(subject="Разрешение за строеж"))
    assert case.assigned_to_id is None  # a request from the web waits for triage
    boss = new_context(language="bg").new_page()
    log_in(boss, supervisor.email)
    boss.goto(f"/bureau/cases/{case.reference}/")
    boss.locator("#action-assign summary").click()
    boss.select_option("#id_assign_advisor", str(advisor.pk))
    with boss.expect_navigation():
        boss.locator("#action-assign button[type=submit]").click()
    case.refresh_from_db()
    assert case.assigned_to_id == advisor.pk

    page = new_context(language="bg").new_page()
    log_in(page, advisor.email)
    page.goto("/bureau/cases/")
    with page.expect_navigation():
        page.locator("main table a", has_text=case.reference).click()
    page.locator("#action-escalate summary").click()
    page.fill("#id_escalate_reason", "Нужно е становище на главния архитект.")
    with page.expect_navigation():
        page.locator("#action-escalate button[type=submit]").click()
    case.refresh_from_db()
    assert case.escalated_at is not None

    boss.goto("/bureau/cases/?view=escalated")
    assert boss.locator("main table a", has_text=case.reference).count() == 1
    report = [f"escalated queue: {problem}" for problem in page_problems(boss, "bg")]
    assert report == []
