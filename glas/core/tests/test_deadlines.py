"""Deadlines: the event day is not counted; a term ending on a non-working day moves on."""

import datetime as dt

import pytest

from glas.core.deadlines import WorkingCalendar, add_months, due_date, rule_due_date
from glas.core.models import CalendarDay
from glas.core.services import calendar_day_add

D = dt.date


@pytest.fixture
def cal(db):
    return WorkingCalendar.load()


def test_fourteen_days_from_a_monday_ends_on_a_monday(cal):
    assert due_date(D(2026, 3, 9), days=14, cal=cal) == D(2026, 3, 23)


def test_term_ending_on_saturday_moves_to_monday(cal):
    # 2026-11-14 is a Saturday.
    assert due_date(D(2026, 11, 7), days=7, cal=cal) == D(2026, 11, 16)


def test_term_ending_on_liberation_day_moves_to_next_day(cal):
    # 3 March 2026 is a Tuesday and a holiday.
    assert due_date(D(2026, 2, 17), days=14, cal=cal) == D(2026, 3, 4)


def test_term_ending_over_orthodox_easter_moves_past_easter_monday(cal):
    # Orthodox Easter 2026: Good Friday 10 April to Easter Monday 13 April.
    assert due_date(D(2026, 3, 27), days=14, cal=cal) == D(2026, 4, 14)


def test_christmas_and_the_holiday_moved_from_the_weekend(cal):
    # 24-26 Dec 2026 are Thu-Sat; the 26th on a Saturday moves the day off to Monday 28th.
    assert due_date(D(2026, 12, 10), days=14, cal=cal) == D(2026, 12, 29)


def test_holiday_on_a_sunday_gives_the_monday_off(cal):
    # 6 September 2026 is a Sunday, so Monday 7 September is off.
    assert not cal.is_working_day(D(2026, 9, 7))
    assert due_date(D(2026, 8, 24), days=14, cal=cal) == D(2026, 9, 8)


def test_month_terms_keep_the_day_or_take_the_last_day_of_month(cal):
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2027, 12, 15), 2) == D(2028, 2, 15)
    # 2 months from 30 Sep 2026 is 30 Nov 2026, a Monday.
    assert due_date(D(2026, 9, 30), months=2, cal=cal) == D(2026, 11, 30)


def test_working_day_terms_skip_weekends_and_holidays(cal):
    # From Thursday 30 April 2026: 1 May (Fri) holiday, weekend, then 4, 5 May; 6 May holiday; 7 May.
    assert due_date(D(2026, 4, 30), working_days=3, cal=cal) == D(2026, 5, 7)


def test_bridge_day_entered_by_staff_is_not_a_working_day(db, council_secretary):
    calendar_day_add(
        actor=council_secretary, date=D(2026, 12, 31), kind=CalendarDay.Kind.NON_WORKING, reason="РМС за 31.12.2026"
    )
    cal = WorkingCalendar.load()
    assert not cal.is_working_day(D(2026, 12, 31))
    assert due_date(D(2026, 12, 17), days=14, cal=cal) == D(2027, 1, 4)


def test_working_saturday_entered_by_staff_is_a_working_day(db, council_secretary):
    calendar_day_add(
        actor=council_secretary, date=D(2026, 11, 14), kind=CalendarDay.Kind.WORKING, reason="Работна събота"
    )
    assert due_date(D(2026, 11, 7), days=7, cal=WorkingCalendar.load()) == D(2026, 11, 14)


def test_rule_due_date_reads_the_term_from_the_legal_rule(legal_rules, cal):
    # ЗДОИ: 14 days for the decision.
    assert rule_due_date(D(2026, 2, 17), "zdoi.decision.term", cal=cal) == D(2026, 3, 4)
    # АПК: two months for a proposal.
    assert rule_due_date(D(2026, 9, 30), "apk.proposal.decision_term", cal=cal) == D(2026, 11, 30)


def test_exactly_one_kind_of_term_is_required(cal):
    with pytest.raises(ValueError):
        due_date(D(2026, 1, 5), cal=cal)
    with pytest.raises(ValueError):
        due_date(D(2026, 1, 5), days=3, months=1, cal=cal)
