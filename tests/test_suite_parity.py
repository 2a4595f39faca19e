"""The suite is the same on SQLite and PostgreSQL.

Collecting the tests under each database must give the same list: no test may appear, vanish
or be parametrised differently because of the database. Skipped when no PostgreSQL server
answers, and in CI, which runs the whole suite on both databases and compares the two runs test by
test (scripts/compare_junit.py): a test collected on one database only shows there as missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("GLAS_PARITY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("postgres://", "postgresql://"), connect_timeout=2):
            return True
    except Exception:
        return False


def _collected(database_url: str) -> list[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "glas", "tests"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return sorted(line for line in result.stdout.splitlines() if "::" in line)


def test_the_same_tests_are_collected_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    if os.environ.get("GLAS_CI_BALANCE") == "1":
        pytest.skip("in CI, scripts/compare_junit.py compares the two whole runs test by test")
    if connection.vendor == "postgresql":
        # It collects under both databases itself: once per CI run is enough.
        pytest.skip("the collection check runs once, on SQLite (it collects under PostgreSQL itself)")
    if not _postgres_answers():
        pytest.skip("no PostgreSQL server answers")
    on_sqlite = _collected(f"sqlite:///{tmp_path / 'parity.sqlite3'}")
    on_postgres = _collected(POSTGRES_URL)
    assert on_sqlite, "no tests were collected"
    assert on_sqlite == on_postgres
