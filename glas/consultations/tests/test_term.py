"""The consultation window follows the LegalRule rows (ЗНА, чл. 26, ал. 4), and the compliance
panel shows what is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Draft, DraftEvent
from glas.consultations.tests.conftest import REGULAR_END, SHORTEST_END, TODAY, close
from glas.core.exceptions import DomainError
from glas.core.models import LegalRule


def publish(actor, draft, closes_on, reasons=""):
    return services.consultation_publish(
        actor=actor, draft=draft, opens_on=TODAY, closes_on=closes_on, short_term_reasons=reasons
    )


def test_the_regular_term_needs_no_reasons(prepared, council_secretary):
    draft = publish(council_secretary, prepared, REGULAR_END)
    assert draft.status == Draft.Status.PUBLISHED
    assert draft.term_min_date == REGULAR_END and not draft.is_short_term
    assert draft.term_legal_basis == "ЗНА, чл. 26, ал. 4"
    assert DraftEvent.objects.filter(draft=draft, kind="published").exists()


def test_a_short_term_without_reasons_is_refused(prepared, council_secretary):
    with pytest.raises(DomainError) as error:
        publish(council_secretary, prepared, REGULAR_END - dt.timedelta(days=1))
    assert error.value.field == "short_term_reasons"
    assert "01.04.2026" in error.value.message
    prepared.refresh_from_db()
    assert prepared.status == Draft.Status.DRAFT


def test_a_short_term_with_reasons_is_accepted_and_the_reasons_are_shown(
    prepared, council_secretary, client, pages_in_english
):
    publish(council_secretary, prepared, SHORTEST_END, "Спешна промяна заради нов закон.")
    prepared.refresh_from_db()
    assert prepared.is_short_term
    page = client.get(reverse("consultations:detail", args=[prepared.public_id])).content.decode()
    assert "Why the term is shorter than usual" in page
    assert "Спешна промяна заради нов закон." in page
    assert "Shorter than the regular term; the reasons are published." in page


def test_a_term_under_the_exceptional_minimum_is_refused_even_with_reasons(prepared, council_secretary):
    with pytest.raises(DomainError) as error:
        publish(council_secretary, prepared, SHORTEST_END - dt.timedelta(days=1), "Много спешно.")
    assert error.value.code == "too_short" and error.value.field == "closes_on"


def test_the_term_follows_a_new_version_of_the_rule(prepared, council_secretary):
    from glas.core.services import legal_rule_change

    legal_rule_change(
        actor=council_secretary,
        key="consultation.term.min",
        value=Decimal("45"),
        effective_from=TODAY,
        legal_basis="ЗНА, чл. 26, ал. 4 (изм.)",
    )
    with pytest.raises(DomainError):
        publish(council_secretary, prepared, REGULAR_END)
    draft = publish(council_secretary, prepared, dt.date(2026, 4, 16))
    assert draft.term_legal_basis == "ЗНА, чл. 26, ал. 4 (изм.)"


def test_a_term_ending_on_a_holiday_moves_to_the_next_working_day(prepared, council_secretary):
    # Opening on 26 February: 30 days end on Saturday 28 March, so the term runs to Monday 30 March.
    assert services.check_term(opens_on=dt.date(2026, 2, 26), closes_on=dt.date(2026, 3, 30), short_term_reasons="")[
        0
    ] == dt.date(2026, 3, 30)
    with pytest.raises(DomainError):
        services.check_term(opens_on=dt.date(2026, 2, 26), closes_on=dt.date(2026, 3, 28), short_term_reasons="")


def test_without_the_legal_rules_nothing_is_published(prepared, council_secretary):
    LegalRule.objects.filter(key__startswith="consultation.").delete()
    with pytest.raises(DomainError):
        publish(council_secretary, prepared, REGULAR_END)


def test_the_publish_form_shows_a_short_term_error_on_its_field(
    prepared, council_secretary, client_for, pages_in_english
):
    response = client_for(council_secretary).post(
        reverse("consultations:publish", args=[prepared.public_id]),
        {"opens_on": "2026-03-02", "closes_on": "2026-03-20"},
    )
    assert response.status_code == 400
    assert 'href="#id_short_term_reasons"' in response.content.decode()


def test_a_consultation_cannot_open_in_the_past_or_close_before_it_opens(prepared, council_secretary):
    with pytest.raises(DomainError):
        services.consultation_publish(
            actor=council_secretary, draft=prepared, opens_on=TODAY - dt.timedelta(days=1), closes_on=REGULAR_END
        )
    with pytest.raises(DomainError):
        services.consultation_publish(actor=council_secretary, draft=prepared, opens_on=TODAY, closes_on=TODAY)


def test_a_draft_without_text_cannot_be_published(council_secretary, legal_rules, kresna):
    draft = services.draft_create(
        actor=council_secretary,
        title="Празен",
        act_type="plan",
        topic="spatial",
        proposer_kind="administration",
        proposer_name="Отдел ТСУ",
    )
    with pytest.raises(DomainError) as error:
        publish(council_secretary, draft, REGULAR_END)
    assert error.value.code == "no_text"


def test_the_compliance_panel_reports_missing_documents(
    council_secretary, legal_rules, kresna, client, pages_in_english
):
    draft = services.draft_create(
        actor=council_secretary,
        title="Без мотиви",
        act_type="plan",
        topic="spatial",
        proposer_kind="administration",
        proposer_name="Отдел ТСУ",
    )
    services.draft_text_set(actor=council_secretary, draft=draft, text="Чл. 1. Текст.")
    publish(council_secretary, draft, REGULAR_END)
    page = client.get(reverse("consultations:detail", args=[draft.public_id])).content.decode()
    assert "The motives are missing." in page
    assert "The preliminary impact assessment is missing." in page
    assert "Due after the consultation closes." in page
    # A line without a detail ends with its label (and the status said to screen readers), not a colon.
    assert '<strong>Text of the draft</strong><span class="visually-hidden"> — in order</span>\n' in page
    assert '<strong>Motives</strong><span class="visually-hidden"> — missing</span>: The motives are missing.' in page


def test_the_compliance_panel_reports_a_missing_report_after_closing(consultation, wording, client, pages_in_english):
    close(consultation)
    page = client.get(reverse("consultations:detail", args=[consultation.public_id])).content.decode()
    assert "The consultation has closed; 1 proposal still has no answer." in page


def test_an_open_consultation_can_be_extended_but_never_shortened(consultation, council_secretary):
    with pytest.raises(DomainError):
        services.consultation_extend(actor=council_secretary, draft=consultation, closes_on=REGULAR_END, reason="x")
    draft = services.consultation_extend(
        actor=council_secretary,
        draft=consultation,
        closes_on=REGULAR_END + dt.timedelta(days=7),
        reason="Много интерес.",
    )
    assert draft.closes_on == REGULAR_END + dt.timedelta(days=7)
    assert DraftEvent.objects.filter(draft=draft, kind="term_changed", note="Много интерес.").exists()
