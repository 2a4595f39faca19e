"""Importing decisions and roll calls from CSV: the documented format in UTF-8 and
Windows-1251, all or nothing, idempotent, and every bad input a clear error that changes
nothing."""

from pathlib import Path

import pytest
from django.conf import settings

from glas.core.models import AuditEntry
from glas.council import services
from glas.council.models import Decision, Session, Vote
from glas.council.services.imports import ImportRefused
from glas.council.tests.conftest import CSV_HEAD

HEAD = CSV_HEAD
GOOD = [
    "201;27.03.2025;5;Приемане на бюджета;Текст на решението;прието;абсолютно;за;за;за;против;отсъства",
    "202;27.03.2025;5;Продажба на имот;;отхвърлено;;против;против;за;въздържал се;за",
    "№ 203;2025-04-24;6;Нова улица;;оттеглено;;;;;;",
]


def csv_bytes(*lines, head=HEAD, encoding="utf-8"):
    return ("\r\n".join([head, *lines]) + "\r\n").encode(encoding)


def run(actor, term, data):
    return services.decisions_import_csv(actor=actor, term=term, data=data)


def refusal(actor, term, data):
    with pytest.raises(ImportRefused) as caught:
        run(actor, term, data)
    assert not Decision.objects.exists()
    assert not Vote.objects.exists()
    assert not Session.objects.exists()
    assert not AuditEntry.objects.filter(action="council.decisions.imported").exists()
    return " | ".join(caught.value.errors)


def test_a_file_in_the_documented_format_is_imported(council, council_secretary):
    report = run(council_secretary, council.term, csv_bytes(*GOOD))

    assert (report.created, report.unchanged, report.votes, report.sessions_created) == (3, 0, 10, [5, 6])
    budget = Decision.objects.get(number=201)
    assert (budget.title, budget.status, budget.required_majority, budget.session.number) == (
        "Приемане на бюджета",
        "adopted",
        "absolute",
        5,
    )
    assert dict(budget.votes.values_list("councillor__name", "choice"))["Глеб Тестов"] == "against"
    assert Decision.objects.get(number=203).votes.count() == 0
    entry = AuditEntry.objects.get(action="council.decisions.imported")
    assert entry.actor == council_secretary and entry.data["created"] == 3


def test_importing_the_same_file_twice_changes_nothing(council, council_secretary):
    data = csv_bytes(*GOOD)
    run(council_secretary, council.term, data)
    report = run(council_secretary, council.term, data)
    assert (report.created, report.unchanged) == (0, 3)
    assert Decision.objects.count() == 3
    assert Vote.objects.count() == 10


def test_a_longer_file_later_adds_only_the_new_decisions(council, council_secretary):
    run(council_secretary, council.term, csv_bytes(*GOOD[:1]))
    report = run(council_secretary, council.term, csv_bytes(*GOOD))
    assert (report.created, report.unchanged) == (2, 1)


def test_windows_1251_from_bulgarian_excel_is_read(council, council_secretary):
    report = run(council_secretary, council.term, csv_bytes(*GOOD, encoding="cp1251"))
    assert report.created == 3
    assert Decision.objects.get(number=201).title == "Приемане на бюджета"


def test_utf8_with_a_byte_order_mark_and_commas_is_read(council, council_secretary):
    lines = [line.replace(";", ",") for line in GOOD]
    data = b"\xef\xbb\xbf" + csv_bytes(*lines, head=HEAD.replace(";", ","))
    assert run(council_secretary, council.term, data).created == 3


def test_the_preview_checks_everything_and_saves_nothing(council, council_secretary):
    report = services.parse_decisions_csv(council.term, csv_bytes(*GOOD))
    assert [row.number for row in report.rows] == [201, 202, 203]
    assert not Decision.objects.exists()


def test_the_documented_sample_fits_the_demo_council_and_is_valid_csv():
    sample = Path(settings.BASE_DIR) / "docs" / "council_decisions_sample.csv"
    head = sample.read_text(encoding="utf-8").splitlines()[0].split(";")
    from glas.council.demo import COUNCILLORS, REPLACEMENT

    assert head[:7] == ["номер", "дата", "заседание", "заглавие", "текст", "статус", "мнозинство"]
    assert set(head[7:]) == {name for name, *_rest in COUNCILLORS} | {REPLACEMENT[0]}


BAD = [
    pytest.param(
        [GOOD[0]],
        HEAD.replace(";Дора Тестова", ";Дора Непозната"),
        "neither a known column nor a councillor",
        id="unknown-councillor",
    ),
    pytest.param([GOOD[0]], HEAD.replace("заседание;", ""), "Missing columns: session", id="missing-column"),
    pytest.param(
        [GOOD[0].replace("против;отсъства", "може би;отсъства")],
        HEAD,
        "The vote “може би” of Глеб Тестов",
        id="bad-vote",
    ),
    pytest.param([GOOD[0], GOOD[0]], HEAD, "Decision № 201 is also on line 2", id="duplicate-in-file"),
    pytest.param([GOOD[0].replace("27.03.2025", "27.03.2029")], HEAD, "outside the term", id="date-outside-term"),
    pytest.param([GOOD[0].replace("27.03.2025", "32.13.2025")], HEAD, "is not a date", id="bad-date"),
    pytest.param(
        [GOOD[0].replace("Приемане на бюджета", '=HYPERLINK("http://x")')],
        HEAD,
        "as a spreadsheet formula does",
        id="formula",
    ),
    pytest.param(
        [GOOD[0].replace("Текст на решението", "@SUM(A1)")], HEAD, "as a spreadsheet formula does", id="formula-at"
    ),
    pytest.param([GOOD[0].replace("прието", "може")], HEAD, "The status “може”", id="bad-status"),
    pytest.param(
        [GOOD[0].replace(";за;за;за;против;отсъства", ";за;против;против;против;отсъства")],
        HEAD,
        "cannot be adopted",
        id="outcome-contradicts-status",
    ),
    pytest.param(
        [GOOD[0].replace(";за;за;за;против;отсъства", ";за;за;за;против;")],
        HEAD,
        "No vote for Дора Тестова",
        id="missing-vote",
    ),
    pytest.param([GOOD[0].replace("201;", "двеста;", 1)], HEAD, "is not a positive whole number", id="bad-number"),
    pytest.param([GOOD[0].replace("Приемане на бюджета", "")], HEAD, "The title is empty", id="empty-title"),
    pytest.param([], HEAD, "no decisions under its heading", id="no-decisions"),
    pytest.param(
        [GOOD[0], "202;27.03.2025;5;\u202eобърнат;;прието;;за;за;за;за;за"],
        HEAD,
        "invisible or direction-changing",
        id="bidi",
    ),
]


@pytest.mark.parametrize(("lines", "head", "message"), BAD)
def test_bad_files_are_refused_with_a_clear_error_and_change_nothing(council, council_secretary, lines, head, message):
    assert message in refusal(council_secretary, council.term, csv_bytes(*lines, head=head))


def test_every_bad_line_is_reported_by_its_number(council, council_secretary):
    errors = refusal(
        council_secretary,
        council.term,
        csv_bytes(GOOD[0].replace("прието", "x"), GOOD[1], GOOD[2].replace("2025-04-24", "вчера")),
    )
    assert "Line 2:" in errors and "Line 4:" in errors and "Line 3:" not in errors


def test_a_decision_already_registered_with_other_content_is_an_error(council, council_secretary):
    run(council_secretary, council.term, csv_bytes(GOOD[0]))
    with pytest.raises(ImportRefused, match="already in the registry with other content"):
        run(council_secretary, council.term, csv_bytes(GOOD[0].replace("Приемане на бюджета", "Друго заглавие")))
    assert Decision.objects.get(number=201).title == "Приемане на бюджета"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "The file is empty", id="empty"),
        pytest.param(b"\x00\x01binary\x00", "not a CSV text file", id="binary"),
        pytest.param("номер;дата\n".encode("utf-16"), "not a CSV text file", id="utf-16"),
        pytest.param(b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB", id="too-big"),
    ],
)
def test_unreadable_files_are_refused(council, council_secretary, data, message):
    assert message in refusal(council_secretary, council.term, data)


def test_only_council_staff_may_import(council, citizen):
    from glas.core.exceptions import DomainError

    with pytest.raises(DomainError, match="You may not do this"):
        run(citizen, council.term, csv_bytes(*GOOD))
    assert not Decision.objects.exists()
