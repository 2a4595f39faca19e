"""Data exports of a survey: CSV, XLSX, SPSS (.sav), JSON and the codebook.

Every format reads the same flat table (``selectors.response_records``, streamed in chunks) and
the same list of variables (``export_variables``): first the response's metadata, then one
variable per export column of the questionnaire.

What an export never holds, whatever the survey's anonymity: tokens or short codes, IP
addresses, account ids, the respondent, the invitation, the interviewer, the paper
questionnaire number or the database ids. A response is known only by its number in the export
(1, 2, … in the order responses were started). Even in identified mode the export does not
name the respondent: whoever needs the link between person and answers has it in the
application, behind its own permission, not in files that travel by e-mail.

Missing values: an unanswered question is empty (CSV, XLSX), ``null`` (JSON) or system-missing
(SPSS). In SPSS, coded numeric variables also carry the user-missing value ``-1`` ("not asked")
when display logic hid the question from that respondent.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a
carriage return) are written with a leading apostrophe in CSV and XLSX; numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import tempfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.models import Settlement
from glas.surveys.models import OTHER_CODE, CodeFrame, Question, Survey
from glas.surveys.selectors import CODED, ResponseRecord, Structure, export_columns, response_records

FORMATS = ("csv", "xlsx", "sav", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "json": "application/json",
}
# Rough bytes per cell, measured with bench/survey_export.py (for the sizes shown before download).
BYTES_PER_CELL = {"csv": 6, "xlsx": 3, "sav": 10, "json": 20}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOT_ASKED = -1  # SPSS user-missing code of coded variables hidden by display logic
SPSS_LABEL_BYTES = 255  # SPSS variable labels: at most 256 bytes
SPSS_VALUE_LABEL_BYTES = 120  # SPSS value labels: at most 120 bytes
SPSS_NAME_BYTES = 64

ORDINAL_TYPES = frozenset({"likert", "matrix", "scale_0_10"})
SCALE_TYPES = frozenset({"numeric"})


@dataclass(frozen=True)
class Variable:
    """One column of the exported data, described for the codebook and for SPSS."""

    name: str
    label: str  # short label (SPSS variable label)
    wording: str  # the question as asked ("" for metadata)
    type: str  # the question's type, or "meta"
    type_label: str
    kind: str  # "numeric", "string", "date" or "datetime": how SPSS stores it
    measure: str  # "nominal", "ordinal" or "scale"
    value_labels: dict[Any, str] = field(default_factory=dict)
    logic: str = ""  # when the question is shown, in words
    question_variable: str = ""  # the question this column belongs to ("" for metadata)
    decimals: int = 0

    @property
    def measure_label(self) -> str:
        return {"nominal": _("nominal"), "ordinal": _("ordinal"), "scale": _("scale")}.get(self.measure, self.measure)


def truncate_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8 at a character boundary, with "…"."""
    text = " ".join(text.split())
    if len(text.encode()) <= limit:
        return text
    cut = text.encode()[: limit - len("…".encode())].decode(errors="ignore")
    return cut.rstrip() + "…"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _numeric_codes(codes: list[str]) -> bool:
    return bool(codes) and all(code.isdigit() and len(code) <= 9 for code in codes)


def _code_labels(question: Question, settlements: dict[str, str]) -> dict[str, str]:
    if question.type == Question.Type.SETTLEMENT:
        return settlements
    labels = {choice.code: choice.label for choice in question.choices.all()}
    if question.allow_other:
        labels.setdefault(OTHER_CODE, _("Other"))
    return labels


def _measure(question: Question) -> str:
    if question.type in SCALE_TYPES:
        return "scale"
    if question.type in ORDINAL_TYPES:
        return "ordinal"
    return "nominal"


def logic_in_words(condition: Any) -> str:
    """A display-logic condition as a sentence fragment ("voted = yes and age ≥ 18")."""
    if not condition:
        return ""
    if "and" in condition or "or" in condition:
        joiner = _(" and ") if "and" in condition else _(" or ")
        parts = [logic_in_words(part) for part in condition.get("and") or condition.get("or") or []]
        return "(" + joiner.join(parts) + ")" if len(parts) > 1 else "".join(parts)
    var, op = condition.get("var", ""), condition.get("op")
    if op == "equals":
        return f"{var} = {condition.get('value')}"
    if op == "in":
        values = ", ".join(map(str, condition.get("values", [])))
        return _("%(var)s is one of %(values)s") % {"var": var, "values": values}
    if op == "answered":
        return _("%(var)s is answered") % {"var": var}
    if op == "range":
        bounds = []
        if condition.get("min") is not None:
            bounds.append(f"{var} {'>' if condition.get('min_exclusive') else '≥'} {condition['min']}")
        if condition.get("max") is not None:
            bounds.append(f"{var} {'<' if condition.get('max_exclusive') else '≤'} {condition['max']}")
        return _(" and ").join(bounds)
    return ""


def _meta_variables(taken: set[str]) -> list[Variable]:
    def name(base: str) -> str:
        while base in taken:
            base += "_"
        return base

    meta = "meta"
    return [
        Variable(name("resp_no"), _("Response number"), "", meta, _("metadata"), "numeric", "nominal"),
        Variable(
            name("resp_channel"),
            _("Channel"),
            "",
            meta,
            _("metadata"),
            "string",
            "nominal",
            {
                "web": _("public link"),
                "invitation": _("invitation"),
                "assisted": _("assisted at the bureau"),
                "paper": _("paper questionnaire"),
                "phone": _("phone interview"),
            },
        ),
        Variable(
            name("resp_status"),
            _("Status"),
            "",
            meta,
            _("metadata"),
            "string",
            "nominal",
            {"complete": _("complete"), "in_progress": _("in progress")},
        ),
        Variable(name("resp_submitted"), _("Submitted at (local time)"), "", meta, _("metadata"), "datetime", "scale"),
        Variable(
            name("resp_entry_round"),
            _("Entry round (paper double entry)"),
            "",
            meta,
            _("metadata"),
            "numeric",
            "nominal",
        ),
        Variable(
            name("resp_is_demo"),
            _("Synthetic demo data"),
            "",
            meta,
            _("metadata"),
            "numeric",
            "nominal",
            {0: _("no"), 1: _("yes: synthetic demo data")},
        ),
    ]


def export_variables(structure: Structure) -> list[Variable]:
    """The metadata variables, then one per export column (``selectors.export_columns``)."""
    settlements: dict[str, str] = {}
    if any(question.type == Question.Type.SETTLEMENT for question in structure.questions):
        settlements = dict(
            Settlement.objects.filter(slug__in=structure.settlements).values_list("slug", "name").order_by("name")
        )
    section_logic = {section.pk: logic_in_words(section.logic) for section in structure.sections}
    columns = export_columns(structure)
    variables = _meta_variables({name for name, _question, _part in columns})
    for name, question, part in columns:
        conditions = [section_logic.get(question.section_id, ""), logic_in_words(question.logic)]
        shown_when = _(" and ").join(condition for condition in conditions if condition)
        if part.startswith(CODED):
            variables.append(_coded_variable(name, question, part, structure.frames[question.pk], shown_when))
        else:
            variables.append(_question_variable(name, question, part, settlements, shown_when))
    return variables


def _coded_variable(name: str, question: Question, part: str, frame: CodeFrame, shown_when: str) -> Variable:
    """A column of coded open answers: the code (single-code frame) or 0/1 for one code."""
    if frame.source == CodeFrame.Source.OTHER:
        label = _("%(question)s: other, specified (coded)") % {"question": question.text}
    else:
        label = _("%(question)s (coded)") % {"question": question.text}
    common: dict[str, Any] = {
        "wording": question.text,
        "type": "coded",
        "type_label": _("coded open answer"),
        "kind": "numeric",
        "measure": "nominal",
        "logic": shown_when,
        "question_variable": question.variable,
    }
    if part == f"{CODED}code":
        labels: dict[Any, str] = {code.value: code.label for code in frame.codes.all()}
        return Variable(name, label, value_labels=labels, **common)
    value = int(part[len(CODED) + 1 :])
    code_label = next((code.label for code in frame.codes.all() if code.value == value), str(value))
    return Variable(
        name,
        f"{label}: {code_label}",
        value_labels={0: _("code not given"), 1: _("code given")},
        **common,
    )


def _question_variable(
    name: str, question: Question, part: str, settlements: dict[str, str], shown_when: str
) -> Variable:
    wording = question.text
    type_label = str(question.get_type_display())
    common: dict[str, Any] = {
        "wording": wording,
        "type": question.type,
        "type_label": type_label,
        "logic": shown_when,
        "question_variable": question.variable,
    }
    if part == OTHER_CODE and question.allow_other:
        label = _("%(question)s: other, specified") % {"question": wording}
        return Variable(name, label, kind="string", measure="nominal", **common)
    labels = _code_labels(question, settlements)
    coded: dict[Any, str] = dict(labels)
    numeric = _numeric_codes(list(labels))
    kind = "numeric" if numeric else "string"
    if numeric:
        coded = {int(code): text for code, text in labels.items()}
    label = wording
    if question.type == Question.Type.MULTIPLE:
        choice = labels.get(part, part)
        label = f"{wording}: {choice}"
        return Variable(
            name,
            label,
            kind="numeric",
            measure="nominal",
            value_labels={0: _("not chosen"), 1: _("chosen")},
            **common,
        )
    if question.type == Question.Type.MATRIX:
        row = next((row.label for row in question.rows.all() if row.code == part), part)
        label = f"{wording}: {row}"
    elif question.type == Question.Type.RANKING:
        label = _("%(question)s: rank %(rank)s") % {"question": wording, "rank": part}
    elif question.type in Question.NUMBER_TYPES:
        return Variable(
            name,
            label,
            kind="numeric",
            measure=_measure(question),
            decimals=question.decimal_places,
            **common,
        )
    elif question.type == Question.Type.DATE:
        return Variable(name, label, kind="date", measure="scale", **common)
    elif question.type in Question.TEXT_TYPES:
        return Variable(name, label, kind="string", measure="nominal", **common)
    return Variable(name, label, kind=kind, measure=_measure(question), value_labels=coded, **common)


# --- Values ---------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON and spreadsheets take it: Decimal → int or float, dates as dates."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def record_values(record: ResponseRecord, survey: Survey) -> list[Any]:
    """The metadata then the answers of one response, as plain Python values."""
    meta = [
        record.number,
        record.channel,
        record.status,
        _local(record.submitted_at),
        record.entry_round,
        1 if survey.is_demo else 0,
    ]
    return meta + [plain(value) for value in record.values]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(survey: Survey, structure: Structure) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark (so spreadsheets read Cyrillic right), one line per
    response after the header of variable names."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([variable.name for variable in export_variables(structure)])
    for record in response_records(structure):
        yield writer.writerow([neutralise(_text(value)) for value in record_values(record, survey)])


# --- XLSX -----------------------------------------------------------------------------------


def write_xlsx(survey: Survey, structure: Structure, target: IO[bytes]) -> None:
    """An XLSX workbook written row by row (openpyxl's write-only mode): the data sheet, then a
    sheet of variable labels."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Any) -> Any:
        if isinstance(value, str):
            return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        return value

    variables = export_variables(structure)
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(title=_("Data")[:31])
    data.append([variable.name for variable in variables])
    for record in response_records(structure):
        data.append([cell(value) for value in record_values(record, survey)])
    labels = workbook.create_sheet(title=_("Variables")[:31])
    labels.append([_("Variable"), _("Label"), _("Type"), _("Codes")])
    for variable in variables:
        codes = "; ".join(f"{code} = {text}" for code, text in variable.value_labels.items())
        labels.append([cell(variable.name), cell(variable.label), cell(variable.type_label), cell(codes)])
    workbook.save(target)


# --- SPSS -----------------------------------------------------------------------------------


def _spss_names(variables: list[Variable]) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()
    for variable in variables:
        name = variable.name.encode()[:SPSS_NAME_BYTES].decode(errors="ignore")
        counter = 1
        while name.lower() in taken:
            suffix = f"_{counter}"
            name = variable.name[: SPSS_NAME_BYTES - len(suffix)] + suffix
            counter += 1
        taken.add(name.lower())
        names.append(name)
    return names


def _sav_value(value: Any, variable: Variable, hidden: bool) -> Any:
    if variable.kind == "numeric":
        if value is None or value == "":
            return float(NOT_ASKED) if hidden and variable.value_labels else math.nan
        try:
            return float(value)
        except (TypeError, ValueError):
            return math.nan
    if variable.kind in ("date", "datetime"):
        return value
    return "" if value is None else str(value)


def write_sav(survey: Survey, structure: Structure, path: Path) -> None:
    """An SPSS system file with variable labels (the question's wording, shortened to fit),
    value labels (choice and scale codes), measure levels and formats. Coded numeric
    variables mark questions hidden by display logic with the user-missing value -1."""
    import numpy as np
    import pandas as pd
    import pyreadstat

    variables = export_variables(structure)
    names = _spss_names(variables)
    # Numbers go into compact arrays of doubles (8 bytes a value), text into lists.
    columns: list[Any] = [array("d") if variable.kind == "numeric" else [] for variable in variables]
    question_of = [variable.question_variable for variable in variables]
    for record in response_records(structure, with_hidden=True):
        values = record_values(record, survey)
        for index, variable in enumerate(variables):
            hidden = bool(question_of[index]) and question_of[index] in record.hidden
            columns[index].append(_sav_value(values[index], variable, hidden))
    frame = pd.DataFrame(
        {
            name: pd.Series(
                np.frombuffer(column, dtype="float64") if variable.kind == "numeric" else column,
                dtype=None if variable.kind == "numeric" else object,
            )
            for name, variable, column in zip(names, variables, columns, strict=True)
        }
    )
    del columns
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[Any]] = {}
    formats: dict[str, str] = {}
    for name, variable in zip(names, variables, strict=True):
        if variable.value_labels:
            labels = {
                (float(code) if variable.kind == "numeric" else code): truncate_bytes(text, SPSS_VALUE_LABEL_BYTES)
                for code, text in variable.value_labels.items()
            }
            if variable.kind == "numeric" and variable.question_variable:
                labels[float(NOT_ASKED)] = truncate_bytes(_("not asked (display logic)"), SPSS_VALUE_LABEL_BYTES)
                missing[name] = [NOT_ASKED]
            value_labels[name] = labels
        if variable.kind == "numeric":
            formats[name] = f"F{12 if variable.decimals else 8}.{variable.decimals}"
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=truncate_bytes(survey.title, 64),
        column_labels=[truncate_bytes(variable.label, SPSS_LABEL_BYTES) for variable in variables],
        variable_value_labels=value_labels,
        missing_ranges=missing,
        variable_measure={name: variable.measure for name, variable in zip(names, variables, strict=True)},
        variable_format=formats,
    )


# --- JSON -----------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain(value)
    raise TypeError(type(value).__name__)


def json_chunks(survey: Survey, structure: Structure) -> Iterator[str]:
    """``{"survey": …, "variables": […], "responses": [{variable: value, …}, …]}``, streamed."""
    variables = export_variables(structure)
    head = {
        "survey": {
            "public_id": str(survey.public_id),
            "title": survey.title,
            "wave": survey.wave,
            "anonymity": survey.anonymity,
            "is_demo": survey.is_demo,
            "exported_at": timezone.now().isoformat(),
        },
        "variables": [
            {
                "name": variable.name,
                "label": variable.label,
                "question": variable.question_variable or None,
                "type": variable.type,
                "measure": variable.measure,
                "value_labels": {str(code): text for code, text in variable.value_labels.items()},
            }
            for variable in variables
        ],
    }
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + ', "responses": ['
    names = [variable.name for variable in variables]
    separator = ""
    for record in response_records(structure):
        row = dict(zip(names, record_values(record, survey), strict=True))
        yield separator + json.dumps(row, ensure_ascii=False, default=_json_default)
        separator = ","
    yield "]}"


# --- Files ----------------------------------------------------------------------------------


def export_file(survey: Survey, structure: Structure, fmt: str) -> IO[bytes]:
    """An open temporary file holding the XLSX or SAV export, positioned at its start; it
    disappears when closed."""
    if fmt == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        write_xlsx(survey, structure, handle)
        handle.seek(0)
        return handle
    if fmt == "sav":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.sav"
            write_sav(survey, structure, path)
            # Open before the folder goes: on POSIX the file lives on until the handle closes.
            return path.open("rb")
    raise ValueError(fmt)


def estimated_sizes(responses: int, variables: int) -> dict[str, int]:
    """About how many bytes each format takes, to show before downloading."""
    cells = responses * variables
    return {fmt: 2048 + cells * size for fmt, size in BYTES_PER_CELL.items()}


def file_name(survey: Survey, fmt: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"survey-{str(survey.public_id)[:8]}-w{survey.wave}-{stamp}.{fmt}"
