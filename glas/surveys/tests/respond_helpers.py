"""Builders shared by the respondent and entry tests (and the browser test)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from glas.surveys import services
from glas.surveys.models import Response, Survey


def every_type_survey(researcher: Any, *, anonymity: str = "anonymous", title: str = "Живот в общината") -> Survey:
    """Three sections with every question type, in fieldwork. Section 3 is shown only to those
    who voted; "how" only to those who voted."""
    survey = services.survey_create(
        actor=researcher,
        title=title,
        purpose="Какво мислят жителите",
        intro="Благодарим, че отделяте време.",
        consent_text="Участието е доброволно.",
        anonymity=anonymity,
    )
    first = survey.sections.get()
    services.section_update(actor=researcher, section=first, data={"title": "За вас"})
    second = services.section_add(actor=researcher, survey=survey, title="Мнения")
    third = services.section_add(actor=researcher, survey=survey, title="Още")
    add = services.question_add
    add(actor=researcher, section=first, variable="voted", text="Гласувахте ли?", type="yes_no", required=True)
    add(
        actor=researcher,
        section=first,
        variable="how",
        text="Как гласувахте?",
        type="single",
        choices=[("1", "В секция"), ("2", "По пощата"), ("3", "С подвижна урна")],
        allow_other=True,
        randomise=True,
        logic={"op": "equals", "var": "voted", "value": "yes"},
    )
    add(
        actor=researcher,
        section=first,
        variable="age",
        text="На колко години сте?",
        type="numeric",
        min_value=18,
        max_value=110,
        help_text="Навършени години.",
    )
    add(actor=researcher, section=first, variable="place", text="Къде живеете?", type="settlement")
    add(actor=researcher, section=second, variable="intro2", text="Следват въпроси за услугите.", type="note")
    add(actor=researcher, section=second, variable="trust", text="Доверявам се на общината.", type="likert",
        scale_points=5)  # fmt: skip
    add(actor=researcher, section=second, variable="sat", text="Колко сте доволни?", type="scale_0_10",
        low_label="Изобщо не", high_label="Напълно")  # fmt: skip
    add(
        actor=researcher,
        section=second,
        variable="topics",
        text="Кои теми са важни?",
        type="multiple",
        choices=[("roads", "Пътища"), ("water", "Вода"), ("jobs", "Работа")],
        min_choices=1,
        max_choices=2,
        allow_other=True,
    )
    add(actor=researcher, section=second, variable="channel", text="Откъде научавате новини?", type="dropdown",
        choices=[("web", "Интернет"), ("radio", "Радио")])  # fmt: skip
    add(
        actor=researcher,
        section=second,
        variable="services",
        text="Оценете услугите",
        type="matrix",
        choices=[("1", "Лошо"), ("2", "Средно"), ("3", "Добре")],
        rows=[("bus", "Автобус"), ("clinic", "Поликлиника")],
    )
    add(
        actor=researcher,
        section=second,
        variable="priority",
        text="Подредете приоритетите",
        type="ranking",
        choices=[("a", "Училище"), ("b", "Парк"), ("c", "Път")],
    )
    add(actor=researcher, section=third, variable="comment", text="Коментар", type="short_text", max_length=50)
    add(actor=researcher, section=third, variable="story", text="Разкажете", type="long_text")
    add(actor=researcher, section=third, variable="moved", text="Кога се преместихте?", type="date")
    services.section_update(
        actor=researcher, section=third, data={"logic": {"op": "equals", "var": "voted", "value": "yes"}}
    )
    return services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)


PAGE_1 = {"voted": "yes", "how": "2", "age": "40", "place": "kresna", "action": "next"}
PAGE_2 = {
    "trust": "4",
    "sat": "7",
    "topics": ["roads", "water"],
    "channel": "web",
    "services--bus": "3",
    "services--clinic": "1",
    "priority--1": "b",
    "priority--2": "a",
    "priority--3": "c",
    "action": "next",
}
PAGE_3 = {"comment": "Добре е", "story": "Дълга история", "moved": "2001-05-01", "action": "next"}


def start(client: Client, survey: Survey) -> Response:
    page = client.post(f"/surveys/{survey.public_id}/")
    assert page.status_code == 302, page.content[:500]
    match = re.search(r"/surveys/r/([0-9a-f-]{36})/page/1/", page["Location"])
    assert match, page["Location"]
    return Response.objects.get(public_id=match.group(1))


def page_url(response: Response, number: int) -> str:
    return f"/surveys/r/{response.public_id}/page/{number}/"
