"""The public register of interest declarations and the check of council votes against it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from glas.core.exceptions import DomainError
from glas.council import services as council_services
from glas.council.tests.conftest import make_decision, roll_call
from glas.integrity import services
from glas.integrity.models import InterestDeclaration, VoteFlag

pytestmark = pytest.mark.django_db


def declare(actor, councillor=None, companies=(("Бетон Кресна ЕООД", "175074752", "owner"),), **extra):
    data = {
        "person_name": councillor.name if councillor else "Петя Служебна",
        "position": "councillor" if councillor else "secretary",
        "councillor": councillor,
        "kind": "annual",
        "year": 2025,
        "filed_on": dt.date(2025, 5, 15),
        "companies": list(companies),
    }
    data.update(extra)
    return services.declaration_file(actor=actor, **data)


def test_a_councillor_who_voted_on_a_decision_naming_their_company_is_flagged_for_review(
    council, session, council_secretary, django_capture_on_commit_callbacks
):
    decision = make_decision(
        council_secretary, session, title="Договор за ремонт", text="Възлага ремонта на „Бетон Кресна“ ЕООД."
    )
    council_services.votes_record(
        actor=council_secretary, decision=decision, choices=roll_call(council, "for", "against", "for", "absent", "for")
    )
    with django_capture_on_commit_callbacks(execute=True):
        declare(council_secretary, council.people[0])  # voted for: flagged
        declare(council_secretary, council.people[3])  # absent: not flagged
    flag = VoteFlag.objects.get()
    assert flag.vote.councillor == council.people[0] and flag.status == "pending"
    assert services.vote_conflicts_scan() == 0  # found once, not again


def test_a_company_named_by_its_uic_is_found_too(council, session, council_secretary):
    decision = make_decision(council_secretary, session, text="Изпълнител с ЕИК 175074752.")
    council_services.votes_record(
        actor=council_secretary, decision=decision, choices=roll_call(council, "abstained", "for", "for", "for", "for")
    )
    declare(council_secretary, council.people[0], companies=[("Друго име ООД", "175074752", "manager")])
    assert services.vote_conflicts_scan() == 1
    assert VoteFlag.objects.get().matched_on == "eik"


def test_only_a_confirmed_flag_with_a_note_is_published(client, council, session, council_secretary, integrity_officer):
    decision = make_decision(council_secretary, session, text="Договор с Бетон Кресна.")
    council_services.votes_record(
        actor=council_secretary, decision=decision, choices=roll_call(council, "for", "for", "for", "for", "for")
    )
    declaration = declare(council_secretary, council.people[1])
    services.vote_conflicts_scan()
    flag = VoteFlag.objects.get()
    page = client.get(f"/integrity/declarations/{declaration.public_id}/").content.decode()
    assert "confirmed conflict" not in page
    with pytest.raises(DomainError, match="Explain"):
        services.vote_flag_review(actor=integrity_officer, flag=flag, status="confirmed")
    with pytest.raises(DomainError, match="You may not do this"):
        services.vote_flag_review(actor=council_secretary, flag=flag, status="dismissed")
    services.vote_flag_review(actor=integrity_officer, flag=flag, status="confirmed", note="Собственик на изпълнителя.")
    page = client.get(f"/integrity/declarations/{declaration.public_id}/").content.decode()
    assert "Собственик на изпълнителя." in page


def test_the_register_is_public_and_searchable(client, council, council_secretary):
    declare(council_secretary, council.people[2], companies=[("Горско стопанство Струма АД", "", "related")])
    declare(council_secretary, None, companies=[])
    assert "Горско" in client.get("/integrity/declarations/?q=струма").content.decode()
    assert "Петя Служебна" not in client.get("/integrity/declarations/?q=струма").content.decode()
    assert "Петя Служебна" in client.get("/integrity/declarations/?position=secretary&year=2025").content.decode()
    assert client.get("/integrity/declarations/?year=abc&page=x").status_code == 200


@pytest.mark.parametrize(
    ("companies", "message"),
    [
        ([("Фирма", "123", "owner")], "not a valid UIC"),
        ([("", "", "owner")], "give the company's name"),
        ([("Фирма", "", "cousin")], "relation must be one of"),
    ],
)
def test_bad_companies_are_refused_line_by_line(council_secretary, kresna, companies, message):
    with pytest.raises(DomainError, match=message):
        declare(council_secretary, None, companies=companies)
    assert not InterestDeclaration.objects.exists()


def test_a_non_pdf_document_is_refused(council_secretary, kresna):
    fake = SimpleUploadedFile("declaration.pdf", b"<script>alert(1)</script>")
    with pytest.raises(DomainError):
        declare(council_secretary, None, document=fake)


def test_only_a_councillors_declaration_links_to_a_councillor(council, council_secretary):
    with pytest.raises(DomainError, match="Only a councillor"):
        declare(council_secretary, council.people[0], position="mayor")
    declaration = declare(council_secretary, None)
    with pytest.raises(IntegrityError):
        InterestDeclaration.objects.filter(pk=declaration.pk).update(councillor=council.people[0])


@pytest.mark.parametrize(("persona", "status"), [("citizen", 403), ("advisor", 403), ("council_secretary", 200)])
def test_who_adds_declarations(request, client_for, persona, status, kresna):
    assert client_for(request.getfixturevalue(persona)).get("/integrity/declarations/new/").status_code == status


def test_declarations_are_added_through_the_form(client_for, council_secretary, kresna):
    response = client_for(council_secretary).post(
        "/integrity/declarations/new/",
        {
            "person_name": "Иван Кметов",
            "position": "mayor",
            "kind": "initial",
            "year": "2023",
            "filed_on": "2023-12-01",
            "companies": "Бетон Кресна ЕООД; 175074752; owner\nбез точка и запетая",
        },
    )
    assert response.status_code == 400 and "Line 2" in response.content.decode()
    assert not InterestDeclaration.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("integrity_officer", 200), ("council_secretary", 403)])
def test_only_integrity_officers_review_flags(request, client_for, persona, status, kresna):
    assert client_for(request.getfixturevalue(persona)).get("/integrity/officers/flags/").status_code == status


def test_the_commissions_declared_conflicts_appear_in_the_register(
    client, commission_member, council_secretary, make_user
):
    from glas.accounts.roles import Role
    from glas.commission import services as commission_services
    from glas.commission.models import Meeting, MeetingItem
    from glas.commission.tests.commission_data import published_opinion

    users = [commission_member] + [make_user(f"expert{n}@example.org", roles=[Role.COMMISSION_MEMBER]) for n in (1, 2)]
    opinion = published_opinion(council_secretary, users)
    meeting = Meeting.objects.get(pk=opinion.item.meeting_id)
    item = MeetingItem.objects.filter(meeting=meeting).exclude(pk=opinion.item_id).first()
    commission_services.conflict_declare(actor=commission_member, item=item, nature="Съпругата ми е вносител")
    page = client.get("/integrity/declarations/").content.decode()
    assert "Съпругата ми е вносител" in page and item.title in page
