"""Initiatives in the browser, as the promoter, the council staff, a verified resident and an
anonymous visitor see them: a referendum proposal from the draft form to paper signatures,
every page checked with axe-core (WCAG 2.1 A/AA), one h1, a working skip link, and the error
summaries of the forms people get wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from conftest import PASSWORD
from glas.accounts.demo import demo_egn
from glas.core.models import Settlement
from glas.initiatives import services
from glas.initiatives.models import Initiative, Signature
from glas.initiatives.selectors import signature_count
from tests.browser.conftest import axe_violations, log_in
from tests.browser.pages import duplicate_id_problems, page_problems
from tests.browser.test_forms_with_errors import assert_error_summary_leads_to

pytestmark = pytest.mark.browser


def submit(page: Any, action: str) -> None:
    """Press the submit button of the form that posts to ``action`` (a path ending), and wait."""
    with page.expect_navigation():
        page.locator(f'main form[action$="{action}"] button[type=submit]').click()


def problems(page: Any, language: str = "bg") -> list[str]:
    path = urlparse(page.url).path
    return [f"{path}: {problem}" for problem in page_problems(page, language)]


def counted(initiative: Initiative) -> int:
    return signature_count(initiative)


def collecting_referendum(
    promoter: Any, staff: Any, make_user: Callable[..., Any], kresna: Any, **text: str
) -> Initiative:
    """A referendum proposal in collection, made through the services: a committee of three
    (the promoter and two confirmed members), found admissible, open for 30 days."""
    initiative = services.initiative_create(
        actor=promoter,
        municipality=kresna,
        kind=Initiative.Kind.REFERENDUM,
        **({"title": "Мост", "question": "Мост ли?"} | text),
    )
    for number in range(2):
        member, _token = services.committee_member_invite(
            actor=promoter, initiative=initiative, full_name=f"Член Комитетов {number}", email=f"m{number}@example.org"
        )
        services.committee_member_confirm(actor=make_user(f"m{number}@example.org"), member=member)
    services.initiative_submit_for_review(actor=promoter, initiative=initiative)
    services.initiative_review(actor=staff, initiative=initiative, admissible=True, reasons="Допустимо.")
    return services.initiative_open_collection(
        actor=promoter, initiative=initiative, closes_on=timezone.localdate() + dt.timedelta(days=30)
    )


def test_a_referendum_proposal_runs_from_the_draft_form_to_paper_signatures(
    new_context: Callable[..., Any],
    citizen: Any,
    council_secretary: Any,
    verified_resident: Any,
    make_user: Callable[..., Any],
) -> None:
    report: list[str] = []
    promoter = new_context(language="bg").new_page()
    log_in(promoter, citizen.email)

    # The draft form: sent empty, it says what is missing; then filled in.
    promoter.goto("/initiatives/new/")
    report += problems(promoter)
    with promoter.expect_navigation():
        promoter.locator("main form button[type=submit]").click()
    assert_error_summary_leads_to(promoter, ["id_title", "id_question"])
    promoter.select_option("#id_kind", "referendum")
    promoter.fill("#id_title", "Пешеходен мост над Струма")
    promoter.fill("#id_question", "Съгласни ли сте да бъде построен пешеходен мост над река Струма?")
    promoter.select_option("#id_territory", "municipality")
    promoter.select_option("#id_addressee", "council")
    with promoter.expect_navigation():
        promoter.locator("main form button[type=submit]").click()
    initiative = Initiative.objects.get()
    assert initiative.status == Initiative.Status.DRAFT
    assert urlparse(promoter.url).path == f"/initiatives/{initiative.public_id}/manage/"
    report += problems(promoter)

    # The committee: one member invited through the page, one more by the service; both
    # confirm (the e-mailed link is followed in the page tests of the app).
    promoter.fill("#id_invite-full_name", "Мария Иванова Петрова")
    promoter.fill("#id_invite-email", "maria@example.org")
    submit(promoter, "/action/invite/")
    services.committee_member_invite(
        actor=citizen, initiative=initiative, full_name="Петър Георгиев Стоянов", email="petar@example.org"
    )
    for member in initiative.committee.all():
        if member.confirmed_at is None:
            services.committee_member_confirm(actor=make_user(member.email), member=member)
    promoter.reload()
    submit(promoter, "/action/submit-review/")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REVIEW
    report += problems(promoter)

    # The council staff: a decision without reasons is refused and said so; then registered.
    council = new_context(language="bg").new_page()
    log_in(council, council_secretary.email)
    council.goto(f"/initiatives/{initiative.public_id}/manage/")
    report += problems(council)
    council.check("#id_review-admissible_0")
    submit(council, "/action/review/")
    assert_error_summary_leads_to(council, ["id_review-reasons"])
    council.check("#id_review-admissible_0")
    council.fill("#id_review-reasons", "Въпросът е от местно значение и в правомощията на съвета.")
    submit(council, "/action/review/")
    initiative.refresh_from_db()
    assert (initiative.status, initiative.threshold_propose, initiative.threshold_oblige) == ("registered", 227, 453)

    # Collection opens; a verified resident signs on the public page.
    promoter.reload()
    promoter.fill("#id_open-closes_on", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    submit(promoter, "/action/open/")
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.COLLECTING
    report += problems(promoter)

    resident = new_context(language="bg").new_page()
    log_in(resident, verified_resident.email)
    resident.goto(f"/initiatives/{initiative.public_id}/")
    report += problems(resident)
    submit(resident, "/sign/")
    assert resident.locator("main form[action$='/withdraw/']").count() == 1
    report += problems(resident)
    assert counted(initiative) == 1

    # Paper lines: a mistyped ЕГН is refused without being shown again; a good line counts.
    promoter.goto(f"/initiatives/{initiative.public_id}/paper/")
    report += problems(promoter)
    kresna = Settlement.objects.get(slug="kresna")
    line = {"#id_sheet_number": "1", "#id_line_number": "1", "#id_full_name": "Иван Петров Иванов"}
    for selector, value in line.items():
        promoter.fill(selector, value)
    promoter.fill("#id_egn", "7501010000")
    promoter.fill("#id_address", "ул. Шипка 1")
    promoter.select_option("#id_settlement", str(kresna.pk))
    with promoter.expect_navigation():
        promoter.locator("main form button[type=submit]").click()
    assert_error_summary_leads_to(promoter, ["id_egn"])
    assert promoter.input_value("#id_egn") == ""
    promoter.fill("#id_egn", demo_egn(dt.date(1975, 6, 10), 401))
    with promoter.expect_navigation():
        promoter.locator("main form button[type=submit]").click()
    assert Signature.objects.filter(initiative=initiative, channel=Signature.Channel.PAPER).count() == 1
    assert counted(initiative) == 2

    # The council's verification page, and the public pages in both languages.
    council.goto(f"/initiatives/{initiative.public_id}/verification/")
    report += problems(council)
    visitor = new_context(language="bg").new_page()
    for path in ("/initiatives/", f"/initiatives/{initiative.public_id}/"):
        visitor.goto(path)
        report += problems(visitor)
    english = new_context(language="en").new_page()
    english.goto(f"/initiatives/{initiative.public_id}/")
    report += problems(english, "en")
    assert report == [], "\n".join(report)


def test_signing_works_without_javascript(
    new_context: Callable[..., Any],
    citizen: Any,
    council_secretary: Any,
    verified_resident: Any,
    make_user: Callable[..., Any],
    kresna: Any,
) -> None:
    initiative = collecting_referendum(
        citizen,
        council_secretary,
        make_user,
        kresna,
        title="Детска площадка",
        question="Съгласни ли сте с детска площадка в Сливница?",
    )
    page = new_context(language="bg", javascript=False).new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", verified_resident.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto(f"/initiatives/{initiative.public_id}/")
    submit(page, "/sign/")
    assert counted(initiative) == 1
    submit(page, "/withdraw/")
    assert counted(initiative) == 0


def test_a_new_person_signs_up_supports_a_petition_and_is_told_why_a_referendum_needs_more(
    new_context: Callable[..., Any], citizen: Any, council_secretary: Any, kresna: Any, make_user: Any
) -> None:
    """As a new user would: sign up, confirm the e-mail by its link (a page with a button),
    support a petition; a referendum proposal needs a resident verified in person, and the
    page says so with a 403 instead of counting the signature."""
    from django.core import mail

    petition = services.initiative_create(
        actor=citizen,
        municipality=kresna,
        kind=Initiative.Kind.PETITION,
        title="Автобус до Ощава",
        question="Молим за автобусна линия до Ощава два пъти дневно.",
        addressee=Initiative.Addressee.MAYOR,
    )
    services.initiative_submit_for_review(actor=citizen, initiative=petition)
    services.initiative_review(actor=council_secretary, initiative=petition, admissible=True, reasons="Допустимо.")
    services.initiative_open_collection(actor=citizen, initiative=petition, closes_on=None)
    referendum = collecting_referendum(citizen, council_secretary, make_user, kresna)

    page = new_context(language="bg").new_page()
    page.goto("/accounts/signup/")
    page.fill("#id_email", "new.person@example.org")
    page.fill("#id_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_password2", "a-long-and-unusual-passphrase")
    page.check("#id_accept_terms")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    path = next(re.finditer(r"https?://\S+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)).group(1)
    page.goto(path)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    page.goto(f"/initiatives/{petition.public_id}/")
    submit(page, "/sign/")
    assert counted(petition) == 1
    page.goto(f"/initiatives/{referendum.public_id}/")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("main form[action$='/sign/'] button[type=submit]").click()
    assert answer.value.status == 403
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"  # read out first
    assert counted(referendum) == 0
    assert axe_violations(page) == [] and duplicate_id_problems(page) == []


def test_council_staff_verify_the_signatures_with_the_registrys_answer(
    new_context: Callable[..., Any],
    citizen: Any,
    council_secretary: Any,
    advisor: Any,
    make_user: Callable[..., Any],
    kresna: Any,
    tmp_path: Any,
) -> None:
    """The council staff download the list for the civil registry, fill in its answer in the
    same file, upload it, and record the official count, which the public page then shows."""
    import csv
    import io

    from glas.accounts.services import resident_verify

    initiative = collecting_referendum(citizen, council_secretary, make_user, kresna)
    for number in range(2):
        signer = make_user(f"signer{number}@example.org")
        resident_verify(
            actor=advisor,
            user=signer,
            egn=demo_egn(dt.date(1960 + number, 5, 20), 500 + number),
            settlement=Settlement.objects.get(slug="kresna"),
            document="id_card",
        )
        signer.refresh_from_db()
        services.signature_sign(actor=signer, initiative=initiative)
    services.initiative_submit_signatures(actor=citizen, initiative=initiative)

    page = new_context(language="bg").new_page()
    log_in(page, council_secretary.email)
    page.goto(f"/initiatives/{initiative.public_id}/manage/")
    submit(page, "/action/verify/")
    page.goto(f"/initiatives/{initiative.public_id}/verification/")
    report = problems(page)
    with page.expect_download() as download:
        page.locator("main a[href$='export.csv']").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2
    rows[0].update(result="valid")
    rows[1].update(result="invalid", reason="няма постоянен адрес в общината")
    answer = tmp_path / "grao-answer.csv"
    with answer.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    page.set_input_files("#id_file", str(answer))
    with page.expect_navigation():
        page.locator("main form[action$='/verification/import/'] button[type=submit]").click()
    page.goto(f"/initiatives/{initiative.public_id}/manage/")
    submit(page, "/action/complete/")
    initiative.refresh_from_db()
    assert (initiative.official_valid, initiative.official_invalid) == (1, 1)
    visitor = new_context(language="bg").new_page()
    visitor.goto(f"/initiatives/{initiative.public_id}/")
    assert visitor.locator("#verified-title + p").inner_text() == "Действителни: 1; недействителни: 1."
    report += problems(visitor)
    assert report == []
