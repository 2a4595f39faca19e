"""Legal deadlines in the Bulgarian way.

A term in days does not count the day of the triggering event; when its last day is not a
working day, the term ends on the next working day (the general rule of Bulgarian procedure
law). Working days follow the Labour Code holidays (from the ``holidays`` package, which also
moves holidays that fall on a weekend) corrected by the one-off days staff enter as
``CalendarDay`` (bridge days off, working Saturdays).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import holidays

from glas.core.exceptions import DomainError
from glas.core.models import CalendarDay, LegalRule


@dataclass
class WorkingCalendar:
    """Which days are working days. Build it with ``WorkingCalendar.load()``."""

    extra_non_working: set[dt.date] = field(default_factory=set)
    extra_working: set[dt.date] = field(default_factory=set)
    _statutory: holidays.HolidayBase = field(default_factory=lambda: holidays.country_holidays("BG", language="bg"))

    @classmethod
    def load(cls) -> WorkingCalendar:
        extra_non_working: set[dt.date] = set()
        extra_working: set[dt.date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (extra_working if kind == CalendarDay.Kind.WORKING else extra_non_working).add(day)
        return cls(extra_non_working=extra_non_working, extra_working=extra_working)

    def holiday_name(self, day: dt.date) -> str | None:
        return self._statutory.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_working:
            return True
        if day in self.extra_non_working:
            return False
        if day.weekday() >= 5:
            return False
        return day not in self._statutory

    def next_working_day_from(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(60):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise DomainError("The calendar has no working day in the next 60 days.")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when that day does not exist."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def due_date(
    start: dt.date,
    *,
    days: int = 0,
    months: int = 0,
    working_days: int = 0,
    cal: WorkingCalendar | None = None,
) -> dt.date:
    """The last day of a term that starts with an event on ``start``.

    Exactly one of ``days``, ``months`` or ``working_days`` is given.
    """
    if sum(1 for n in (days, months, working_days) if n) != 1:
        raise ValueError("Give exactly one of days, months or working_days.")
    if min(days, months, working_days) < 0:
        raise ValueError("A term cannot be negative.")
    cal = cal or WorkingCalendar.load()
    if working_days:
        day = start
        remaining = working_days
        while remaining:
            day += dt.timedelta(days=1)
            if cal.is_working_day(day):
                remaining -= 1
        return day
    end = add_months(start, months) if months else start + dt.timedelta(days=days)
    return cal.next_working_day_from(end)


def rule_due_date(start: dt.date, key: str, *, cal: WorkingCalendar | None = None) -> dt.date:
    """Due date for the term the ``LegalRule`` named ``key`` sets (in force on ``start``)."""
    from glas.core.selectors import legal_rule

    rule = legal_rule(key, on=start)
    amount = int(rule.value)
    if rule.value != Decimal(amount):
        raise DomainError(f"Rule {key} is not a whole number of {rule.unit}.")
    if rule.unit == LegalRule.Unit.DAYS:
        return due_date(start, days=amount, cal=cal)
    if rule.unit == LegalRule.Unit.WORKING_DAYS:
        return due_date(start, working_days=amount, cal=cal)
    if rule.unit == LegalRule.Unit.MONTHS:
        return due_date(start, months=amount, cal=cal)
    if rule.unit == LegalRule.Unit.YEARS:
        return due_date(start, months=12 * amount, cal=cal)
    raise DomainError(f"Rule {key} is not a term (its unit is {rule.unit}).")
