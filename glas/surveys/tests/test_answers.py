"""Saving answers: each is checked against its question; a refused answer changes nothing."""

import pytest

from glas.core.exceptions import DomainError
from glas.surveys import services
from glas.surveys.models import Answer, Question, Response


@pytest.fixture
def all_types(researcher, survey, section, kresna):
    add = services.question_add
    add(actor=researcher, section=section, variable="single", text="?", type="single", choices=[("1", "a"), ("2", "b")])
    add(
        actor=researcher,
        section=section,
        variable="multi",
        text="?",
        type="multiple",
        choices=[("a", "A"), ("b", "B"), ("c", "C")],
        min_choices=1,
        max_choices=2,
        allow_other=True,
    )
    add(actor=researcher, section=section, variable="drop", text="?", type="dropdown", choices=[("x", "X"), ("y", "Y")])
    add(actor=researcher, section=section, variable="likert", text="?", type="likert", scale_points=5)
    add(
        actor=researcher,
        section=section,
        variable="grid",
        text="?",
        type="matrix",
        choices=[("1", "лошо"), ("2", "добре")],
        rows=[("roads", "Пътища"), ("water", "Вода")],
    )
    add(actor=researcher, section=section, variable="num", text="?", type="numeric", min_value=0, max_value=120)
    add(actor=researcher, section=section, variable="money", text="?", type="numeric", decimal_places=2)
    add(actor=researcher, section=section, variable="short", text="?", type="short_text", max_length=10)
    add(actor=researcher, section=section, variable="long", text="?", type="long_text")
    add(actor=researcher, section=section, variable="day", text="?", type="date")
    add(
        actor=researcher,
        section=section,
        variable="rank",
        text="?",
        type="ranking",
        choices=[("p", "P"), ("q", "Q"), ("r", "R")],
    )
    add(actor=researcher, section=section, variable="nps", text="?", type="scale_0_10")
    add(actor=researcher, section=section, variable="place", text="?", type="settlement")
    services.survey_transition(actor=researcher, survey=survey, to="fieldwork")
    return survey


@pytest.fixture
def response(all_types):
    return services.response_start(actor=None, survey=all_types, channel="web")


def stored(response):
    return {
        answer.question.variable: (answer.value, answer.other_text)
        for answer in Answer.objects.filter(response=response).select_related("question")
    }


def test_valid_answers_of_every_type_are_stored_typed(response):
    services.response_save_answers(
        actor=None,
        response=response,
        answers={
            "single": "2",
            "multi": ["other", "a"],
            "drop": "y",
            "likert": "5",
            "grid": {"roads": "1", "water": "2"},
            "num": "42",
            "money": "12,50",
            "short": "  кратко ",
            "long": "ред\r\nред",
            "day": "2026-03-03",
            "rank": ["r", "p", "q"],
            "nps": 10,
            "place": "oshtava",
        },
        other={"multi": "съседи"},
    )
    values = stored(response)
    assert values["single"] == ("2", "")
    assert values["multi"] == (["a", "other"], "съседи")
    assert values["grid"] == ({"roads": "1", "water": "2"}, "")
    assert str(values["num"][0]) == "42.0000"
    assert str(values["money"][0]) == "12.5000"
    assert values["short"][0] == "кратко"
    assert values["long"][0] == "ред\nред"
    assert values["day"][0].isoformat() == "2026-03-03"
    assert values["rank"][0] == ["r", "p", "q"]
    assert values["place"][0] == "oshtava"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("single", "3"),
        ("single", ["1"]),
        ("single", "other"),
        ("multi", ["a", "b", "c"]),
        ("multi", ["a", "a"]),
        ("multi", ["z"]),
        ("multi", "a"),
        ("drop", "1"),
        ("likert", "6"),
        ("grid", {"roads": "3"}),
        ("grid", {"sewers": "1"}),
        ("grid", ["1", "2"]),
        ("num", "121"),
        ("num", "-1"),
        ("num", "1.5"),
        ("num", "NaN"),
        ("num", "Infinity"),
        ("num", "1e400"),
        ("num", True),
        ("money", "1.005"),
        ("short", "единадесет!"),
        ("long", "x" * 2001),
        ("long", "nul\x00byte"),
        ("long", "lone \ud800 surrogate"),
        ("day", "2026-02-30"),
        ("day", "yesterday"),
        ("rank", ["p", "p"]),
        ("rank", ["p", "s"]),
        ("nps", "11"),
        ("nps", "-1"),
        ("place", "sofia"),
        ("place", 1),
    ],
)
def test_an_invalid_answer_is_refused_for_its_field_and_nothing_is_saved(response, variable, value):
    with pytest.raises(DomainError) as error:
        services.response_save_answers(actor=None, response=response, answers={"single": "1", variable: value})
    assert error.value.errors == {variable: error.value.message}
    assert not Answer.objects.filter(response=response).exists()


def test_tampered_question_ids_are_refused(response, researcher):
    other = services.survey_create(actor=researcher, title="Друго")
    foreign = services.question_add(
        actor=researcher, section=other.sections.get(), variable="single", text="?", type="date"
    )
    for key in (foreign.pk, str(foreign.pk), 10**9, "no_such_variable"):
        with pytest.raises(DomainError) as error:
            services.response_save_answers(actor=None, response=response, answers={key: "2026-01-01"})
        assert "not part of the survey" in error.value.message
    assert not Answer.objects.exists()


def test_answers_are_accepted_by_question_id_as_forms_send_them(response):
    question = Question.objects.get(survey=response.survey, variable="single")
    services.response_save_answers(actor=None, response=response, answers={str(question.pk): "1"})
    assert stored(response) == {"single": ("1", "")}


def test_other_please_specify_needs_its_text(response):
    with pytest.raises(DomainError) as error:
        services.response_save_answers(actor=None, response=response, answers={"multi": ["other"]})
    assert error.value.field == "multi_other"


def test_several_invalid_answers_are_all_reported(response):
    with pytest.raises(DomainError) as error:
        services.response_save_answers(
            actor=None, response=response, answers={"num": "500", "nps": "12", "single": "1"}
        )
    assert set(error.value.errors) == {"num", "nps"}


def test_an_empty_value_clears_an_answer(response):
    services.response_save_answers(actor=None, response=response, answers={"single": "1", "short": "да"})
    services.response_save_answers(actor=None, response=response, answers={"short": "  "})
    assert set(stored(response)) == {"single"}


def test_a_submitted_response_cannot_be_changed(response):
    services.response_submit(actor=None, response=response)
    with pytest.raises(DomainError) as error:
        services.response_save_answers(actor=None, response=response, answers={"single": "1"})
    assert error.value.code == "submitted"
    assert Response.objects.get(pk=response.pk).answers.count() == 0
