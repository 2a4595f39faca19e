"""``python manage.py survey_stats SPEC.json``: weighted estimates as one JSON object.

The specification and the output are described in ``glas/surveys/analysis/spec.py`` (issue 4,
"Command line contract"). Errors (an unknown column, a stratum with a single cluster, margins
that do not cover the data, raking that does not converge, ...) print ``{"error": message}``
and exit with status 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from glas.surveys.analysis import AnalysisError
from glas.surveys.analysis.spec import run_file


class Command(BaseCommand):
    help = "Compute design-based survey estimates from a JSON specification and print them as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("spec", help="JSON specification file")

    def handle(self, *args: Any, spec: str, **options: Any) -> None:
        try:
            result = run_file(Path(spec))
        except AnalysisError as error:
            self.stdout.write(json.dumps({"error": str(error)}, ensure_ascii=False))
            raise SystemExit(1) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False, allow_nan=False))
