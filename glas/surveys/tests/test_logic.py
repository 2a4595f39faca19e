"""Display logic: refused when it refers forward, loops or names unknown things; evaluated on
the server; answers to hidden questions discarded on submit."""

import pytest

from glas.core.exceptions import DomainError
from glas.surveys import services
from glas.surveys.models import Answer, Question


def add_text(researcher, section, variable, logic=None):
    return services.question_add(
        actor=researcher, section=section, variable=variable, text=variable, type="short_text", logic=logic
    )


@pytest.mark.parametrize(
    ("logic", "fragment"),
    [
        ({"op": "equals", "var": "nosuch", "value": "x"}, "unknown question"),
        ({"op": "equals", "var": "voted", "value": "maybe"}, "not one of the codes"),
        ({"op": "in", "var": "voted", "values": []}, "list of values"),
        ({"op": "range", "var": "voted", "min": 1}, "range can only"),
        ({"op": "range", "var": "age"}, "lower or an upper bound"),
        ({"op": "range", "var": "age", "min": "eighteen"}, "not valid"),
        ({"op": "equals", "var": "age", "value": "many"}, "not a number"),
        ({"op": "eval", "var": "voted"}, "Unknown condition"),
        ({"and": []}, "need a list"),
        ({"and": [{"op": "answered", "var": "voted"}], "or": []}, "need a list"),
        ("voted == 'yes'", "not well formed"),
        (
            {"or": [{"and": [{"or": [{"and": [{"or": [{"and": [{"or": [{"op": "answered", "var": "age"}]}]}]}]}]}]}]},
            "too complex",
        ),
    ],
)
def test_malformed_or_unknown_logic_is_refused_with_a_message(researcher, civic_survey, logic, fragment):
    section = civic_survey.sections.get()
    with pytest.raises(DomainError) as error:
        services.question_add(actor=researcher, section=section, variable="later", text="?", type="date", logic=logic)
    assert fragment in error.value.message
    assert error.value.field == "logic"
    assert not Question.objects.filter(variable="later").exists()


def test_logic_referring_to_a_later_question_is_refused(researcher, section):
    first = add_text(researcher, section, "first")
    add_text(researcher, section, "second")
    with pytest.raises(DomainError) as error:
        services.question_update(actor=researcher, question=first, data={"logic": {"op": "answered", "var": "second"}})
    assert "earlier questions" in error.value.message
    first.refresh_from_db()
    assert first.logic is None


def test_logic_referring_to_itself_is_refused(researcher, section):
    question = add_text(researcher, section, "first")
    with pytest.raises(DomainError):
        services.question_update(
            actor=researcher, question=question, data={"logic": {"op": "answered", "var": "first"}}
        )


def test_a_move_that_would_make_logic_refer_forward_is_refused(researcher, section):
    add_text(researcher, section, "a")
    dependent = add_text(researcher, section, "b", logic={"op": "answered", "var": "a"})
    with pytest.raises(DomainError):
        services.question_move(actor=researcher, question=dependent, position=1)
    assert list(section.questions.order_by("position").values_list("variable", flat=True)) == ["a", "b"]


def test_a_loop_between_sections_is_refused(researcher, survey, section):
    add_text(researcher, section, "a")
    second = services.section_add(actor=researcher, survey=survey, logic_json={"op": "answered", "var": "a"})
    add_text(researcher, second, "b")
    with pytest.raises(DomainError):
        services.section_update(actor=researcher, section=section, data={"logic": {"op": "answered", "var": "b"}})
    section.refresh_from_db()
    assert section.logic is None


def test_deleting_a_question_that_later_logic_refers_to_is_refused(researcher, civic_survey):
    with pytest.raises(DomainError):
        services.question_delete(actor=researcher, question=Question.objects.get(variable="voted"))
    assert Question.objects.filter(variable="voted").exists()


def test_deleting_a_choice_that_logic_compares_with_is_refused(researcher, civic_survey):
    with pytest.raises(DomainError):
        services.choice_delete(actor=researcher, choice=Question.objects.get(variable="voted").choices.get(code="yes"))


@pytest.fixture
def branching(researcher, survey, section, kresna):
    """q1 yes/no; q2 numeric shown if q1 = yes; q3 text shown if (q2 in 18..30) or (q1 = no
    and q2 answered); a second section shown if q1 in {yes}; q4 in it."""
    services.question_add(actor=researcher, section=section, variable="q1", text="?", type="yes_no")
    services.question_add(
        actor=researcher,
        section=section,
        variable="q2",
        text="?",
        type="numeric",
        logic={"op": "equals", "var": "q1", "value": "yes"},
    )
    add_text(
        researcher,
        section,
        "q3",
        logic={
            "or": [
                {"op": "range", "var": "q2", "min": 18, "max": 30},
                {"and": [{"op": "equals", "var": "q1", "value": "no"}, {"op": "answered", "var": "q2"}]},
            ]
        },
    )
    later = services.section_add(
        actor=researcher, survey=survey, logic_json={"op": "in", "var": "q1", "values": ["yes"]}
    )
    add_text(researcher, later, "q4")
    services.survey_transition(actor=researcher, survey=survey, to="fieldwork")
    return survey


def submitted_variables(survey, answers):
    response = services.response_start(actor=None, survey=survey, channel="web")
    services.response_save_answers(actor=None, response=response, answers=answers)
    services.response_submit(actor=None, response=response)
    return set(Answer.objects.filter(response=response).values_list("question__variable", flat=True))


def test_answers_to_questions_hidden_by_logic_are_discarded_on_submit(branching):
    kept = submitted_variables(branching, {"q1": "no", "q2": "25", "q3": "text", "q4": "text"})
    # q2 is hidden (q1 is not yes), so for q3 q2 counts as unanswered; the second section is hidden.
    assert kept == {"q1"}


def test_nested_and_or_logic_shows_questions_when_it_holds(branching):
    assert submitted_variables(branching, {"q1": "yes", "q2": "25", "q3": "t", "q4": "t"}) == {"q1", "q2", "q3", "q4"}
    assert submitted_variables(branching, {"q1": "yes", "q2": "31", "q3": "t", "q4": "t"}) == {"q1", "q2", "q4"}
