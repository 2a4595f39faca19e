"""Coding open answers: code frames, codes, coding (one, bulk, adjudicated), the database
constraints, permissions, agreement (Cohen's kappa) and the coded variables in the data."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from sklearn.metrics import cohen_kappa_score

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.coding import cohen_kappa, frame_agreement, landis_koch
from glas.surveys.models import CodedAnswer
from glas.surveys.selectors import response_table
from glas.surveys.tests.coding_data import answers_of, build_open_survey, frame_with_codes, question


@pytest.fixture
def open_survey(researcher, kresna):
    return build_open_survey(researcher)


@pytest.fixture
def frame(researcher, open_survey):
    return frame_with_codes(researcher, open_survey)


def codes(frame):
    return {code.value: code for code in frame.codes.all()}


def ids(answers):
    return [answer.pk for answer in answers]


def test_a_question_gets_one_code_frame_and_codes_are_unique_within_it(researcher, open_survey, frame):
    with pytest.raises(DomainError, match="has a code frame already"):
        services.code_frame_create(actor=researcher, question=question(open_survey), name="Втора")
    with pytest.raises(DomainError, match="code with this number already"):
        services.code_create(actor=researcher, frame=frame, value=1, label="Пак едно")
    assert frame.source == "text"
    other = services.code_frame_create(actor=researcher, question=question(open_survey, "source"), name="Други")
    assert other.source == "other"


def test_a_closed_question_without_other_has_nothing_to_code(researcher, kresna):
    survey = services.survey_create(actor=researcher, title="Затворен")
    services.question_add(
        actor=researcher,
        section=survey.sections.get(),
        variable="sex",
        text="Пол",
        type="single",
        choices=[("f", "Жена"), ("m", "Мъж")],
    )
    with pytest.raises(DomainError, match="no open text"):
        services.code_frame_create(actor=researcher, question=question(survey, "sex"), name="Х")


def test_bulk_coding_gives_the_code_and_writes_one_audit_entry_without_text(researcher, open_survey, frame):
    answers = answers_of(open_survey)
    before = AuditEntry.objects.count()

    new = services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[:3]), code=codes(frame)[1])

    assert new == 3
    assert CodedAnswer.objects.filter(frame=frame, coder=researcher, code__value=1).count() == 3
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "surveys.answers.coded" and entry.data == {"code": 1, "answers": 3, "new": 3}
    assert "Фейсбук" not in str(entry.data) and "Фейсбук" not in entry.object_repr
    frame.refresh_from_db()
    assert frame.primary_coder == researcher, "whoever codes first is the primary coder"


def test_on_a_single_code_frame_coding_again_replaces_the_coders_code(researcher, open_survey, frame):
    answer = answers_of(open_survey)[0]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[answer.pk], code=codes(frame)[1])
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[answer.pk], code=codes(frame)[2])

    assert list(CodedAnswer.objects.filter(answer=answer).values_list("code__value", flat=True)) == [2]


def test_on_a_multi_code_frame_codes_add_up(researcher, open_survey):
    frame = frame_with_codes(researcher, open_survey, multiple=True)
    answer = answers_of(open_survey)[0]
    for value in (1, 3, 3):
        services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[answer.pk], code=codes(frame)[value])

    assert sorted(CodedAnswer.objects.filter(answer=answer).values_list("code__value", flat=True)) == [1, 3]


def test_the_database_refuses_coding_an_answer_twice(researcher, open_survey, frame):
    answer = answers_of(open_survey)[0]
    first, second = codes(frame)[1], codes(frame)[2]
    CodedAnswer.objects.create(frame=frame, answer=answer, code=first, coder=researcher, single=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CodedAnswer.objects.create(frame=frame, answer=answer, code=first, coder=researcher, single=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CodedAnswer.objects.create(frame=frame, answer=answer, code=second, coder=researcher, single=True)


def test_the_database_refuses_two_adjudicated_codes_on_a_single_code_frame(researcher, admin_user, open_survey, frame):
    answer = answers_of(open_survey)[0]
    CodedAnswer.objects.create(frame=frame, answer=answer, code=codes(frame)[1], coder=researcher, adjudicated=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CodedAnswer.objects.create(frame=frame, answer=answer, code=codes(frame)[2], coder=admin_user, adjudicated=True)


def test_two_coders_code_the_same_answer_independently(researcher, admin_user, open_survey, frame):
    answer = answers_of(open_survey)[0]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[answer.pk], code=codes(frame)[1])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[answer.pk], code=codes(frame)[2])

    assert CodedAnswer.objects.filter(answer=answer).count() == 2


def test_answer_ids_of_another_survey_are_refused_and_nothing_is_coded(researcher, open_survey, frame):
    other_survey = build_open_survey(researcher, title="Друго проучване")
    tampered = ids(answers_of(open_survey)[:2]) + [answers_of(other_survey)[0].pk]

    with pytest.raises(DomainError, match="not open answers to this question") as refused:
        services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=tampered, code=codes(frame)[1])

    assert refused.value.code == "foreign"
    assert not CodedAnswer.objects.exists()


@pytest.mark.parametrize("bad", [["x"], [""], [10**9]])
def test_answer_ids_that_are_not_answers_are_refused(researcher, open_survey, frame, bad):
    with pytest.raises(DomainError):
        services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=bad, code=codes(frame)[1])
    assert not CodedAnswer.objects.exists()


def test_a_code_of_another_frame_is_refused(researcher, open_survey, frame):
    other = frame_with_codes(researcher, open_survey, variable="source")
    with pytest.raises(DomainError, match="code of this frame"):
        services.answers_code_bulk(
            actor=researcher, frame=frame, answer_ids=ids(answers_of(open_survey)[:1]), code=codes(other)[1]
        )


def test_bulk_coding_takes_a_fixed_number_of_queries(researcher, open_survey, frame, django_assert_max_num_queries):
    answers = answers_of(open_survey)
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[:1]), code=codes(frame)[1])
    with django_assert_max_num_queries(9):
        services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers), code=codes(frame)[2])


@pytest.mark.parametrize("persona", ["advisor", "citizen", "verified_resident", "outsider"])
def test_only_researchers_and_administrators_may_code(request, open_survey, frame, persona):
    person = request.getfixturevalue(persona)
    with pytest.raises(DomainError, match="may not"):
        services.answers_code_bulk(
            actor=person, frame=frame, answer_ids=ids(answers_of(open_survey)), code=codes(frame)[1]
        )
    with pytest.raises(DomainError, match="may not"):
        services.code_create(actor=person, frame=frame, value=9, label="Х")
    assert not CodedAnswer.objects.exists()


def test_an_administrator_may_code(admin_user, open_survey, frame):
    assert (
        services.answers_code_bulk(
            actor=admin_user, frame=frame, answer_ids=ids(answers_of(open_survey)[:1]), code=codes(frame)[1]
        )
        == 1
    )


def test_uncoding_takes_back_only_the_coders_own_code(researcher, admin_user, open_survey, frame):
    answer = answers_of(open_survey)[0]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[answer.pk], code=codes(frame)[1])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[answer.pk], code=codes(frame)[1])

    assert services.answer_uncode(actor=researcher, frame=frame, answer_id=answer.pk) == 1

    assert list(CodedAnswer.objects.values_list("coder_id", flat=True)) == [admin_user.pk]


def test_a_used_code_is_deleted_only_when_its_answers_get_another(researcher, admin_user, open_survey, frame):
    answers = answers_of(open_survey)
    one, two = codes(frame)[1], codes(frame)[2]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[:2]), code=one)
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=ids(answers[:1]), code=one)

    with pytest.raises(DomainError, match="Answers have this code"):
        services.code_delete(actor=researcher, code=one)
    moved = services.code_delete(actor=researcher, code=one, reassign_to=two)

    assert moved == 3
    assert sorted(CodedAnswer.objects.values_list("code__value", flat=True)) == [2, 2, 2]


def test_an_unused_code_is_deleted(researcher, frame):
    services.code_delete(actor=researcher, code=codes(frame)[3])
    assert sorted(codes(frame)) == [1, 2]


def test_the_frame_cannot_become_multi_code_once_answers_are_coded(researcher, open_survey, frame):
    services.answers_code_bulk(
        actor=researcher, frame=frame, answer_ids=ids(answers_of(open_survey)[:1]), code=codes(frame)[1]
    )
    with pytest.raises(DomainError, match="can no longer change"):
        services.code_frame_update(actor=researcher, frame=frame, data={"multiple": True})
    services.code_frame_update(actor=researcher, frame=frame, data={"name": "Нови теми", "multiple": False})
    frame.refresh_from_db()
    assert frame.name == "Нови теми" and not frame.multiple


def test_adjudication_settles_the_final_code_in_the_data(researcher, admin_user, open_survey, frame):
    first = answers_of(open_survey)[0]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=[first.pk], code=codes(frame)[1])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=[first.pk], code=codes(frame)[2])

    names, rows = response_table(open_survey)
    assert [row[names.index("idea_code")] for row in rows][0] == 1, "the primary coder's code is final"

    services.coding_adjudicate(actor=admin_user, frame=frame, answer_id=first.pk, codes=[codes(frame)[3]])
    names, rows = response_table(open_survey)
    assert [row[names.index("idea_code")] for row in rows][0] == 3

    with pytest.raises(DomainError, match="one code per answer"):
        services.coding_adjudicate(
            actor=admin_user, frame=frame, answer_id=first.pk, codes=[codes(frame)[1], codes(frame)[2]]
        )


def test_the_analysis_table_has_dummies_for_a_multi_code_frame(researcher, open_survey):
    frame = frame_with_codes(researcher, open_survey, multiple=True)
    answers = answers_of(open_survey)
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[:2]), code=codes(frame)[1])
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[1:2]), code=codes(frame)[3])

    names, rows = response_table(open_survey)
    table = [dict(zip(names, row, strict=True)) for row in rows]

    assert names[names.index("idea") + 1 : names.index("idea") + 4] == ["idea_c1", "idea_c2", "idea_c3"]
    assert [(row["idea_c1"], row["idea_c2"], row["idea_c3"]) for row in table[:3]] == [
        (1, 0, 0),
        (1, 0, 1),
        (None, None, None),
    ]


# --- Agreement -------------------------------------------------------------------------------


def test_kappa_matches_a_hand_computed_example_and_scikit_learn():
    # 10 answers; the coders agree on 7. Coder A: 1×5, 2×3, 3×2; coder B: 1×4, 2×4, 3×2.
    first = [1, 1, 1, 1, 1, 2, 2, 2, 3, 3]
    second = [1, 1, 1, 1, 2, 2, 2, 3, 3, 2]
    # pₒ = 7/10; pₑ = (5·4 + 3·4 + 2·2) / 100 = 0.36; κ = (0.70 − 0.36) / 0.64 = 0.53125.
    agreement = cohen_kappa(first, second)

    assert agreement.n == 10
    assert agreement.observed == pytest.approx(0.7)
    assert agreement.expected == pytest.approx(0.36)
    assert agreement.kappa == pytest.approx(0.53125)
    assert agreement.kappa == pytest.approx(cohen_kappa_score(first, second))
    assert agreement.band == "moderate"


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.35, "fair"),
        (0.6, "moderate"),
        (0.7, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, "undefined"),
    ],
)
def test_kappa_is_described_in_the_words_of_landis_and_koch(kappa, band):
    assert landis_koch(kappa) == band


def test_kappa_is_undefined_when_both_coders_always_use_one_code():
    assert cohen_kappa([1, 1, 1], [1, 1, 1]).kappa is None


def test_agreement_counts_only_the_answers_both_coders_coded(researcher, admin_user, open_survey, frame):
    answers = answers_of(open_survey)
    code = codes(frame)
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[:3]), code=code[1])
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[3:]), code=code[2])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=ids(answers[:2]), code=code[1])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=ids(answers[2:4]), code=code[2])

    (agreement,) = frame_agreement(frame, researcher.pk, admin_user.pk)

    assert agreement.n == 4
    assert agreement.kappa == pytest.approx(cohen_kappa_score([1, 1, 1, 2], [1, 1, 2, 2]))


def test_agreement_on_a_multi_code_frame_is_measured_per_code(researcher, admin_user, open_survey):
    frame = frame_with_codes(researcher, open_survey, multiple=True)
    answers = answers_of(open_survey)[:4]
    code = codes(frame)
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers), code=code[1])
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=ids(answers[:2]), code=code[2])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=ids(answers[:3]), code=code[1])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=ids(answers[3:]), code=code[2])

    results = frame_agreement(frame, researcher.pk, admin_user.pk)

    assert [result.n for result in results] == [4, 4, 4]
    assert results[1].kappa == pytest.approx(cohen_kappa_score([True, True, False, False], [False, False, False, True]))
    assert results[2].kappa is None, "nobody gave code 3"


def test_a_new_wave_gets_the_code_frames_but_not_the_coded_answers(researcher, open_survey, frame):
    services.answers_code_bulk(
        actor=researcher, frame=frame, answer_ids=ids(answers_of(open_survey)[:2]), code=codes(frame)[1]
    )
    wave = services.survey_copy_as_wave(actor=researcher, survey=open_survey)

    copied = question(wave).code_frame
    assert (copied.name, copied.source, copied.multiple, copied.primary_coder) == ("Теми", "text", False, None)
    assert [(code.value, code.label) for code in copied.codes.all()] == [
        (1, "Информация"),
        (2, "Срещи"),
        (3, "Инфраструктура"),
    ]
    assert not CodedAnswer.objects.filter(frame=copied).exists()
