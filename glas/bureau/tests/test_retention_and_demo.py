"""Retention (anonymisation on schedule), the periodic job, and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from glas.bureau import services
from glas.bureau.demo import CASES, seed_bureau
from glas.bureau.models import Case, RotaSlot
from glas.core.jobs import registered_jobs

pytestmark = pytest.mark.django_db


def test_closed_cases_lose_their_personal_data_after_the_retention_period(register, advisor):
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        case = register(advisor, email="ivan@example.org")
        services.case_reply(actor=advisor, case=case, body="Answer.", idempotency_key=None, final=True)
    recent = register(advisor)
    assert services.cases_anonymise_expired(today=dt.date(2026, 11, 30)) == 1
    case.refresh_from_db()
    assert (case.name, case.email, case.phone, case.address, case.follow_token_hash) == ("", "", "", "", None)
    assert case.description == "—" and not case.messages.exists() and case.anonymised_at
    assert case.category == "taxes" and case.outcome == Case.Outcome.ANSWERED  # kept for the statistics
    recent.refresh_from_db()
    assert recent.name == "Иван Петров"


def test_the_bureau_job_is_registered():
    assert "bureau.deadlines" in {job.name for job in registered_jobs()}


def test_demo_data_is_marked_covers_every_type_and_seeds_once(admin_user):
    from glas.accounts.demo import seed_personas

    seed_personas(lambda _m: None)
    seed_bureau(lambda _m: None)
    seed_bureau(lambda _m: None)
    cases = Case.objects.filter(is_demo=True)
    assert cases.count() == len(CASES) == Case.objects.count()
    assert {case.kind for case in cases} == set(Case.Kind.values)
    assert all(case.subject.startswith("[ДЕМО]") for case in cases)
    assert any(case.is_overdue() for case in cases)
    assert RotaSlot.objects.filter(settlement__slug="kresna").exists()
    assert RotaSlot.objects.exclude(settlement__slug="kresna").exists()


def test_the_personal_data_export_holds_the_persons_cases_without_internal_notes(citizen, advisor, supervisor):
    from glas.accounts.selectors import personal_data_export
    from glas.bureau.tests.conftest import make_request

    case, _token = services.case_submit(actor=citizen, request=make_request())
    services.case_assign(actor=supervisor, case=case, advisor=advisor)
    services.case_note(actor=advisor, case=case, body="internal", idempotency_key=None)
    services.case_reply(actor=advisor, case=case, body="public", idempotency_key=None)
    section = personal_data_export(citizen)["bureau_cases"]
    assert [c["reference"] for c in section] == [case.reference]
    assert [m["body"] for m in section[0]["messages"]] == ["public"]
