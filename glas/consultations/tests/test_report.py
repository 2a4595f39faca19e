"""Answers to the proposals, the справка in HTML, PDF and DOCX, and the gate before the council."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Draft
from glas.consultations.tests.conftest import close, paragraph
from glas.core.exceptions import DomainError


@pytest.fixture
def answered(consultation, wording, verified_resident, council_secretary):
    general = services.contribution_submit(
        actor=verified_resident,
        draft=consultation,
        kind="general",
        text="<b>Общо</b> мнение",
        organisation="НПО „Пирин“",
    )
    services.contribution_answer(
        actor=council_secretary, contribution=wording, decision="partly", reasons="До 23:30 ч."
    )
    services.contribution_answer(
        actor=council_secretary, contribution=general, decision="out_of_scope", reasons="Извън акта."
    )
    close(consultation)
    return consultation


@pytest.fixture
def reported(answered, council_secretary):
    return services.report_publish(actor=council_secretary, draft=answered)


def test_every_decision_needs_reasons(wording, council_secretary, client_for):
    url = reverse("consultations:answer", args=[wording.draft.public_id, wording.public_id])
    response = client_for(council_secretary).post(url, {"decision": "rejected", "reasons": "  "})
    assert response.status_code == 400
    wording.refresh_from_db()
    assert wording.decision == ""
    response = client_for(council_secretary).post(url, {"decision": "rejected", "reasons": "Противоречи на закона."})
    assert response.status_code == 302
    wording.refresh_from_db()
    assert (wording.decision, wording.answered_by) == ("rejected", wording.answered_by)


@pytest.mark.parametrize("persona", ["advisor", "admin_user", "researcher", "citizen", "commission_member"])
def test_staff_of_the_wrong_role_cannot_answer(request, persona, wording, client_for):
    url = reverse("consultations:answer", args=[wording.draft.public_id, wording.public_id])
    response = client_for(request.getfixturevalue(persona)).post(url, {"decision": "accepted", "reasons": "Да."})
    assert response.status_code == 403
    wording.refresh_from_db()
    assert wording.decision == ""


@pytest.mark.parametrize("persona", ["advisor", "admin_user", "researcher", "citizen"])
def test_staff_of_the_wrong_role_cannot_publish_the_report(request, persona, answered, client_for):
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("consultations:report_publish", args=[answered.public_id])
    )
    assert response.status_code == 403
    answered.refresh_from_db()
    assert answered.report_published_at is None


def test_the_report_cannot_leave_out_an_unanswered_proposal(
    answered, citizen, council_secretary, client_for, pages_in_english
):
    services.contribution_enter(
        actor=council_secretary,
        draft=answered,
        kind="general",
        channel="post",
        source="Вх. № 1",
        received_on=answered.closes_on,
        name="Късно писмо",
        text="Без отговор",
    )
    response = client_for(council_secretary).post(reverse("consultations:report_publish", args=[answered.public_id]))
    assert response.status_code == 400
    assert "1 proposal has no answer yet" in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == Draft.Status.PUBLISHED and answered.report_published_at is None


def test_the_report_waits_until_the_consultation_closes(consultation, council_secretary):
    with pytest.raises(DomainError) as error:
        services.report_publish(actor=council_secretary, draft=consultation)
    assert error.value.code == "open"


def test_hidden_and_unconfirmed_contributions_need_no_answer(answered, council_secretary, wording):
    draft = Draft.objects.get(pk=answered.pk)
    assert services.report_publish(actor=council_secretary, draft=draft).status == Draft.Status.REPORT_PUBLISHED


def test_the_report_lists_who_what_decision_and_reasons(reported, client, pages_in_english):
    page = client.get(reverse("consultations:report", args=[reported.public_id])).content.decode()
    assert "НПО „Пирин“" in page and "private person" in page
    assert "partly accepted" in page and "До 23:30 ч." in page
    assert "outside the scope of the act" in page and "Извън акта." in page
    assert "&lt;b&gt;Общо&lt;/b&gt;" in page and "<b>Общо</b>" not in page
    assert "citizen@example.org" not in page


def test_the_report_is_a_pdf_and_a_word_document(reported, client):
    pdf = client.get(reverse("consultations:report_file", args=[reported.public_id, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx_response = client.get(reverse("consultations:report_file", args=[reported.public_id, "docx"]))
    assert docx_response.status_code == 200
    from docx import Document

    document = Document(io.BytesIO(docx_response.content))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "НПО „Пирин“ (on Glas)" in cells and "До 23:30 ч." in cells
    assert len(document.tables[0].rows) == 3  # header + two proposals
    assert client.get(reverse("consultations:report_file", args=[reported.public_id, "exe"])).status_code == 404


def test_an_unpublished_report_is_not_shown_through_any_door(answered, client):
    assert client.get(reverse("consultations:report", args=[answered.public_id])).status_code == 404
    assert client.get(reverse("consultations:report_file", args=[answered.public_id, "pdf"])).status_code == 404
    assert client.get(f"/api/v1/consultations/{answered.public_id}/report").status_code == 404


def test_answers_are_frozen_once_the_report_is_published(reported, wording, council_secretary):
    wording.refresh_from_db()
    with pytest.raises(DomainError):
        services.contribution_answer(actor=council_secretary, contribution=wording, decision="accepted", reasons="x")


def test_a_draft_goes_to_the_council_only_after_its_report_is_published(
    answered, council_secretary, client_for, reported=None
):
    response = client_for(council_secretary).post(reverse("consultations:send_to_council", args=[answered.public_id]))
    assert response.status_code == 400
    answered.refresh_from_db()
    assert answered.status == Draft.Status.PUBLISHED
    services.report_publish(actor=council_secretary, draft=answered)
    response = client_for(council_secretary).post(reverse("consultations:send_to_council", args=[answered.public_id]))
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.status == Draft.Status.SENT_TO_COUNCIL


def test_the_api_gives_the_published_report(reported, client):
    rows = client.get(f"/api/v1/consultations/{reported.public_id}/report").json()
    assert [row["decision"] for row in rows] == ["partly accepted", "outside the scope of the act"]
    assert all("email" not in key for row in rows for key in row)


def test_answers_are_shown_on_the_page_once_the_report_is_published(reported, client, pages_in_english):
    page = client.get(reverse("consultations:detail", args=[reported.public_id])).content.decode()
    assert "До 23:30 ч." in page


def test_paragraph_helper_finds_the_paragraph(consultation):
    assert paragraph(consultation, "Чл. 2").text == "Контролът се осъществява от кмета."
