"""Following consultations: the ICS calendar, the Atom feed, subscriptions and notifications,
the home page's "open now" list and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glas.consultations import services
from glas.consultations.models import Subscription
from glas.consultations.tests.conftest import REGULAR_END, TODAY
from glas.core.models import Notification, Settlement


def test_the_calendar_has_the_closing_day_of_each_consultation(consultation, client):
    response = client.get(reverse("consultations:calendar"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20260401" in body and "DTEND;VALUE=DATE:20260402" in body
    assert f"UID:consultation-{consultation.public_id}@glas" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_calendar_text_is_escaped(prepared, council_secretary, client):
    services.draft_update(
        actor=council_secretary,
        draft=prepared,
        title="Наредба; за таксите, и\\глобите",
        act_type="ordinance",
        topic="finance",
        proposer_kind="councillor",
        proposer_name="x",
        summary="",
        motives="",
        impact_assessment="",
    )
    services.consultation_publish(actor=council_secretary, draft=prepared, opens_on=TODAY, closes_on=REGULAR_END)
    body = client.get(reverse("consultations:calendar")).content.decode().replace("\r\n ", "")
    assert "Наредба\\; за таксите\\, и\\\\глобите" in body


def test_the_atom_feed_lists_published_consultations(consultation, client):
    response = client.get(reverse("consultations:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert consultation.title in response.content.decode()


def test_subscribers_to_the_topic_or_settlement_are_notified_when_a_consultation_opens(
    prepared, council_secretary, citizen, verified_resident, make_user, client_for
):
    slivnitsa = Settlement.objects.get(slug="slivnitsa")
    other = make_user("other@example.org")
    response = client_for(citizen).post(reverse("consultations:subscriptions"), {"topic": "public_order"})
    assert response.status_code == 302
    services.subscription_add(actor=verified_resident, settlement=slivnitsa)
    services.subscription_add(actor=other, topic="finance")
    prepared.settlements.set([slivnitsa])
    services.consultation_publish(actor=council_secretary, draft=prepared, opens_on=TODAY, closes_on=REGULAR_END)
    notified = set(Notification.objects.filter(kind="consultations.opened").values_list("recipient__email", flat=True))
    assert notified == {"citizen@example.org", "resident@example.org"}


def test_subscribing_twice_makes_one_subscription_and_only_the_owner_removes_it(
    citizen, verified_resident, client_for, kresna
):
    services.subscription_add(actor=citizen, topic="finance")
    subscription = services.subscription_add(actor=citizen, topic="finance")
    assert Subscription.objects.count() == 1
    url = reverse("consultations:subscription_remove", args=[subscription.pk])
    assert client_for(verified_resident).post(url).status_code == 404
    assert client_for(citizen).post(url).status_code == 302
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("topic", ["nonsense", "<script>"])
def test_a_subscription_to_an_unknown_topic_is_refused(citizen, client_for, topic, kresna):
    assert client_for(citizen).post(reverse("consultations:subscriptions"), {"topic": topic}).status_code == 400


def test_an_unconfirmed_account_cannot_subscribe(outsider, client_for):
    assert client_for(outsider).get(reverse("consultations:subscriptions")).status_code == 403


def test_open_consultations_appear_on_the_home_page(consultation, client):
    page = client.get(reverse("core:home")).content.decode()
    assert consultation.title in page


def test_the_api_lists_the_draft_with_its_paragraphs(consultation, client):
    listing = client.get("/api/v1/consultations/").json()
    assert [item["title"] for item in listing] == [consultation.title]
    detail = client.get(f"/api/v1/consultations/{consultation.public_id}").json()
    assert [a["number"] for a in detail["articles"]] == ["Чл. 1", "Чл. 2", "Чл. 3"]
    assert detail["articles"][0]["paragraphs"][1]["number"] == "(2)"
    assert client.get("/api/v1/consultations/00000000-0000-0000-0000-000000000000").status_code == 404
