"""A draft adopted by a decision from the council registry links to it, takes its roll-call
tally, and the Consultative Commission's opinion on the draft shows on both pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from glas.accounts.roles import Role
from glas.commission.tests.commission_data import published_opinion
from glas.consultations import services
from glas.consultations.tests.conftest import TODAY, close
from glas.consultations.tests.test_adoption import ADOPTED
from glas.core.exceptions import DomainError
from glas.council import services as council_services
from glas.council.tests.conftest import make_decision, roll_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(consultation, council_secretary):
    close(consultation)
    services.report_publish(actor=council_secretary, draft=consultation)
    return services.draft_send_to_council(actor=council_secretary, draft=consultation)


@pytest.fixture
def adopted_decision(council, council_secretary):
    session = council_services.council_session_create(
        actor=council_secretary,
        term=council.term,
        data={"number": 9, "date": TODAY, "kind": "regular", "place": "Зала", "status": "held"},
    )
    decision = make_decision(council_secretary, session, number=412, title="Приемане на Наредба за обществения ред")
    council_services.votes_record(
        actor=council_secretary, decision=decision, choices=roll_call(council, "for", "for", "for", "against", "absent")
    )
    return decision


def test_adoption_by_a_registry_decision_takes_its_number_date_and_roll_call(
    sent, adopted_decision, council_secretary, client_for, client, pages_in_english
):
    response = client_for(council_secretary).post(
        reverse("consultations:adopt", args=[sent.public_id]),
        {"decision": str(adopted_decision.pk), "adopted_text": ADOPTED},
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.council_decision == adopted_decision
    assert (sent.council_decision_number, sent.votes_for, sent.votes_against, sent.votes_abstained) == ("412", 3, 1, 0)
    timeline = client.get(reverse("consultations:timeline", args=[sent.public_id])).content.decode()
    assert reverse("council:decision", args=[adopted_decision.public_id]) in timeline
    decision_page = client.get(reverse("council:decision", args=[adopted_decision.public_id])).content.decode()
    assert reverse("consultations:timeline", args=[sent.public_id]) in decision_page


def test_without_a_registry_decision_the_number_and_date_are_required(sent, council_secretary, client_for):
    response = client_for(council_secretary).post(
        reverse("consultations:adopt", args=[sent.public_id]), {"adopted_text": ADOPTED}
    )
    assert response.status_code == 400


def test_a_rejected_decision_cannot_adopt_a_draft(sent, adopted_decision, council_secretary):
    type(adopted_decision).objects.filter(pk=adopted_decision.pk).update(status="rejected")
    adopted_decision.refresh_from_db()
    with pytest.raises(DomainError, match="was not adopted"):
        services.draft_adopt(
            actor=council_secretary,
            draft=sent,
            decision_number="",
            decision_date=dt.date(2000, 1, 1),
            adopted_text=ADOPTED,
            decision=adopted_decision,
        )


def test_the_commissions_opinion_on_a_draft_shows_on_its_page(
    consultation, council_secretary, commission_member, make_user, client, pages_in_english
):
    users = [commission_member] + [make_user(f"expert{n}@example.org", roles=[Role.COMMISSION_MEMBER]) for n in (1, 2)]
    opinion = published_opinion(council_secretary, users)
    type(opinion.item).objects.filter(pk=opinion.item_id).update(draft=consultation)
    page = client.get(reverse("consultations:detail", args=[consultation.public_id])).content.decode()
    assert reverse("commission:opinion", args=[opinion.public_id]) in page
    opinion_page = client.get(reverse("commission:opinion", args=[opinion.public_id])).content.decode()
    assert reverse("consultations:detail", args=[consultation.public_id]) in opinion_page
