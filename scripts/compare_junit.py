"""Compare two JUnit XML reports (SQLite and PostgreSQL runs of the suite).

Every test that passed on one database must pass on the other. The only allowed differences:
tests marked ``postgres_only`` (real row-lock concurrency) and the few browser tests CI runs
"once, on PostgreSQL" are skipped on SQLite (their skip messages name PostgreSQL), and tests
that run "once, on SQLite" are skipped on PostgreSQL: the other browser tests (see
``conftest.pytest_collection_modifyitems``). A test collected in one run only is reported as
missing from the other, so this also does, in CI, what ``tests/test_suite_parity.py`` does on a
developer's machine. Prints the counts; exits 1 on any other difference.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def outcomes(path: str) -> dict[str, tuple[str, str]]:
    result: dict[str, tuple[str, str]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314
        name = f"{case.get('classname')}::{case.get('name')}"
        status, message = "passed", ""
        for child in case:
            if child.tag in {"failure", "error"}:
                status = "failed"
            elif child.tag == "skipped":
                status, message = "skipped", child.get("message", "")
        result[name] = (status, message)
    return result


def main(sqlite_path: str, postgres_path: str) -> int:
    sqlite, postgres = outcomes(sqlite_path), outcomes(postgres_path)
    problems = []
    for name in sorted(set(sqlite) | set(postgres)):
        a, b = sqlite.get(name, ("missing", "")), postgres.get(name, ("missing", ""))
        if a[0] == b[0]:
            continue
        if a[0] == "skipped" and "PostgreSQL" in a[1] and b[0] == "passed":
            continue
        if a[0] == "passed" and b[0] == "skipped" and "once, on SQLite" in b[1]:
            continue
        problems.append(f"{name}: SQLite {a[0]}, PostgreSQL {b[0]}")
    count = lambda runs, status: sum(1 for s, _m in runs.values() if s == status)  # noqa: E731
    print(
        f"SQLite: {count(sqlite, 'passed')} passed, {count(sqlite, 'skipped')} skipped; "
        f"PostgreSQL: {count(postgres, 'passed')} passed, {count(postgres, 'skipped')} skipped"
    )
    for problem in problems:
        print("DIFFERENT:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
