"""The demo consultations: one open with comments and answers, one closed with its справка."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glas.consultations.demo import ORDINANCE_TITLE, PROGRAMME_TITLE, seed_consultations
from glas.consultations.models import Contribution, Draft


@pytest.fixture
def seeded(legal_rules, kresna):
    from glas.accounts.demo import seed_personas

    seed_personas(lambda text: None)
    seed_consultations(lambda text: None)


def test_the_demo_has_an_open_ordinance_and_an_adopted_programme_with_its_report(seeded, client):
    ordinance = Draft.objects.get(title=ORDINANCE_TITLE)
    programme = Draft.objects.get(title=PROGRAMME_TITLE)
    assert ordinance.is_demo and programme.is_demo
    assert ordinance.is_open and ordinance.contributions.filter(status="published").count() >= 5
    assert ordinance.contributions.filter(status="hidden").exclude(hidden_reason="").exists()
    assert ordinance.contributions.filter(channel="post").exists()
    assert programme.status == Draft.Status.ADOPTED and programme.report_published_at is not None
    assert not programme.contributions.filter(status="published", decision="").exists()
    assert client.get(reverse("consultations:detail", args=[ordinance.public_id])).status_code == 200
    assert client.get(reverse("consultations:report", args=[programme.public_id])).status_code == 200
    assert client.get(reverse("consultations:timeline", args=[programme.public_id])).status_code == 200


def test_seeding_twice_changes_nothing(seeded):
    counts = (Draft.objects.count(), Contribution.objects.count())
    seed_consultations(lambda text: None)
    assert (Draft.objects.count(), Contribution.objects.count()) == counts
