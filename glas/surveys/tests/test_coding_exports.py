"""Coded open answers are variables like any other: in CSV, XLSX, SPSS, JSON and the codebook,
with the code frame's labels, read in a fixed number of queries per chunk of responses."""

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

from glas.surveys import services
from glas.surveys.tests.coding_data import answers_of, build_open_survey, frame_with_codes
from glas.surveys.tests.results_data import submit


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def coded(researcher, admin_user, kresna):
    """Answers 1–3 coded 1 (information), 4–5 coded 3, the sixth not coded; the second coder's
    different codes are not final; the "other" texts in a multi-code frame."""
    survey = build_open_survey(researcher)
    frame = frame_with_codes(researcher, survey)
    code = {c.value: c for c in frame.codes.all()}
    answers = [answer.pk for answer in answers_of(survey)]
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=answers[:3], code=code[1])
    services.answers_code_bulk(actor=researcher, frame=frame, answer_ids=answers[3:5], code=code[3])
    services.answers_code_bulk(actor=admin_user, frame=frame, answer_ids=answers[:2], code=code[2])
    other = frame_with_codes(researcher, survey, multiple=True, variable="source")
    other_code = {c.value: c for c in other.codes.all()}
    others = [answer.pk for answer in answers_of(survey, "source") if answer.other_text]
    services.answers_code_bulk(actor=researcher, frame=other, answer_ids=others, code=other_code[2])
    return survey


def export(client, survey, fmt):
    response = client.get(reverse("surveys:results_export", args=[survey.public_id, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_has_the_coded_variable_after_the_question(client_for, researcher, coded):
    content = export(client_for(researcher), coded, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    header = content.splitlines()[0].split(",")

    assert header[header.index("idea") + 1] == "idea_code"
    assert header[header.index("source_other") + 1 :] == ["source_c1", "source_c2", "source_c3"]
    assert [row["idea_code"] for row in rows] == ["1", "1", "1", "3", "3", ""]
    assert [row["source_c2"] for row in rows] == ["", "1", "", "1", "", "1"]


def test_the_spss_file_labels_the_coded_variable_with_the_code_frame(client_for, researcher, coded, tmp_path):
    path = tmp_path / "coded.sav"
    path.write_bytes(export(client_for(researcher), coded, "sav"))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)

    assert list(frame["idea_code"][:5]) == [1.0, 1.0, 1.0, 3.0, 3.0]
    assert frame["idea_code"][5] != frame["idea_code"][5], "not coded: system-missing"
    assert meta.column_names_to_labels["idea_code"] == "Какво да се промени? (coded)"
    assert meta.variable_value_labels["idea_code"] == {
        1.0: "Информация",
        2.0: "Срещи",
        3.0: "Инфраструктура",
        -1.0: "not asked (display logic)",
    }
    assert meta.readstat_variable_types["idea_code"] == "double"
    assert meta.variable_measure["idea_code"] == "nominal"
    assert meta.column_names_to_labels["source_c2"] == "Откъде научавате новините?: other, specified (coded): Срещи"
    assert meta.variable_value_labels["source_c2"][1.0] == "code given"


def test_xlsx_and_json_carry_the_codes_and_their_labels(client_for, researcher, coded):
    client = client_for(researcher)
    sheets = load_workbook(io.BytesIO(export(client, coded, "xlsx"))).worksheets
    header = [cell.value for cell in sheets[0][1]]
    assert sheets[0].cell(row=2, column=header.index("idea_code") + 1).value == 1
    labels = {row[0].value: row[3].value for row in sheets[1].iter_rows(min_row=2)}
    assert labels["idea_code"] == "1 = Информация; 2 = Срещи; 3 = Инфраструктура"

    data = json.loads(export(client, coded, "json"))
    variable = next(v for v in data["variables"] if v["name"] == "idea_code")
    assert variable["value_labels"] == {"1": "Информация", "2": "Срещи", "3": "Инфраструктура"}
    assert variable["question"] == "idea" and variable["type"] == "coded"
    assert [row["idea_code"] for row in data["responses"]] == [1, 1, 1, 3, 3, None]


def test_the_codebook_lists_the_coded_variable_with_its_codes(client_for, researcher, coded):
    page = client_for(researcher).get(reverse("surveys:results_codebook", args=[coded.public_id])).content.decode()
    assert 'id="var-idea_code"' in page and "coded open answer" in page
    assert "<code>3</code> = Инфраструктура" in page


def test_exporting_coded_data_takes_the_same_number_of_queries_for_more_responses(client_for, researcher, coded):
    client = client_for(researcher)
    url = reverse("surveys:results_export", args=[coded.public_id, "csv"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(url).streaming_content)
        return len(queries)

    few = count()
    for index in range(5):
        submit(coded, {"idea": f"Ново {index}", "source": "other"}, {"source": "Друго"})
    assert count() == few
