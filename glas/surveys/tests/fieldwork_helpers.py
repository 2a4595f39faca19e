"""What the fieldwork tests share: a confidential survey in fieldwork, verified residents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from glas.accounts.demo import demo_egn
from glas.accounts.models import User
from glas.accounts.services import resident_verify
from glas.core.models import Settlement
from glas.surveys import services
from glas.surveys.models import Survey

VALID = {"voted": "yes", "how": "1", "age": 40}


def make_confidential(researcher: User, survey: Survey, *, fieldwork: bool = True) -> Survey:
    services.survey_update(actor=researcher, survey=survey, data={"anonymity": "confidential"})
    if fieldwork:
        services.survey_transition(actor=researcher, survey=survey, to="fieldwork")
    survey.refresh_from_db()
    return survey


def verified_residents(make_user: Any, advisor: User, counts: dict[str, int], *, start: int = 0) -> list[User]:
    """``counts``: settlement slug → how many verified residents to make there."""
    people = []
    number = start
    for slug, count in counts.items():
        settlement = Settlement.objects.get(slug=slug)
        for _index in range(count):
            number += 1
            user = make_user(f"person{number}@example.org")
            resident_verify(
                actor=advisor,
                user=user,
                egn=demo_egn(dt.date(1960, 1, 1) + dt.timedelta(days=number), 100 + number % 800),
                settlement=settlement,
                document="id_card",
            )
            people.append(user)
    return people


SETTLEMENTS = ("kresna", "slivnitsa", "vlahi", "oshtava")
CHANNELS = ("web", "invitation", "assisted", "paper", "phone")


def synthetic_responses(survey: Survey, count: int, *, now: dt.datetime, start: int = 0) -> None:
    """``count`` responses made straight in the database (bulk), spread over ten days, channels
    and settlements: three in four complete (5 to 24 minutes), the rest unfinished."""
    from glas.surveys.models import Answer, Question, Response

    place = Question.objects.filter(survey=survey, type=Question.Type.SETTLEMENT).first()
    responses = []
    for index in range(start, start + count):
        started = now - dt.timedelta(days=index % 10, minutes=index % 50)
        complete = index % 4 != 0
        responses.append(
            Response(
                survey=survey,
                channel=CHANNELS[index % len(CHANNELS)],
                status=Response.Status.COMPLETE if complete else Response.Status.IN_PROGRESS,
                started_at=started,
                submitted_at=started + dt.timedelta(minutes=5 + index % 20) if complete else None,
            )
        )
    Response.objects.bulk_create(responses, batch_size=1000)
    if place is not None:
        answers = [
            Answer(response=response, question=place, text=SETTLEMENTS[number // 2 % len(SETTLEMENTS)])
            for number, response in enumerate(responses, start=start)
            if response.status == Response.Status.COMPLETE
        ]
        Answer.objects.bulk_create(answers, batch_size=1000)
