"""Questionnaires as XLSForm (.xlsx with survey, choices and settings sheets), for exchange
with KoboToolbox and ODK.

Supported on import: types ``select_one``/``select_multiple`` (with ``or_other``), ``rank``,
``integer``, ``decimal``, ``text``, ``date``, ``note``, ``begin_group``/``end_group`` (one level:
each group is a section); ``required``; ``relevant`` built from ``${var} = 'x'``, ``${var} != ''``,
``selected(${var}, 'x')``, ``>``, ``>=``, ``<``, ``<=``, ``and``, ``or`` and parentheses;
``constraint`` of the forms ``. >= n``, ``. <= n``, ``count-selected(.) <= n``,
``string-length(.) <= n`` joined by ``and``; ``appearance`` ``minimal`` (dropdown), ``likert``
and ``multiline``; ``parameters`` ``randomize=true``. Glas's own columns (``glas_type``,
``glas_rows``, ``glas_decimals``, ``glas_labels``) carry what XLSForm cannot say, so an export
imports back to the same questionnaire; other tools ignore them.

Cells are read as text only: formulas are refused, never evaluated. Anything else is reported
line by line and nothing is imported.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError
from glas.surveys import logic as logic_module
from glas.surveys.models import OTHER_CODE, Question, Survey
from glas.surveys.selectors import settlement_slugs, survey_structure

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_SURVEY_ROWS = 1000
MAX_CHOICE_ROWS = 10000
MAX_COLUMNS = 40
MAX_CELL = 5000
SURVEY_COLUMNS = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "appearance",
    "parameters",
    "glas_type",
    "glas_rows",
    "glas_decimals",
    "glas_labels",
]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        return _("Sheet “%(sheet)s”, row %(row)d: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


class XLSFormInvalid(DomainError):
    """The file could not be imported; ``problems`` lists every reason, by sheet and row."""

    def __init__(self, problems: list[Problem]):
        super().__init__(
            _("The questionnaire was not imported: %(count)d problem(s).") % {"count": len(problems)},
            field="file",
            code="xlsform",
        )
        self.problems = sorted(problems, key=lambda problem: (problem.sheet, problem.row))


# --- Export ---------------------------------------------------------------------------------


def _quote(value: Any) -> str:
    return "'" + str(value).replace("'", "") + "'"


def relevant_from_logic(logic: Any, types: dict[str, str], *, nested: bool = False) -> str:
    """The XLSForm ``relevant`` expression of a (valid) logic expression."""
    if logic is None:
        return ""
    for combinator in ("and", "or"):
        if combinator in logic:
            parts = [relevant_from_logic(item, types, nested=True) for item in logic[combinator]]
            text = f" {combinator} ".join(parts)
            return f"({text})" if nested and len(parts) > 1 else text
    var, op = logic["var"], logic["op"]
    ref = "${" + var + "}"
    numeric = types.get(var) in ("numeric", "scale_0_10")

    def literal(value: Any) -> str:
        return str(value) if numeric else _quote(value)

    def equals(value: Any) -> str:
        if types.get(var) in ("multiple", "ranking"):
            return f"selected({ref}, {_quote(value)})"
        return f"{ref} = {literal(value)}"

    if op == "answered":
        return f"{ref} != ''"
    if op == "equals":
        return equals(logic["value"])
    if op == "in":
        parts = [equals(value) for value in logic["values"]]
        return f"({' or '.join(parts)})" if len(parts) > 1 else parts[0]
    bounds = []
    if logic.get("min") is not None:
        bounds.append(f"{ref} {'>' if logic.get('min_exclusive') else '>='} {literal(logic['min'])}")
    if logic.get("max") is not None:
        bounds.append(f"{ref} {'<' if logic.get('max_exclusive') else '<='} {literal(logic['max'])}")
    text = " and ".join(bounds)
    return f"({text})" if len(bounds) > 1 else text


def _number_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _question_row(question: Question, types: dict[str, str]) -> dict[str, str]:
    kind = question.type
    row = {
        "name": question.variable,
        "label": question.text,
        "hint": question.help_text,
        "required": "yes" if question.required else "",
        "relevant": relevant_from_logic(question.logic, types),
        "parameters": "randomize=true" if question.randomise else "",
        "glas_type": kind,
    }
    other = " or_other" if question.allow_other else ""
    constraints = []
    if kind in ("single", "dropdown", "yes_no", "likert", "settlement", "matrix"):
        row["type"] = f"select_one {question.variable}{other}"
    elif kind == "multiple":
        row["type"] = f"select_multiple {question.variable}{other}"
        if question.min_choices:
            constraints.append(f"count-selected(.) >= {question.min_choices}")
        if question.max_choices:
            constraints.append(f"count-selected(.) <= {question.max_choices}")
    elif kind == "ranking":
        row["type"] = f"rank {question.variable}"
    elif kind in ("numeric", "scale_0_10"):
        row["type"] = "decimal" if question.decimal_places else "integer"
        low, high = (Decimal(0), Decimal(10)) if kind == "scale_0_10" else (question.min_value, question.max_value)
        if low is not None:
            constraints.append(f". >= {_number_text(low)}")
        if high is not None:
            constraints.append(f". <= {_number_text(high)}")
        if question.decimal_places:
            row["glas_decimals"] = str(question.decimal_places)
    elif kind in ("short_text", "long_text"):
        row["type"] = "text"
        if question.max_length:
            constraints.append(f"string-length(.) <= {question.max_length}")
    else:
        row["type"] = kind  # date, note
    row["constraint"] = " and ".join(constraints)
    row["appearance"] = {"dropdown": "minimal", "likert": "likert", "long_text": "multiline"}.get(kind, "")
    if kind == "matrix":
        row["glas_rows"] = f"{question.variable}__rows"
    if question.low_label or question.high_label:
        row["glas_labels"] = f"{question.low_label}|{question.high_label}"
    return row


def export_xlsform(survey: Survey) -> bytes:
    """The questionnaire as an XLSForm workbook. Text cells that look like formulas are written
    as text (openpyxl stores strings, never formulas, when ``data_type`` is set to ``s``)."""
    from openpyxl import Workbook

    structure = survey_structure(survey)
    types = {question.variable: question.type for question in structure.questions}
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet("survey")
    choices = workbook.create_sheet("choices")
    settings = workbook.create_sheet("settings")
    _append(sheet, SURVEY_COLUMNS)
    _append(choices, ["list_name", "name", "label"])
    for section in structure.sections:
        _append(
            sheet,
            [
                "begin_group",
                f"section_{section.position}",
                section.title,
                "",
                "",
                relevant_from_logic(section.logic, types),
            ],
        )
        for question in structure.questions:
            if question.section_id != section.pk:
                continue
            row = _question_row(question, types)
            _append(sheet, [row.get(column, "") for column in SURVEY_COLUMNS])
            if question.type == Question.Type.SETTLEMENT:
                for slug in sorted(structure.settlements or settlement_slugs()):
                    _append(choices, [question.variable, slug, slug])
            for choice in question.choices.all():
                _append(choices, [question.variable, choice.code, choice.label])
            for matrix_row in question.rows.all():
                _append(choices, [f"{question.variable}__rows", matrix_row.code, matrix_row.label])
        _append(sheet, ["end_group"])
    _append(settings, ["form_title", "form_id", "version", "default_language"])
    _append(settings, [survey.title, f"glas_{survey.public_id.hex[:12]}", f"{survey.updated_at:%Y%m%d%H%M}", "bg"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet: Any, values: list[str]) -> None:
    """Append a row of text cells; a value starting with "=" stays text, never a formula."""
    row = getattr(sheet, "_glas_rows", 0) + 1
    sheet._glas_rows = row
    for column, value in enumerate(values, start=1):
        if value in ("", None):
            continue
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        cell.data_type = "s"


# --- Import: reading the workbook safely ----------------------------------------------------


@dataclass
class Sheet:
    name: str
    header: dict[str, int]
    rows: list[tuple[int, list[str]]]

    def get(self, cells: list[str], column: str) -> str:
        index = self.header.get(column)
        return cells[index] if index is not None and index < len(cells) else ""


def _cell_text(cell: Any, sheet: str, row: int, problems: list[Problem]) -> str:
    value = cell.value
    if value is None:
        return ""
    if getattr(cell, "data_type", "") == "f":
        problems.append(Problem(sheet, row, _("a cell holds a formula; only plain text is read.")))
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > MAX_CELL or "\x00" in text:
        problems.append(Problem(sheet, row, _("a cell is too long or holds characters that cannot be stored.")))
        return ""
    return text


def _read_workbook(data: bytes, problems: list[Problem]) -> dict[str, Sheet]:
    if len(data) > MAX_BYTES:
        raise XLSFormInvalid([Problem("-", 0, _("The file is larger than 5 MB."))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES:
                raise XLSFormInvalid([Problem("-", 0, _("The workbook is too large when unpacked."))])
    except zipfile.BadZipFile:
        raise XLSFormInvalid([Problem("-", 0, _("This is not an .xlsx workbook."))]) from None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # any malformed workbook is reported, never a 500
        raise XLSFormInvalid([Problem("-", 0, _("This is not an .xlsx workbook."))]) from None
    sheets: dict[str, Sheet] = {}
    try:
        for worksheet in workbook.worksheets:
            name = str(worksheet.title).strip().lower()
            if name not in ("survey", "choices", "settings") or name in sheets:
                continue
            cap = MAX_SURVEY_ROWS if name != "choices" else MAX_CHOICE_ROWS
            sheets[name] = _read_sheet(worksheet, name, cap, problems)
    finally:
        workbook.close()
    return sheets


def _read_sheet(worksheet: Any, name: str, cap: int, problems: list[Problem]) -> Sheet:
    header: dict[str, int] = {}
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        values = [_cell_text(cell, name, number, problems) for cell in cells]
        if number == 1:
            for index, title in enumerate(values):
                key = title.lower()
                if key.startswith(("label::", "hint::")):
                    key = key.split("::", 1)[0]
                if key and key not in header:
                    header[key] = index
            continue
        if number > cap + 1:
            problems.append(Problem(name, number, _("more than %(cap)d rows; the rest was not read.") % {"cap": cap}))
            break
        if any(values):
            rows.append((number, values))
    return Sheet(name=name, header=header, rows=rows)


# --- Import: relevant and constraint --------------------------------------------------------

TOKEN = re.compile(
    r"\s*(?:(?P<var>\$\{[A-Za-z][A-Za-z0-9_]*\})|(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<op>>=|<=|!=|=|>|<)|(?P<punct>[(),])|(?P<word>[A-Za-z][A-Za-z0-9_-]*))"
)


class _Unsupported(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _Unsupported(text[position : position + 20])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def logic_from_relevant(text: str) -> Any:
    """Parse the supported subset of XLSForm ``relevant`` into Glas logic (None if empty)."""
    if not text.strip():
        return None
    tokens = _tokens(text)
    parser = _Parser(tokens)
    result = parser.expression()
    if parser.position != len(tokens):
        raise _Unsupported(" ".join(value for _kind, value in tokens[parser.position :][:3]))
    return result


def _literal(kind: str, value: str) -> Any:
    if kind == "str":
        return value[1:-1]
    if kind == "num":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() and "." not in value else str(number)
    raise _Unsupported(value)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.position = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("", "")

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if (kind and token[0] != kind) or (value and token[1].lower() != value):
            raise _Unsupported(token[1] or "…")
        self.position += 1
        return token

    def expression(self) -> Any:
        items = [self.conjunction()]
        while self.peek() == ("word", "or"):
            self.take()
            items.append(self.conjunction())
        return _fold("or", items)

    def conjunction(self) -> Any:
        items = [self.atom()]
        while self.peek() == ("word", "and"):
            self.take()
            items.append(self.atom())
        return _fold("and", items)

    def atom(self) -> Any:
        kind, value = self.peek()
        if (kind, value) == ("punct", "("):
            self.take()
            inner = self.expression()
            self.take("punct", ")")
            return inner
        if kind == "word" and value == "selected":
            self.take()
            self.take("punct", "(")
            var = self.take("var")[1][2:-1]
            self.take("punct", ",")
            literal = _literal(*self.take())
            self.take("punct", ")")
            return {"op": "equals", "var": var, "value": str(literal)}
        if kind == "var":
            var = self.take()[1][2:-1]
            op = self.take("op")[1]
            literal = _literal(*self.take())
            if op == "!=" and literal == "":
                return {"op": "answered", "var": var}
            if op == "=":
                return {"op": "equals", "var": var, "value": literal}
            if op in (">", ">="):
                return {"op": "range", "var": var, "min": literal, **({"min_exclusive": True} if op == ">" else {})}
            if op in ("<", "<="):
                return {"op": "range", "var": var, "max": literal, **({"max_exclusive": True} if op == "<" else {})}
        raise _Unsupported(value or "…")


def _fold(combinator: str, items: list[Any]) -> Any:
    """Join conditions; an "or" of equals on one question becomes "in", an "and" of one lower
    and one upper bound on one question becomes one range."""
    if len(items) == 1:
        return items[0]
    variables = {item.get("var") for item in items}
    if len(variables) == 1 and None not in variables:
        if combinator == "or" and all(item.get("op") == "equals" for item in items):
            return {"op": "in", "var": items[0]["var"], "values": [item["value"] for item in items]}
        bounds = [key for item in items for key in ("min", "max") if key in item]
        if (
            combinator == "and"
            and all(item.get("op") == "range" for item in items)
            and sorted(bounds) == ["max", "min"]
        ):
            merged: dict[str, Any] = {}
            for item in items:
                merged.update(item)
            return {"op": "range", **{key: merged[key] for key in merged if key != "op"}}
    return {combinator: items}


CONSTRAINT = re.compile(r"^(\.|count-selected\(\.\)|string-length\(\.\))\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def _constraint(text: str, kind: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if not text.strip():
        return values
    for clause in re.split(r"\s+and\s+", text.strip()):
        match = CONSTRAINT.match(clause.strip())
        if match is None:
            raise _Unsupported(clause)
        subject, op, number_text = match.groups()
        number = Decimal(number_text)
        if op in (">", "<"):
            if kind != "integer" or subject != ".":
                raise _Unsupported(clause)
            number = number + 1 if op == ">" else number - 1
            op += "="
        key = {
            (".", ">="): "min_value",
            (".", "<="): "max_value",
            ("count-selected(.)", ">="): "min_choices",
            ("count-selected(.)", "<="): "max_choices",
            ("string-length(.)", "<="): "max_length",
        }.get((subject, op))
        if key is None:
            raise _Unsupported(clause)
        values[key] = number if key in ("min_value", "max_value") else int(number)
    return values


# --- Import: building the plan --------------------------------------------------------------


@dataclass
class PlannedQuestion:
    row: int
    data: dict[str, Any]
    choices: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PlannedSection:
    row: int
    title: str = ""
    logic: Any = None
    questions: list[PlannedQuestion] = field(default_factory=list)


@dataclass
class Plan:
    title: str
    sections: list[PlannedSection]


SELECT_TYPES = {"select_one": "single", "select_multiple": "multiple", "rank": "ranking"}
SIMPLE_TYPES = {"integer": "numeric", "decimal": "numeric", "text": "short_text", "date": "date", "note": "note"}
TRUE_WORDS = {"yes", "true", "true()", "1"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}


def parse(data: bytes) -> Plan:
    """Read and check an XLSForm; raise ``XLSFormInvalid`` with every problem found."""
    from glas.surveys.services import check_choice_pairs, check_question_fields

    problems: list[Problem] = []
    sheets = _read_workbook(data, problems)
    survey_sheet = sheets.get("survey")
    if survey_sheet is None:
        problems.append(Problem("survey", 0, _("the workbook has no “survey” sheet.")))
        raise XLSFormInvalid(problems)
    for column in ("type", "name"):
        if column not in survey_sheet.header:
            problems.append(Problem("survey", 1, _("the column “%(column)s” is missing.") % {"column": column}))
    if "label" not in survey_sheet.header:
        problems.append(Problem("survey", 1, _("the column “label” is missing.")))
    if problems:
        raise XLSFormInvalid(problems)

    lists: dict[str, list[tuple[int, str, str]]] = {}
    choices_sheet = sheets.get("choices")
    if choices_sheet is not None:
        for number, cells in choices_sheet.rows:
            list_name = choices_sheet.get(cells, "list_name") or choices_sheet.get(cells, "list name")
            code, label = choices_sheet.get(cells, "name"), choices_sheet.get(cells, "label")
            try:
                check_choice_pairs([(code, label or code)], field="choices")
            except DomainError as exc:
                problems.append(Problem("choices", number, exc.message))
                continue
            lists.setdefault(list_name, []).append((number, code, label or code))

    title = ""
    settings_sheet = sheets.get("settings")
    if settings_sheet is not None and settings_sheet.rows:
        title = settings_sheet.get(settings_sheet.rows[0][1], "form_title")

    sections: list[PlannedSection] = []
    current: PlannedSection | None = None
    for number, cells in survey_sheet.rows:
        get = survey_sheet.get
        raw_type = " ".join(get(cells, "type").split())
        words = raw_type.replace("begin group", "begin_group").replace("end group", "end_group").split(" ")
        head = words[0].lower()
        if head == "begin_group":
            if current is not None and current.row >= 0:
                problems.append(Problem("survey", number, _("groups inside groups are not supported.")))
                continue
            current = PlannedSection(row=number, title=get(cells, "label")[:300])
            try:
                current.logic = logic_from_relevant(get(cells, "relevant"))
            except _Unsupported as exc:
                problems.append(_relevant_problem(number, exc))
            sections.append(current)
            continue
        if head == "end_group":
            if current is None or current.row < 0:
                problems.append(Problem("survey", number, _("“end_group” without “begin_group”.")))
            current = None
            continue
        if current is None:
            current = PlannedSection(row=-number)
            sections.append(current)
        planned = _plan_question(number, words, cells, survey_sheet, lists, problems)
        if planned is None:
            continue
        try:
            planned.data = check_question_fields(planned.data)
            planned.choices = check_choice_pairs(planned.choices, field="choices") if planned.choices else []
            planned.rows = check_choice_pairs(planned.rows, field="rows") if planned.rows else []
        except DomainError as exc:
            problems.append(Problem("survey", number, exc.message))
            continue
        current.questions.append(planned)
    if current is not None and current.row >= 0:
        problems.append(Problem("survey", current.row, _("the group is not closed with “end_group”.")))
    _check_plan_logic(sections, problems)
    if not problems and not any(section.questions for section in sections):
        problems.append(Problem("survey", 0, _("the form has no questions.")))
    if problems:
        raise XLSFormInvalid(problems)
    return Plan(title=title[:300] or _("Imported questionnaire"), sections=sections)


def _relevant_problem(number: int, exc: _Unsupported) -> Problem:
    return Problem(
        "survey",
        number,
        _("this “relevant” condition is not supported (near “%(text)s”).") % {"text": str(exc)[:40]},
    )


def _plan_question(
    number: int,
    words: list[str],
    cells: list[str],
    sheet: Sheet,
    lists: dict[str, list[tuple[int, str, str]]],
    problems: list[Problem],
) -> PlannedQuestion | None:
    get = sheet.get
    head = words[0].lower()
    glas_type = get(cells, "glas_type").lower()
    appearance = get(cells, "appearance").lower()
    if head in SELECT_TYPES:
        if len(words) < 2 or len(words) > 3 or (len(words) == 3 and words[2].lower() != "or_other"):
            problems.append(
                Problem("survey", number, _("“%(type)s” is not supported.") % {"type": " ".join(words)[:60]})
            )
            return None
        kind = SELECT_TYPES[head]
        if head == "select_one" and appearance == "minimal":
            kind = "dropdown"
        if head == "select_one" and appearance == "likert":
            kind = "likert"
    elif head in SIMPLE_TYPES and len(words) == 1:
        kind = SIMPLE_TYPES[head]
        if head == "text" and appearance == "multiline":
            kind = "long_text"
    else:
        problems.append(
            Problem("survey", number, _("the type “%(type)s” is not supported.") % {"type": " ".join(words)[:60]})
        )
        return None
    if glas_type:
        if glas_type not in Question.Type.values:
            problems.append(
                Problem("survey", number, _("the glas_type “%(type)s” is unknown.") % {"type": glas_type[:40]})
            )
            return None
        kind = glas_type
    required_text = get(cells, "required").lower()
    if required_text not in TRUE_WORDS | FALSE_WORDS:
        problems.append(Problem("survey", number, _("“required” must be yes or no.")))
        return None
    data: dict[str, Any] = {
        "variable": get(cells, "name"),
        "text": get(cells, "label") or get(cells, "name"),
        "help_text": get(cells, "hint"),
        "type": kind,
        "required": required_text in TRUE_WORDS and kind != "note",
        "allow_other": len(words) == 3,
        "randomise": "randomize=true" in get(cells, "parameters").replace(" ", "").lower(),
    }
    if head == "decimal":
        decimals = get(cells, "glas_decimals")
        data["decimal_places"] = int(decimals) if decimals.isdigit() and int(decimals) <= 4 else 2
    labels = get(cells, "glas_labels")
    if labels:
        low, _sep, high = labels.partition("|")
        data["low_label"], data["high_label"] = low[:100], high[:100]
    try:
        data["logic"] = logic_from_relevant(get(cells, "relevant"))
    except _Unsupported as exc:
        problems.append(_relevant_problem(number, exc))
        return None
    try:
        constraint = _constraint(get(cells, "constraint"), head)
    except (_Unsupported, InvalidOperation):
        problems.append(Problem("survey", number, _("this “constraint” is not supported.")))
        return None
    if kind == "scale_0_10":
        constraint = {}
    data.update(constraint)
    planned = PlannedQuestion(row=number, data=data)
    if head in SELECT_TYPES and kind != "settlement":
        list_name = words[1]
        if list_name not in lists:
            problems.append(
                Problem("survey", number, _("the choice list “%(list)s” is missing.") % {"list": list_name[:60]})
            )
            return None
        planned.choices = [(code, label) for _row, code, label in lists[list_name]]
        if kind == "likert":
            data["scale_points"] = len(planned.choices)
        if kind == "matrix":
            rows_list = get(cells, "glas_rows")
            if rows_list not in lists:
                problems.append(Problem("survey", number, _("the rows of the matrix are missing.")))
                return None
            planned.rows = [(code, label) for _row, code, label in lists[rows_list]]
    return planned


def _check_plan_logic(sections: list[PlannedSection], problems: list[Problem]) -> None:
    slugs = frozenset(settlement_slugs())
    infos: dict[str, logic_module.QuestionInfo] = {}
    seen: dict[str, int] = {}
    for section_index, section in enumerate(sections, start=1):
        for question_index, question in enumerate(section.questions, start=1):
            variable = question.data["variable"]
            if variable in seen:
                problems.append(
                    Problem("survey", question.row, _("the name %(var)s is used twice.") % {"var": variable})
                )
            seen[variable] = question.row
            codes = {code for code, _label in question.choices}
            if question.data.get("allow_other"):
                codes.add(OTHER_CODE)
            infos[variable] = logic_module.QuestionInfo(
                variable=variable,
                order=(section_index, question_index),
                type=question.data["type"],
                codes=slugs if question.data["type"] == "settlement" else frozenset(codes),
            )
    for section_index, section in enumerate(sections, start=1):
        try:
            logic_module.validate(section.logic, questions=infos, before=(section_index, 0))
        except DomainError as exc:
            problems.append(Problem("survey", abs(section.row), exc.message))
        for question in section.questions:
            try:
                logic_module.validate(
                    question.data.get("logic"), questions=infos, before=infos[question.data["variable"]].order
                )
            except DomainError as exc:
                problems.append(Problem("survey", question.row, exc.message))
