"""Data exports (CSV, XLSX, SPSS, JSON) and the codebook, through HTTP as researchers do."""

from __future__ import annotations

import csv
import io
import json

import pyreadstat
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Response, Survey
from glas.surveys.selectors import response_records, response_table, survey_structure
from glas.surveys.tests.results_data import build_rich_survey, fill, submit


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    """The pages are read in English (no language cookie or header: the default applies); the
    Bulgarian texts are checked by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def rich(researcher, kresna):
    return fill(build_rich_survey(researcher))


def export(client, survey, fmt):
    response = client.get(reverse("surveys:results_export", args=[survey.public_id, fmt]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_starts_with_a_byte_order_mark_and_the_variable_names(client_for, researcher, rich):
    content = export(client_for(researcher), rich, "csv")

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    meta = ["resp_no", "resp_channel", "resp_status", "resp_submitted", "resp_entry_round", "resp_is_demo"]
    assert rows[0][:6] == meta
    assert rows[0][6:9] == ["voted", "how", "sex"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"], "complete responses only, numbered from 1"


def test_csv_neutralises_formulas_in_text_but_not_numbers(client_for, researcher, rich):
    content = export(client_for(researcher), rich, "csv").decode("utf-8-sig")
    rows = {row["resp_no"]: row for row in csv.DictReader(io.StringIO(content))}

    assert rows["1"]["comment"] == '\'=HYPERLINK("http://evil")'
    assert rows["2"]["comment"] == "'-5 лв. на месец"
    assert rows["2"]["sex_other"] == "'@небинарен"
    assert rows["1"]["age"] == "40"


def test_xlsx_neutralises_formulas_and_keeps_numbers_as_numbers(client_for, researcher, rich):
    content = export(client_for(researcher), rich, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    second = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))

    assert first["comment"] == '\'=HYPERLINK("http://evil")'
    assert second["comment"] == "'-5 лв. на месец"
    assert second["sex_other"] == "'@небинарен"
    assert sheet.cell(row=2, column=header.index("comment") + 1).data_type == "s"
    assert first["age"] == 40 and isinstance(first["age"], int)
    assert first["topics_roads"] == 1 and first["topics_jobs"] == 0


def read_sav(content, tmp_path):
    path = tmp_path / "data.sav"
    path.write_bytes(content)
    return pyreadstat.read_sav(str(path), user_missing=True)


def test_the_spss_file_keeps_variable_labels_value_labels_and_values(client_for, researcher, rich, tmp_path):
    frame, meta = read_sav(export(client_for(researcher), rich, "sav"), tmp_path)
    labels = meta.column_names_to_labels
    values = meta.variable_value_labels
    first, second, third = (frame.iloc[index] for index in range(3))

    assert labels["voted"] == "Гласувахте ли на последните местни избори?"
    assert labels["topics_water"] == "Кои теми са важни за вас?: Вода"
    assert labels["services_waste"] == "Как оценявате услугите?: Сметосъбиране"
    assert values["how"] == {1.0: "В секция", 2.0: "По пощата", -1.0: "not asked (display logic)"}
    assert values["voted"] == {"yes": "Да", "no": "Не"}
    assert values["services_water"][3.0] == "Добре"
    assert values["ranks_1"] == {"a": "Училище", "b": "Болница", "c": "Парк"}
    assert values["topics_roads"][1.0] == "chosen"
    assert meta.variable_measure["agree"] == "ordinal" and meta.variable_measure["age"] == "scale"
    # Values: codes, 0/1 per chosen code, matrix rows, ranks, "other" text, numbers, dates.
    assert (first["voted"], first["how"], first["sex"]) == ("yes", 1.0, "f")
    assert (first["topics_roads"], first["topics_water"], first["topics_jobs"]) == (1.0, 1.0, 0.0)
    assert (first["services_water"], first["services_waste"]) == (3.0, 1.0)
    assert (first["ranks_1"], first["ranks_2"], first["ranks_3"]) == ("b", "a", "c")
    assert (first["age"], first["happy"], first["agree"]) == (40.0, 7.0, 4.0)
    assert str(first["moved"])[:10] == "2001-05-17"
    assert first["comment"] == '=HYPERLINK("http://evil")'
    assert (second["sex"], second["sex_other"]) == ("other", "@небинарен")
    assert third["how"] == 2.0
    # "how" was hidden by display logic for the second respondent (voted "no").
    assert second["how"] == -1.0
    assert meta.missing_ranges["how"] == [{"lo": -1.0, "hi": -1.0}]


def test_a_long_question_is_shortened_to_fit_an_spss_label(client_for, researcher, kresna, tmp_path):
    survey = services.survey_create(actor=researcher, title="Дълъг въпрос")
    services.question_add(
        actor=researcher, section=survey.sections.get(), variable="long", text="Въпрос " * 100, type="short_text"
    )
    services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)
    submit(survey, {"long": "отговор"})
    _frame, meta = read_sav(export(client_for(researcher), survey, "sav"), tmp_path)

    label = meta.column_names_to_labels["long"]
    assert label.startswith("Въпрос Въпрос") and label.endswith("…")
    assert len(label.encode()) <= 256


def test_json_holds_the_survey_the_variables_and_one_object_per_response(client_for, researcher, rich):
    data = json.loads(export(client_for(researcher), rich, "json"))

    assert set(data) == {"survey", "variables", "responses"}
    assert data["survey"]["public_id"] == str(rich.public_id)
    assert data["variables"][6]["name"] == "voted"
    assert data["variables"][6]["value_labels"] == {"yes": "Да", "no": "Не"}
    assert len(data["responses"]) == 3
    first = data["responses"][0]
    assert (first["resp_no"], first["voted"], first["age"], first["moved"]) == (1, "yes", 40, "2001-05-17")
    assert data["responses"][1]["how"] is None


def test_the_codebook_lists_every_variable_with_its_codes(client_for, researcher, rich):
    response = client_for(researcher).get(reverse("surveys:results_codebook", args=[rich.public_id]))
    page = response.content.decode()
    csv_header = export(client_for(researcher), rich, "csv").decode("utf-8-sig").splitlines()[0].split(",")

    assert response.status_code == 200
    for name in csv_header:
        assert f'id="var-{name}"' in page
    assert "По пощата" in page
    assert "Shown when voted = yes." in page


def test_the_codebook_pdf_is_a_pdf(client_for, researcher, rich):
    response = client_for(researcher).get(reverse("surveys:results_codebook_pdf", args=[rich.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["xls", "sql", "..", "CSV", "csv.exe"])
def test_an_unknown_format_is_not_found(client_for, researcher, rich, fmt):
    response = client_for(researcher).get(f"/surveys/design/{rich.public_id}/data/{fmt}/")
    assert response.status_code == 404


def test_an_unknown_or_malformed_survey_is_not_found(client_for, researcher, db):
    client = client_for(researcher)
    assert client.get("/surveys/design/00000000-0000-0000-0000-000000000000/data/csv/").status_code == 404
    assert client.get("/surveys/design/not-a-uuid/data/csv/").status_code == 404


PAGES = ["results_exports", "results_codebook", "results_codebook_pdf"]


@pytest.mark.parametrize("name", [*PAGES, "csv", "xlsx", "sav", "json"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("researcher", 200), ("admin_user", 200), ("advisor", 403), ("citizen", 403), ("outsider", 403), (None, 302)],
)
def test_only_researchers_and_administrators_get_the_data(request, client_for, rich, name, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    if name in PAGES:
        url = reverse(f"surveys:{name}", args=[rich.public_id])
    else:
        url = reverse("surveys:results_export", args=[rich.public_id, name])
    response = client_for(user).get(url)

    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


def test_every_export_is_audited_with_its_format_and_no_data(client_for, researcher, rich):
    client = client_for(researcher)
    for fmt in ["csv", "xlsx", "sav", "json"]:
        export(client, rich, fmt)
    client.get(reverse("surveys:results_codebook_pdf", args=[rich.public_id]))

    entries = AuditEntry.objects.filter(action="surveys.data.exported").order_by("id")
    assert [entry.data for entry in entries] == [
        {"format": "csv"},
        {"format": "xlsx"},
        {"format": "sav"},
        {"format": "json"},
        {"format": "codebook.pdf"},
    ]
    assert {entry.actor_id for entry in entries} == {researcher.pk}


def _forbidden_strings(survey):
    strings = [str(response.public_id) for response in Response.objects.filter(survey=survey)]
    strings += [str(response.public_id).replace("-", "") for response in Response.objects.filter(survey=survey)]
    return strings


@pytest.mark.parametrize("anonymity", ["confidential", "identified"])
def test_exports_hold_no_token_code_or_identity_of_the_respondent(client_for, researcher, kresna, make_user, anonymity):
    person = make_user("maria.petrova@example.org", display_name="Мария Петрова")
    survey = build_rich_survey(researcher, anonymity=anonymity)
    invitation, token = services.invitation_create(actor=researcher, survey=survey, email=person.email, person=person)
    response = services.response_start(actor=person, survey=survey, channel="invitation", token=token)
    services.response_save_answers(actor=person, response=response, answers={"voted": "no", "age": 33})
    services.response_submit(actor=person, response=response, token=token)
    assert Response.objects.get(pk=response.pk).status == Response.Status.COMPLETE

    client = client_for(researcher)
    forbidden = [token, invitation.short_code, invitation.token_hash, person.email, "Мария", "Петрова"]
    forbidden += _forbidden_strings(survey)
    for fmt in ["csv", "json", "xlsx", "sav"]:
        content = export(client, survey, fmt)
        text = content.decode("utf-8", errors="ignore") if fmt in ("csv", "json") else content.decode("latin-1")
        for secret in forbidden:
            assert secret not in text, (fmt, secret)
            assert secret.encode() not in content, (fmt, secret)
    data = json.loads(export(client, survey, "json"))
    assert not {"respondent", "invitation", "interviewer", "token", "ip", "id"} & set(data["responses"][0])


def test_an_entered_paper_questionnaire_is_exported_once_with_its_channel_but_not_the_interviewer(
    client_for, researcher, advisor, kresna
):
    survey = build_rich_survey(researcher)
    for entry_round in (1, 2):
        response = services.response_start(
            actor=advisor, survey=survey, channel="paper", paper_ref="K-0042", entry_round=entry_round
        )
        services.response_save_answers(actor=advisor, response=response, answers={"voted": "no"})
        services.response_submit(actor=advisor, response=response)
    content = export(client_for(researcher), survey, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))

    # The second keying only checks the first (see the double-entry report); it is not data.
    assert [(row["resp_channel"], row["resp_entry_round"]) for row in rows] == [("paper", "1")]
    assert "K-0042" not in content and advisor.email not in content


def test_a_demo_survey_is_flagged_in_every_row(client_for, researcher, rich):
    Survey.objects.filter(pk=rich.pk).update(is_demo=True)
    content = export(client_for(researcher), rich, "csv").decode("utf-8-sig")

    assert {row["resp_is_demo"] for row in csv.DictReader(io.StringIO(content))} == {"1"}


def test_the_data_table_reads_responses_in_chunks_and_numbers_them_in_order(rich):
    structure = survey_structure(rich)
    small_chunks = list(response_records(structure, chunk_size=2))
    _columns, rows = response_table(rich)

    assert [record.number for record in small_chunks] == [1, 2, 3]
    assert [record.values for record in small_chunks] == list(rows)


def test_exporting_takes_the_same_number_of_queries_for_few_and_more_responses(client_for, researcher, rich):
    client = client_for(researcher)
    url = reverse("surveys:results_export", args=[rich.public_id, "csv"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(url).streaming_content)
        return len(queries)

    few = count()
    for _index in range(5):
        submit(rich, {"voted": "yes", "how": "1", "topics": ["water"], "services": {"water": "2"}})
    assert count() == few


def test_the_exports_page_shows_the_formats_in_bounded_queries(
    client_for, researcher, rich, django_assert_max_num_queries
):
    client = client_for(researcher)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("surveys:results_exports", args=[rich.public_id]))
    page = response.content.decode()

    assert response.status_code == 200
    for fmt in ["csv", "xlsx", "sav", "json"]:
        assert reverse("surveys:results_export", args=[rich.public_id, fmt]) in page
    assert reverse("surveys:results_codebook_pdf", args=[rich.public_id]) in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav", "json"])
def test_a_survey_without_responses_exports_its_variables_and_no_rows(client_for, researcher, kresna, tmp_path, fmt):
    survey = build_rich_survey(researcher)
    content = export(client_for(researcher), survey, fmt)

    if fmt == "csv":
        assert content.decode("utf-8-sig").splitlines()[1:] == []
    elif fmt == "json":
        assert json.loads(content)["responses"] == []
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(content)).worksheets[0].max_row == 1
    else:
        frame, meta = read_sav(content, tmp_path)
        assert len(frame) == 0 and "topics_roads" in meta.column_names


def test_a_question_nobody_answered_is_still_a_variable_in_the_spss_file(client_for, researcher, kresna, tmp_path):
    survey = build_rich_survey(researcher)
    submit(survey, {"voted": "no"})
    frame, meta = read_sav(export(client_for(researcher), survey, "sav"), tmp_path)

    assert len(frame) == 1
    assert meta.column_names_to_labels["moved"] == "Кога се преместихте тук?"
    assert frame.iloc[0]["topics_roads"] != frame.iloc[0]["topics_roads"], "system-missing (NaN) when not answered"


def test_the_codebook_says_when_a_section_hides_its_questions(client_for, researcher, kresna):
    survey = services.survey_create(actor=researcher, title="Раздели")
    services.question_add(actor=researcher, section=survey.sections.get(), variable="voted", text="?", type="yes_no")
    later = services.section_add(
        actor=researcher, survey=survey, title="Защо не", logic_json={"op": "equals", "var": "voted", "value": "no"}
    )
    services.question_add(
        actor=researcher,
        section=later,
        variable="why",
        text="Защо?",
        type="multiple",
        choices=[("1", "Нямах време"), ("2", "Друго")],
        logic={"op": "answered", "var": "voted"},
    )
    page = client_for(researcher).get(reverse("surveys:results_codebook", args=[survey.public_id])).content.decode()

    assert "Shown when voted = no and voted is answered." in page
