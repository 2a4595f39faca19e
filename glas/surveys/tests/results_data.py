"""A survey with every kind of question, and answers to it, for the results tests."""

from __future__ import annotations

from typing import Any

from glas.surveys import services
from glas.surveys.models import Response, Survey


def build_rich_survey(researcher: Any, *, anonymity: str = "anonymous", title: str = "Кресна 2026") -> Survey:
    """One question of each answer type, with display logic on ``how``; put in fieldwork."""
    survey = services.survey_create(actor=researcher, title=title, purpose="Проба", anonymity=anonymity)
    section = survey.sections.get()
    add = services.question_add

    def q(variable: str, text: str, type: str, **data: Any) -> None:
        add(actor=researcher, section=section, variable=variable, text=text, type=type, **data)

    q("voted", "Гласувахте ли на последните местни избори?", "yes_no", required=True)
    q(
        "how",
        "Как гласувахте?",
        "single",
        choices=[("1", "В секция"), ("2", "По пощата")],
        logic={"op": "equals", "var": "voted", "value": "yes"},
    )
    q("sex", "Пол", "single", choices=[("f", "Жена"), ("m", "Мъж")], allow_other=True)
    topics = [("roads", "Пътища"), ("water", "Вода"), ("jobs", "Работа")]
    q("topics", "Кои теми са важни за вас?", "multiple", choices=topics)
    q(
        "services",
        "Как оценявате услугите?",
        "matrix",
        choices=[("1", "Лошо"), ("2", "Средно"), ("3", "Добре")],
        rows=[("water", "Водоснабдяване"), ("waste", "Сметосъбиране")],
    )
    q("ranks", "Подредете по важност", "ranking", choices=[("a", "Училище"), ("b", "Болница"), ("c", "Парк")])
    q("age", "На колко години сте?", "numeric", min_value=18, max_value=110)
    q("happy", "Доволни ли сте от живота в общината (0–10)?", "scale_0_10")
    q("moved", "Кога се преместихте тук?", "date")
    q("agree", "Общината ме чува.", "likert", scale_points=5)
    q("comment", "Коментар", "short_text", max_length=200)
    return services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)


FIRST = {
    "voted": "yes",
    "how": "1",
    "sex": "f",
    "topics": ["roads", "water"],
    "services": {"water": "3", "waste": "1"},
    "ranks": ["b", "a", "c"],
    "age": 40,
    "happy": 7,
    "moved": "2001-05-17",
    "agree": "4",
    "comment": '=HYPERLINK("http://evil")',
}
SECOND = {
    "voted": "no",
    "sex": "other",
    "topics": ["jobs"],
    "age": "61",
    "happy": 3,
    "comment": "-5 лв. на месец",
}
SECOND_OTHER = {"sex": "@небинарен"}
THIRD = {"voted": "yes", "how": "2", "age": 25, "happy": 10, "topics": ["roads"]}


def submit(survey: Survey, answers: dict[str, Any], other: dict[str, Any] | None = None) -> Response:
    response = services.response_start(actor=None, survey=survey, channel="web")
    services.response_save_answers(actor=None, response=response, answers=answers, other=other)
    return services.response_submit(actor=None, response=response)


def fill(survey: Survey) -> Survey:
    """Three complete responses and one left in progress."""
    submit(survey, FIRST)
    submit(survey, SECOND, SECOND_OTHER)
    submit(survey, THIRD)
    unfinished = services.response_start(actor=None, survey=survey, channel="web")
    services.response_save_answers(actor=None, response=unfinished, answers={"voted": "yes"})
    return survey
