"""After adoption: the council decision and its vote, the article diff, the public timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Draft
from glas.consultations.tests.conftest import TODAY, close

ADOPTED = """Глава първа. Общи положения
Чл. 1. (1) Тази наредба урежда обществения ред.
(2) Тя се прилага на цялата територия на общината.
Чл. 3. (1) Забранява се шумът от 23:00 до 07:00 часа.
(2) В летния сезон заведенията работят с музика до 23:30 часа.
Чл. 4. Наредбата влиза в сила от 1 юни.
"""


@pytest.fixture
def sent(consultation, council_secretary):
    close(consultation)
    services.report_publish(actor=council_secretary, draft=consultation)
    return services.draft_send_to_council(actor=council_secretary, draft=consultation)


def test_the_adoption_records_the_decision_vote_and_text(sent, council_secretary, client_for):
    response = client_for(council_secretary).post(
        reverse("consultations:adopt", args=[sent.public_id]),
        {
            "decision_number": "412",
            "decision_date": TODAY.isoformat(),
            "decision_url": "https://kresna.bg/decisions/412",
            "votes_for": "11",
            "votes_against": "1",
            "votes_abstained": "1",
            "adopted_text": ADOPTED,
        },
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Draft.Status.ADOPTED
    assert (sent.council_decision_number, sent.votes_for, sent.votes_against) == ("412", 11, 1)


def test_the_timeline_shows_every_step_and_the_article_diff(sent, council_secretary, client, pages_in_english):
    services.draft_adopt(
        actor=council_secretary,
        draft=sent,
        decision_number="412",
        decision_date=TODAY,
        adopted_text=ADOPTED,
        votes_for=11,
        votes_against=0,
        votes_abstained=2,
    )
    page = client.get(reverse("consultations:timeline", args=[sent.public_id])).content.decode()
    for step in [
        "Draft prepared",
        "Published for public consultation",
        "Report on the proposals published",
        "Sent to the municipal council",
        "Adopted by the municipal council",
    ]:
        assert step in page
    assert "Vote: 11 for, 0 against, 2 abstained." in page
    assert "<del>24:00</del><ins>23:30</ins>" in page
    assert "Чл. 2</strong> —\n        removed" in page or "removed" in page
    assert "added" in page


def test_a_draft_not_sent_to_the_council_cannot_be_adopted(consultation, council_secretary):
    from glas.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.draft_adopt(
            actor=council_secretary, draft=consultation, decision_number="1", decision_date=TODAY, adopted_text=ADOPTED
        )


@pytest.mark.parametrize(
    "field, value",
    [("decision_date", TODAY + dt.timedelta(days=1)), ("decision_url", "javascript:alert(1)")],
)
def test_bad_adoption_data_is_refused(sent, council_secretary, field, value):
    from glas.core.exceptions import DomainError

    data = {"decision_number": "1", "decision_date": TODAY, "adopted_text": ADOPTED, field: value}
    with pytest.raises(DomainError) as error:
        services.draft_adopt(actor=council_secretary, draft=sent, **data)
    assert error.value.field == field


def test_a_withdrawn_draft_stays_public_with_its_reason(
    consultation, wording, council_secretary, client_for, client, pages_in_english
):
    response = client_for(council_secretary).post(
        reverse("consultations:withdraw", args=[consultation.public_id]), {"reason": "Законът беше променен."}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Draft.Status.WITHDRAWN and not consultation.is_open
    page = client.get(reverse("consultations:timeline", args=[consultation.public_id])).content.decode()
    assert "<strong>Withdrawn</strong>. Законът беше променен." in page
    assert "По-рано." in client.get(reverse("consultations:detail", args=[consultation.public_id])).content.decode()


def test_withdrawing_needs_a_reason_and_a_published_draft(prepared, council_secretary):
    from glas.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.draft_withdraw(actor=council_secretary, draft=prepared, reason="x")
