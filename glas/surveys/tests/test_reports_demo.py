"""The demo report on the baseline study (``manage.py seed_demo``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from glas.core.demo import seed_municipality_and_rules
from glas.surveys import demo
from glas.surveys.models import SurveyReport
from glas.surveys.reports import shown_report

SMALL = 60


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def seeded_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    from glas.accounts.demo import seed_personas

    with django_db_blocker.unblock(), transaction.atomic():
        seed_municipality_and_rules(_quiet)
        seed_personas(_quiet)
        demo.seed_surveys(_quiet, responses=SMALL)
        yield SurveyReport.objects.get(slug=demo.REPORT_SLUG).pk
        transaction.set_rollback(True)


@pytest.fixture
def report(seeded_once: int, db: Any) -> SurveyReport:
    return SurveyReport.objects.select_related("survey").get(pk=seeded_once)


def test_the_baseline_study_has_a_published_report_with_findings_and_methodology(report):
    shown = shown_report(report)

    assert report.is_published and report.title == "Основни резултати" and report.survey.title == demo.TITLE
    assert [item.block.key for item in shown.findings] == [
        "vliyanie",
        "informatsiya-po-naseleni-mesta",
        "izbori-po-vazrast",
        "formi-na-uchastie",
    ]
    assert all(item.finding is not None and not item.error for item in shown.findings)
    assert all(item.finding.weighted for item in shown.findings), "the baseline is post-stratified"
    assert shown.findings[2].finding.test is not None, "the crosstab has its Rao–Scott test"
    assert shown.methodology is not None and shown.methodology.weighting is not None
    assert any("Synthetic demo data" in caveat for caveat in shown.methodology.caveats)


def test_the_demo_report_says_its_data_are_synthetic(report):
    texts = " ".join(block.text for block in report.blocks.filter(kind="text"))
    assert "синтетични" in report.summary and "синтетични демонстрационни данни" in texts


def test_the_demo_report_page_opens_for_anyone(report, client):
    assert client.get(reverse("surveys:report_public", args=[report.slug])).status_code == 200


def test_seeding_again_adds_no_second_report(report):
    demo.seed_surveys(_quiet, responses=SMALL)
    assert SurveyReport.objects.filter(survey=report.survey).count() == 1
    assert report.blocks.count() == len(demo.REPORT_BLOCKS)
