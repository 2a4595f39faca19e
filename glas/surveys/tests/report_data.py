"""A small survey answered through several channels, and reports on it, for the report tests."""

from __future__ import annotations

from typing import Any

from glas.surveys import services
from glas.surveys.models import Response, Survey, SurveyReport
from glas.surveys.tests.results_data import build_rich_survey, fill


def key_paper(
    survey: Survey, actor: Any, answers: dict[str, Any], *, channel: str = "paper", ref: str = "", entry_round: int = 1
) -> Response:
    response = services.response_start(
        actor=actor, survey=survey, channel=channel, paper_ref=ref, entry_round=entry_round
    )
    services.response_save_answers(actor=actor, response=response, answers=answers)
    return services.response_submit(actor=actor, response=response)


def build_channel_survey(researcher: Any) -> Survey:
    """Three complete web responses (and one unfinished), two paper questionnaires (the first
    keyed a second time for checking) and one assisted interview: six complete responses."""
    survey = fill(build_rich_survey(researcher))
    key_paper(survey, researcher, {"voted": "no", "sex": "m", "agree": "2", "age": 70}, ref="P1")
    key_paper(survey, researcher, {"voted": "no", "sex": "m", "agree": "2", "age": 70}, ref="P1", entry_round=2)
    key_paper(survey, researcher, {"voted": "yes", "how": "1", "sex": "f", "agree": "5", "age": 33}, ref="P2")
    key_paper(survey, researcher, {"voted": "yes", "how": "2", "sex": "m", "agree": "3", "age": 52}, channel="assisted")
    return survey


def text_report(researcher: Any, survey: Survey, *, title: str = "Основни резултати") -> SurveyReport:
    """A report with an introduction and the methodology section."""
    report = services.report_create(actor=researcher, survey=survey, title=title, summary="Кратко резюме.")
    services.block_add(actor=researcher, report=report, kind="text", data={"text": "Първи абзац.\n\nВтори абзац."})
    services.block_add(actor=researcher, report=report, kind="methodology", data={})
    return report
