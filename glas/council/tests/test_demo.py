"""The demo council of ``manage.py seed_demo``: Kresna's 13 seats, fictional councillors and
decisions marked as demo, full roll calls that match each decision's status; idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from glas.accounts.demo import seed_personas
from glas.accounts.models import User
from glas.core.demo import seed_municipality_and_rules, seeders
from glas.core.models import AuditEntry
from glas.council import demo
from glas.council.models import Councillor, Decision, Official, Session, Vote
from glas.council.selectors import decision_detail, decision_tally
from glas.council.services import councillors_voting_on, decisions_import_csv


def _quiet(_message: str) -> None:
    pass


@pytest.fixture
def seeded(db):
    seed_municipality_and_rules(_quiet)
    seed_personas(_quiet)
    demo.seed_council(_quiet)


def test_the_council_seeder_is_registered_after_the_personas():
    names = [name for name, _seeder in seeders()]
    assert names.index("council.demo") > names.index("accounts.personas")


def test_the_demo_council_has_kresnas_13_seats_and_13_councillors_in_office_at_any_time(seeded):
    term = Councillor.objects.first().term
    assert term.seats == 13 and str(term) == "2023–2027"
    for day in (term.start, demo.REPLACED_ON, demo.SESSIONS[-1]["date"]):
        assert sum(c.is_active_on(day) for c in Councillor.objects.filter(term=term)) == 13
    assert Councillor.objects.count() == 14  # one left in March 2025 and was replaced
    assert not Councillor.objects.filter(is_demo=False).exists()


def test_the_mayor_is_the_real_one_and_the_rest_is_marked_demo(seeded):
    mayor = Official.objects.get(role="mayor")
    assert mayor.name == "Николай Георгиев" and not mayor.is_demo
    assert Official.objects.get(role="secretary").is_demo


def test_three_sessions_and_twelve_decisions_with_full_roll_calls_matching_their_status(seeded):
    assert Session.objects.filter(is_demo=True).count() == 3
    decisions = list(Decision.objects.all())
    assert len(decisions) == 12 and all(decision.is_demo for decision in decisions)
    for decision in decisions:
        detailed = decision_detail(decision.public_id)
        assert detailed.votes.count() == len(councillors_voting_on(decision)) == 13
        tally = decision_tally(detailed)
        if decision.status == "adopted":
            assert tally.passes, decision.number
        if decision.status == "rejected":
            assert not tally.passes, decision.number
    assert {d.status for d in decisions} == {"adopted", "rejected", "contested"}


def test_seeding_again_changes_nothing(seeded):
    before = (Decision.objects.count(), Vote.objects.count(), AuditEntry.objects.count())
    messages = []
    demo.seed_council(messages.append)
    assert (Decision.objects.count(), Vote.objects.count(), AuditEntry.objects.count()) == before
    assert messages == ["Council term 2023–2027 is already there"]


def test_the_demo_pages_say_sample_data(seeded, client):
    html = client.get("/council/").content.decode()
    assert "Sample data." in html
    assert "Николай Георгиев" in html
    decision = Decision.objects.get(number=310)
    assert "Sample data." in client.get(decision.get_absolute_url()).content.decode()


def test_the_documented_sample_csv_imports_into_the_demo_council(seeded):
    term = Councillor.objects.first().term
    actor = User.objects.get(email="council@glas.example")
    data = (Path(settings.BASE_DIR) / "docs" / "council_decisions_sample.csv").read_bytes()
    report = decisions_import_csv(actor=actor, term=term, data=data)
    assert (report.created, report.sessions_created) == (2, [19])
    assert decisions_import_csv(actor=actor, term=term, data=data).unchanged == 2
