"""The report builder pages, without JavaScript and with htmx, and what bad input gets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glas.surveys import services
from glas.surveys.models import ReportBlock, SurveyReport
from glas.surveys.tests.report_data import build_channel_survey, text_report

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def survey(researcher, kresna):
    return build_channel_survey(researcher)


@pytest.fixture
def report(researcher, survey):
    return text_report(researcher, survey)


@pytest.fixture
def staff(client_for, researcher):
    return client_for(researcher)


def url(name, report, *args):
    return reverse(f"surveys:{name}", args=[report.survey.public_id, report.public_id, *args])


def kinds(report):
    return list(report.blocks.order_by("position").values_list("kind", flat=True))


# --- Who may use the builder ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("researcher", 200), ("admin_user", 200), ("advisor", 403), ("citizen", 403), ("outsider", 403), (None, 302)],
)
def test_only_researchers_and_administrators_open_the_builder(request, client_for, report, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    client = client_for(user)
    pages = [reverse("surveys:report_list", args=[report.survey.public_id]), url("report_edit", report)]
    pages += [url("report_settings", report), url("report_block_edit", report, report.blocks.first().pk)]
    for address in pages:
        assert client.get(address).status_code == expected
    posted = client.post(url("report_block_add", report), {"add": "methodology"})
    assert posted.status_code == (400 if expected == 200 else expected), "the report has its methodology"


def test_a_citizen_cannot_publish_or_change_a_report(client_for, citizen, report):
    client = client_for(citizen)
    assert client.post(url("report_publish", report), {"published": "1"}).status_code == 403
    block = report.blocks.first()
    assert client.post(url("report_block_delete", report, block.pk)).status_code == 403
    assert report.blocks.count() == 2 and not SurveyReport.objects.get(pk=report.pk).is_published


# --- Without JavaScript -----------------------------------------------------------------------


def test_a_researcher_creates_a_report_and_lands_in_its_editor(staff, survey):
    response = staff.post(reverse("surveys:report_list", args=[survey.public_id]), {"title": "Основни резултати"})

    report = SurveyReport.objects.get(survey=survey)
    assert response.status_code == 302
    assert response["Location"] == url("report_edit", report) + "#main"
    listing = staff.get(reverse("surveys:report_list", args=[survey.public_id])).content.decode()
    assert "Основни резултати" in listing


def test_a_report_without_a_title_is_refused_with_the_form(staff, survey):
    response = staff.post(reverse("surveys:report_list", args=[survey.public_id]), {"title": "", "slug": "x y"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not SurveyReport.objects.exists()


def test_the_editor_shows_the_parts_and_forms_with_the_survey_questions(staff, report):
    html = staff.get(url("report_edit", report)).content.decode()

    assert "Parts of the report" in html and "Първи абзац." in html
    assert '<option value="voted">voted: Гласувахте ли' in html
    assert '<option value="comment">' not in html, "open text is not a finding"
    assert "The report has its methodology section." in html


def test_adding_text_and_a_finding_without_javascript_redirects_back(staff, report):
    text = staff.post(url("report_block_add", report), {"add": "text", "text-text": "Заключение.", "text-caption": ""})
    finding = staff.post(
        url("report_block_add", report),
        {"add": "finding", "finding-kind": "frequency", "finding-variable": "agree", "finding-by": "sex"},
    )

    assert text.status_code == finding.status_code == 302
    assert text["Location"].endswith("#report-blocks")
    assert kinds(report) == ["text", "methodology", "text", "finding"]
    block = report.blocks.get(kind="finding")
    assert block.spec == {"kind": "frequency", "variable": "agree", "by": "sex"}
    assert block.key == "agree-by-sex"


def test_moving_and_removing_without_javascript(staff, report):
    methodology = report.blocks.get(kind="methodology")
    moved = staff.post(url("report_block_move", report, methodology.pk), {"direction": "up"})
    assert moved.status_code == 302 and kinds(report) == ["methodology", "text"]

    removed = staff.post(url("report_block_delete", report, methodology.pk))
    assert removed.status_code == 302 and kinds(report) == ["text"]


def test_editing_a_finding_on_its_own_page(staff, researcher, report):
    block = services.block_add(
        actor=researcher, report=report, kind="finding", data={"spec": {"kind": "frequency", "variable": "voted"}}
    )
    form = staff.get(url("report_block_edit", report, block.pk)).content.decode()
    assert 'value="voted" selected' in form

    response = staff.post(
        url("report_block_edit", report, block.pk),
        {"finding-kind": "crosstab", "finding-variable": "voted", "finding-column": "sex", "finding-caption": "X"},
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.spec == {"kind": "crosstab", "variable": "voted", "column": "sex"} and block.key == "voted"


def test_publishing_and_withdrawing_from_the_editor(staff, report):
    published = staff.post(url("report_publish", report), {"published": "1"})
    assert published.status_code == 302 and SurveyReport.objects.get(pk=report.pk).is_published
    settings_page = staff.get(url("report_settings", report)).content.decode()
    assert "disabled" in settings_page, "the address can no longer be changed"

    withdrawn = staff.post(url("report_publish", report), {"published": "0"})
    assert withdrawn.status_code == 302 and not SurveyReport.objects.get(pk=report.pk).is_published


def test_publishing_an_empty_report_is_refused_on_the_editor(staff, researcher, survey):
    empty = services.report_create(actor=researcher, survey=survey, title="Празен")
    response = staff.post(url("report_publish", empty), {"published": "1"})
    assert response.status_code == 400
    assert "An empty report cannot be published" in response.content.decode()


# --- With htmx --------------------------------------------------------------------------------


def test_adding_text_with_htmx_returns_the_parts_and_fresh_forms(staff, report):
    response = staff.post(url("report_block_add", report), {"add": "text", "text-text": "Нов абзац."}, **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#report-blocks" and response["HX-Reswap"] == "outerHTML"
    assert '<section id="report-blocks"' in html and "Нов абзац." in html
    assert 'id="add-text" hx-swap-oob="outerHTML"' in html and 'id="add-finding" hx-swap-oob="outerHTML"' in html
    assert "glas:focus" in response["HX-Trigger-After-Settle"]


def test_a_bad_form_with_htmx_comes_back_in_place_with_status_400(staff, report):
    response = staff.post(url("report_block_add", report), {"add": "text", "text-text": " "}, **HTMX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#add-text"
    assert "error-summary" in response.content.decode()
    assert kinds(report) == ["text", "methodology"]


def test_moving_and_removing_with_htmx_returns_the_parts(staff, report):
    text = report.blocks.get(kind="text")
    moved = staff.post(url("report_block_move", report, text.pk), {"direction": "down"}, **HTMX)
    assert moved.status_code == 200 and "report-blocks" in moved.content.decode()
    assert kinds(report) == ["methodology", "text"]

    removed = staff.post(url("report_block_delete", report, text.pk), **HTMX)
    assert removed.status_code == 200 and kinds(report) == ["methodology"]

    methodology = report.blocks.get()
    again = staff.post(url("report_block_delete", report, methodology.pk), **HTMX).content.decode()
    assert 'id="add-methodology" hx-swap-oob="outerHTML"' in again
    assert "Add the methodology section" in again, "the methodology can be added again"
    assert 'id="add-text"' not in again, "a move or a removal keeps what is typed in the add forms"


def test_a_refused_removal_with_htmx_shows_the_reason(staff, researcher, report):
    services.block_add(
        actor=researcher, report=report, kind="finding", data={"spec": {"kind": "frequency", "variable": "voted"}}
    )
    services.report_publish(actor=researcher, report=report)
    finding = report.blocks.get(kind="finding")

    response = staff.post(url("report_block_delete", report, finding.pk), **HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#report-refusal"
    assert "may be cited" in response.content.decode()
    plain = staff.post(url("report_block_delete", report, finding.pk))
    assert plain.status_code == 400 and "may be cited" in plain.content.decode()


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"finding-kind": "frequency", "finding-variable": "nosuch"}, "Select a valid choice"),
        ({"finding-kind": "frequency", "finding-variable": "voted", "finding-by": "nosuch"}, "Select a valid choice"),
        ({"finding-kind": "share", "finding-variable": "voted"}, "Select a valid choice"),
        ({"finding-kind": "mean", "finding-variable": "voted"}, "A mean needs a number or a scale."),
        ({"finding-kind": "crosstab", "finding-variable": "voted"}, "A crosstab needs a question for its columns."),
        ({"finding-kind": "frequency", "finding-variable": "voted", "finding-key": "Не става"}, "Latin letters"),
        ({"finding-kind": "frequency", "finding-variable": "voted", "finding-key": "mean-voted"}, "cannot begin"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_finding_with_unknown_or_unsuitable_questions_gets_a_400_with_the_reason(staff, report, data, message, htmx):
    response = staff.post(url("report_block_add", report), {"add": "finding", **data}, **(HTMX if htmx else {}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not report.blocks.filter(kind="finding").exists()


def test_an_unknown_variable_is_refused_in_the_language_of_the_page(client_for, researcher, report, settings):
    client = client_for(researcher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bg"
    response = client.post(
        url("report_block_add", report), {"add": "finding", "finding-kind": "frequency", "finding-variable": "nosuch"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "nosuch" in html and "Select a valid choice" not in html


@pytest.mark.parametrize("add", ["", "video", "finding-and-more"])
def test_an_unknown_part_kind_is_refused(staff, report, add):
    assert staff.post(url("report_block_add", report), {"add": add}).status_code == 400


@pytest.mark.parametrize("direction", ["", "sideways"])
def test_a_move_without_a_direction_is_refused(staff, report, direction):
    block = report.blocks.first()
    assert staff.post(url("report_block_move", report, block.pk), {"direction": direction}).status_code == 400


def test_a_block_of_another_report_is_not_found(staff, researcher, survey, report):
    other = text_report(researcher, survey, title="Друг доклад")
    foreign = other.blocks.first()
    for name in ("report_block_edit", "report_block_move", "report_block_delete"):
        response = staff.post(url(name, report, foreign.pk), {"direction": "up", "text-text": "подмяна"})
        assert response.status_code == 404, name
    assert ReportBlock.objects.get(pk=foreign.pk).text == "Първи абзац.\n\nВтори абзац."


def test_a_report_under_another_survey_is_not_found(staff, researcher, report, kresna):
    other_survey = services.survey_create(actor=researcher, title="Друго проучване")
    address = reverse("surveys:report_edit", args=[other_survey.public_id, report.public_id])
    assert staff.get(address).status_code == 404
    assert staff.get("/surveys/design/not-a-uuid/reports/").status_code == 404


def test_the_methodology_part_has_no_edit_page(staff, report):
    block = report.blocks.get(kind="methodology")
    assert staff.get(url("report_block_edit", report, block.pk)).status_code == 404


def test_the_editor_takes_bounded_queries(staff, researcher, report, django_assert_max_num_queries):
    for variable in ("voted", "sex", "agree", "how"):
        services.block_add(
            actor=researcher, report=report, kind="finding", data={"spec": {"kind": "frequency", "variable": variable}}
        )
    with django_assert_max_num_queries(14):
        assert staff.get(url("report_edit", report)).status_code == 200
