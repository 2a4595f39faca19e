"""The public pages of the registry, read without JavaScript, with bounded queries, and the
staff pages through HTTP."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glas.core.models import AuditEntry
from glas.council import services
from glas.council.models import AgendaItem, Decision, Minutes, Session, SessionDocument, Vote
from glas.council.tests.conftest import CSV_HEAD, make_decision, roll_call

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def many_decisions(session, council, council_secretary):
    """Thirty decisions with full roll calls, in two sessions, with agenda and documents."""
    second = services.council_session_create(
        actor=council_secretary, term=council.term, data={"number": 6, "date": dt.date(2025, 4, 24), "status": "held"}
    )
    for number in range(1, 31):
        target = session if number <= 15 else second
        item = services.agenda_item_add(actor=council_secretary, session=target, title=f"Точка {number}")
        services.session_document_add(
            actor=council_secretary,
            session=target,
            agenda_item=item,
            title=f"Докладна {number}",
            upload=SimpleUploadedFile("d.pdf", PDF),
        )
        found = make_decision(
            council_secretary, target, number=number, date=target.date, agenda_item=item, committee=council.budget
        )
        services.votes_record(
            actor=council_secretary,
            decision=found,
            choices=roll_call(council, "for", "for", "for", "abstained", "absent"),
        )
    services.minutes_record(actor=council_secretary, session=session, text="Протокол № 5")
    return council


def test_the_council_page_lists_councillors_by_group(client, many_decisions, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = client.get(reverse("council:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Листа А" in html and "Листа Б" in html and "Ана Тестова" in html
    assert "Бюджет и финанси" in html


def test_a_councillor_page_shows_the_voting_record_and_attendance(
    client, many_decisions, django_assert_max_num_queries
):
    absent = many_decisions.people[4]
    with django_assert_max_num_queries(10):
        page = client.get(reverse("council:councillor", args=[absent.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<td class="number">30</td>' in html  # absent 30 times
    assert "0.0 %" in html
    assert "Page 1 of 2" in html
    voter = client.get(reverse("council:councillor", args=[many_decisions.people[0].pk])).content.decode()
    assert "100.0 %" in voter


def test_the_voting_record_is_paginated(client, many_decisions):
    page = client.get(reverse("council:councillor", args=[many_decisions.people[0].pk]), {"page": 2})
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 5


def test_the_sessions_list_and_a_session_page(client, many_decisions, session, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("council:session_list"))
    assert "Session 5" in listing.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("council:session", args=[session.pk]))
    html = page.content.decode()
    assert "Точка 1" in html and "Докладна 1" in html and "Decision № 1" in html
    assert "Протокол № 5" in html


def test_a_decision_page_shows_text_tally_and_an_accessible_roll_call(client, decision, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = client.get(decision.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Decision № 101 of 27.03.2025" in html
    assert "Adopted" in html or "adopted" in html
    assert 'aria-labelledby="rollcall-title"' in html
    assert '<th scope="row"><a href="/council/councillors/' in html
    assert "The votes for reach the required majority." in html


def test_an_unknown_decision_is_not_found(client, term):
    assert client.get("/council/decisions/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/council/decisions/not-a-uuid/").status_code == 404


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        pytest.param({"q": "проба 7"}, {7}, id="title"),
        pytest.param({"q": "№ 12"}, {12}, id="number"),
        pytest.param({"q": "ТЕКСТ", "year": "2025"}, set(range(1, 31)), id="text-case-insensitive"),
        pytest.param({"status": "rejected"}, set(), id="status"),
        pytest.param({"year": "2024"}, None, id="year-not-offered-is-refused"),
    ],
)
def test_searching_decisions(client, many_decisions, params, numbers, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = client.get(reverse("council:decision_list"), params)
    if numbers is None:
        assert page.status_code == 400
        return
    assert page.status_code == 200
    found = {decision.number for decision in page.context["page"].paginator.object_list}
    assert found == numbers


def test_searching_by_committee(client, many_decisions, council_secretary, session):
    make_decision(council_secretary, session, number=99)
    page = client.get(reverse("council:decision_list"), {"committee": many_decisions.budget.pk})
    assert 99 not in {d.number for d in page.context["page"].paginator.object_list}
    assert page.context["page"].paginator.count == 30


def test_documents_are_served_with_their_type_and_a_server_name(client, many_decisions):
    document = SessionDocument.objects.first()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"document-{document.pk}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


# --- Staff pages --------------------------------------------------------------------------------


def test_staff_create_a_session_and_see_form_errors(client_for, council_secretary, council):
    client = client_for(council_secretary)
    bad = client.post(
        reverse("council:staff_session_create"),
        {"number": "1", "date": "2031-01-01", "kind": "regular", "status": "planned"},
    )
    assert bad.status_code == 400
    assert "outside the term" in bad.content.decode()
    good = client.post(
        reverse("council:staff_session_create"),
        {"number": "7", "date": "2025-05-29", "kind": "extraordinary", "place": "Зала", "status": "planned"},
    )
    session = Session.objects.get(number=7)
    assert good.status_code == 302 and good["Location"] == reverse("council:staff_session", args=[session.pk])
    assert session.kind == "extraordinary"


def test_staff_record_a_decision_then_its_roll_call(client_for, council_secretary, council, session):
    client = client_for(council_secretary)
    response = client.post(
        reverse("council:staff_decision_create", args=[session.pk]),
        {
            "number": "150",
            "date": "2025-03-27",
            "title": "Решение за парк",
            "text": "Текст",
            "status": "adopted",
            "required_majority": "simple",
        },
    )
    decision = Decision.objects.get(number=150)
    assert response["Location"] == reverse("council:staff_votes", args=[decision.public_id])
    form = client.get(response["Location"])
    html = form.content.decode()
    assert html.count('type="radio"') == 5 * 4
    assert "<legend>Ана Тестова (Листа А)</legend>" in html
    data = {f"c{person.pk}": "for" for person in council.people}
    saved = client.post(response["Location"], data)
    assert saved.status_code == 302
    assert Vote.objects.filter(decision=decision, choice="for").count() == 5


def test_a_roll_call_without_the_majority_comes_back_with_the_reason(client_for, council_secretary, council, session):
    decision = make_decision(council_secretary, session)
    data = {f"c{person.pk}": "against" for person in council.people}
    response = client_for(council_secretary).post(reverse("council:staff_votes", args=[decision.public_id]), data)
    assert response.status_code == 400
    assert "cannot be adopted" in response.content.decode()
    assert not Vote.objects.exists()


def test_an_incomplete_roll_call_form_is_a_form_error(client_for, council_secretary, council, session):
    decision = make_decision(council_secretary, session)
    data = {f"c{person.pk}": "for" for person in council.people[:4]}
    response = client_for(council_secretary).post(reverse("council:staff_votes", args=[decision.public_id]), data)
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_staff_add_agenda_documents_and_minutes(client_for, council_secretary, council, session):
    client = client_for(council_secretary)
    url = reverse("council:staff_session", args=[session.pk])
    assert client.get(url).status_code == 200
    client.post(
        reverse("council:staff_agenda_add", args=[session.pk]), {"title": "Бюджет", "committee": council.budget.pk}
    )
    item = AgendaItem.objects.get()
    bad = client.post(
        reverse("council:staff_document_add", args=[session.pk]),
        {"title": "Вирус", "agenda_item": item.pk, "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")},
    )
    assert bad.status_code == 400 and "Upload a PDF, DOCX or ODT document" in bad.content.decode()
    good = client.post(
        reverse("council:staff_document_add", args=[session.pk]),
        {"title": "Докладна", "agenda_item": item.pk, "file": SimpleUploadedFile("d.pdf", PDF)},
    )
    assert good.status_code == 302 and SessionDocument.objects.get().agenda_item == item
    minutes = client.post(
        reverse("council:staff_minutes", args=[session.pk]),
        {"text": "Протокол", "file": SimpleUploadedFile("m.pdf", PDF)},
    )
    assert minutes.status_code == 302 and Minutes.objects.get().file


def test_import_preview_then_confirm(client_for, council_secretary, council):
    client = client_for(council_secretary)
    line = "301;27.03.2025;5;Внесено решение;;прието;;за;за;за;против;отсъства"
    upload = SimpleUploadedFile("d.csv", f"{CSV_HEAD}\n{line}\n".encode())
    preview = client.post(reverse("council:staff_import"), {"file": upload})
    assert preview.status_code == 200
    assert "Preview: nothing has been saved yet" in preview.content.decode()
    assert not Decision.objects.exists()
    confirmed = client.post(reverse("council:staff_import"), {"payload": preview.context["payload"]})
    assert confirmed.status_code == 302
    assert Decision.objects.get().number == 301
    assert AuditEntry.objects.filter(action="council.decisions.imported").count() == 1


def test_import_errors_are_listed_by_line(client_for, council_secretary, council):
    upload = SimpleUploadedFile("d.csv", "номер;дата\n1;вчера\n".encode())
    response = client_for(council_secretary).post(reverse("council:staff_import"), {"file": upload})
    assert response.status_code == 400
    assert "Missing columns" in response.content.decode()


def test_a_tampered_import_payload_is_refused(client_for, council_secretary, council):
    response = client_for(council_secretary).post(reverse("council:staff_import"), {"payload": "forged"})
    assert response.status_code == 400
    assert "The preview has expired" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_navigation_links_to_the_council(client, term):
    html = client.get(reverse("council:home")).content.decode()
    assert 'href="/council/" aria-current="page"' in html


def test_staff_pages_have_bounded_queries(client_for, council_secretary, many_decisions, django_assert_max_num_queries):
    client = client_for(council_secretary)
    decision = Decision.objects.get(number=3)
    session = decision.session
    for url, limit in [
        (reverse("council:staff_home"), 10),
        (reverse("council:staff_session", args=[session.pk]), 16),
        (reverse("council:staff_votes", args=[decision.public_id]), 10),
        (reverse("council:staff_decision_edit", args=[decision.public_id]), 10),
    ]:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_a_document_missing_from_storage_is_not_found_rather_than_an_error(client, many_decisions):
    document = SessionDocument.objects.first()
    document.file.storage.delete(document.file.name)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_session_number_too_large_for_the_database_is_a_line_error(council, council_secretary):
    from glas.council.services.imports import ImportRefused

    data = f"{CSV_HEAD}\n1;27.03.2025;99999;Решение;;оттеглено;;;;;;\n".encode()
    with pytest.raises(ImportRefused, match="session number “99999”"):
        services.decisions_import_csv(actor=council_secretary, term=council.term, data=data)


def test_staff_edit_a_session_and_correct_a_decision(client_for, council_secretary, decision):
    client = client_for(council_secretary)
    session = decision.session
    edited = client.post(
        reverse("council:staff_session_edit", args=[session.pk]),
        {
            "number": "5",
            "date": "2025-03-27",
            "starts_at": "10:00",
            "kind": "regular",
            "place": "Читалище",
            "status": "held",
        },
    )
    assert edited.status_code == 302
    assert Session.objects.get(pk=session.pk).place == "Читалище"
    corrected = client.post(
        reverse("council:staff_decision_edit", args=[decision.public_id]),
        {
            "number": "101",
            "date": "2025-03-27",
            "title": "Поправено заглавие",
            "status": "contested",
            "required_majority": "simple",
        },
    )
    assert corrected.status_code == 302 and corrected["Location"] == decision.get_absolute_url()
    assert Decision.objects.get(pk=decision.pk).status == "contested"
    assert AuditEntry.objects.filter(action__in=["council.session.updated", "council.decision.updated"]).count() == 2
    refused = client.post(
        reverse("council:staff_decision_edit", args=[decision.public_id]),
        {
            "number": "101",
            "date": "2025-03-27",
            "title": "Поправено заглавие",
            "status": "rejected",
            "required_majority": "simple",
        },
    )
    assert refused.status_code == 400 and "cannot be rejected" in refused.content.decode()
