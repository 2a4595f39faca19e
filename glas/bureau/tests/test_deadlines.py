"""Legal deadlines through a case's life: ЗДОИ decision, extensions, clarification and lapse;
АПК proposals and their notice term; reminders before each deadline. Dates are frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from glas.bureau import services
from glas.bureau.models import Case, CaseDeadline
from glas.bureau.tests.conftest import make_request
from glas.core.exceptions import DomainError
from glas.core.models import CalendarDay, Notification

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


def zdoi(register, advisor, day: dt.date) -> Case:
    with at(day):
        return register(advisor, kind="zdoi", category="information", access_form="paper")


def test_a_zdoi_decision_term_ending_on_a_holiday_moves_to_the_next_working_day(register, advisor):
    # Received Tue 8 Sep 2026: 14 days end on Tue 22 Sep, Independence Day → Wed 23 Sep.
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    assert case.due_on == dt.date(2026, 9, 23)
    deadline = case.deadlines.get()
    assert (deadline.kind, deadline.rule_key) == (CaseDeadline.Kind.DECISION, "zdoi.decision.term")


def test_a_bridge_day_entered_by_staff_moves_the_deadline_too(register, advisor):
    CalendarDay.objects.create(date=dt.date(2026, 9, 23), kind=CalendarDay.Kind.NON_WORKING, reason="bridge")
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    assert case.due_on == dt.date(2026, 9, 24)


def test_an_extension_without_reasons_is_refused_and_changes_nothing(client_for, register, advisor):
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    url = reverse("bureau:case_action", args=[case.reference, "extend"])
    response = client_for(advisor).post(url, {"ground": "volume", "reason": ""})
    assert response.status_code == 400
    assert "needs its reasons" in response.content.decode()
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 9, 23)


def test_an_extension_for_volume_adds_ten_days_from_the_end_of_the_term_once(register, advisor):
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    with at(dt.date(2026, 9, 15)):
        deadline = services.case_extend(
            actor=advisor, case=case, ground="volume", reason="Over 400 pages of contracts."
        )
        with pytest.raises(DomainError):
            services.case_extend(actor=advisor, case=case, ground="third_party", reason="A third party must agree.")
    # 23 Sep + 10 days = Sat 3 Oct → Mon 5 Oct.
    assert deadline.due_on == dt.date(2026, 10, 5)
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 10, 5)
    assert case.messages.filter(kind="reply", body__contains="Over 400 pages").exists()


def test_an_unclarified_zdoi_request_lapses_after_thirty_days(register, advisor):
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    with at(dt.date(2026, 9, 10)):
        services.case_request_clarification(actor=advisor, case=case, body="Which years do you mean?")
    case.refresh_from_db()
    assert case.status == Case.Status.CLARIFICATION and case.due_on == dt.date(2026, 10, 12)  # 10 Oct is a Saturday
    assert services.cases_lapse_unclarified(today=dt.date(2026, 10, 12)) == 0
    with at(dt.date(2026, 10, 13)):
        assert services.cases_lapse_unclarified(today=dt.date(2026, 10, 13)) == 1
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.LAPSED)


def test_a_clarification_restarts_the_decision_term(register, advisor):
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    with at(dt.date(2026, 9, 10)):
        services.case_request_clarification(actor=advisor, case=case, body="Which years do you mean?")
    with at(dt.date(2026, 9, 14)):
        services.case_citizen_message(actor=None, case=case, body="2024 and 2025.", idempotency_key=None)
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.due_on == dt.date(2026, 9, 28)


def test_a_refusal_needs_legal_grounds_and_a_decision_closes_the_request(register, advisor):
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    with at(dt.date(2026, 9, 18)):
        with pytest.raises(DomainError) as error:
            services.case_decide(actor=advisor, case=case, decision="refused", grounds="", text="Refused.")
        assert error.value.field == "grounds"
        services.case_decide(
            actor=advisor, case=case, decision="refused", grounds="ЗДОИ, чл. 37, ал. 1, т. 1", text="Refused."
        )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on_time) == (Case.Status.CLOSED, Case.Outcome.REFUSED, True)


def test_forwarding_closes_the_request_and_tells_the_applicant(register, advisor):
    case = zdoi(register, advisor, dt.date(2026, 9, 8))
    services.case_forward(actor=advisor, case=case, body_name="Областна администрация Благоевград", note="")
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.FORWARDED
    assert case.messages.get(kind="reply").body.startswith("Your request has been forwarded")


def test_a_proposal_has_two_months_then_its_answer_is_due_within_seven_days_of_the_decision(register, advisor):
    with at(dt.date(2026, 10, 1)):
        case = register(advisor, kind="proposal", category="other")
    assert case.due_on == dt.date(2026, 12, 1)
    with at(dt.date(2026, 11, 20)):
        services.case_decide(actor=advisor, case=case, decision="", grounds="", text="Accepted by the mayor.")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.due_on == dt.date(2026, 11, 27)
    with at(dt.date(2026, 11, 23)):
        services.case_reply(
            actor=advisor, case=case, body="Your proposal is accepted.", idempotency_key=None, final=True
        )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on_time) == (Case.Status.CLOSED, Case.Outcome.DECIDED, True)


def test_a_proposal_decided_just_before_christmas_is_answered_after_the_holidays(register, advisor):
    with at(dt.date(2026, 10, 1)):
        case = register(advisor, kind="proposal", category="other")
    # Fri 18 Dec + 7 = Fri 25 Dec (Christmas); 26 Dec is a Saturday, so Mon 28 Dec is off too.
    with at(dt.date(2026, 12, 18)):
        services.case_decide(actor=advisor, case=case, decision="", grounds="", text="")
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 12, 29)


def test_an_inquiry_answered_late_counts_as_late(register, advisor):
    with at(dt.date(2026, 11, 2)):
        case = register(advisor)
    with at(dt.date(2026, 11, 20)):
        services.case_reply(actor=advisor, case=case, body="Answer.", idempotency_key=None, final=True)
    case.refresh_from_db()
    assert case.closed_on_time is False


def test_reminders_go_once_before_each_deadline_to_the_advisor_or_the_supervisors(
    register, advisor, supervisor, citizen
):
    with at(dt.date(2026, 11, 2)):
        mine = register(advisor)  # due Mon 16 Nov
        unassigned, _token = services.case_submit(actor=citizen, request=make_request())
    assert services.deadlines_remind(today=dt.date(2026, 11, 11)) == 0
    assert services.deadlines_remind(today=dt.date(2026, 11, 12)) == 2  # two working days ahead
    assert services.deadlines_remind(today=dt.date(2026, 11, 13)) == 0
    to_advisor = Notification.objects.get(recipient=advisor, kind="bureau.deadline")
    to_supervisor = Notification.objects.get(recipient=supervisor, kind="bureau.deadline")
    assert mine.reference in to_advisor.title and unassigned.reference in to_supervisor.title


def test_overdue_cases_are_flagged_in_the_queue(client_for, register, advisor):
    with at(dt.date(2026, 11, 2)):
        case = register(advisor)
    with at(dt.date(2026, 11, 17)):
        page = client_for(advisor).get(reverse("bureau:queue"), {"view": "overdue"})
        detail = client_for(advisor).get(reverse("bureau:case_detail", args=[case.reference]))
    assert case.reference in page.content.decode()
    assert "Overdue" in detail.content.decode()


def test_released_information_is_published_only_when_chosen_and_without_the_applicant(client, register, advisor):
    chosen = zdoi(register, advisor, dt.date(2026, 9, 8))
    services.case_decide(
        actor=advisor, case=chosen, decision="full", grounds="", text="Договорите са приложени.", publish_released=True
    )
    private = zdoi(register, advisor, dt.date(2026, 9, 8))
    services.case_decide(actor=advisor, case=private, decision="full", grounds="", text="Лично копие.")
    refused = zdoi(register, advisor, dt.date(2026, 9, 8))
    services.case_decide(
        actor=advisor, case=refused, decision="refused", grounds="ЗДОИ, чл. 37", text="Отказ.", publish_released=True
    )
    page = client.get(reverse("bureau:released")).content.decode()
    assert "Договорите са приложени." in page
    assert "Лично копие." not in page and "Отказ." not in page and "Иван Петров" not in page
