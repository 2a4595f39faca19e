"""Writes of the registry: each checks the rules, changes nothing when refused, and leaves one
audit entry when it succeeds."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.council import services
from glas.council.models import Decision, Session, SessionDocument, Vote
from glas.council.tests.conftest import make_decision, roll_call

PDF = b"%PDF-1.4\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(content, name="file.pdf"):
    return SimpleUploadedFile(name, content)


def test_creating_a_session_is_audited(session, council_secretary):
    entry = AuditEntry.objects.get(action="council.session.created")
    assert entry.actor == council_secretary
    assert entry.object_id == str(session.pk)


def test_a_session_outside_the_term_is_refused(council, council_secretary):
    with pytest.raises(DomainError, match="outside the term"):
        services.council_session_create(
            actor=council_secretary, term=council.term, data={"number": 1, "date": dt.date(2030, 1, 1)}
        )
    assert not Session.objects.exists()


def test_a_second_session_with_the_same_number_is_a_clear_error(session, council_secretary):
    with pytest.raises(DomainError, match="already has a session with that number"):
        services.council_session_create(
            actor=council_secretary, term=session.term, data={"number": session.number, "date": session.date}
        )


@pytest.mark.parametrize("persona", ["citizen", "researcher", "advisor", "outsider"])
def test_only_council_staff_write_to_the_registry(request, persona, council):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError, match="You may not do this"):
        services.council_session_create(actor=user, term=council.term, data={"number": 1, "date": dt.date(2025, 1, 1)})
    assert not Session.objects.exists()


def test_recording_a_decision_and_its_roll_call(decision, council):
    assert decision.term == council.term
    recorded = dict(decision.votes.values_list("councillor__name", "choice"))
    assert recorded == {
        "Ана Тестова": "for",
        "Борис Тестов": "for",
        "Вера Тестова": "for",
        "Глеб Тестов": "against",
        "Дора Тестова": "absent",
    }
    entry = AuditEntry.objects.get(action="council.votes.recorded")
    assert entry.data == {"for": 3, "against": 1, "abstained": 0, "absent": 1}


def test_recording_the_roll_call_again_replaces_it_without_double_counting(decision, council, council_secretary):
    services.votes_record(
        actor=council_secretary, decision=decision, choices=roll_call(council, "for", "for", "for", "for", "for")
    )
    assert Vote.objects.filter(decision=decision).count() == 5
    assert set(Vote.objects.filter(decision=decision).values_list("choice", flat=True)) == {"for"}


def test_a_roll_call_must_name_every_councillor_in_office(session, council, council_secretary):
    decision = make_decision(council_secretary, session)
    choices = roll_call(council, "for", "for", "for", "for", "for")
    choices.pop(council.people[4].pk)
    with pytest.raises(DomainError, match="Record a vote for every councillor: Дора Тестова"):
        services.votes_record(actor=council_secretary, decision=decision, choices=choices)
    assert not Vote.objects.exists()


def test_an_adopted_decision_needs_the_majority_in_its_roll_call(session, council, council_secretary):
    decision = make_decision(council_secretary, session)
    with pytest.raises(DomainError, match="cannot be adopted"):
        services.votes_record(
            actor=council_secretary,
            decision=decision,
            choices=roll_call(council, "for", "for", "against", "abstained", "absent"),
        )
    assert not Vote.objects.exists()


def test_an_absolute_majority_counts_all_seats(session, council, council_secretary):
    decision = make_decision(council_secretary, session, required_majority="absolute")
    with pytest.raises(DomainError, match="3 were needed"):
        services.votes_record(
            actor=council_secretary,
            decision=decision,
            choices=roll_call(council, "for", "for", "against", "absent", "absent"),
        )


def test_correcting_the_status_against_the_roll_call_is_refused(decision, council_secretary):
    with pytest.raises(DomainError, match="cannot be rejected"):
        services.decision_record(
            actor=council_secretary,
            session=decision.session,
            decision=decision,
            data={"number": decision.number, "title": decision.title, "status": "rejected"},
        )
    assert Decision.objects.get(pk=decision.pk).status == "adopted"


def test_a_councillor_who_left_does_not_vote_after_leaving(session, council, council_secretary):
    leaver = council.people[4]
    services.councillor_leave(actor=council_secretary, councillor=leaver, on=dt.date(2025, 1, 31))
    decision = make_decision(council_secretary, session)
    assert leaver not in services.councillors_voting_on(decision)
    with pytest.raises(DomainError, match="Only councillors in office"):
        services.votes_record(
            actor=council_secretary, decision=decision, choices=roll_call(council, "for", "for", "for", "for", "for")
        )


def test_a_duplicate_decision_number_is_a_clear_error(decision, council_secretary):
    with pytest.raises(DomainError, match=f"already has a decision № {decision.number}"):
        make_decision(council_secretary, decision.session, number=decision.number)


def test_a_decision_dated_outside_the_term_is_refused(session, council_secretary):
    with pytest.raises(DomainError, match="outside the term"):
        make_decision(council_secretary, session, date=dt.date(2028, 1, 1))


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        pytest.param(PDF, "pdf", id="pdf"),
        pytest.param(docx_bytes(), "docx", id="docx"),
        pytest.param(odt_bytes(), "odt", id="odt"),
    ],
)
def test_documents_are_accepted_by_their_content_and_stored_under_a_server_name(
    session, council_secretary, content, fmt
):
    document = services.session_document_add(
        actor=council_secretary, session=session, title="Докладна", upload=upload(content, "../../etc/passwd.pdf")
    )
    assert document.format == fmt
    assert document.size == len(content)
    assert "passwd" not in document.file.name
    assert document.file.name.startswith("council/documents/")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"MZ\x90\x00 not a document", id="executable-named-pdf"),
        pytest.param(b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param(b"PK\x03\x04broken zip", id="broken-zip"),
    ],
)
def test_other_files_are_refused_whatever_their_name(session, council_secretary, content):
    with pytest.raises(DomainError, match="Upload a PDF, DOCX or ODT document"):
        services.session_document_add(actor=council_secretary, session=session, title="Х", upload=upload(content))
    assert not SessionDocument.objects.exists()


def test_a_document_over_20_mb_is_refused(session, council_secretary, monkeypatch):
    monkeypatch.setattr("glas.council.services.files.MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(DomainError, match="larger than 20 MB"):
        services.session_document_add(
            actor=council_secretary, session=session, title="Х", upload=upload(PDF + b"0" * 200)
        )


def test_minutes_are_a_pdf_or_a_text_of_a_held_session(session, council_secretary):
    with pytest.raises(DomainError, match="Upload a PDF file"):
        services.minutes_record(actor=council_secretary, session=session, upload=upload(docx_bytes(), "m.docx"))
    with pytest.raises(DomainError, match="Upload the minutes as a PDF or write their text"):
        services.minutes_record(actor=council_secretary, session=session, text="  ")
    minutes = services.minutes_record(actor=council_secretary, session=session, upload=upload(PDF))
    assert minutes.file and minutes.size == len(PDF)


def test_minutes_wait_for_the_session_to_be_held(council, council_secretary):
    planned = services.council_session_create(
        actor=council_secretary, term=council.term, data={"number": 9, "date": dt.date(2025, 9, 1), "status": "planned"}
    )
    with pytest.raises(DomainError, match="once the session has been held"):
        services.minutes_record(actor=council_secretary, session=planned, text="Протокол")


def test_a_photo_must_be_a_jpeg_or_png_image(term, council_secretary):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    councillor = services.councillor_create(
        actor=council_secretary,
        term=term,
        name="Със снимка",
        active_from=term.start,
        photo=upload(buffer.getvalue(), "me.gif"),
    )
    assert councillor.photo.name.endswith(".png")
    with pytest.raises(DomainError, match="JPEG or PNG"):
        services.councillor_create(
            actor=council_secretary,
            term=term,
            name="Друг",
            active_from=term.start,
            photo=upload(b"GIF89a....", "x.png"),
        )


def test_agenda_items_are_numbered_in_order(session, council_secretary, council):
    first = services.agenda_item_add(actor=council_secretary, session=session, title="Бюджет", committee=council.budget)
    second = services.agenda_item_add(actor=council_secretary, session=session, title="Разни")
    assert (first.position, second.position) == (1, 2)
