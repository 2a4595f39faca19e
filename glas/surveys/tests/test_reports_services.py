"""The report services and the rules the database keeps for reports and their blocks."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import ReportBlock, Survey, SurveyReport
from glas.surveys.reports import check_finding_spec, report_variables
from glas.surveys.tests.report_data import build_channel_survey, text_report


@pytest.fixture
def survey(researcher, kresna):
    return build_channel_survey(researcher)


@pytest.fixture
def report(researcher, survey):
    return text_report(researcher, survey)


def test_a_report_gets_a_readable_address_from_its_bulgarian_title(researcher, survey):
    first = services.report_create(actor=researcher, survey=survey, title="Основни резултати")
    second = services.report_create(actor=researcher, survey=survey, title="Основни резултати")

    assert first.slug == "osnovni-rezultati"
    assert second.slug == "osnovni-rezultati-2"
    assert first.status == SurveyReport.Status.DRAFT and first.author == researcher


def test_an_address_given_by_hand_must_be_latin_and_free(researcher, survey, report):
    with pytest.raises(DomainError) as bad:
        services.report_create(actor=researcher, survey=survey, title="Доклад", slug="Доклад 1")
    with pytest.raises(DomainError) as taken:
        services.report_create(actor=researcher, survey=survey, title="Доклад", slug=report.slug)

    assert bad.value.field == "slug" and taken.value.field == "slug"
    assert "already" in taken.value.message


@pytest.mark.parametrize("persona", ["citizen", "advisor", "outsider"])
def test_only_researchers_and_administrators_write_reports(request, survey, report, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as refused:
        services.report_create(actor=user, survey=survey, title="Доклад")
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.block_add(actor=user, report=report, kind="text", data={"text": "x"})
    with pytest.raises(DomainError):
        services.report_publish(actor=user, report=report)


def test_an_administrator_may_write_reports(admin_user, survey):
    report = services.report_create(actor=admin_user, survey=survey, title="Доклад на администратора")
    assert report.author == admin_user


def test_every_write_leaves_one_audit_entry(researcher, survey):
    report = services.report_create(actor=researcher, survey=survey, title="Доклад")
    block = services.block_add(actor=researcher, report=report, kind="text", data={"text": "Текст"})
    services.block_update(actor=researcher, block=block, data={"text": "Нов текст"})
    services.block_add(actor=researcher, report=report, kind="methodology", data={})
    services.block_move(actor=researcher, block=block, position=2)
    services.report_update(actor=researcher, report=report, data={"title": "Доклад 2026"})
    services.report_publish(actor=researcher, report=report)
    services.report_unpublish(actor=researcher, report=report)
    services.block_delete(actor=researcher, block=block)

    actions = list(
        AuditEntry.objects.filter(action__startswith="surveys.report.").order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "surveys.report.created",
        "surveys.report.block_added",
        "surveys.report.block_updated",
        "surveys.report.block_added",
        "surveys.report.block_moved",
        "surveys.report.updated",
        "surveys.report.published",
        "surveys.report.unpublished",
        "surveys.report.block_deleted",
    ]


def test_narrative_text_is_required_and_cleaned(researcher, report):
    with pytest.raises(DomainError) as empty:
        services.block_add(actor=researcher, report=report, kind="text", data={"text": "   "})
    with pytest.raises(DomainError):
        services.block_add(actor=researcher, report=report, kind="text", data={"text": "нулев\x00байт"})
    block = services.block_add(actor=researcher, report=report, kind="text", data={"text": "Ред\r\nи нов ред"})

    assert empty.value.field == "text"
    assert block.text == "Ред\nи нов ред" and block.position == 3


def test_the_same_finding_is_shown_once_per_report(researcher, report):
    spec = {"kind": "frequency", "variable": "voted"}
    services.block_add(actor=researcher, report=report, kind="finding", data={"spec": spec})
    with pytest.raises(DomainError) as twice:
        services.block_add(actor=researcher, report=report, kind="finding", data={"spec": dict(spec, by="")})
    assert "already shows" in twice.value.message


def test_a_report_has_one_methodology_section(researcher, report):
    with pytest.raises(DomainError) as twice:
        services.block_add(actor=researcher, report=report, kind="methodology", data={})
    assert "already" in twice.value.message


def test_an_unknown_kind_of_part_is_refused(researcher, report):
    with pytest.raises(DomainError):
        services.block_add(actor=researcher, report=report, kind="video", data={})


def test_moving_and_removing_parts_keeps_the_positions_numbered(researcher, report):
    third = services.block_add(actor=researcher, report=report, kind="text", data={"text": "Заключение"})
    services.block_move(actor=researcher, block=third, position=1)
    order = list(report.blocks.order_by("position").values_list("kind", "position"))
    assert order == [("text", 1), ("text", 2), ("methodology", 3)]
    assert report.blocks.get(position=1).pk == third.pk

    services.block_delete(actor=researcher, block=third)
    assert list(report.blocks.order_by("position").values_list("position", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        ({"kind": "frequency", "variable": "nosuch"}, "variable", "no question"),
        ({"kind": "mean", "variable": "sex"}, "variable", "number or a scale"),
        ({"kind": "frequency", "variable": "age"}, "variable", "answer options"),
        ({"kind": "frequency", "variable": "comment"}, "variable", "no question"),
        ({"kind": "crosstab", "variable": "voted"}, "column", "columns"),
        ({"kind": "crosstab", "variable": "voted", "column": "voted"}, "column", "different"),
        ({"kind": "crosstab", "variable": "voted", "column": "sex", "by": "agree"}, "by", "group"),
        ({"kind": "frequency", "variable": "voted", "column": "sex"}, "column", "crosstab"),
        ({"kind": "frequency", "variable": "voted", "by": "topics"}, "by", "no question"),
        ({"kind": "share", "variable": "voted"}, "kind", "Choose"),
        ({"kind": "frequency", "variable": ["voted"]}, "kind", "cannot be read"),
        ({"kind": "frequency", "variable": "voted", "weights": "w"}, "kind", "cannot be read"),
        (["frequency", "voted"], "kind", "cannot be read"),
    ],
)
def test_a_finding_must_name_questions_of_the_survey_that_suit_it(survey, spec, field, words):
    with pytest.raises(DomainError) as refused:
        check_finding_spec(spec, report_variables(survey))
    assert refused.value.field == field
    assert words in refused.value.message


def test_a_valid_finding_specification_is_stored_without_empty_parts(survey):
    variables = report_variables(survey)
    assert check_finding_spec({"kind": "frequency", "variable": "agree", "by": "", "column": None}, variables) == {
        "kind": "frequency",
        "variable": "agree",
    }
    assert check_finding_spec({"kind": "mean", "variable": "age", "by": "sex"}, variables) == {
        "kind": "mean",
        "variable": "age",
        "by": "sex",
    }


def test_an_empty_report_or_a_draft_survey_cannot_be_published(researcher, survey, kresna):
    empty = services.report_create(actor=researcher, survey=survey, title="Празен")
    with pytest.raises(DomainError) as no_parts:
        services.report_publish(actor=researcher, report=empty)
    draft = services.survey_create(actor=researcher, title="Чернова")
    on_draft = text_report(researcher, draft)
    with pytest.raises(DomainError) as no_data:
        services.report_publish(actor=researcher, report=on_draft)

    assert no_parts.value.code == "empty" and no_data.value.code == "draft"
    assert Survey.objects.get(pk=draft.pk).status == Survey.Status.DRAFT


def test_publishing_freezes_the_address_and_withdrawing_keeps_it_reserved(researcher, report):
    services.report_publish(actor=researcher, report=report)
    first = report.published_at
    assert report.is_published and first is not None

    with pytest.raises(DomainError) as moved:
        services.report_update(actor=researcher, report=report, data={"slug": "drugo"})
    services.report_update(actor=researcher, report=report, data={"title": "Поправено заглавие", "slug": report.slug})
    services.report_unpublish(actor=researcher, report=report)
    services.report_publish(actor=researcher, report=report)

    assert moved.value.field == "slug"
    report.refresh_from_db()
    assert report.slug == "osnovni-rezultati" and report.title == "Поправено заглавие"
    assert report.published_at == first, "the first publication date stays"


def test_unknown_fields_are_refused(researcher, report):
    with pytest.raises(DomainError):
        services.report_update(actor=researcher, report=report, data={"status": "published"})
    with pytest.raises(DomainError):
        services.block_update(actor=researcher, block=report.blocks.first(), data={"position": 9})


# --- What the database keeps -------------------------------------------------------------------


def _create(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBlock.objects.create(**fields)


def test_the_database_refuses_a_text_block_without_text_and_a_finding_without_spec_or_key(report):
    _create(report=report, position=9, kind="text", text="")
    _create(report=report, position=9, kind="finding", spec=None, key="trust")
    _create(report=report, position=9, kind="finding", spec={"kind": "frequency", "variable": "voted"}, key="")
    _create(report=report, position=9, kind="finding", spec={"kind": "frequency", "variable": "voted"}, key="Bad Key")
    _create(report=report, position=9, kind="text", text="x", key="stray")
    _create(report=report, position=9, kind="chart", text="x")


def test_the_database_keeps_one_methodology_and_unique_finding_keys(report):
    _create(report=report, position=9, kind="methodology")
    spec = {"kind": "frequency", "variable": "voted"}
    ReportBlock.objects.create(report=report, position=9, kind="finding", spec=spec, key="voted")
    _create(report=report, position=10, kind="finding", spec=spec, key="voted")


def test_the_database_refuses_a_published_report_without_a_date_and_a_bad_address(report):
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyReport.objects.filter(pk=report.pk).update(status="published", published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyReport.objects.filter(pk=report.pk).update(slug="Не е адрес")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyReport.objects.create(survey=report.survey, title="x", slug=report.slug, author=report.author)
