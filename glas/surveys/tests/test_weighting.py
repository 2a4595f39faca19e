"""Setting a survey's weighting (the service and its page), the weighting report, and the public
results once a weighting applies."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Survey, SurveyWeighting
from glas.surveys.tests.results_data import submit
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


def weight(researcher, survey, **data):
    data.setdefault("method", "poststratify")
    data.setdefault("margins", {"place": CENSUS})
    data.setdefault("margins_source", "НСИ, Преброяване 2011")
    return services.survey_weighting_set(actor=researcher, survey=survey, **data)


# --- The service ---------------------------------------------------------------------------------


def test_post_stratifying_to_the_census_makes_the_weights_add_up_to_the_population(researcher, data):
    weighting = weight(researcher, data)

    frame = survey_analysis_frame(data)
    assert frame.weighted and frame.method == "poststratify"
    assert math.isclose(frame.design.weights.sum(), sum(CENSUS.values()))
    places = frame.table.factor("place")
    kresna_weight = frame.design.weights[places.codes == places.code_of("kresna")].sum()
    assert math.isclose(kresna_weight, CENSUS["kresna"])
    assert frame.report is not None and frame.report.effective_sample_size < frame.n
    assert weighting.updated_by == researcher and weighting.margins_source == "НСИ, Преброяване 2011"


def test_setting_a_weighting_writes_one_audit_entry_without_answers(researcher, data):
    before = AuditEntry.objects.count()
    weight(researcher, data)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "surveys.weighting.set"
    assert entry.data == {
        "method": "poststratify",
        "variables": ["place"],
        "strata": "",
        "cluster": "",
        "source": "НСИ, Преброяване 2011",
    }


def test_raking_on_settlement_and_sex_matches_both_margins(researcher, data):
    weight(researcher, data, method="rake", margins={"place": CENSUS, "sex": SEX}, epsilon=1e-6, max_iterations=50)
    frame = survey_analysis_frame(data)
    sex = frame.table.factor("sex")
    for code, count in SEX.items():
        assert math.isclose(frame.design.weights[sex.codes == sex.code_of(code)].sum(), count, rel_tol=1e-6)
    assert frame.report.iterations >= 2 and frame.report.converged


def test_a_second_setting_replaces_the_first(researcher, data):
    weight(researcher, data)
    weight(researcher, data, method="none", margins={}, margins_source="")
    assert SurveyWeighting.objects.filter(survey=data).count() == 1
    assert not survey_analysis_frame(data).weighted


@pytest.mark.parametrize(
    ("margins", "message"),
    [
        ({"nope": {"1": 10}}, "“nope” is not a single-answer closed question of this survey."),
        ({"comment": {"x": 10}}, "“comment” is not a single-answer closed question of this survey."),
        ({"happy": {"5": 10}}, "“happy” is not a single-answer closed question of this survey."),
        ({"topics": {"roads": 10}}, "“topics” is not a single-answer closed question of this survey."),
        ({"sex": {"1": 2700, "3": 10, "2": 2594}}, "“3” is not an answer code of “sex”."),
        ({"sex": {"1": 0, "2": 2594}}, "The population count of “1” in “sex” must be a positive number."),
        ({"sex": {"1": -5, "2": 2594}}, "The population count of “1” in “sex” must be a positive number."),
        ({"sex": {"1": "many", "2": 2594}}, "The population count of “1” in “sex” must be a positive number."),
        ({"sex": {"1": True, "2": 2594}}, "The population count of “1” in “sex” must be a positive number."),
        ({"sex": {"1": float("nan"), "2": 2594}}, "The population count of “1” in “sex” must be a positive number."),
        ({"sex": {}}, "Give the population count of each answer of “sex”."),
        ({}, "Give the population counts of at least one question."),
    ],
)
def test_bad_margins_are_refused_with_a_clear_message(researcher, data, margins, message):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, method="rake", margins=margins)
    assert refused.value.message == message
    assert not SurveyWeighting.objects.exists()


def test_an_answer_given_but_missing_from_the_margins_is_named(researcher, data):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, margins={"sex": {"1": 2700}})
    assert refused.value.message.startswith("The answer “Жена” (code 2) to “sex” was given by ")
    assert "has no population count" in refused.value.message


def test_a_counted_answer_nobody_gave_is_refused(researcher, data):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, margins={"place": {**CENSUS, "vlahi": 10}})
    assert "Nobody gave the answer “vlahi” to “place”" in refused.value.message


def test_a_question_some_respondents_skipped_cannot_be_weighted_on(researcher, data):
    submit(data, {"place": "kresna", "sex": "1"})  # no age group
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, margins={"agegroup": {"1": 100, "2": 100, "3": 100}})
    assert refused.value.message.startswith("1 respondent did not answer “agegroup”")


def test_margins_need_their_source(researcher, data):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, margins_source="  ")
    assert refused.value.field == "margins_source"


def test_post_stratification_takes_one_question(researcher, data):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, margins={"place": CENSUS, "sex": SEX})
    assert "use raking for several" in refused.value.message


def test_linear_calibration_needs_margins_that_add_up_to_the_same_population(researcher, data):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, method="linear", margins={"place": CENSUS, "sex": {"1": 1, "2": 2}})
    assert "add up to the same population" in refused.value.message
    weight(researcher, data, method="linear", margins={"place": CENSUS, "sex": SEX})
    frame = survey_analysis_frame(data)
    assert frame.weighted and math.isclose(frame.design.weights.sum(), sum(SEX.values()))


def test_raking_that_does_not_converge_is_refused(researcher, data):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, method="rake", margins={"place": CENSUS, "sex": SEX}, epsilon=1e-12, max_iterations=1)
    assert "did not converge" in refused.value.message


@pytest.mark.parametrize(
    ("design", "field"),
    [
        ({"strata_variable": "happy"}, "strata_variable"),
        ({"cluster_variable": "nope"}, "cluster_variable"),
        ({"fpc": 0}, "fpc"),
        ({"epsilon": -1}, "epsilon"),
        ({"max_iterations": 0}, "max_iterations"),
        ({"trim_lower": 2.0}, "trim_lower"),
        ({"trim_upper": 0.5}, "trim_upper"),
        ({"method": "magic"}, "method"),
    ],
)
def test_bad_design_settings_are_refused_on_their_field(researcher, data, design, field):
    with pytest.raises(DomainError) as refused:
        weight(researcher, data, **design)
    assert refused.value.field == field


def test_trimming_limits_the_weights_to_multiples_of_the_mean(researcher, data):
    weight(researcher, data, trim_lower=0.5, trim_upper=1.5)
    weights = survey_analysis_frame(data).design.weights
    assert weights.max() <= 1.5 * weights.mean() + 1e-9


def test_a_stratified_design_without_calibration_is_weighted(researcher, data):
    weight(researcher, data, method="none", margins={}, margins_source="", strata_variable="place")
    frame = survey_analysis_frame(data)
    assert frame.weighted and frame.design.n_strata == 4
    assert np.allclose(frame.design.weights, 1.0)


def test_only_researchers_and_administrators_may_set_a_weighting(citizen, data):
    with pytest.raises(DomainError):
        weight(citizen, data)


def test_the_database_refuses_margins_without_a_source(data):
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyWeighting.objects.create(survey=data, method="poststratify", margins={"place": CENSUS})


def test_settlement_margins_propose_the_latest_census_and_name_what_is_left_out(data):
    proposal = services.settlement_margins(data)
    assert proposal is not None and proposal.variable == "place"
    assert proposal.counts == CENSUS
    assert proposal.source == "НСИ, Преброяване 2011"
    assert "total population" in proposal.figure and "2011" in proposal.figure
    assert set(proposal.left_out) == {"Стара Кресна", "Ощава", "Влахи"}


def test_settlement_margins_need_a_settlement_question(researcher, survey):
    assert services.settlement_margins(survey) is None


def test_a_weighting_that_no_longer_fits_the_answers_falls_back_to_equal_weights(researcher, data):
    weight(researcher, data)
    submit(data, {"place": "oshtava", "sex": "1"})
    frame = survey_analysis_frame(data)
    assert not frame.weighted
    assert "oshtava" in frame.problem and "not in the population margins" in frame.problem


def test_the_analysis_frame_is_cached_until_something_changes(researcher, data, django_assert_max_num_queries):
    weight(researcher, data)
    survey_analysis_frame(data)
    with django_assert_max_num_queries(3):
        survey_analysis_frame(data)
    submit(data, {"place": "kresna", "sex": "1"})
    assert survey_analysis_frame(data).n == 81


# --- The weighting page --------------------------------------------------------------------------


def test_researchers_see_the_weighting_page(client, researcher, data, django_assert_max_num_queries):
    weight(researcher, data)
    survey_analysis_frame(data)
    client.force_login(researcher)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("surveys:weighting", args=[data.public_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Effective sample size" in page and "Design effect due to weighting (Kish)" in page
    assert "Weights before and after weighting" in page and "НСИ, Преброяване 2011" in page


@pytest.mark.parametrize("persona", ["admin_user", "researcher"])
def test_administrators_and_researchers_may_open_the_weighting_page(client, request, data, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("surveys:weighting", args=[data.public_id])).status_code == 200


@pytest.mark.parametrize("persona", ["citizen", "advisor", "outsider"])
def test_others_may_not_open_the_weighting_page(client, request, data, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("surveys:weighting", args=[data.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"method": "none"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, data):
    response = client.get(reverse("surveys:weighting", args=[data.public_id]))
    assert response.status_code == 302 and "login" in response["Location"]


def _form(**extra):
    data = {"action": "save", "method": "poststratify", "epsilon": "1", "max_iterations": "10"}
    data.update(extra)
    return data


def test_saving_the_form_sets_the_weighting(client, researcher, data):
    client.force_login(researcher)
    url = reverse("surveys:weighting", args=[data.public_id])
    counts = {f"m__place__{slug}": str(count) for slug, count in CENSUS.items()}
    response = client.post(url, _form(margins_source="НСИ", **counts))
    assert response.status_code == 302
    assert SurveyWeighting.objects.get(survey=data).margins == {"place": {k: float(v) for k, v in CENSUS.items()}}


def test_a_missing_level_comes_back_as_a_form_error(client, researcher, data):
    client.force_login(researcher)
    response = client.post(
        reverse("surveys:weighting", args=[data.public_id]), _form(margins_source="НСИ", m__sex__1="2700")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page and "has no population count" in page
    assert not SurveyWeighting.objects.exists()


def test_a_count_that_is_not_a_number_comes_back_as_a_form_error(client, researcher, data):
    client.force_login(researcher)
    response = client.post(reverse("surveys:weighting", args=[data.public_id]), _form(m__sex__1="lots"))
    assert response.status_code == 400 and "Enter a number." in response.content.decode()


def test_the_census_button_fills_in_the_settlement_counts_without_saving(client, researcher, data):
    client.force_login(researcher)
    response = client.post(reverse("surveys:weighting", args=[data.public_id]), _form(action="prefill", method="none"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="m__place__kresna" value="3470"' in page
    assert 'value="НСИ, Преброяване 2011"' in page
    assert "Left out, as no respondent lives there" in page
    assert not SurveyWeighting.objects.exists()


def test_the_questionnaire_page_links_to_weighting(client, researcher, data):
    client.force_login(researcher)
    page = client.get(reverse("surveys:design_detail", args=[data.public_id])).content.decode()
    assert reverse("surveys:weighting", args=[data.public_id]) in page
    assert reverse("surveys:analysis", args=[data.public_id]) in page


# --- Public results ------------------------------------------------------------------------------


@pytest.fixture
def published(researcher, data):
    return services.survey_results_publish(actor=researcher, survey=data, published=True)


def test_public_results_are_weighted_with_margins_of_error_once_a_weighting_is_set(
    client, researcher, published, django_assert_max_num_queries
):
    url = reverse("surveys:results_public", args=[published.public_id])
    assert "Margin of error" not in client.get(url).content.decode()
    weight(researcher, published)
    with django_assert_max_num_queries(50):  # computed: the answers are read in chunks of 1000
        client.get(url)
    with django_assert_max_num_queries(8):  # then from the cache
        page = client.get(url).content.decode()
    assert "Margin of error" in page and "Per cent (weighted)" in page
    assert "effective sample size" in page and "НСИ, Преброяване 2011" in page
    assert "± " in page


def test_weighted_public_percentages_match_the_engine(researcher, published):
    from glas.surveys.analysis import proportion
    from glas.surveys.results import cached_survey_results

    weight(researcher, published)
    table = cached_survey_results(published)
    frame = survey_analysis_frame(published)
    sex = next(item for item in table.items if item.key == "sex")
    men = next(category for category in sex.categories if category.code == "1")
    expected = proportion(frame.design, frame.table.factor("sex"), "1")
    assert table.weighted and men.percent == round(100 * expected.estimate, 1)
    assert men.count == sum(frame.table.factor("sex").codes == frame.table.factor("sex").code_of("1"))


def test_the_api_gives_weighted_results_with_margins_of_error(client, researcher, published):
    weight(researcher, published)
    data = client.get(f"/api/v1/surveys/{published.public_id}/results").json()
    assert data["weighted"] is True
    assert data["weighting"]["margins_source"] == "НСИ, Преброяване 2011"
    assert data["weighting"]["effective_sample_size"] > 0
    trust = next(item for item in data["items"] if item["key"] == "trust")
    assert all(category["moe"] is not None for category in trust["categories"])
    happy = next(item for item in data["items"] if item["key"] == "happy")
    assert happy["moe"] > 0


def test_public_shares_of_the_weighting_question_equal_the_census_without_margin_of_error(
    client, researcher, published
):
    from glas.surveys.results import cached_survey_results

    weight(researcher, published)
    place = next(item for item in cached_survey_results(published).items if item.key == "place")
    kresna = next(category for category in place.categories if category.code == "kresna")
    assert place.calibrated and kresna.moe is None
    assert kresna.percent == round(100 * CENSUS["kresna"] / sum(CENSUS.values()), 1)
    page = client.get(reverse("surveys:results_public", args=[published.public_id])).content.decode()
    assert "weighted to the population figures of this question" in page


def test_margins_can_be_set_before_any_answer_arrives(researcher, civic_survey):
    weighting = services.survey_weighting_set(
        actor=researcher,
        survey=civic_survey,
        method="poststratify",
        margins={"sex": {"f": 2594, "m": 2700}},
        margins_source="НСИ, Преброяване 2021",
    )
    assert weighting.margins == {"sex": {"f": 2594, "m": 2700}}
