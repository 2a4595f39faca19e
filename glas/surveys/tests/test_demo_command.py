"""``manage.py seed_demo`` and the surveys seeder: refused without DEBUG, registered after the
personas, full size (about 400 responses), reproducible."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from glas.core.demo import seeders
from glas.surveys import demo
from glas.surveys.models import Answer, QuotaCell, Response, Survey


def test_the_synthetic_respondents_are_the_same_on_every_run(kresna):
    targets = demo._quota_targets(100)
    assert sum(targets.values()) == 100

    def plans() -> list[tuple[str, dict[str, Any], Any]]:
        return [
            (plan.channel, plan.answers, plan.started_at)
            for plan in demo._plan_responses(random.Random(demo.SEED), targets, 30)
        ]

    assert plans() == plans()


def test_seed_demo_is_refused_with_debug_off_and_seeds_the_surveys_after_the_personas(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not Survey.objects.exists()
    names = [name for name, _seeder in seeders()]
    assert names.index("accounts.personas") < names.index("surveys.demo")


def test_seed_demo_creates_the_full_baseline_with_about_400_responses(db, settings, capsys):
    """The full-size run, as ``make demo`` does it (takes some seconds)."""
    settings.DEBUG = True
    call_command("seed_demo")
    survey = Survey.objects.get(title=demo.TITLE)
    responses = Response.objects.filter(survey=survey, entry_round=1)
    assert responses.count() == demo.RESPONSES
    complete = responses.filter(status=Response.Status.COMPLETE)
    shares = Counter(complete.values_list("channel", flat=True))
    total = complete.count()
    assert 0.35 < shares["web"] / total < 0.55
    assert 0.12 < shares["assisted"] / total < 0.28
    assert 0.17 < shares["paper"] / total < 0.33
    assert 0.05 < shares["phone"] / total < 0.16
    assert all(cell.filled <= cell.target for cell in QuotaCell.objects.filter(quota__survey=survey))
    older = Counter(
        Answer.objects.filter(
            response__in=complete, question__variable="q03_age_group", text__in=["4", "5"]
        ).values_list("response__channel", flat=True)
    )
    assert older["paper"] / shares["paper"] > older["web"] / shares["web"]
    assert older["assisted"] / shares["assisted"] > older["web"] / shares["web"]
    # The note that opens a section is not counted as a question.
    out = capsys.readouterr().out
    assert ": 25 questions, " in out and "synthetic responses" in out
