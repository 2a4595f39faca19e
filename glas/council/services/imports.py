"""Importing decisions and roll calls from CSV (``decisions_import_csv``).

The format (documented with a sample in ``docs/council_import.md``):

* one line per decision; columns ``number``, ``date``, ``session``, ``title``, ``status``
  (required), ``text`` and ``majority`` (optional) — Bulgarian headings (``номер``, ``дата``,
  ``заседание``, ``заглавие``, ``текст``, ``статус``, ``мнозинство``) are understood;
* then one column per councillor, headed by the councillor's name as registered for the term,
  with ``за`` / ``против`` / ``въздържал се`` / ``отсъства`` (or ``for`` / ``against`` /
  ``abstained`` / ``absent``); an empty cell means the person was not a councillor that day;
* UTF-8, with or without a byte-order mark, or Windows-1251 (what Bulgarian Excel saves);
  ``;`` or ``,`` as the delimiter; at most ``MAX_CSV_BYTES`` and ``MAX_CSV_ROWS`` lines;
* every problem is reported by its line, and nothing is saved while any line is wrong;
* cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``@``, or ``-``
  followed by a letter) are refused, so the registry never re-exports one;
* a decision already in the registry with exactly the same content and votes is skipped, so
  importing the same file twice changes nothing; the same number with other content is an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.csvtext import csv_text
from glas.core.exceptions import DomainError
from glas.core.forms import text_problem
from glas.council.models import Councillor, Decision, Session, Term, Vote
from glas.council.services.common import require
from glas.council.tally import outcome_problem, tally_of

if TYPE_CHECKING:
    from glas.accounts.models import User

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5_000
MAX_REPORTED_ERRORS = 50
MAX_SESSION = 32_000  # session numbers are small integers in the database

HEADINGS = {
    "number": "number",
    "no": "number",
    "№": "number",
    "номер": "number",
    "решение": "number",
    "номер на решението": "number",
    "date": "date",
    "дата": "date",
    "session": "session",
    "заседание": "session",
    "номер на заседанието": "session",
    "title": "title",
    "заглавие": "title",
    "относно": "title",
    "text": "text",
    "текст": "text",
    "status": "status",
    "статус": "status",
    "majority": "majority",
    "мнозинство": "majority",
}
REQUIRED = ("number", "date", "session", "title", "status")
VOTES = {
    "за": Vote.Choice.FOR,
    "for": Vote.Choice.FOR,
    "против": Vote.Choice.AGAINST,
    "against": Vote.Choice.AGAINST,
    "въздържал се": Vote.Choice.ABSTAINED,
    "въздържала се": Vote.Choice.ABSTAINED,
    "въздържал": Vote.Choice.ABSTAINED,
    "въздържала": Vote.Choice.ABSTAINED,
    "abstained": Vote.Choice.ABSTAINED,
    "abstain": Vote.Choice.ABSTAINED,
    "отсъства": Vote.Choice.ABSENT,
    "отсъствал": Vote.Choice.ABSENT,
    "отсъствала": Vote.Choice.ABSENT,
    "absent": Vote.Choice.ABSENT,
}
STATUSES = {
    "прието": Decision.Status.ADOPTED,
    "adopted": Decision.Status.ADOPTED,
    "отхвърлено": Decision.Status.REJECTED,
    "rejected": Decision.Status.REJECTED,
    "оттеглено": Decision.Status.WITHDRAWN,
    "withdrawn": Decision.Status.WITHDRAWN,
    "отменено": Decision.Status.REVOKED,
    "revoked": Decision.Status.REVOKED,
    "оспорено": Decision.Status.CONTESTED,
    "contested": Decision.Status.CONTESTED,
}
MAJORITIES = {
    "": Decision.Majority.SIMPLE,
    "обикновено": Decision.Majority.SIMPLE,
    "simple": Decision.Majority.SIMPLE,
    "абсолютно": Decision.Majority.ABSOLUTE,
    "absolute": Decision.Majority.ABSOLUTE,
    "2/3": Decision.Majority.TWO_THIRDS,
    "две трети": Decision.Majority.TWO_THIRDS,
    "two thirds": Decision.Majority.TWO_THIRDS,
    "two_thirds": Decision.Majority.TWO_THIRDS,
}
NUMBER = re.compile(r"(?:№\s*)?(\d{1,7})")


class ImportRefused(DomainError):
    """The file was refused; ``errors`` lists every problem (by line), for the form."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0], field="file", code="csv")
        self.errors = errors


@dataclass
class ImportRow:
    line: int
    number: int
    date: dt.date
    session: int
    title: str
    text: str
    status: str
    majority: str
    votes: dict[int, str]

    @property
    def status_label(self) -> str:
        return str(Decision.Status(self.status).label)


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    votes: int = 0
    sessions_created: list[int] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)  # the decisions to create, for the preview


def _line_error(line: int, message: str) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": line, "problem": message}


def decode_csv(data: bytes) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise ImportRefused([_("The file is larger than 2 MB; split it into smaller files.")])
    text = csv_text(data)
    if text is None:
        raise ImportRefused(
            [_("The file is not a CSV text file in UTF-8 or Windows-1251. Save it from the spreadsheet as CSV.")]
        )
    return text


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","


def _looks_like_formula(cell: str) -> bool:
    if not cell:
        return False
    if cell[0] in "=+@\t\r":
        return True
    return cell[0] == "-" and len(cell) > 1 and not (cell[1].isspace() or cell[1].isdigit())


def _parse_date(value: str) -> dt.date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y г.", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


class _Parser:
    def __init__(self, term: Term):
        self.term = term
        self.errors: list[str] = []
        self.councillors = list(Councillor.objects.filter(term=term))
        self.by_name = {unicodedata.normalize("NFC", c.name).casefold(): c for c in self.councillors}

    def error(self, line: int, message: str) -> None:
        self.errors.append(_line_error(line, message))

    def header(self, cells: list[str]) -> tuple[dict[str, int], dict[int, Councillor]]:
        columns: dict[str, int] = {}
        voters: dict[int, Councillor] = {}
        for index, raw in enumerate(cells):
            name = " ".join(unicodedata.normalize("NFC", raw).split())
            key = name.casefold()
            if not key:
                continue
            if key in HEADINGS:
                if HEADINGS[key] in columns:
                    self.error(1, _("The column “%(column)s” appears twice.") % {"column": name})
                columns[HEADINGS[key]] = index
            elif key in self.by_name:
                councillor = self.by_name[key]
                if councillor in voters.values():
                    self.error(1, _("The column “%(column)s” appears twice.") % {"column": name})
                voters[index] = councillor
            else:
                self.error(
                    1,
                    _("The column “%(column)s” is neither a known column nor a councillor of the term %(term)s.")
                    % {"column": name, "term": self.term},
                )
        missing = [column for column in REQUIRED if column not in columns]
        if missing:
            self.error(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return columns, voters

    def row(
        self, line: int, cells: list[str], columns: dict[str, int], voters: dict[int, Councillor]
    ) -> ImportRow | None:
        before = len(self.errors)

        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        for value in cells:
            if _looks_like_formula(value.strip()):
                self.error(
                    line,
                    _("A cell starts with “%(char)s”, as a spreadsheet formula does; remove the sign.")
                    % {"char": value.strip()[0]},
                )
                return None
            problem = text_problem(value)
            if problem:
                self.error(line, problem)
                return None
        match = NUMBER.fullmatch(cell("number"))
        number = int(match.group(1)) if match else 0
        if number < 1:
            self.error(
                line, _("The decision number “%(value)s” is not a positive whole number.") % {"value": cell("number")}
            )
        day = _parse_date(cell("date"))
        if day is None:
            self.error(line, _("The date “%(value)s” is not a date such as 25.01.2024.") % {"value": cell("date")})
        elif not self.term.covers(day):
            self.error(
                line, _("The date %(date)s is outside the term %(term)s.") % {"date": cell("date"), "term": self.term}
            )
        value = cell("session")
        session = int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_SESSION else 0
        if not session:
            self.error(
                line, _("The session number “%(value)s” is not a positive whole number.") % {"value": cell("session")}
            )
        title = " ".join(cell("title").split())
        if not title:
            self.error(line, _("The title is empty."))
        elif len(title) > 500:
            self.error(line, _("The title is longer than 500 characters."))
        text = cell("text")
        status = STATUSES.get(cell("status").casefold())
        if status is None:
            self.error(
                line,
                _("The status “%(value)s” is not one of: прието, отхвърлено, оттеглено, отменено, оспорено.")
                % {"value": cell("status")},
            )
        majority = MAJORITIES.get(cell("majority").casefold())
        if majority is None:
            self.error(
                line,
                _("The majority “%(value)s” is not one of: обикновено, абсолютно, 2/3.") % {"value": cell("majority")},
            )
        votes: dict[int, str] = {}
        unvoted: list[str] = []  # in office that day, no vote: fine only when the line has no roll call
        for index, councillor in voters.items():
            value = " ".join(cells[index].split()).casefold() if index < len(cells) else ""
            if not value:
                if day is not None and councillor.is_active_on(day):
                    unvoted.append(councillor.name)
                continue
            choice = VOTES.get(value)
            if choice is None:
                self.error(
                    line,
                    _("The vote “%(value)s” of %(name)s is not one of: за, против, въздържал се, отсъства.")
                    % {"value": cells[index].strip(), "name": councillor.name},
                )
            elif day is not None and not councillor.is_active_on(day):
                self.error(
                    line,
                    _("%(name)s was not a councillor on %(date)s.")
                    % {"name": councillor.name, "date": day.strftime("%d.%m.%Y")},
                )
            else:
                votes[councillor.pk] = choice
        if votes and unvoted:
            self.error(
                line,
                _("No vote for %(names)s, who held office that day; a roll call names every councillor.")
                % {"names": ", ".join(unvoted)},
            )
        if len(self.errors) > before or day is None or status is None or majority is None:
            return None
        problem = outcome_problem(tally_of(votes.values(), seats=self.term.seats, required_majority=majority), status)
        if problem:
            self.error(line, problem)
            return None
        return ImportRow(line, number, day, session, title, text, status, majority, votes)


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error:
        raise ImportRefused(
            [_line_error(reader.line_num, _("The line is not valid CSV (check the quotes)."))]
        ) from None


def _same(decision: Decision, row: ImportRow, votes: dict[int, str]) -> bool:
    return (
        decision.date == row.date
        and decision.session.number == row.session
        and decision.title == row.title
        and decision.text == row.text
        and decision.status == row.status
        and decision.required_majority == row.majority
        and votes == row.votes
    )


def parse_decisions_csv(term: Term, data: bytes) -> ImportReport:
    """Read and check the whole file; raise ``ImportRefused`` listing every problem. Writes nothing."""
    parser = _Parser(term)
    lines = _lines(decode_csv(data))
    first = next(lines, None)
    if first is None:
        raise ImportRefused([_("The file is empty.")])
    columns, voters = parser.header(first[1])
    if parser.errors:
        raise ImportRefused(parser.errors)
    rows: list[ImportRow] = []
    seen: dict[int, int] = {}
    for count, (line, cells) in enumerate(lines, start=1):
        if count > MAX_CSV_ROWS:
            raise ImportRefused([_("The file has more than %(rows)s lines; split it.") % {"rows": MAX_CSV_ROWS}])
        if not any(value.strip() for value in cells):
            continue
        row = parser.row(line, cells, columns, voters)
        if row is None:
            continue
        if row.number in seen:
            parser.error(
                line,
                _("Decision № %(number)s is also on line %(other)s.")
                % {"number": row.number, "other": seen[row.number]},
            )
            continue
        seen[row.number] = line
        rows.append(row)
    if not rows and not parser.errors:
        raise ImportRefused([_("The file has no decisions under its heading line.")])
    report = ImportReport()
    existing = {
        d.number: d for d in Decision.objects.filter(term=term, number__in=list(seen)).select_related("session")
    }
    existing_votes: dict[int, dict[int, str]] = {}
    for decision_id, councillor_id, choice in Vote.objects.filter(decision__in=list(existing.values())).values_list(
        "decision_id", "councillor_id", "choice"
    ):
        existing_votes.setdefault(decision_id, {})[councillor_id] = choice
    for row in rows:
        decision = existing.get(row.number)
        if decision is None:
            report.rows.append(row)
        elif _same(decision, row, existing_votes.get(decision.pk, {})):
            report.unchanged += 1
        else:
            parser.error(
                row.line,
                _("Decision № %(number)s is already in the registry with other content; correct it on its page.")
                % {"number": row.number},
            )
    if parser.errors:
        raise ImportRefused(parser.errors[:MAX_REPORTED_ERRORS])
    sessions = set(Session.objects.filter(term=term).values_list("number", flat=True))
    report.sessions_created = sorted({row.session for row in report.rows} - sessions)
    report.created = len(report.rows)
    report.votes = sum(len(row.votes) for row in report.rows)
    return report


@transaction.atomic
def decisions_import_csv(*, actor: User | None, term: Term, data: bytes) -> ImportReport:
    """Import the decisions of ``data`` into ``term``: all of them, or nothing."""
    require(actor)
    Term.objects.select_for_update().filter(pk=term.pk).first()  # one import of a term at a time
    report = parse_decisions_csv(term, data)
    first_dates: dict[int, dt.date] = {}
    for row in report.rows:
        first_dates[row.session] = min(row.date, first_dates.get(row.session, row.date))
    Session.objects.bulk_create(
        [
            Session(term=term, number=number, date=first_dates[number], status=Session.Status.HELD)
            for number in report.sessions_created
        ]
    )
    sessions = {s.number: s for s in Session.objects.filter(term=term, number__in=list(first_dates))}
    new = [
        Decision(
            term=term,
            number=row.number,
            date=row.date,
            session=sessions[row.session],
            title=row.title,
            text=row.text,
            status=row.status,
            required_majority=row.majority,
        )
        for row in report.rows
    ]
    for decision in new:
        decision.search_text = decision.searchable()
    decisions = Decision.objects.bulk_create(new)
    created = {d.number: d for d in Decision.objects.filter(term=term, number__in=[d.number for d in decisions])}
    Vote.objects.bulk_create(
        [
            Vote(decision=created[row.number], councillor_id=councillor_id, choice=choice)
            for row in report.rows
            for councillor_id, choice in row.votes.items()
        ],
        batch_size=1000,
    )
    audit_log(
        actor=actor,
        action="council.decisions.imported",
        obj=term,
        data={
            "created": report.created,
            "unchanged": report.unchanged,
            "votes": report.votes,
            "sessions_created": report.sessions_created,
        },
    )
    return report
