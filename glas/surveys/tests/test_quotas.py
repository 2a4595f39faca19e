"""Quotas: a full cell takes no more responses, politely; the last place is given once."""

import threading

import pytest
from django.db import connection

from glas.core.exceptions import DomainError
from glas.surveys import services
from glas.surveys.models import QuotaCell, Response, Survey

BASE = {"voted": "no", "age": "40"}


def define(researcher, survey, *, target=1, closes_survey=False):
    return services.quota_define(
        actor=researcher,
        survey=survey,
        name="Населено място × пол",
        variables=["place", "sex"],
        cells=[
            ({"place": "kresna", "sex": "f"}, target),
            ({"place": "kresna", "sex": "m"}, target),
            ({"place": "oshtava", "sex": "f"}, target),
        ],
        closes_survey=closes_survey,
    )


def started(survey, **answers):
    response = services.response_start(actor=None, survey=survey, channel="web")
    services.response_save_answers(actor=None, response=response, answers={**BASE, **answers})
    return response


def test_a_full_cell_refuses_further_responses_politely_and_keeps_them_unsubmitted(researcher, civic_survey):
    define(researcher, civic_survey)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    services.response_submit(actor=None, response=started(civic_survey, place="kresna", sex="f"))
    late = started(civic_survey, place="kresna", sex="f")
    with pytest.raises(DomainError) as error:
        services.response_submit(actor=None, response=late)
    assert error.value.code == "quota_full"
    assert "we cannot record" in error.value.message
    assert Response.objects.get(pk=late.pk).status == Response.Status.IN_PROGRESS
    assert QuotaCell.objects.get(key="place=kresna|sex=f").filled == 1


def test_other_cells_and_combinations_outside_the_quota_stay_open(researcher, civic_survey):
    define(researcher, civic_survey)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    services.response_submit(actor=None, response=started(civic_survey, place="kresna", sex="f"))
    services.response_submit(actor=None, response=started(civic_survey, place="kresna", sex="m"))
    services.response_submit(actor=None, response=started(civic_survey, place="vlahi", sex="m"))
    assert Response.objects.filter(status="complete").count() == 3


def test_a_closing_quota_closes_the_survey_when_every_cell_is_full(researcher, civic_survey):
    define(researcher, civic_survey, closes_survey=True)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    for place, sex in (("kresna", "f"), ("kresna", "m")):
        services.response_submit(actor=None, response=started(civic_survey, place=place, sex=sex))
    assert Survey.objects.get(pk=civic_survey.pk).status == Survey.Status.FIELDWORK
    services.response_submit(actor=None, response=started(civic_survey, place="oshtava", sex="f"))
    assert Survey.objects.get(pk=civic_survey.pk).status == Survey.Status.CLOSED


def test_withdrawing_an_identified_response_gives_its_place_back(researcher, citizen, civic_survey):
    services.survey_update(actor=researcher, survey=civic_survey, data={"anonymity": "identified"})
    define(researcher, civic_survey)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    response = services.response_start(actor=citizen, survey=civic_survey, channel="web")
    services.response_save_answers(actor=citizen, response=response, answers={**BASE, "place": "kresna", "sex": "f"})
    services.response_submit(actor=citizen, response=response)
    services.response_withdraw(actor=citizen, response=response)
    assert QuotaCell.objects.get(key="place=kresna|sex=f").filled == 0


@pytest.mark.parametrize(
    ("variables", "cells"),
    [
        (["comment"], [({"comment": "x"}, 1)]),
        (["nosuch"], [({"nosuch": "x"}, 1)]),
        (["sex"], [({"sex": "x"}, 1)]),
        (["sex"], [({"sex": "f", "place": "kresna"}, 1)]),
        (["sex"], [({"sex": "f"}, -1)]),
        (["sex"], [({"sex": "f"}, 1), ({"sex": "f"}, 2)]),
        ([], []),
    ],
)
def test_a_quota_on_unknown_or_unsuitable_questions_or_values_is_refused(researcher, civic_survey, variables, cells):
    with pytest.raises(DomainError):
        services.quota_define(actor=researcher, survey=civic_survey, name="q", variables=variables, cells=cells)
    assert not QuotaCell.objects.exists()


def test_a_target_cannot_go_below_the_places_taken(researcher, civic_survey):
    define(researcher, civic_survey, target=2)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    services.response_submit(actor=None, response=started(civic_survey, place="kresna", sex="f"))
    cell = QuotaCell.objects.get(key="place=kresna|sex=f")
    with pytest.raises(DomainError):
        services.quota_cell_set_target(actor=researcher, cell=cell, target=0)
    assert services.quota_cell_set_target(actor=researcher, cell=cell, target=5).target == 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_last_place_of_a_cell_is_given_exactly_once_under_concurrent_submissions(researcher, civic_survey):
    define(researcher, civic_survey)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    responses = [started(civic_survey, place="kresna", sex="f") for _ in range(8)]
    barrier = threading.Barrier(len(responses))
    outcomes: list[str] = []

    def submit(response):
        try:
            barrier.wait()
            services.response_submit(actor=None, response=Response.objects.select_related("survey").get(pk=response.pk))
            outcomes.append("complete")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(response,)) for response in responses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["complete"] + ["quota_full"] * 7
    assert QuotaCell.objects.get(key="place=kresna|sex=f").filled == 1
    assert Response.objects.filter(status="complete").count() == 1


def test_a_second_keying_of_a_paper_questionnaire_takes_no_quota_place_and_is_not_counted(
    researcher, advisor, civic_survey
):
    from glas.surveys.results import survey_results
    from glas.surveys.selectors import response_table

    define(researcher, civic_survey)
    services.survey_transition(actor=researcher, survey=civic_survey, to="fieldwork")
    for round_ in (1, 2):
        keyed = services.response_start(
            actor=advisor, survey=civic_survey, channel="paper", paper_ref="P-7", entry_round=round_
        )
        services.response_save_answers(actor=advisor, response=keyed, answers={**BASE, "place": "kresna", "sex": "f"})
        services.response_submit(actor=advisor, response=keyed)
    assert Response.objects.filter(status="complete").count() == 2
    assert QuotaCell.objects.get(key="place=kresna|sex=f").filled == 1
    assert survey_results(civic_survey).base == 1
    assert len(list(response_table(civic_survey)[1])) == 1
