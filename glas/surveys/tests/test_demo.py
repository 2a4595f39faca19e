"""The demo surveys of ``manage.py seed_demo``: the Kresna baseline study with synthetic responses
and a small draft questionnaire (seeded small, once; the full-size run is in test_demo_command.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from glas.core.demo import seed_municipality_and_rules
from glas.core.models import AuditEntry
from glas.surveys import demo
from glas.surveys.coding import codable_answers, frame_agreement
from glas.surveys.models import Answer, CodedAnswer, CodeFrame, QuotaCell, Response, Survey
from glas.surveys.selectors import response_table, response_values, survey_structure, visible_questions

SMALL = 60


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def seeded_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    """Seeded once for this module (in a transaction rolled back at its end): the tests only read."""
    from glas.accounts.demo import seed_personas

    with django_db_blocker.unblock(), transaction.atomic():
        seed_municipality_and_rules(_quiet)
        seed_personas(_quiet)
        demo.seed_surveys(_quiet, responses=SMALL)
        yield Survey.objects.get(title=demo.TITLE).pk
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once: int, db: Any) -> Survey:
    return Survey.objects.get(pk=seeded_once)


def _complete(survey: Survey) -> list[Response]:
    return list(Response.objects.filter(survey=survey, status=Response.Status.COMPLETE, entry_round=1))


def test_the_baseline_has_about_25_questions_in_sections_with_display_logic(seeded):
    structure = survey_structure(seeded)
    variables = [question.variable for question in structure.questions if question.type != "note"]
    assert len(variables) == 25
    assert variables[0] == "q01_settlement" and variables[-1] == "q25_suggestions"
    assert len(structure.sections) == len(demo.BASELINE) == 9
    conditions = [item.logic for item in [*structure.sections, *structure.questions] if item.logic]
    assert len(conditions) >= 2
    by_variable = structure.by_variable
    assert {"q01_settlement", "q14_service_used", "q21_would_report"} <= set(by_variable)
    assert by_variable["q01_settlement"].type == "settlement"
    assert [row.code for row in by_variable["q11_trust"].rows.all()] == ["mayor", "council", "admin", "kmetove"]
    assert by_variable["q22_report_channel"].logic == {"op": "in", "var": "q21_would_report", "values": ["1", "2"]}


def test_the_baseline_is_anonymous_closed_published_and_marked_as_synthetic(seeded):
    assert seeded.is_demo
    assert seeded.anonymity == Survey.Anonymity.ANONYMOUS
    assert (seeded.status, seeded.results_published) == (Survey.Status.CLOSED, True)
    assert (seeded.fieldwork_start, seeded.fieldwork_end) == (demo.FIELDWORK_START, demo.FIELDWORK_END)
    assert "синтетични" in seeded.purpose
    assert seeded.owner.email == "researcher@glas.example"


def test_responses_come_through_every_channel_with_a_few_broken_off(seeded):
    responses = Response.objects.filter(survey=seeded, entry_round=1)
    assert responses.count() == SMALL
    assert set(responses.values_list("channel", flat=True)) == {"web", "assisted", "paper", "phone"}
    broken = responses.filter(status=Response.Status.IN_PROGRESS)
    assert broken.count() == round(SMALL * 0.05)
    assert not broken.filter(submitted_at__isnull=False).exists()
    entered = responses.filter(channel__in=Response.ENTERED_CHANNELS)
    assert set(entered.values_list("interviewer__email", flat=True)) == {"advisor@glas.example"}
    assert not responses.filter(channel="web", interviewer__isnull=False).exists()


def test_responses_are_spread_over_the_fieldwork_period_with_plausible_durations(seeded):
    for response in Response.objects.filter(survey=seeded):
        assert demo.FIELDWORK_START <= response.started_at.astimezone(demo.SOFIA).date() <= demo.FIELDWORK_END
        if response.submitted_at is not None:
            minutes = (response.submitted_at - response.started_at).total_seconds() / 60
            assert 3 <= minutes <= 60


def test_no_quota_cell_is_over_its_target_and_the_places_match_the_answers(seeded):
    cells = list(QuotaCell.objects.filter(quota__survey=seeded))
    assert sum(cell.target for cell in cells) == demo.QUOTA_TOTAL
    targets = {cell.values["q01_settlement"]: cell.target for cell in cells}
    assert targets["kresna"] > targets["dolna-gradeshnitsa"] > targets["stara-kresna"] >= targets["vlahi"] >= 1
    settlements = Counter(
        Answer.objects.filter(question__variable="q01_settlement", response__in=_complete(seeded)).values_list(
            "text", flat=True
        )
    )
    for cell in cells:
        assert cell.filled <= cell.target
        assert cell.filled == settlements[cell.values["q01_settlement"]]


def test_complete_responses_answer_exactly_the_questions_their_answers_show(seeded):
    structure = survey_structure(seeded)
    services_section = {
        question.variable for question in structure.questions if question.section.title.startswith("Последната")
    }
    for response in _complete(seeded):
        values = response_values(response, structure)
        shown = visible_questions(structure, values)
        assert set(values) <= shown
        required = {question.variable for question in structure.questions if question.required}
        assert required & shown <= set(values)
        used = values["q14_service_used"] == "yes"
        assert used == bool(services_section & set(values)), response.pk
        assert ("q22_report_channel" in values) == (values.get("q21_would_report") in ("1", "2"))
        assert ("q08_contact_reply" in values) == ("contact" in values["q07_participation"])


def test_some_paper_questionnaires_are_keyed_twice_by_another_person_with_a_few_mismatches(seeded):
    structure = survey_structure(seeded)
    second = list(Response.objects.filter(survey=seeded, entry_round=2).select_related("interviewer"))
    assert second
    mismatched = 0
    for keying in second:
        first = Response.objects.get(survey=seeded, entry_round=1, paper_ref=keying.paper_ref)
        assert (first.channel, keying.channel) == ("paper", "paper")
        assert keying.interviewer != first.interviewer
        mismatched += response_values(first, structure) != response_values(keying, structure)
    assert 1 <= mismatched < len(second) or len(second) == 1


def test_the_draft_survey_shows_the_designer_five_questions(seeded):
    draft = Survey.objects.get(title=demo.DRAFT_TITLE)
    assert (draft.status, draft.is_demo) == (Survey.Status.DRAFT, True)
    assert draft.questions.count() == 5
    assert not draft.responses.exists()


def test_the_open_question_is_coded_by_a_primary_and_a_second_coder(seeded):
    frame = CodeFrame.objects.select_related("question", "primary_coder").get(question__survey=seeded)
    assert frame.question.variable == "q25_suggestions"
    assert [code.value for code in frame.codes.all()] == list(range(1, 8))
    assert frame.primary_coder.email == "researcher@glas.example"
    answers = set(codable_answers(frame.question).values_list("pk", flat=True))
    primary = CodedAnswer.objects.filter(frame=frame, coder=frame.primary_coder)
    assert answers and set(primary.values_list("answer_id", flat=True)) == answers
    second = CodedAnswer.objects.filter(frame=frame).exclude(coder=frame.primary_coder)
    assert set(second.values_list("coder__email", flat=True)) == {"admin@glas.example"}
    (agreement,) = frame_agreement(frame, frame.primary_coder_id, second.first().coder_id)
    assert 1 <= agreement.n < len(answers)
    names, rows = response_table(seeded)
    coded = [row[names.index("q25_suggestions_code")] for row in rows]
    assert sum(value is not None for value in coded) == len(answers)


def test_seeding_again_changes_nothing(seeded):
    before = (
        Survey.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        AuditEntry.objects.count(),
        CodedAnswer.objects.count(),
    )
    messages: list[str] = []
    demo.seed_surveys(messages.append, responses=SMALL)
    after = (
        Survey.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        AuditEntry.objects.count(),
        CodedAnswer.objects.count(),
    )
    assert after == before
    assert all("already there" in message for message in messages)


def test_the_baseline_is_post_stratified_by_settlement_to_the_census(seeded):
    from glas.surveys.weighting import survey_analysis_frame

    weighting = seeded.weighting
    assert weighting.method == "poststratify" and list(weighting.margins) == ["q01_settlement"]
    assert weighting.margins_source.startswith("НСИ, Преброяване 2011")
    frame = survey_analysis_frame(seeded)
    assert frame.weighted and not frame.problem
    assert abs(frame.design.weights.sum() - sum(weighting.margins["q01_settlement"].values())) < 1e-6
