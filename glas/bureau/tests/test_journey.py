"""The advisor's day, through the pages: a walk-in inquiry, a ЗДОИ request and an АПК proposal
taken to closure with deadlines across a holiday; the citizen follows by the secret link."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse

from glas.bureau.models import Case

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


def record(client, **data) -> tuple[Case, str]:
    base = {
        "category": "other",
        "subject": "Тема",
        "description": "Описание",
        "name": "Иван Петров",
        "phone": "0888 123 456",
        "preferred_contact": "phone",
        "consent_process": "on",
        "consent_refer": "on",
    }
    response = client.post(reverse("bureau:case_new"), {**base, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(
        r'href="http://testserver(/bureau/follow/[^"]+)"', client.get(response.url).content.decode()
    ).group(1)
    return Case.objects.get(reference=unquote(response.url.split("/")[-3])), link


def step(client, case: Case, action: str, **data) -> None:
    response = client.post(reverse("bureau:case_action", args=[case.reference, action]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_an_advisor_takes_three_cases_to_closure_and_the_citizen_follows(client_for, advisor):
    # The advisor signs in on each day (a session started later in time is no good earlier).
    with at(dt.date(2026, 9, 8)):  # a Tuesday; 22 Sep is Independence Day
        client = client_for(advisor)
        walk_in, walk_in_link = record(client, channel="walk_in", kind="inquiry", category="taxes")
        zdoi, zdoi_link = record(
            client,
            channel="letter",
            kind="zdoi",
            category="information",
            access_form="paper",
            address="гр. Кресна, ул. „Македония“ 1",
            preferred_contact="letter",
        )
        proposal, _link = record(client, channel="phone", kind="proposal")
    assert walk_in.due_on == zdoi.due_on == dt.date(2026, 9, 23)  # 14 days end on the holiday → next day
    assert proposal.due_on == dt.date(2026, 11, 9)  # 2 months: Sun 8 Nov → Mon 9 Nov

    with at(dt.date(2026, 9, 10)):
        client = client_for(advisor)
        step(client, walk_in, "reply", body="Отстъпката е 5 %.", key=str(uuid.uuid4()), final="on")
    with at(dt.date(2026, 9, 18)):
        client = client_for(advisor)
        step(client, zdoi, "extend", ground="third_party", reason="Нужно е съгласието на изпълнителя по договора.")
    zdoi.refresh_from_db()
    assert zdoi.due_on == dt.date(2026, 10, 7)  # 23 Sep + 14 days
    with at(dt.date(2026, 10, 5)):
        client = client_for(advisor)
        step(client, zdoi, "decide", decision="partial", grounds="ЗДОИ, чл. 37, ал. 1, т. 2", text="Частичен достъп.")
    with at(dt.date(2026, 10, 30)):
        client = client_for(advisor)
        step(client, proposal, "decide", text="Предложението се приема.")
    proposal.refresh_from_db()
    assert proposal.due_on == dt.date(2026, 11, 6)  # answer within 7 days of the decision
    with at(dt.date(2026, 11, 2)):
        client = client_for(advisor)
        step(client, proposal, "reply", body="Предложението Ви е прието.", key=str(uuid.uuid4()), final="on")

    for case, outcome in ((walk_in, "answered"), (zdoi, "partial"), (proposal, "decided")):
        case.refresh_from_db()
        assert (case.status, case.outcome, case.closed_on_time) == ("closed", outcome, True)

    citizen_view = client_for(None)
    page = citizen_view.get(zdoi_link).content.decode()
    assert "Частичен достъп." in page and "ЗДОИ, чл. 37" in page
    assert "Отстъпката е 5 %." in citizen_view.get(walk_in_link).content.decode()
    assert citizen_view.post(walk_in_link, {"action": "rate", "rating": "4"}).status_code == 302
