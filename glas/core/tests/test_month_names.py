"""Dates in Bulgarian write the month in lower case, as Bulgarian spelling has it: "1 декември
2026", not Django's own "1 Декември 2026"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date

from glas.core import month_names


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_is_written_in_lower_case_in_bulgarian(month):
    day = dt.date(2026, month, 1)
    with translation.override("bg"):
        for spec in ("F", "E", "N"):
            name = date_format(day, spec)
            assert name == name.lower() and name.strip(".") != "", (spec, name)


def test_a_date_reads_as_bulgarian_writes_it():
    day = dt.date(2026, 12, 1)
    with translation.override("bg"):
        assert date_format(day, "j F Y") == "1 декември 2026"
        assert localized_date(day) == "01 декември 2026"  # the locale's DATE_FORMAT, "d F Y"
        assert date_format(dt.date(2026, 9, 22), "N") == "септ."
    with translation.override("en"):
        assert date_format(day, "j F Y") == "1 December 2026"


def test_the_module_names_the_same_strings_as_django():
    from django.utils import dates

    with translation.override("en"):
        assert [str(name) for name in month_names.MONTHS] == [str(dates.MONTHS[m]) for m in range(1, 13)]
        assert [str(name) for name in month_names.MONTHS_ALT] == [str(dates.MONTHS_ALT[m]) for m in range(1, 13)]
        assert [str(name) for name in month_names.MONTHS_AP] == [str(dates.MONTHS_AP[m]) for m in range(1, 13)]
    with translation.override("bg"):
        assert [str(name) for name in month_names.MONTHS] == [str(dates.MONTHS[m]) for m in range(1, 13)]
