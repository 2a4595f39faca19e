"""The fieldwork pages in Bulgarian, as a researcher: the invitations page (also with a refused
CSV list), the sending confirmation and the fieldwork monitor have no axe-core violation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from glas.surveys import services
from glas.surveys.models import Survey
from glas.surveys.tests.fieldwork_helpers import synthetic_responses
from tests.browser.conftest import axe_violations, log_in
from tests.browser.pages import drawn_text_heights

pytestmark = pytest.mark.browser


@pytest.fixture
def survey_in_fieldwork(researcher: Any) -> Survey:
    survey = services.survey_create(actor=researcher, title="Удовлетвореност от услугите")
    services.survey_update(actor=researcher, survey=survey, data={"anonymity": "confidential"})
    section = survey.sections.get()
    services.question_add(actor=researcher, section=section, variable="place", text="Къде живеете?", type="settlement")
    services.question_add(
        actor=researcher,
        section=section,
        variable="sex",
        text="Пол",
        type="single",
        choices=[("f", "Жена"), ("m", "Мъж")],
    )
    services.quota_define(
        actor=researcher, survey=survey, name="Пол", variables=["sex"], cells=[({"sex": "f"}, 30), ({"sex": "m"}, 30)]
    )
    survey = services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)
    services.invitations_import_csv(
        actor=researcher,
        survey=survey,
        data="email;settlement;stratum\nivana@example.org;Кресна;18-29\n;Влахи;30-44\n".encode(),
    )
    synthetic_responses(survey, 40, now=timezone.now())
    return survey


def assert_accessible(page: Any) -> None:
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_the_invitations_page_and_the_monitor_are_accessible_in_bulgarian(
    new_context: Callable[..., Any], researcher: Any, survey_in_fieldwork: Survey
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    for path in (
        f"/surveys/design/{survey_in_fieldwork.public_id}/invitations/",
        f"/surveys/design/{survey_in_fieldwork.public_id}/monitor/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)


def test_a_refused_list_and_the_sending_confirmation_are_accessible(
    new_context: Callable[..., Any], researcher: Any, survey_in_fieldwork: Survey, tmp_path: Path
) -> None:
    page = new_context(language="bg").new_page()
    log_in(page, researcher.email)
    page.goto(f"/surveys/design/{survey_in_fieldwork.public_id}/invitations/")
    bad = tmp_path / "list.csv"
    bad.write_text("email\nне-е-адрес\n", encoding="utf-8")
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator(".import-errors li").count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("button[name=kind][value=invitation]").click()
    assert page.locator("form button[type=submit].button-primary").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_monitors_charts_are_readable_on_a_phone_and_a_desktop(
    new_context: Callable[..., Any], researcher: Any, survey_in_fieldwork: Survey, width: int
) -> None:
    """Labels and values drawn at least at 14 px (scaled down to a phone, side by side, the
    chart drew them at 9 px)."""
    synthetic_responses(survey_in_fieldwork, 40, now=timezone.now())
    page = new_context(language="bg").new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, researcher.email)
    page.goto(f"/surveys/design/{survey_in_fieldwork.public_id}/monitor/")
    sizes = drawn_text_heights(page, ".monitor-chart text")
    assert sizes and min(sizes) >= 14, sorted(sizes)[:5]
