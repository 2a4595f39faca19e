"""Where the tests find R's ``api`` data sets (``shared/data`` beside the repository); the
tests that need them skip when they are absent. The data is never copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glas.surveys.analysis import Table

REPOSITORY = Path(__file__).resolve().parents[3]


def data_dir() -> Path | None:
    candidates = [os.environ.get("GLAS_SURVEY_DATA", ""), REPOSITORY.parent / "shared" / "data", "/work/shared/data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "apistrat.csv").is_file():
            return Path(candidate)
    return None


def api_table(name: str) -> Table:
    directory = data_dir()
    if directory is None:
        pytest.skip("R's api data sets (shared/data) are not available")
    return Table.from_csv(directory / f"{name}.csv")
