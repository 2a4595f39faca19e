"""A survey with open answers to code, for the coding tests."""

from __future__ import annotations

from typing import Any

from glas.surveys import services
from glas.surveys.models import Answer, CodeFrame, Question, Survey
from glas.surveys.tests.results_data import submit

TEXTS = [
    "Повече информация във Фейсбук навреме.",
    "Обсъжданията да са след работно време.",
    "Водата в селото да се оправи първо.",
    "Информацията да излиза навреме на сайта.",
    "Сесиите на съвета да се излъчват онлайн.",
    "Пътищата в селата са в лошо състояние.",
]


def build_open_survey(researcher: Any, *, title: str = "Предложения") -> Survey:
    """A survey in fieldwork with a long-text question and a choice question with "other"."""
    survey = services.survey_create(actor=researcher, title=title)
    section = survey.sections.get()
    services.question_add(
        actor=researcher, section=section, variable="idea", text="Какво да се промени?", type="long_text"
    )
    services.question_add(
        actor=researcher,
        section=section,
        variable="source",
        text="Откъде научавате новините?",
        type="single",
        choices=[("1", "Сайт"), ("2", "Табло")],
        allow_other=True,
    )
    services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)
    for index, text in enumerate(TEXTS):
        answers: dict[str, Any] = {"idea": text, "source": "other" if index % 2 else "1"}
        submit(survey, answers, {"source": f"от съседката {index}"} if index % 2 else None)
    return survey


def question(survey: Survey, variable: str = "idea") -> Question:
    return Question.objects.get(survey=survey, variable=variable)


def answers_of(survey: Survey, variable: str = "idea") -> list[Answer]:
    return list(Answer.objects.filter(question__survey=survey, question__variable=variable).order_by("response_id"))


def frame_with_codes(researcher: Any, survey: Survey, *, multiple: bool = False, variable: str = "idea") -> CodeFrame:
    """A frame with three codes: 1 information, 2 meetings, 3 infrastructure."""
    frame = services.code_frame_create(
        actor=researcher, question=question(survey, variable), name="Теми", multiple=multiple
    )
    for value, label in ((1, "Информация"), (2, "Срещи"), (3, "Инфраструктура")):
        services.code_create(actor=researcher, frame=frame, value=value, label=label)
    return frame
