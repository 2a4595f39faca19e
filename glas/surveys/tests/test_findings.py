"""Findings (glas.surveys.findings) checked against the statistics engine, their templates, and
the analysis page that shows them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import reverse

from glas.surveys import services
from glas.surveys.analysis import AnalysisError, crosstab, mean, mean_by, proportion, proportion_by
from glas.surveys.analysis.estimates import Z_975
from glas.surveys.findings import SMALL_BASE, SMALL_CELL, FindingSpec, RaoScottResult, compute_finding
from glas.surveys.models import Survey
from glas.surveys.tests.weighting_data import CENSUS, SEX
from glas.surveys.weighting import survey_analysis_frame


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def data(weighting_survey_once, db):
    return Survey.objects.get(pk=weighting_survey_once)


@pytest.fixture
def weighted(data, researcher):
    services.survey_weighting_set(
        actor=researcher,
        survey=data,
        method="rake",
        margins={"place": CENSUS, "sex": SEX},
        margins_source="НСИ, Преброяване 2011",
        epsilon=1e-8,
        max_iterations=50,
    )
    return data


def finding(survey, **spec):
    return compute_finding(survey, FindingSpec.from_dict(spec))


# --- Against the engine --------------------------------------------------------------------------


def test_a_weighted_share_is_the_engine_proportion(weighted):
    result = finding(weighted, kind="frequency", variable="trust")
    frame = survey_analysis_frame(weighted)
    factor = frame.table.factor("trust")
    assert result.weighted and result.method == "raking (iterative proportional fitting)"
    for row in result.rows:
        expected = proportion(frame.design, factor, row.code)
        assert math.isclose(row.estimate, expected.estimate, rel_tol=1e-12)
        assert math.isclose(row.se, expected.se, rel_tol=1e-12)
        assert math.isclose(row.moe, Z_975 * expected.se)
        assert row.ci_low == max(0.0, expected.ci[0]) and row.ci_high == min(1.0, expected.ci[1])
        assert row.base == expected.n and row.n == int((factor.codes == factor.code_of(row.code)).sum())
    assert math.isclose(sum(row.estimate for row in result.rows), 1.0)


def test_shares_within_domains_are_the_engine_proportions_by_domain(weighted):
    result = finding(weighted, kind="frequency", variable="trust", by="place")
    frame = survey_analysis_frame(weighted)
    trust, place = frame.table.factor("trust"), frame.table.factor("place")
    row = next(row for row in result.rows if row.domain_code == "slivnitsa" and row.code == "4")
    expected = proportion_by(frame.design, trust, "4", place)["slivnitsa"]
    assert row.domain == "Сливница" and row.category == "По-скоро съгласен"
    assert math.isclose(row.estimate, expected.estimate) and math.isclose(row.se, expected.se)
    assert [domain for domain, _rows in result.groups] == ["Кресна", "Горна Брезница", "Долна Градешница", "Сливница"]


def test_multiple_choice_gives_the_share_choosing_each_option(weighted):
    result = finding(weighted, kind="frequency", variable="topics")
    frame = survey_analysis_frame(weighted)
    roads = next(row for row in result.rows if row.code == "roads")
    expected = mean(frame.design, frame.table.numeric("topics_roads"))
    assert result.multiple and math.isclose(roads.estimate, expected.estimate)
    assert sum(row.estimate for row in result.rows) > 1, "several options may be chosen"


def test_a_mean_by_domain_is_the_engine_mean_by(weighted):
    result = finding(weighted, kind="mean", variable="happy", by="sex")
    frame = survey_analysis_frame(weighted)
    expected = mean_by(frame.design, frame.table.numeric("happy"), frame.table.factor("sex"))
    assert [row.domain for row in result.rows] == ["Мъж", "Жена"]
    for row, code in zip(result.rows, ["1", "2"], strict=True):
        assert math.isclose(row.estimate, expected[code].estimate) and math.isclose(row.se, expected[code].se)
        assert row.category is None and not row.percent and row.n == row.base == expected[code].n


def test_a_crosstab_has_row_percentages_and_the_rao_scott_test_of_the_engine(weighted):
    result = finding(weighted, kind="crosstab", variable="place", column="agegroup")
    frame = survey_analysis_frame(weighted)
    expected = crosstab(frame.design, frame.table.factor("place"), frame.table.factor("agegroup"))
    assert result.columns == ["18–39", "40–64", "65+"]
    assert result.test is not None
    assert math.isclose(result.test.f, expected.f) and math.isclose(result.test.p, expected.p_f)
    assert (result.test.df1, result.test.df2) == (expected.ndf, expected.ddf)
    for _domain, rows in result.groups:
        assert math.isclose(sum(row.row_percent for row in rows), 100.0)
        assert sum(row.n for row in rows) == rows[0].base
    assert sum(row.n for row in result.rows) == int(expected.unweighted.sum())
    share = proportion_by(frame.design, frame.table.factor("agegroup"), "1", frame.table.factor("place"))["kresna"]
    first = result.rows[0]
    assert (first.domain_code, first.code) == ("kresna", "1") and math.isclose(first.estimate, share.estimate)


def test_without_a_weighting_the_figures_are_plain_shares(data):
    result = finding(data, kind="frequency", variable="sex")
    frame = survey_analysis_frame(data)
    women = next(row for row in result.rows if row.code == "2")
    assert not result.weighted and result.method == "" and result.effective_sample_size is None
    assert np.allclose(frame.design.weights, 1.0)
    assert math.isclose(women.estimate, women.n / women.base)


def test_figures_on_few_respondents_are_flagged(weighted):
    overall = finding(weighted, kind="mean", variable="happy")
    assert overall.rows[0].base >= SMALL_BASE and not overall.rows[0].small
    by_place = finding(weighted, kind="mean", variable="happy", by="place")
    assert all(row.small == (row.base < SMALL_BASE) for row in by_place.rows)
    assert any(row.small for row in by_place.rows) and by_place.has_small
    topics = finding(weighted, kind="frequency", variable="topics")
    assert all(row.small == (row.base < SMALL_BASE or row.n < SMALL_CELL) for row in topics.rows)


# --- The specification ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([], "A finding is described by an object with “kind” and “variable”."),
        (
            {"kind": "median", "variable": "happy"},
            "Unknown kind of finding “median”: choose frequency, mean or crosstab.",
        ),
        (
            {"kind": "mean", "variable": "happy", "colour": "red"},
            "Unknown key “colour” in the description of a finding.",
        ),
        ({"kind": "mean"}, "“variable” must name a question of the survey."),
        ({"kind": "mean", "variable": 3}, "“variable” must name a question of the survey."),
        ({"kind": "crosstab", "variable": "sex"}, "A cross-tabulation needs a second question for its columns."),
        ({"kind": "frequency", "variable": "sex", "column": "place"}, "Only a cross-tabulation has a column question."),
        ({"kind": "mean", "variable": "nope"}, "The survey has no question “nope” that can be analysed."),
        ({"kind": "mean", "variable": "comment"}, "The survey has no question “comment” that can be analysed."),
        ({"kind": "mean", "variable": "sex"}, "“sex” is not a number or a scale; a mean needs one."),
        (
            {"kind": "frequency", "variable": "happy"},
            "“happy” is not a closed question; the shares of answers need one.",
        ),
        (
            {"kind": "crosstab", "variable": "sex", "column": "topics"},
            "“topics” is not a single-answer closed question; a cross-tabulation needs two.",
        ),
        ({"kind": "crosstab", "variable": "sex", "column": "sex"}, "Cross-tabulate two different questions."),
        (
            {"kind": "mean", "variable": "happy", "by": "happy"},
            "“happy” is not a single-answer closed question; groups need one.",
        ),
        ({"kind": "frequency", "variable": "sex", "by": "sex"}, "Split the answers by a different question."),
    ],
)
def test_bad_specifications_are_refused_with_a_clear_message(data, spec, message):
    variables = survey_analysis_frame(data).variables
    with pytest.raises(AnalysisError) as refused:
        FindingSpec.from_dict(spec, variables=variables)
    assert str(refused.value) == message


def test_compute_finding_checks_the_questions_even_without_variables_given(data):
    with pytest.raises(AnalysisError):
        compute_finding(data, FindingSpec.from_dict({"kind": "mean", "variable": "sex"}))


def test_a_specification_survives_a_round_trip_through_json():
    spec = FindingSpec.from_dict({"kind": "frequency", "variable": "trust", "by": "place", "column": ""})
    assert spec.as_dict() == {"kind": "frequency", "variable": "trust", "by": "place"}
    assert FindingSpec.from_dict(spec.as_dict()) == spec


@pytest.mark.parametrize(
    ("p", "significant"), [(0.001, True), (0.049, True), (0.05, False), (0.2, False), (math.nan, False)]
)
def test_significance_is_claimed_only_below_five_per_cent(p, significant):
    test = RaoScottResult(f=2.0, df1=1.5, df2=60.0, p=p)
    assert test.significant is significant
    if significant:
        assert "statistically significant at the 5 % level" in test.statement
    else:
        assert "more than chance" not in test.statement
        assert "not statistically significant" in test.statement or "could not be computed" in test.statement


# --- Templates -----------------------------------------------------------------------------------


def test_the_finding_table_shows_estimates_intervals_counts_and_flags(weighted):
    result = finding(weighted, kind="crosstab", variable="place", column="sex")
    html = render_to_string("surveys/_finding.html", {"finding": result})
    assert "<caption>" in html and "Къде живеете? × Пол" in html
    for heading in ("Per cent of the row", "95 % confidence interval", "Margin of error", "Per cent of the column"):
        assert heading in html
    assert 'scope="rowgroup"' in html and "few respondents" in html
    assert "Test of independence (Rao–Scott):" in html and result.test.statement in html
    assert "Many figures are compared here" in html
    assert "Weighted estimates (raking (iterative proportional fitting); population figures: НСИ" in html


def test_the_chart_is_an_image_with_a_title_a_description_and_whiskers(weighted):
    result = finding(weighted, kind="frequency", variable="sex")
    svg = render_to_string("surveys/_finding_chart.html", {"finding": result})
    assert 'role="img"' in svg and f'aria-labelledby="{result.key}-chart-title {result.key}-chart-desc"' in svg
    assert "<title" in svg and "<desc" in svg
    assert svg.count("<rect") == len(result.rows) and svg.count("<line") == 3 * len(result.rows)
    assert "," not in svg.split("viewBox=")[1].split('"')[1], "SVG numbers are never localised"


def test_chart_numbers_stay_dotted_in_bulgarian(weighted):
    from django.utils import translation

    result = finding(weighted, kind="mean", variable="happy", by="place")
    with translation.override("bg"):
        svg = render_to_string("surveys/_finding_chart.html", {"finding": result})
    widths = [part.split('"')[1] for part in svg.split('width="')[2:]]
    assert widths and all("," not in width for width in widths)


# --- The analysis page ---------------------------------------------------------------------------


def url(survey, query=""):
    return reverse("surveys:analysis", args=[survey.public_id]) + query


def test_researchers_analyse_with_a_linkable_get_form(client, researcher, weighted, django_assert_max_num_queries):
    client.force_login(researcher)
    client.get(url(weighted, "?variable=trust&by=sex"))
    with django_assert_max_num_queries(15):
        response = client.get(url(weighted, "?variable=trust&by=sex"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<form method="get"' in page and 'hx-push-url="true"' in page
    assert "Figures are weighted: raking (iterative proportional fitting), population figures from НСИ" in page
    assert "Respondents with this answer" in page and 'role="img"' in page


def test_the_page_without_a_choice_shows_only_the_form(client, researcher, data):
    client.force_login(researcher)
    response = client.get(url(data))
    page = response.content.decode()
    assert response.status_code == 200 and "Figures are unweighted" in page and "<table" not in page


def test_a_crosstab_on_the_page_has_its_test(client, researcher, weighted):
    client.force_login(researcher)
    page = client.get(url(weighted, "?variable=place&column=agegroup")).content.decode()
    assert "Test of independence (Rao–Scott):" in page


def test_htmx_gets_only_the_result(client, researcher, weighted):
    client.force_login(researcher)
    response = client.get(url(weighted, "?variable=happy"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page and "<table" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?variable=nope", "Select a valid choice. nope is not one of the available choices."),
        ("?variable=happy&column=sex", "“happy” is not a single-answer closed question; a cross-tabulation needs two."),
        ("?variable=sex&by=sex", "Split the answers by a different question."),
        ("?variable=sex&by=place&column=agegroup", "Either split by a question or cross-tabulate with one, not both."),
        ("?variable=", "This field is required."),
        ("?variable=sex&by=topics", "Select a valid choice. topics is not one of the available choices."),
    ],
)
def test_bad_parameters_get_a_400_with_the_reason(client, researcher, data, query, message):
    client.force_login(researcher)
    response = client.get(url(data, query))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.content.decode().count('id="error-summary"') == 1  # the summary takes focus


def test_bad_parameters_are_explained_in_bulgarian_by_default(researcher, data, settings):
    from django.test import Client

    settings.LANGUAGE_CODE = "bg"
    client = Client()
    client.force_login(researcher)
    response = client.get(url(data, "?variable=nope"))
    assert response.status_code == 400
    assert "Select a valid choice" not in response.content.decode() and "nope" in response.content.decode()


@pytest.mark.parametrize("persona", ["citizen", "advisor", "outsider"])
def test_only_researchers_and_administrators_analyse(client, request, data, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(data, "?variable=sex")).status_code == 403


def test_administrators_analyse_too(client, admin_user, data):
    client.force_login(admin_user)
    assert client.get(url(data, "?variable=sex")).status_code == 200


def test_a_draft_has_no_analysis(client, researcher, survey):
    client.force_login(researcher)
    assert client.get(url(survey)).status_code == 404


def test_a_survey_without_complete_responses_says_so(client, researcher, in_fieldwork):
    client.force_login(researcher)
    response = client.get(url(in_fieldwork, "?variable=sex"))
    assert response.status_code == 200
    assert "There are no complete responses to analyse yet." in response.content.decode()


def test_a_calibration_variable_is_said_to_have_no_sampling_error(weighted):
    result = finding(weighted, kind="frequency", variable="sex")
    assert result.calibrated and all(row.se < 1e-9 for row in result.rows)
    assert "This question was used for weighting" in render_to_string("surveys/_finding.html", {"finding": result})
    assert not finding(weighted, kind="frequency", variable="trust").calibrated
