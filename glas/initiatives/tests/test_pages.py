"""The pages through HTTP: public list and initiative page, signing, the committee's and the
council's steps, paper entry, verification and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from glas.core.models import AuditEntry, Settlement
from glas.initiatives import services
from glas.initiatives.models import Initiative, Signature
from glas.initiatives.selectors import signature_count


def url(name, initiative, *args):
    return reverse(f"initiatives:{name}", args=[initiative.public_id, *args])


def test_the_list_shows_registered_initiatives_and_never_drafts(client, collecting, promoter, kresna_rules):
    services.initiative_create(
        actor=promoter, municipality=kresna_rules, kind="referendum", title="Тайна чернова", question="?"
    )
    page = client.get(reverse("initiatives:list")).content.decode()
    assert collecting.title in page and "Тайна чернова" not in page


def test_a_draft_has_no_public_page(client, draft):
    assert client.get(url("detail", draft)).status_code == 404
    assert client.get("/api/v1/initiatives/" + str(draft.public_id)).status_code == 404


def test_the_initiative_page_shows_progress_towards_both_thresholds_in_bounded_queries(
    client, collecting, promoter, new_egn, django_assert_max_num_queries
):
    kresna = Settlement.objects.get(slug="kresna")
    for line in range(1, 31):
        services.signature_enter_paper(
            actor=promoter,
            initiative=collecting,
            sheet_number=1,
            line_number=line,
            full_name="Иван Петров Иванов",
            egn=new_egn(),
            address="ул. Шипка 1",
            settlement=kresna,
        )
    with django_assert_max_num_queries(12):
        response = client.get(url("detail", collecting))
    page = response.content.decode()
    assert '<progress id="progress-bar" max="453" value="30">' in page
    assert "227 signatures are needed" in page and "Which signatures count" in page


def test_a_verified_resident_signs_and_withdraws_through_the_page(client_for, collecting, make_resident):
    client = client_for(make_resident())
    assert client.post(url("sign", collecting)).status_code == 302
    assert signature_count(collecting) == 1
    assert "Withdraw my signature" in client.get(url("detail", collecting)).content.decode()
    assert client.post(url("withdraw", collecting)).status_code == 302
    assert signature_count(collecting) == 0


def test_signing_reads_the_initiative_and_the_verification_once_each_and_only_what_it_needs(
    client_for, collecting, make_resident
):
    """The read every signature makes is narrowed to the columns signing uses; a column it
    forgot would be loaded by a second query, which this catches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(make_resident())
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url("sign", collecting)).status_code == 302
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    initiative_reads = [sql for sql in selects if 'FROM "initiatives_initiative"' in sql]
    verification_reads = [sql for sql in selects if 'FROM "accounts_residentverification"' in sql]
    assert len(initiative_reads) == 1 and len(verification_reads) == 1
    assert '"description"' not in initiative_reads[0] and '"question"' not in initiative_reads[0]
    assert '"document"' not in verification_reads[0] and '"verified_by_id"' not in verification_reads[0]
    assert signature_count(collecting) == 1


def test_an_unverified_account_posting_to_the_sign_endpoint_gets_403(client_for, collecting, citizen):
    response = client_for(citizen).post(url("sign", collecting))
    assert response.status_code == 403
    assert Signature.objects.count() == 0


def test_signing_needs_a_post_with_a_csrf_token(collecting, make_resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_resident())
    assert client.get(url("sign", collecting)).status_code == 405
    assert client.post(url("sign", collecting)).status_code == 403
    assert Signature.objects.count() == 0


def test_signing_a_closed_initiative_is_a_clear_400(client_for, collecting, promoter, make_resident):
    services.initiative_submit_signatures(actor=promoter, initiative=collecting)
    response = client_for(make_resident()).post(url("sign", collecting))
    assert response.status_code == 400
    assert "Signature collection has closed." in response.content.decode()


def test_a_burst_from_one_address_is_held_for_review_without_saying_so(client_for, collecting, make_resident, settings):
    settings.INITIATIVES_SIGN_LIMIT_PER_ADDRESS = 2
    messages = []
    for _ in range(3):
        response = client_for(make_resident()).post(url("sign", collecting), follow=True)
        messages.append([str(m) for m in response.context["messages"]])
    assert messages[0] == messages[2] == ["Thank you: your signature is recorded."]
    assert list(Signature.objects.values_list("status", flat=True).order_by("pk")) == ["counted", "counted", "held"]
    assert signature_count(collecting) == 2


def test_a_burst_from_one_small_email_domain_is_held(client_for, petition, make_user, settings):
    settings.INITIATIVES_SIGN_LIMIT_PER_DOMAIN = 1
    for n in range(2):
        client_for(make_user(f"bot{n}@spam-domain.example")).post(url("sign", petition))
    assert list(Signature.objects.values_list("status", flat=True).order_by("pk")) == ["counted", "held"]


def test_a_promoter_creates_a_draft_through_the_form_and_extra_fields_are_ignored(client_for, promoter, kresna_rules):
    response = client_for(promoter).post(
        reverse("initiatives:create"),
        {
            "kind": "referendum",
            "title": "Мост",
            "question": "Мост ли?",
            "territory": "municipality",
            "addressee": "council",
            "status": "registered",
            "threshold_propose": "1",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert (initiative.status, initiative.threshold_propose) == ("draft", None)


def test_a_bad_create_form_is_a_400_with_errors(client_for, promoter, kresna_rules):
    response = client_for(promoter).post(reverse("initiatives:create"), {"kind": "nonsense", "title": "x" * 500})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_an_admissibility_decision_without_reasons_is_a_400_through_the_page(
    client_for, draft, promoter, make_user, council_secretary
):
    from .conftest import committee_of

    committee_of(draft, promoter, make_user)
    services.initiative_submit_for_review(actor=promoter, initiative=draft)
    response = client_for(council_secretary).post(
        url("action", draft, "review"), {"review-admissible": "1", "review-reasons": ""}
    )
    assert response.status_code == 400
    assert Initiative.objects.get(pk=draft.pk).status == "review"
    # One error summary, the review form's own, whose link leads to the reasons.
    page = response.content.decode()
    assert page.count('id="error-summary"') == 1
    assert 'href="#id_review-reasons"' in page


def test_a_step_refused_without_a_form_on_the_page_says_why_above_the_page(client_for, draft, promoter):
    # A committee of one cannot go to review: the button has no fields, so the page says it.
    response = client_for(promoter).post(url("action", draft, "submit-review"))
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('id="error-summary"') == 1
    assert "The step was not taken" in page and "committee" in page.split('id="error-summary"')[1][:600]


def test_the_committee_cannot_take_the_councils_steps(client_for, draft, promoter, make_user):
    from .conftest import committee_of

    committee_of(draft, promoter, make_user)
    services.initiative_submit_for_review(actor=promoter, initiative=draft)
    response = client_for(promoter).post(
        url("action", draft, "review"), {"review-admissible": "1", "review-reasons": "Допустимо по закона."}
    )
    assert response.status_code == 403


def test_another_persons_draft_is_not_found(client_for, draft, make_user):
    client = client_for(make_user("nosy@example.org"))
    assert client.get(url("manage", draft)).status_code == 404
    assert client.post(url("action", draft, "submit-review")).status_code == 404


def test_paper_entry_page_refuses_a_bad_egn_without_echoing_it(client_for, collecting, promoter):
    data = {
        "sheet_number": 1,
        "line_number": 1,
        "full_name": "Иван Петров Иванов",
        "egn": "7501020017",
        "address": "ул. Шипка 1",
        "settlement": Settlement.objects.get(slug="kresna").pk,
    }
    response = client_for(promoter).post(url("paper_entry", collecting), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "check digit is wrong" in page and "7501020017" not in page


def test_the_registry_export_is_for_council_staff_only_and_every_download_is_audited(
    client_for, collecting, promoter, council_secretary, new_egn
):
    services.signature_enter_paper(
        actor=promoter,
        initiative=collecting,
        sheet_number=1,
        line_number=1,
        full_name="Иван Петров Иванов",
        egn=new_egn(),
        address='=HYPERLINK("x")',
        settlement=Settlement.objects.get(slug="kresna"),
    )
    assert client_for(promoter).get(url("export", collecting, "csv")).status_code == 403
    assert Client().get(url("export", collecting, "csv")).status_code == 302
    response = client_for(council_secretary).get(url("export", collecting, "csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "••••••••" in text
    signature = Signature.objects.get()
    assert signature.identity_key not in text
    assert client_for(council_secretary).get(url("export", collecting, "xlsx")).status_code == 200
    assert AuditEntry.objects.filter(action="initiatives.signatures.exported").count() == 2


def test_the_printable_sheet_carries_the_question(client_for, collecting, promoter):
    response = client_for(promoter).get(url("sheet", collecting))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_manage_page_shows_the_dashboard_with_a_safety_margin(client_for, collecting, promoter):
    page = client_for(promoter).get(url("manage", collecting)).content.decode()
    assert "collect about 316 more" in page  # 227 / 0.72 → 316
    assert "collect about 630 more" in page  # 453 / 0.72 → 630


def test_the_api_lists_registered_initiatives_with_counts(client, collecting, make_resident):
    services.signature_sign(actor=make_resident(), initiative=collecting)
    listed = client.get("/api/v1/initiatives/").json()
    assert [item["threshold_oblige"] for item in listed] == [453]
    detail = client.get(f"/api/v1/initiatives/{collecting.public_id}").json()
    assert detail["signatures"] == 1 and detail["timeline"][-1]["status"] == "collecting"
    assert client.get("/api/v1/initiatives/?limit=1000").status_code == 400


@pytest.mark.parametrize("page", ["abc", "99999", "-1"])
def test_odd_page_numbers_do_not_break_the_list(client, collecting, page):
    assert client.get(reverse("initiatives:list"), {"page": page}).status_code == 200


def test_the_whole_referendum_runs_through_the_pages(
    client_for,
    promoter,
    kresna_rules,
    make_user,
    council_secretary,
    make_resident,
    new_egn,
    django_capture_on_commit_callbacks,
):
    promoter_client, council = client_for(promoter), client_for(council_secretary)
    promoter_client.post(
        reverse("initiatives:create"),
        {
            "kind": "referendum",
            "title": "Мост",
            "question": "Мост ли?",
            "territory": "municipality",
            "addressee": "council",
        },
    )
    initiative = Initiative.objects.get()
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            promoter_client.post(
                url("action", initiative, "invite"),
                {"invite-full_name": f"Член Комитетов {n}", "invite-email": f"m{n}@example.org"},
            )
    from django.core import mail

    links = [line for m in mail.outbox for line in m.body.splitlines() if "/committee/" in line]
    assert len(links) == 2
    for n, link in enumerate(links):
        client_for(make_user(f"m{n}@example.org")).post(link.strip().replace("http://testserver", ""))
    assert promoter_client.post(url("action", initiative, "submit-review")).status_code == 302
    assert (
        council.post(
            url("action", initiative, "review"), {"review-admissible": "1", "review-reasons": "Допустимо по закона."}
        ).status_code
        == 302
    )
    closes = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert promoter_client.post(url("action", initiative, "open"), {"open-closes_on": closes}).status_code == 302
    client_for(make_resident()).post(url("sign", initiative))
    promoter_client.post(
        url("paper_entry", initiative),
        {
            "sheet_number": 1,
            "line_number": 1,
            "full_name": "Иван Петров Иванов",
            "egn": new_egn(),
            "address": "ул. Шипка 1",
            "settlement": Settlement.objects.get(slug="kresna").pk,
        },
    )
    assert signature_count(initiative) == 2
    assert promoter_client.post(url("action", initiative, "submit")).status_code == 302
    assert council.post(url("action", initiative, "verify")).status_code == 302
    ids = list(Signature.objects.values_list("public_id", flat=True))
    answer = "id,result,reason\n" + f"{ids[0]},valid,\n{ids[1]},invalid,няма постоянен адрес\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert (
        council.post(
            url("registry_import", initiative), {"file": SimpleUploadedFile("a.csv", answer.encode())}
        ).status_code
        == 302
    )
    assert council.post(url("action", initiative, "complete")).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.official_valid, initiative.official_invalid, initiative.status) == (1, 1, "awaiting_decision")
    today = timezone.localdate().isoformat()
    assert (
        council.post(
            url("action", initiative, "decision"),
            {
                "decision-decision": "refused",
                "decision-decided_on": today,
                "decision-reasons": "Решение № 5: подписите не стигат.",
            },
        ).status_code
        == 302
    )
    page = Client().get(url("detail", initiative)).content.decode()
    assert "Решение № 5" in page


def test_a_guessed_or_reused_committee_token_is_not_found(client, draft):
    assert client.get(reverse("initiatives:committee_confirm", args=["guessed-token"])).status_code == 404
    assert client.post(reverse("initiatives:committee_confirm", args=["x" * 500])).status_code == 404


@pytest.mark.parametrize("title", ["Мост\x00", "Мост\u202e", "М" * 201, "Мост\u200b"])
def test_hidden_characters_and_huge_fields_are_a_400(client_for, promoter, kresna_rules, title):
    data = {
        "kind": "referendum",
        "title": title,
        "question": "Мост ли?",
        "territory": "municipality",
        "addressee": "council",
    }
    response = client_for(promoter).post(reverse("initiatives:create"), data)
    assert response.status_code == 400
    assert not Initiative.objects.exists()


def test_the_home_page_lists_initiatives_collecting_signatures(client, collecting):
    assert collecting.title in client.get(reverse("core:home")).content.decode()


def test_a_signers_data_export_lists_their_signatures_masked(client_for, collecting, make_resident):
    from glas.accounts.selectors import personal_data_export

    resident = make_resident()
    services.signature_sign(actor=resident, initiative=collecting)
    section = personal_data_export(resident)["initiatives"]
    assert section["signatures"][0]["initiative"] == collecting.title
    assert section["signatures"][0]["egn"].startswith("••••••••")


def test_a_second_keying_through_the_page_shows_up_as_a_mismatch(
    client_for, collecting, promoter, council_secretary, new_egn
):
    kresna = Settlement.objects.get(slug="kresna").pk
    line = {
        "sheet_number": 2,
        "line_number": 3,
        "full_name": "Иван Петров Иванов",
        "address": "ул. Шипка 1",
        "settlement": kresna,
    }
    assert client_for(promoter).post(url("paper_entry", collecting), {**line, "egn": new_egn()}).status_code == 302
    council = client_for(council_secretary)
    assert (
        council.post(url("paper_entry", collecting), {**line, "egn": new_egn(), "second_keying": "on"}).status_code
        == 302
    )
    assert signature_count(collecting) == 1
    page = council.get(url("verification", collecting)).content.decode()
    assert "<td>2</td><td>3</td><td>ЕГН</td>" in page


def test_a_petition_has_no_paper_entry_page(client_for, petition, council_secretary):
    assert client_for(council_secretary).get(url("paper_entry", petition)).status_code == 404
