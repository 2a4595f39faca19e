"""The database keeps the registry's invariants, whatever writes to it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from glas.council.models import Councillor, Decision, Minutes, Official, Session, Term, Vote
from glas.council.tests.conftest import END, START


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_term_must_start_before_it_ends(kresna):
    refused(lambda: Term.objects.create(municipality=kresna, start=END, end=START, seats=13))


def test_a_term_needs_at_least_one_seat(kresna):
    refused(lambda: Term.objects.create(municipality=kresna, start=START, end=END, seats=0))


def test_session_numbers_are_unique_within_a_term(session):
    refused(lambda: Session.objects.create(term=session.term, number=session.number, date=session.date))


def test_the_same_session_number_may_come_again_in_another_term(session, kresna):
    other = Term.objects.create(municipality=kresna, start=dt.date(2019, 11, 1), end=dt.date(2023, 11, 1), seats=13)
    assert Session.objects.create(term=other, number=session.number, date=dt.date(2020, 1, 30)).pk


def test_decision_numbers_are_unique_within_a_term(decision):
    refused(
        lambda: Decision.objects.create(
            term=decision.term, number=decision.number, date=decision.date, session=decision.session, title="Друго"
        )
    )


def test_one_vote_per_councillor_per_decision(decision):
    vote = decision.votes.first()
    refused(lambda: Vote.objects.create(decision=decision, councillor=vote.councillor, choice="for"))


def test_a_vote_is_one_of_the_four_choices(decision, council):
    decision.votes.all().delete()
    refused(lambda: Vote.objects.create(decision=decision, councillor=council.people[0], choice="maybe"))


def test_a_councillor_cannot_leave_before_taking_office(term):
    refused(lambda: Councillor.objects.create(term=term, name="Х", active_from=END, active_to=START))


def test_minutes_hold_a_file_or_a_text(session):
    refused(lambda: Minutes.objects.create(session=session))


def test_one_mayor_in_office_at_a_time(kresna):
    Official.objects.create(municipality=kresna, role="mayor", name="Николай Георгиев", active_from=START)
    refused(lambda: Official.objects.create(municipality=kresna, role="mayor", name="Друг", active_from=START))


def test_a_decision_has_a_stable_public_address(decision):
    assert decision.get_absolute_url() == f"/council/decisions/{decision.public_id}/"
