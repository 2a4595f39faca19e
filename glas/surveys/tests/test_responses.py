"""Taking responses: channels, submission, invitations, withdrawal, closed surveys."""

import datetime as dt

import pytest
import time_machine

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Answer, Invitation, Response, Survey

VALID = {"voted": "yes", "how": "1", "age": "40", "sex": "f", "place": "kresna"}


def submit_web(survey, answers=VALID):
    response = services.response_start(actor=None, survey=survey, channel="web")
    services.response_save_answers(actor=None, response=response, answers=answers)
    return services.response_submit(actor=None, response=response)


def test_a_public_link_response_is_saved_resumed_and_submitted(in_fieldwork):
    response = services.response_start(actor=None, survey=in_fieldwork, channel="web")
    services.response_save_answers(actor=None, response=response, answers={"voted": "yes"})
    services.response_save_answers(actor=None, response=response, answers={"how": "2", "age": 70})
    services.response_submit(actor=None, response=response)
    response.refresh_from_db()
    assert response.status == Response.Status.COMPLETE
    assert response.submitted_at is not None
    assert response.respondent is None


def test_required_visible_questions_must_be_answered_before_submitting(in_fieldwork):
    response = services.response_start(actor=None, survey=in_fieldwork, channel="web")
    services.response_save_answers(actor=None, response=response, answers={"voted": "yes"})
    with pytest.raises(DomainError) as error:
        services.response_submit(actor=None, response=response)
    assert error.value.errors == {"how": "This question needs an answer."}
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_a_required_question_hidden_by_logic_is_not_required(in_fieldwork):
    response = submit_web(in_fieldwork, {"voted": "no", "how": "1"})
    assert response.status == Response.Status.COMPLETE
    assert list(Answer.objects.filter(response=response).values_list("question__variable", flat=True)) == ["voted"]


def test_submitting_twice_is_harmless(in_fieldwork):
    response = submit_web(in_fieldwork)
    submitted_at = response.submitted_at
    services.response_submit(actor=None, response=Response.objects.get(pk=response.pk))
    assert Response.objects.get(pk=response.pk).submitted_at == submitted_at
    assert AuditEntry.objects.filter(action="surveys.response.submitted").count() == 1


def test_a_closed_survey_takes_no_responses_and_no_submissions(researcher, in_fieldwork):
    response = services.response_start(actor=None, survey=in_fieldwork, channel="web")
    services.response_save_answers(actor=None, response=response, answers={"voted": "no"})
    services.survey_transition(actor=researcher, survey=in_fieldwork, to="closed")
    response.survey.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.response_submit(actor=None, response=response)
    assert error.value.code == "closed"
    with pytest.raises(DomainError):
        services.response_save_answers(actor=None, response=response, answers={"voted": "yes"})
    with pytest.raises(DomainError):
        services.response_start(actor=None, survey=in_fieldwork, channel="web")
    assert Response.objects.get(pk=response.pk).status == Response.Status.IN_PROGRESS


def test_a_draft_survey_takes_no_responses(civic_survey):
    with pytest.raises(DomainError):
        services.response_start(actor=None, survey=civic_survey, channel="web")


def test_no_responses_outside_the_fieldwork_dates(researcher, in_fieldwork):
    services.survey_update(
        actor=researcher,
        survey=in_fieldwork,
        data={"fieldwork_start": dt.date(2026, 5, 1), "fieldwork_end": dt.date(2026, 5, 31)},
    )
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)), pytest.raises(DomainError):
        services.response_start(actor=None, survey=in_fieldwork, channel="web")
    with time_machine.travel(dt.datetime(2026, 5, 15, 12, tzinfo=dt.UTC)):
        assert services.response_start(actor=None, survey=in_fieldwork, channel="web").pk


def test_anonymous_responses_leave_no_trace_of_the_person_in_the_audit_log(citizen, in_fieldwork):
    response = services.response_start(actor=citizen, survey=in_fieldwork, channel="web")
    services.response_save_answers(actor=citizen, response=response, answers=VALID)
    services.response_submit(actor=citizen, response=response)
    entries = AuditEntry.objects.filter(action__startswith="surveys.response.")
    assert entries.count() == 3
    assert not entries.filter(actor=citizen).exists()
    assert not entries.filter(object_id=str(response.pk), content_type__model="response").exists()
    assert Response.objects.get(pk=response.pk).respondent is None


@pytest.fixture
def confidential(researcher, civic_survey):
    services.survey_update(actor=researcher, survey=civic_survey, data={"anonymity": "confidential"})
    return services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")


def test_a_confidential_survey_is_answered_by_invitation_only(confidential):
    with pytest.raises(DomainError) as error:
        services.response_start(actor=None, survey=confidential, channel="web")
    assert error.value.code == "invitation_only"


def test_in_a_confidential_survey_the_token_only_marks_completion(researcher, confidential):
    invitation, token = services.invitation_create(actor=researcher, survey=confidential, email="x@example.org")
    assert invitation.token_hash != token and token not in invitation.token_hash
    response = services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    services.response_save_answers(actor=None, response=response, answers=VALID)
    services.response_submit(actor=None, response=response, token=token)
    invitation.refresh_from_db()
    response.refresh_from_db()
    assert invitation.completed_at is not None
    assert response.invitation is None and response.respondent is None


def test_an_invitation_cannot_be_used_twice(researcher, confidential):
    _invitation, token = services.invitation_create(actor=researcher, survey=confidential)
    first = services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    second = services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    for response in (first, second):
        services.response_save_answers(actor=None, response=response, answers=VALID)
    services.response_submit(actor=None, response=first, token=token)
    with pytest.raises(DomainError) as error:
        services.response_submit(actor=None, response=second, token=token)
    assert error.value.code == "used"
    assert Response.objects.get(pk=second.pk).status == Response.Status.IN_PROGRESS
    with pytest.raises(DomainError):
        services.response_start(actor=None, survey=confidential, channel="invitation", token=token)


def test_an_invitation_works_by_its_short_code_from_a_printed_letter(researcher, confidential):
    invitation, _token = services.invitation_create(actor=researcher, survey=confidential)
    code = f"{invitation.short_code[:4].lower()}-{invitation.short_code[4:]}"
    response = services.response_start(actor=None, survey=confidential, channel="invitation", token=code)
    services.response_save_answers(actor=None, response=response, answers=VALID)
    services.response_submit(actor=None, response=response, token=code)
    assert Invitation.objects.get(pk=invitation.pk).completed_at is not None


@pytest.mark.parametrize("token", ["", "guess", "x" * 5000])
def test_a_guessed_token_is_refused(researcher, confidential, token):
    with pytest.raises(DomainError) as error:
        services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    assert error.value.field == "token"
    assert not Response.objects.exists()


def test_a_token_of_another_survey_is_refused(researcher, confidential):
    other = services.survey_copy_as_wave(actor=researcher, survey=confidential)
    _invitation, token = services.invitation_create(actor=researcher, survey=other)
    with pytest.raises(DomainError) as error:
        services.response_start(actor=None, survey=confidential, channel="invitation", token=token)
    assert error.value.code == "token"


@pytest.fixture
def identified(researcher, civic_survey):
    services.survey_update(actor=researcher, survey=civic_survey, data={"anonymity": "identified"})
    return services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")


def test_in_an_identified_survey_a_person_answers_once_and_resumes_the_same_response(citizen, identified):
    first = services.response_start(actor=citizen, survey=identified, channel="web")
    assert services.response_start(actor=citizen, survey=identified, channel="web") == first
    services.response_save_answers(actor=citizen, response=first, answers=VALID)
    services.response_submit(actor=citizen, response=first)
    with pytest.raises(DomainError) as error:
        services.response_start(actor=citizen, survey=identified, channel="web")
    assert error.value.code == "answered"


def test_an_identified_survey_needs_a_signed_in_person(identified):
    with pytest.raises(DomainError) as error:
        services.response_start(actor=None, survey=identified, channel="web")
    assert error.value.code == "sign_in"


def test_another_person_cannot_write_into_an_identified_response(citizen, verified_resident, identified):
    response = services.response_start(actor=citizen, survey=identified, channel="web")
    with pytest.raises(DomainError):
        services.response_save_answers(actor=verified_resident, response=response, answers={"voted": "no"})
    with pytest.raises(DomainError):
        services.response_withdraw(actor=verified_resident, response=response)
    assert Response.objects.filter(pk=response.pk).exists()


def test_a_respondent_withdraws_an_identified_response_and_it_is_deleted(citizen, identified):
    response = services.response_start(actor=citizen, survey=identified, channel="web")
    services.response_save_answers(actor=citizen, response=response, answers=VALID)
    services.response_submit(actor=citizen, response=response)
    services.response_withdraw(actor=citizen, response=response)
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not Answer.objects.exists()


def test_an_anonymous_response_cannot_be_withdrawn(citizen, in_fieldwork):
    response = submit_web(in_fieldwork)
    with pytest.raises(DomainError) as error:
        services.response_withdraw(actor=citizen, response=response)
    assert error.value.code == "not_identified"


def test_an_advisor_enters_a_paper_questionnaire_twice_for_double_entry(advisor, in_fieldwork):
    first = services.response_start(actor=advisor, survey=in_fieldwork, channel="paper", paper_ref="K-017")
    second = services.response_start(
        actor=advisor, survey=in_fieldwork, channel="paper", paper_ref="K-017", entry_round=2
    )
    assert (first.interviewer, first.entry_round, second.entry_round) == (advisor, 1, 2)
    with pytest.raises(DomainError) as error:
        services.response_start(actor=advisor, survey=in_fieldwork, channel="paper", paper_ref="K-017")
    assert error.value.field == "paper_ref"


def test_a_citizen_cannot_enter_paper_questionnaires(citizen, in_fieldwork):
    with pytest.raises(DomainError) as error:
        services.response_start(actor=citizen, survey=in_fieldwork, channel="phone")
    assert error.value.code == "forbidden"


def test_a_citizen_cannot_write_into_an_entered_response(advisor, citizen, in_fieldwork):
    response = services.response_start(actor=advisor, survey=in_fieldwork, channel="phone")
    with pytest.raises(DomainError):
        services.response_save_answers(actor=citizen, response=response, answers={"voted": "no"})


def test_the_data_table_has_one_column_per_export_variable(in_fieldwork):
    from glas.surveys.selectors import response_table

    submit_web(in_fieldwork, {**VALID, "comment": "=HYPERLINK()"})
    columns, rows = response_table(Survey.objects.get(pk=in_fieldwork.pk))
    assert columns == ["voted", "how", "how_other", "age", "sex", "place", "comment"]
    [row] = list(rows)
    assert row[:2] == ["yes", "1"] and row[2] is None and row[3] == 40
