"""The queue's reads go through statements compiled once per shape of the list
(``selectors.queue_lines`` and ``queue_counts``, glas.core.compiled). For every view, ordering
and filter, for an advisor with shared cases and for a supervisor, each must give what the ORM's
own query gives, page by page, and the counts must be those of the cases the person may see."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from glas.bureau import selectors, services
from glas.bureau.models import Case
from glas.bureau.tests.conftest import make_request
from glas.core.models import Settlement
from glas.core.paging import slice_page

ORDERINGS = list(selectors.QUEUE_ORDERINGS)


@pytest.fixture
def bureau(register, advisor, other_advisor, supervisor, citizen) -> dict[str, Any]:
    """Cases of two advisors and none, open and closed, overdue, escalated, shared, of every
    kind, in three settlements (and none)."""
    today = timezone.localdate()
    places = list(Settlement.objects.order_by("kind", "name")[:3])
    cases = []
    for number, (kind, category) in enumerate(
        itertools.product(["inquiry", "zdoi", "proposal"], ["taxes", "information", "social"])
    ):
        extra = {"access_form": "paper"} if kind == "zdoi" else {}
        owner = [advisor, other_advisor, supervisor][number % 3]
        case = register(owner, kind=kind, category=category, subject=f"Случай {number}", **extra)
        Case.objects.filter(pk=case.pk).update(
            settlement=places[number % 3] if number % 4 else None,
            due_on=today + dt.timedelta(days=[-3, 0, 5][number % 3]),
            escalated_at=timezone.now() if number % 5 == 0 else None,
        )
        if number % 4 == 3:
            Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
        cases.append(case)
    unassigned, _token = services.case_submit(actor=citizen, request=make_request(subject="Без съветник"))
    cases.append(unassigned)
    for case in [case for case in cases if case.assigned_to_id not in (None, advisor.pk)][:3]:
        case.shared_with.add(advisor)  # other advisors' cases shared with the advisor
    return {"cases": cases, "places": places, "today": today}


def expected_lines(user, filters, *, supervisor, shared, today):
    cases = selectors.case_queue(user.pk, filters, supervisor=supervisor, shared=shared, today=today)
    return list(cases.values_list(*selectors.QUEUE_COLUMNS))


def filter_sets(bureau: dict[str, Any], views: tuple[str, ...]):
    place = bureau["places"][1].pk
    for view, ordering, kind, category, settlement in itertools.product(
        views, ORDERINGS, ["", "zdoi"], ["", "taxes"], [None, place]
    ):
        yield selectors.QueueFilters(view=view, kind=kind, category=category, settlement=settlement, ordering=ordering)


@pytest.mark.parametrize("persona", ["advisor", "supervisor"])
def test_every_shape_of_the_queue_gives_what_the_orm_gives(request, bureau, persona):
    user = request.getfixturevalue(persona)
    supervisor = persona == "supervisor"
    views = selectors.QUEUE_VIEWS if supervisor else ("mine", "overdue", "closed")
    shared = selectors.shared_case_ids(user, supervisor=supervisor)
    assert (len(shared) == 3) is not supervisor
    seen_rows = 0
    for filters in filter_sets(bureau, views):
        expected = expected_lines(user, filters, supervisor=supervisor, shared=shared, today=bureau["today"])
        lines = selectors.queue_lines(user, filters, supervisor=supervisor, shared=shared)
        assert slice_page(lines, 1, 100).object_list == expected, filters
        # Page by page, as the queue reads it (one row more than the page); past the end, the
        # first page.
        assert slice_page(lines, 2, 2).object_list == (expected[2:4] or expected[:2]), filters
        seen_rows += len(expected)
    assert seen_rows > 30  # the filters found cases, not only empty lists


def test_the_lines_carry_dates_and_names_as_the_orm_converts_them(bureau, supervisor):
    filters = selectors.QueueFilters(view="all", ordering="reference")
    (line, *_rest) = slice_page(selectors.queue_lines(supervisor, filters, supervisor=True, shared=[]), 1, 50)
    assert isinstance(line[5], dt.date) and line[5] in {bureau["today"] + dt.timedelta(days=d) for d in (-3, 0, 5)}
    assert isinstance(line[8], str)  # the advisor's display name, through the join


@pytest.mark.parametrize("persona", ["advisor", "other_advisor", "supervisor"])
def test_the_counts_are_those_of_the_cases_the_person_may_see(request, bureau, persona):
    user = request.getfixturevalue(persona)
    supervisor = persona == "supervisor"
    shared = selectors.shared_case_ids(user, supervisor=supervisor)
    visible = Case.objects.filter(status__in=[Case.Status.OPEN, Case.Status.CLARIFICATION])
    if not supervisor:
        visible = visible.filter(pk__in=[*shared, *Case.objects.filter(assigned_to=user).values_list("pk", flat=True)])
    expected = {
        "mine": sum(case.assigned_to_id == user.pk for case in visible),
        "triage": sum(case.assigned_to_id is None for case in visible),
        "overdue": sum(case.due_on is not None and case.due_on < bureau["today"] for case in visible),
    }
    assert selectors.queue_counts(user, supervisor=supervisor, shared=shared) == expected
    assert expected["mine"] and (expected["triage"] or not supervisor)
    assert expected["overdue"] or persona == "other_advisor"  # whose cases are all due later


def test_an_advisor_with_many_shared_cases_gets_the_same_queue_through_the_orm(
    bureau, register, advisor, other_advisor, django_assert_max_num_queries
):
    many = [register(advisor, subject=f"Споделен {n}") for n in range(selectors.COMPILED_SHARED_MAX + 1)]
    for case in many:
        case.shared_with.add(other_advisor)
    shared = selectors.shared_case_ids(other_advisor, supervisor=False)
    assert len(shared) == len(many)
    for filters in filter_sets(bureau, ("mine", "overdue", "closed")):
        expected = expected_lines(other_advisor, filters, supervisor=False, shared=shared, today=bureau["today"])
        lines = selectors.queue_lines(other_advisor, filters, supervisor=False, shared=shared)
        assert slice_page(lines, 1, 100).object_list == expected, filters
    counts = selectors.queue_counts(other_advisor, supervisor=False, shared=shared)
    assert counts["mine"] == Case.objects.filter(assigned_to=other_advisor, status=Case.Status.OPEN).count()
    with django_assert_max_num_queries(1):
        selectors.queue_counts(other_advisor, supervisor=False, shared=shared)
