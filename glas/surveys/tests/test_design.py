"""Designing a questionnaire: surveys, sections, questions and choices through the services."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Choice, Question, Survey


def test_a_researcher_creates_a_draft_survey_with_one_section_and_an_audit_entry(researcher):
    survey = services.survey_create(actor=researcher, title="Доверие", anonymity="confidential")
    assert survey.status == Survey.Status.DRAFT
    assert survey.owner == researcher
    assert survey.sections.count() == 1
    assert AuditEntry.objects.filter(action="surveys.survey.created", object_id=str(survey.pk)).count() == 1


def test_an_advisor_cannot_design_a_survey(advisor):
    with pytest.raises(DomainError) as error:
        services.survey_create(actor=advisor, title="Доверие")
    assert error.value.code == "forbidden"


def test_fieldwork_cannot_end_before_it_starts(researcher, survey):
    with pytest.raises(DomainError) as error:
        services.survey_update(
            actor=researcher,
            survey=survey,
            data={"fieldwork_start": dt.date(2026, 5, 10), "fieldwork_end": dt.date(2026, 5, 1)},
        )
    assert error.value.field == "fieldwork_end"


def test_the_database_refuses_fieldwork_ending_before_it_starts(survey):
    survey.fieldwork_start, survey.fieldwork_end = dt.date(2026, 5, 10), dt.date(2026, 5, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        survey.save()


def test_unknown_survey_fields_such_as_status_cannot_be_set_by_update(researcher, survey):
    with pytest.raises(DomainError):
        services.survey_update(actor=researcher, survey=survey, data={"status": "closed"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


@pytest.mark.parametrize("variable", ["1abc", "has space", "кирилица", "a-b", "", "x" * 65])
def test_a_variable_name_must_be_an_identifier(researcher, section, variable):
    with pytest.raises(DomainError) as error:
        services.question_add(actor=researcher, section=section, variable=variable, text="?", type="short_text")
    assert error.value.field == "variable"
    assert not Question.objects.exists()


def test_a_variable_name_is_unique_within_a_survey(researcher, section):
    services.question_add(actor=researcher, section=section, variable="q1", text="?", type="short_text")
    with pytest.raises(DomainError) as error:
        services.question_add(actor=researcher, section=section, variable="q1", text="?", type="date")
    assert error.value.field == "variable"
    assert Question.objects.count() == 1


def test_yes_no_and_likert_questions_get_their_standard_answers(researcher, section):
    yes_no = services.question_add(actor=researcher, section=section, variable="yn", text="?", type="yes_no")
    likert = services.question_add(
        actor=researcher, section=section, variable="trust", text="?", type="likert", scale_points=7
    )
    assert list(yes_no.choices.values_list("code", flat=True)) == ["yes", "no"]
    assert list(likert.choices.values_list("code", flat=True)) == [str(n) for n in range(1, 8)]


def test_a_likert_scale_has_five_or_seven_points(researcher, section):
    with pytest.raises(DomainError) as error:
        services.question_add(actor=researcher, section=section, variable="t", text="?", type="likert", scale_points=4)
    assert error.value.field == "scale_points"


def test_choice_codes_are_unique_within_a_question(researcher, section):
    with pytest.raises(DomainError):
        services.question_add(
            actor=researcher, section=section, variable="q", text="?", type="single", choices=[("1", "a"), ("1", "b")]
        )
    question = services.question_add(
        actor=researcher, section=section, variable="q", text="?", type="single", choices=[("1", "a")]
    )
    with pytest.raises(DomainError) as error:
        services.choice_add(actor=researcher, question=question, code="1", label="b")
    assert error.value.field == "code"


def test_other_please_specify_is_refused_on_a_number_question(researcher, section):
    with pytest.raises(DomainError) as error:
        services.question_add(
            actor=researcher, section=section, variable="n", text="?", type="numeric", allow_other=True
        )
    assert error.value.field == "allow_other"


def test_minimum_above_maximum_is_refused(researcher, section):
    with pytest.raises(DomainError):
        services.question_add(
            actor=researcher, section=section, variable="n", text="?", type="numeric", min_value=10, max_value=1
        )


def test_questions_move_within_and_between_sections(researcher, survey, section):
    for name in ("a", "b", "c"):
        services.question_add(actor=researcher, section=section, variable=name, text=name, type="short_text")
    services.question_move(actor=researcher, question=Question.objects.get(variable="c"), position=1)
    assert list(section.questions.order_by("position").values_list("variable", flat=True)) == ["c", "a", "b"]
    second = services.section_add(actor=researcher, survey=survey, title="Втора")
    services.question_move(actor=researcher, question=Question.objects.get(variable="a"), position=1, section=second)
    assert list(section.questions.order_by("position").values_list("variable", "position")) == [("c", 1), ("b", 2)]
    assert list(second.questions.values_list("variable", flat=True)) == ["a"]


def test_choices_are_reordered_and_deleted(researcher, section):
    question = services.question_add(
        actor=researcher,
        section=section,
        variable="q",
        text="?",
        type="single",
        choices=[("1", "a"), ("2", "b"), ("3", "c")],
    )
    services.choice_move(actor=researcher, choice=question.choices.get(code="3"), position=1)
    assert list(question.choices.order_by("position").values_list("code", flat=True)) == ["3", "1", "2"]
    services.choice_delete(actor=researcher, choice=question.choices.get(code="1"))
    assert list(question.choices.order_by("position").values_list("code", "position")) == [("3", 1), ("2", 2)]


def test_fieldwork_needs_at_least_one_question(researcher, survey):
    with pytest.raises(DomainError) as error:
        services.survey_transition(actor=researcher, survey=survey, to="fieldwork")
    assert error.value.code == "empty"
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_a_survey_goes_from_draft_to_fieldwork_to_closed_to_archived(researcher, civic_survey):
    for status in ("fieldwork", "closed", "archived"):
        services.survey_transition(actor=researcher, survey=civic_survey, to=status)
        civic_survey.refresh_from_db()
        assert civic_survey.status == status
    assert AuditEntry.objects.filter(action="surveys.survey.transitioned").count() == 3


@pytest.mark.parametrize(("start", "to"), [("draft", "closed"), ("draft", "archived"), ("archived", "draft")])
def test_transitions_that_skip_a_step_are_refused(researcher, civic_survey, start, to):
    Survey.objects.filter(pk=civic_survey.pk).update(status=start)
    civic_survey.refresh_from_db()
    with pytest.raises(DomainError):
        services.survey_transition(actor=researcher, survey=civic_survey, to=to)


def test_in_fieldwork_the_structure_is_frozen(researcher, in_fieldwork):
    question = Question.objects.get(variable="age")
    section = in_fieldwork.sections.get()
    refused = [
        lambda: services.question_add(actor=researcher, section=section, variable="new", text="?", type="date"),
        lambda: services.question_update(actor=researcher, question=question, data={"max_value": 200}),
        lambda: services.question_delete(actor=researcher, question=question),
        lambda: services.question_move(actor=researcher, question=question, position=1),
        lambda: services.choice_add(
            actor=researcher, question=Question.objects.get(variable="sex"), code="x", label="x"
        ),
        lambda: services.section_add(actor=researcher, survey=in_fieldwork),
        lambda: services.survey_update(actor=researcher, survey=in_fieldwork, data={"anonymity": "identified"}),
    ]
    for attempt in refused:
        with pytest.raises(DomainError):
            attempt()
    question.refresh_from_db()
    assert question.max_value == 110
    assert Question.objects.filter(survey=in_fieldwork).count() == 6


def test_in_fieldwork_wording_can_still_be_fixed(researcher, in_fieldwork):
    question = Question.objects.get(variable="age")
    services.question_update(actor=researcher, question=question, data={"text": "Възраст (навършени години)"})
    choice = Choice.objects.get(question__variable="sex", code="f")
    services.choice_update(actor=researcher, choice=choice, label="Жена ")
    question.refresh_from_db()
    choice.refresh_from_db()
    assert question.text == "Възраст (навършени години)"
    assert choice.label == "Жена"


def test_copy_as_wave_keeps_variables_logic_and_quotas_but_not_counts(researcher, civic_survey):
    services.quota_define(
        actor=researcher,
        survey=civic_survey,
        name="Пол",
        variables=["sex"],
        cells=[({"sex": "f"}, 10), ({"sex": "m"}, 10)],
    )
    wave2 = services.survey_copy_as_wave(actor=researcher, survey=civic_survey)
    wave3 = services.survey_copy_as_wave(actor=researcher, survey=wave2)
    assert (wave2.wave_of, wave2.wave, wave3.wave_of, wave3.wave) == (civic_survey, 2, civic_survey, 3)
    assert wave2.status == Survey.Status.DRAFT
    original = list(civic_survey.questions.order_by("position").values_list("variable", "type", "logic"))
    assert list(wave3.questions.order_by("position").values_list("variable", "type", "logic")) == original
    how = wave3.questions.get(variable="how")
    assert list(how.choices.values_list("code", flat=True)) == ["1", "2"]
    assert how.allow_other
    assert [(cell.key, cell.target, cell.filled) for cell in wave3.quotas.get().cells.all()] == [
        ("sex=f", 10, 0),
        ("sex=m", 10, 0),
    ]
