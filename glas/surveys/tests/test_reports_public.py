"""The public report: its page, PDF and DOCX, the permanent links of findings, the generated
methodology and who sees what."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from glas.core.exceptions import DomainError
from glas.surveys import services
from glas.surveys.methodology import margin_of_error, survey_methodology
from glas.surveys.models import Answer, Question, ReportBlock
from glas.surveys.tests.report_data import build_channel_survey, text_report
from glas.surveys.tests.results_data import submit


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def survey(researcher, kresna):
    return build_channel_survey(researcher)


def add_finding(researcher, report, spec, **data):
    return services.block_add(actor=researcher, report=report, kind="finding", data={"spec": spec, **data})


@pytest.fixture
def report(researcher, survey):
    report = text_report(researcher, survey)
    add_finding(researcher, report, {"kind": "frequency", "variable": "voted"}, caption="Who voted")
    add_finding(researcher, report, {"kind": "mean", "variable": "age", "by": "sex"})
    add_finding(researcher, report, {"kind": "crosstab", "variable": "voted", "column": "sex"}, key="voting-by-sex")
    return services.report_publish(actor=researcher, report=report)


def page(client, report):
    return client.get(reverse("surveys:report_public", args=[report.slug]))


# --- Methodology ------------------------------------------------------------------------------


def test_the_methodology_counts_complete_first_keyings_by_mode(survey):
    methodology = survey_methodology(survey)

    # 3 web + 2 paper (one keyed twice, counted once) + 1 assisted; the unfinished one is left out.
    assert methodology.complete == 6
    assert methodology.channels == [("public link", 3), ("assisted at the bureau", 1), ("paper questionnaire", 2)]
    assert methodology.municipality == "Kresna"
    assert (methodology.population, methodology.population_year) == (4546, 2021)
    assert methodology.adults == 4527
    assert methodology.weighting is None
    # 1.96 × √(0.25 / 6) = 0.4001 → ±40.0 percentage points
    assert methodology.margin_of_error == 40.0
    assert any("chose to take part themselves" in caveat for caveat in methodology.caveats)
    assert any("unweighted" in caveat for caveat in methodology.caveats)
    assert not any("Synthetic" in caveat for caveat in methodology.caveats)


def test_the_margin_of_error_grows_with_the_design_effect():
    assert margin_of_error(400) == 4.9
    assert margin_of_error(400, 2.0) == 6.9
    assert margin_of_error(0) is None


def test_a_demo_survey_is_marked_as_synthetic_in_the_methodology(survey):
    survey.is_demo = True
    survey.save(update_fields=["is_demo"])
    assert "Synthetic demo data" in survey_methodology(survey).caveats[0]


def test_a_weighted_survey_reports_its_method_margins_and_design_effect(researcher, survey):
    services.survey_weighting_set(
        actor=researcher,
        survey=survey,
        method="poststratify",
        margins={"voted": {"yes": 2000, "no": 2500}},
        margins_source="ЦИК 2023",
    )
    methodology = survey_methodology(survey)

    assert methodology.weighting is not None
    assert methodology.weighting.variables == ["“Гласувахте ли на последните местни избори?” (voted)"]
    assert methodology.weighting.margins_source == "ЦИК 2023"
    assert methodology.weighting.design_effect and methodology.weighting.design_effect >= 1
    assert methodology.margin_of_error == margin_of_error(6, methodology.weighting.design_effect)
    assert not any("unweighted" in caveat for caveat in methodology.caveats)


# --- The page ---------------------------------------------------------------------------------


def test_the_published_report_page_is_accessible_and_has_every_part(client, report):
    response = page(client, report)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<article class="report" aria-labelledby="report-title">' in html
    assert '<h1 id="report-title">Основни резултати</h1>' in html
    assert "<p>Първи абзац.</p>" in html and "<p>Втори абзац.</p>" in html
    for key in ("voted", "age-by-sex", "voting-by-sex"):
        assert f'id="finding-{key}"' in html
        assert reverse("surveys:finding_link", args=[report.public_id, key]) in html
    assert html.count('role="img"') == 3 and html.count("<desc") == 3
    assert html.count("<caption>") >= 4  # three findings and the modes of the methodology
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "Link to this finding" in html
    assert "Methodology" in html and "±40.0 percentage points" in html
    assert "Who voted" in html


def test_narrative_text_is_shown_as_text_never_as_markup(researcher, client, report):
    services.block_add(
        actor=researcher, report=report, kind="text", data={"text": "<script>alert(1)</script> **не е markdown**"}
    )
    html = page(client, report).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **не е markdown**" in html
    assert "<script>alert(1)" not in html


def test_a_draft_report_is_not_found_for_the_public_but_previewed_by_researchers(
    researcher, client_for, citizen, outsider, survey
):
    draft = text_report(researcher, survey, title="Чернова на доклад")
    for user in (None, citizen, outsider):
        assert page(client_for(user), draft).status_code == 404
        assert client_for(user).get(reverse("surveys:report_pdf", args=[draft.slug])).status_code == 404
        assert client_for(user).get(reverse("surveys:report_docx", args=[draft.slug])).status_code == 404
    preview = page(client_for(researcher), draft)
    assert preview.status_code == 200 and "Preview of a draft." in preview.content.decode()


def test_a_withdrawn_report_disappears_from_the_public(researcher, client, report):
    services.report_unpublish(actor=researcher, report=report)
    assert page(client, report).status_code == 404
    link = reverse("surveys:finding_link", args=[report.public_id, "voted"])
    assert client.get(link).status_code == 404


def test_published_reports_are_listed_on_the_surveys_page_and_the_results_page(researcher, client, report, survey):
    services.survey_results_publish(actor=researcher, survey=survey, published=True)
    url = reverse("surveys:report_public", args=[report.slug])

    assert url in client.get(reverse("surveys:open_list")).content.decode()
    assert url in client.get(reverse("surveys:results_public", args=[survey.public_id])).content.decode()


def test_drafts_are_not_listed(researcher, client, survey):
    draft = text_report(researcher, survey, title="Чернова")
    assert draft.slug not in client.get(reverse("surveys:open_list")).content.decode()


def fresh_page_queries(client, report):
    """The queries of the page computed afresh (the report changed, so nothing is cached)."""
    services.report_update(actor=report.author, report=report, data={"summary": f"{report.summary}."})
    with CaptureQueriesContext(connection) as queries:
        assert page(client, report).status_code == 200
    return len(queries)


def test_the_public_page_takes_the_same_bounded_queries_with_more_findings_and_answers(
    researcher, client, report, survey, django_assert_max_num_queries
):
    before = fresh_page_queries(client, report)
    with django_assert_max_num_queries(12):
        assert page(client, report).status_code == 200, "from the cache"
    for variable in ("agree", "how", "topics"):
        add_finding(researcher, report, {"kind": "frequency", "variable": variable})
    for _ in range(5):
        submit(survey, {"voted": "yes", "how": "1", "sex": "f", "age": 44, "agree": "4"})

    assert fresh_page_queries(client, report) == before, "the analysis frame is read once for all findings"
    with django_assert_max_num_queries(12):
        assert page(client, report).status_code == 200


# --- Permanent links of findings --------------------------------------------------------------


def test_the_finding_link_leads_to_its_place_in_the_report(client, report):
    response = client.get(reverse("surveys:finding_link", args=[report.public_id, "voting-by-sex"]))

    assert response.status_code == 302
    assert response["Location"] == f"/surveys/reports/{report.slug}/#finding-voting-by-sex"


def test_an_unknown_finding_or_report_is_not_found(client, report):
    assert client.get(reverse("surveys:finding_link", args=[report.public_id, "nosuch"])).status_code == 404
    assert client.get(f"/surveys/findings/{report.public_id.hex[:8]}/voted/").status_code == 404
    assert client.get("/surveys/findings/00000000-0000-0000-0000-000000000000/voted/").status_code == 404


def test_the_finding_link_survives_editing_the_published_report(researcher, client, report):
    block = report.blocks.get(key="voting-by-sex")
    services.block_update(
        actor=researcher, block=block, data={"caption": "Voting by sex, corrected", "spec": block.spec}
    )
    services.report_update(actor=researcher, report=report, data={"title": "Основни резултати (поправка)"})
    services.block_move(actor=researcher, block=block, position=1)

    with pytest.raises(DomainError):
        services.block_update(actor=researcher, block=block, data={"key": "renamed"})
    with pytest.raises(DomainError) as cited:
        services.block_delete(actor=researcher, block=block)
    assert cited.value.code == "cited"

    response = client.get(reverse("surveys:finding_link", args=[report.public_id, "voting-by-sex"]))
    assert response["Location"].endswith("#finding-voting-by-sex")
    html = client.get(response["Location"]).content.decode()
    assert 'id="finding-voting-by-sex"' in html and "Voting by sex, corrected" in html


def test_keys_may_change_until_the_first_publication(researcher, survey):
    draft = text_report(researcher, survey, title="Чернова")
    block = add_finding(researcher, draft, {"kind": "frequency", "variable": "voted"})
    services.block_update(actor=researcher, block=block, data={"key": "turnout"})
    assert ReportBlock.objects.get(pk=block.pk).key == "turnout"
    with pytest.raises(DomainError) as taken:
        add_finding(researcher, draft, {"kind": "frequency", "variable": "sex"}, key="turnout")
    assert taken.value.field == "key"
    second = add_finding(researcher, draft, {"kind": "frequency", "variable": "sex"}, key="voted")
    assert second.key == "voted", "the old key is free again after the rename"


# --- Publishing refuses findings that no longer compute ---------------------------------------


def test_publishing_is_refused_when_a_question_of_a_finding_was_deleted(researcher, survey):
    draft = text_report(researcher, survey, title="Доклад за изтрит въпрос")
    add_finding(researcher, draft, {"kind": "frequency", "variable": "how"}, caption="How people voted")
    Answer.objects.filter(question__variable="how").delete()
    Question.objects.filter(survey=survey, variable="how").delete()

    with pytest.raises(DomainError) as refused:
        services.report_publish(actor=researcher, report=draft)

    assert refused.value.code == "finding"
    assert "How people voted" in refused.value.message and "how" in refused.value.message
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_published_finding_that_stops_computing_shows_a_notice_not_an_error(researcher, client, report, survey):
    Answer.objects.filter(question__variable="age").delete()
    Question.objects.filter(survey=survey, variable="age").delete()
    services.report_update(actor=researcher, report=report, data={"summary": "Обновено."})

    response = page(client, report)
    assert response.status_code == 200
    assert "This finding cannot be computed at the moment" in response.content.decode()


# --- Files ------------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf(client, report):
    response = client.get(reverse("surveys:report_pdf", args=[report.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{report.slug}.pdf"' in response["Content-Disposition"]


def test_the_docx_holds_headings_text_finding_tables_and_the_methodology(client, report):
    response = client.get(reverse("surveys:report_docx", args=[report.slug]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    texts = [p.text for p in document.paragraphs]
    title = next(p for p in document.paragraphs if p.text)
    assert (title.style.name, title.text) == ("Title", "Основни резултати")
    assert "Who voted" in headings and "Methodology" in headings
    assert "Първи абзац." in texts and "Втори абзац." in texts
    assert any("chart is in the HTML and PDF versions" in text for text in texts)
    assert any(re.search(r"Link to this finding.*\(http://testserver/surveys/findings/", text) for text in texts)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(caption.startswith("Гласувахте ли") for caption in captions)
    assert "Complete responses by mode" in captions
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"Answer", "Per cent", "95 % confidence interval", "Public link", "Paper questionnaire"} <= cells
    voted = document.tables[1]  # after the methodology, which comes second
    assert [cell.text for cell in voted.rows[0].cells][:2] == ["Answer", "Per cent"]
    assert len(document.tables) == 4  # three findings and the modes


def test_the_files_of_a_demo_report_say_the_data_are_synthetic(client, report, survey):
    survey.is_demo = True
    survey.save(update_fields=["is_demo"])
    services.report_update(actor=report.author, report=report, data={"summary": "Демо."})
    document = Document(io.BytesIO(client.get(reverse("surveys:report_docx", args=[report.slug])).content))
    assert any("Synthetic demo data." in p.text for p in document.paragraphs)
    assert "Synthetic demo data." in page(client, report).content.decode()


def test_english_pages_are_read_in_english(client, report):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Methodology" in page(client, report).content.decode()


def test_the_files_follow_new_answers(client, report, survey):
    def docx_text():
        content = client.get(reverse("surveys:report_docx", args=[report.slug])).content
        return " ".join(p.text for p in Document(io.BytesIO(content)).paragraphs)

    before = docx_text()
    submit(survey, {"voted": "no", "sex": "f", "age": 35})

    assert "6 complete responses" in before
    assert "7 complete responses" in docx_text()
