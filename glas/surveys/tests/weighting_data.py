"""A survey with profile questions and answers from 80 respondents, for the weighting and
findings tests. Deliberately unbalanced: most answers come from the town of Kresna and from
women, so weighting to the census changes the figures."""

from __future__ import annotations

import random
from typing import Any

from glas.surveys import services
from glas.surveys.models import Survey
from glas.surveys.tests.results_data import submit

PLACES = ("kresna", "dolna-gradeshnitsa", "slivnitsa", "gorna-breznitsa")
SEED = 4


def build_weighting_survey(researcher: Any, *, respondents: int = 80) -> Survey:
    survey = services.survey_create(actor=researcher, title="Профил и доверие", purpose="Проба")
    section = survey.sections.get()

    def q(variable: str, text: str, type: str, **data: Any) -> None:
        services.question_add(actor=researcher, section=section, variable=variable, text=text, type=type, **data)

    q("place", "Къде живеете?", "settlement", required=True)
    q("sex", "Пол", "single", choices=[("1", "Мъж"), ("2", "Жена")], required=True)
    q("agegroup", "Възраст", "single", choices=[("1", "18–39"), ("2", "40–64"), ("3", "65+")])
    q("trust", "Доверявам се на общината.", "likert", scale_points=5)
    q("happy", "Доволни ли сте (0–10)?", "scale_0_10")
    q("topics", "Кои теми са важни?", "multiple", choices=[("roads", "Пътища"), ("water", "Вода"), ("jobs", "Работа")])
    q("comment", "Коментар", "short_text", max_length=100)
    services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)
    rng = random.Random(SEED)
    for index in range(respondents):
        place = PLACES[0] if index % 2 == 0 else PLACES[1 + (index // 2) % 3]
        sex = "2" if rng.random() < 0.7 else "1"
        village = place != PLACES[0]
        trust = min(5, max(1, round(3 + (0.8 if village else -0.4) + (0.5 if sex == "1" else 0) + rng.gauss(0, 1))))
        answers: dict[str, Any] = {
            "place": place,
            "sex": sex,
            "agegroup": str(1 + index % 3),
            "trust": str(trust),
            "happy": min(10, max(0, round(5 + (2 if village else 0) + rng.gauss(0, 2)))),
            "topics": ["roads", "water"] if village else ["jobs"] if index % 3 else ["roads"],
        }
        submit(survey, answers)
    return survey


CENSUS = {"kresna": 3470, "dolna-gradeshnitsa": 661, "slivnitsa": 599, "gorna-breznitsa": 564}
SEX = {"1": 2700, "2": 2594}
