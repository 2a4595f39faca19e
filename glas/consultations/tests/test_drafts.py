"""Preparing a draft: its details, its text in articles and paragraphs, its documents."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Article, Draft
from glas.consultations.text import parse_articles
from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry


def test_the_text_is_split_into_articles_paragraphs_and_headings(prepared):
    articles = list(Article.objects.filter(draft=prepared).order_by("position").prefetch_related("paragraphs"))
    assert [a.number for a in articles] == ["Чл. 1", "Чл. 2", "Чл. 3"]
    assert articles[0].heading == "Глава първа. Общи положения"
    assert articles[2].heading == "Глава втора. Тишина"
    assert [(p.number, p.text) for p in articles[0].paragraphs.order_by("position")] == [
        ("(1)", "Тази наредба урежда обществения ред."),
        ("(2)", "Тя се прилага на цялата територия на общината."),
    ]
    assert [(p.number, p.text) for p in articles[1].paragraphs.all()] == [("", "Контролът се осъществява от кмета.")]


def test_continuation_lines_join_the_paragraph_before_them():
    articles = parse_articles("Чл. 1. (1) Забранява се:\n1. шум;\n2. дим.\n(2) Друго.")
    assert articles[0].paragraphs[0].text == "Забранява се:\n1. шум;\n2. дим."
    assert articles[0].paragraphs[1].text == "Друго."


@pytest.mark.parametrize("text", ["", "Просто текст без членове.", "Чл. 1. a\x00b", "Чл. 1. a\u202eb"])
def test_a_text_without_articles_or_with_forbidden_characters_is_refused(text):
    with pytest.raises(DomainError):
        parse_articles(text)


def test_rich_text_keeps_simple_formatting_and_drops_scripts(prepared, council_secretary):
    draft = services.draft_update(
        actor=council_secretary,
        draft=prepared,
        title="Наредба",
        act_type="ordinance",
        topic="public_order",
        proposer_kind="councillor",
        proposer_name="Съветник",
        summary="",
        motives='<p onclick="x()">Мотиви <strong>важни</strong><script>alert(1)</script>'
        "<img src=x onerror=alert(1)></p>",
        impact_assessment="<p>Оценка</p>",
    )
    assert draft.motives == "<p>Мотиви <strong>важни</strong></p>"


def test_the_text_is_imported_from_a_word_document(prepared, council_secretary, client_for):
    from docx import Document

    document = Document()
    for line in ["Глава първа", "Чл. 1. (1) Първа алинея.", "(2) Втора алинея.", "Чл. 2. Само една."]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("draft.docx", buffer.getvalue())
    response = client_for(council_secretary).post(
        reverse("consultations:text", args=[prepared.public_id]), {"import": "1", "file": upload}
    )
    assert response.status_code == 302
    numbers = list(Article.objects.filter(draft=prepared).order_by("position").values_list("number", flat=True))
    assert numbers == ["Чл. 1", "Чл. 2"]
    assert AuditEntry.objects.filter(action="consultations.draft.text_set", data__source="docx").exists()


def test_a_file_that_is_not_a_word_document_is_refused_with_a_form_error(prepared, council_secretary, client_for):
    upload = SimpleUploadedFile("draft.docx", b"not a zip at all")
    response = client_for(council_secretary).post(
        reverse("consultations:text", args=[prepared.public_id]), {"import": "1", "file": upload}
    )
    assert response.status_code == 400
    assert "not a Word document" in response.content.decode()


def test_an_attachment_whose_content_does_not_match_its_type_is_refused(prepared, council_secretary):
    with pytest.raises(DomainError) as error:
        services.attachment_add(
            actor=council_secretary,
            draft=prepared,
            kind="impact",
            title="Оценка",
            upload=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 executable"),
        )
    assert error.value.field == "file"
    with pytest.raises(DomainError):
        services.attachment_add(
            actor=council_secretary,
            draft=prepared,
            kind="other",
            title="x",
            upload=SimpleUploadedFile("a.exe", b"%PDF-"),
        )


def test_an_attachment_is_stored_under_a_server_side_name(prepared, council_secretary, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_add(
        actor=council_secretary,
        draft=prepared,
        kind="impact",
        title="Оценка",
        upload=SimpleUploadedFile("<script>.pdf", b"%PDF-1.4 ..."),
    )
    assert "script" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")


def test_the_text_cannot_change_once_the_consultation_is_published(consultation, council_secretary):
    with pytest.raises(DomainError) as error:
        services.draft_text_set(actor=council_secretary, draft=consultation, text="Чл. 1. Друго.")
    assert error.value.code == "published"


def test_a_draft_in_preparation_is_not_public(prepared, client):
    assert client.get(reverse("consultations:detail", args=[prepared.public_id])).status_code == 404
    assert client.get(reverse("consultations:timeline", args=[prepared.public_id])).status_code == 404
    assert prepared.title not in client.get(reverse("consultations:list")).content.decode()
    assert prepared.title not in client.get(reverse("consultations:feed")).content.decode()
    assert prepared.title not in client.get(reverse("consultations:calendar")).content.decode()
    assert client.get(f"/api/v1/consultations/{prepared.public_id}").status_code == 404


def test_staff_create_a_draft_through_the_form(council_secretary, client_for, legal_rules, kresna):
    response = client_for(council_secretary).post(
        reverse("consultations:create"),
        {
            "title": "Наредба за таксите",
            "act_type": "ordinance",
            "topic": "finance",
            "proposer_kind": "administration",
            "proposer_name": "Дирекция ФСД",
            "motives": "<p>Мотиви</p>",
        },
    )
    draft = Draft.objects.get(title="Наредба за таксите")
    assert response.status_code == 302 and response.url == reverse("consultations:manage", args=[draft.public_id])
    assert draft.created_by == council_secretary and draft.status == Draft.Status.DRAFT


@pytest.mark.parametrize("persona", ["citizen", "advisor", "researcher", "commission_member"])
def test_other_roles_cannot_open_the_staff_pages(request, persona, prepared, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("consultations:staff_list")).status_code == 403
    assert client.get(reverse("consultations:manage", args=[prepared.public_id])).status_code == 403
    assert (
        client.post(reverse("consultations:text", args=[prepared.public_id]), {"text": "Чл. 1. x"}).status_code == 403
    )
