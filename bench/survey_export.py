"""Benchmark: export 20,000 complete responses of a 30-question survey to SPSS (.sav) and XLSX.

Run it against a THROWAWAY database (it migrates it and writes 20,000 responses into it); the
database name must contain "bench", so it cannot touch a real one by mistake:

    DEBUG=1 DATABASE_URL=sqlite:////tmp/glas-bench.sqlite3 .venv/bin/python bench/survey_export.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/glas_bench .venv/bin/python bench/survey_export.py

Options: ``--responses N`` (default 20000). A second run reuses the survey built by the first.
Prints, for each format, the seconds taken, the peak of Python allocations during the export
(tracemalloc, measured in a second pass because tracing slows the code down) and the process's
peak resident memory so far (ru_maxrss).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glas.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from glas.accounts.models import User  # noqa: E402
from glas.surveys import exports, services  # noqa: E402
from glas.surveys.models import Answer, Response, Survey  # noqa: E402
from glas.surveys.selectors import survey_structure  # noqa: E402

TITLE = "bench: export of 20,000 responses (with display logic)"
BATCH = 1000


def check_throwaway() -> None:
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name:
        sys.exit(f"Refusing to run: the database {name!r} does not look like a throwaway one (no 'bench' in its name).")


def build_survey() -> Survey:
    researcher = User.objects.filter(email="bench-researcher@example.invalid").first()
    if researcher is None:
        researcher = User.objects.create_user("bench-researcher@example.invalid", None)
        from django.contrib.auth.models import Group

        researcher.groups.add(Group.objects.get_or_create(name="researcher")[0])
        researcher = User.objects.get(pk=researcher.pk)
    survey = services.survey_create(actor=researcher, title=TITLE)
    section = survey.sections.get()

    def q(variable: str, type: str, **data: Any) -> None:
        text = f"Въпрос {variable}: " + "дума " * 12
        services.question_add(actor=researcher, section=section, variable=variable, text=text, type=type, **data)

    five = [(str(i), f"Отговор {i}") for i in range(1, 6)]
    for index in range(1, 4):
        q(f"yesno{index}", "yes_no")
    for index in range(1, 9):
        # Some questions are asked only after a "yes": the export then works out, per response,
        # which questions display logic hid (SPSS code -1, "not asked").
        shown_if = {"op": "equals", "var": f"yesno{index}", "value": "yes"} if index <= 3 else None
        q(f"single{index}", "single", choices=five, allow_other=index == 1, logic=shown_if)
    q("dropdown1", "dropdown", choices=[(str(i), f"Избор {i}") for i in range(1, 13)])
    for index in range(1, 5):
        q(f"likert{index}", "likert", scale_points=5)
    for index in range(1, 4):
        q(f"multi{index}", "multiple", choices=[(f"c{i}", f"Тема {i}") for i in range(1, 6)])
    rows = [(f"r{i}", f"Ред {i}") for i in range(1, 5)]
    for index in range(1, 3):
        q(f"matrix{index}", "matrix", choices=five, rows=rows)
    q("rank1", "ranking", choices=[(f"k{i}", f"Приоритет {i}") for i in range(1, 5)])
    for index in range(1, 4):
        q(f"num{index}", "numeric", min_value=0, max_value=120)
    for index in range(1, 3):
        q(f"scale{index}", "scale_0_10")
    q("date1", "date")
    for index in range(1, 3):
        q(f"text{index}", "short_text", max_length=200)
    return services.survey_transition(actor=researcher, survey=survey, to=Survey.Status.FIELDWORK)


def random_answer(question: Any, rng: random.Random) -> dict[str, Any]:
    kind = question.type
    codes = [choice.code for choice in question.choices.all()]
    if kind in ("single", "dropdown", "likert", "yes_no"):
        return {"text": rng.choice(codes)}
    if kind == "multiple":
        return {"codes": rng.sample(codes, rng.randint(1, 3))}
    if kind == "ranking":
        return {"codes": rng.sample(codes, len(codes))}
    if kind == "matrix":
        return {"codes": {row.code: rng.choice(codes) for row in question.rows.all()}}
    if kind == "numeric":
        return {"number": Decimal(rng.randint(18, 90))}
    if kind == "scale_0_10":
        return {"number": Decimal(rng.randint(0, 10))}
    if kind == "date":
        return {"date": dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 25000))}
    return {"text": rng.choice(["", "Добре", "=SUM(A1)", "Нямам мнение", "Повече паркове и чисти улици"])}


def fill(survey: Survey, target: int) -> None:
    have = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE).count()
    structure = survey_structure(survey)
    rng = random.Random(20260101 + have)
    now = timezone.now()
    while have < target:
        size = min(BATCH, target - have)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(survey=survey, channel="web", status=Response.Status.COMPLETE, submitted_at=now)
                for _index in range(size)
            )
            Answer.objects.bulk_create(
                (
                    Answer(response=response, question=question, **random_answer(question, rng))
                    for response in responses
                    for question in structure.questions
                    if rng.random() < 0.9
                ),
                batch_size=5000,
            )
        have += size
        print(f"  {have} responses", end="\r", flush=True)
    print()


def measure(label: str, run: Any) -> None:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:6} {seconds:8.1f} s   peak Python allocations {peak / 2**20:8.1f} MiB", end="")
    print(f"   peak RSS so far {rss:8.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20000)
    args = parser.parse_args()
    check_throwaway()
    call_command("migrate", verbosity=0)
    survey = Survey.objects.filter(title=TITLE).first() or build_survey()
    print(f"Survey with {survey.questions.count()} questions; filling to {args.responses} complete responses")
    fill(survey, args.responses)
    structure = survey_structure(survey)
    print(f"{len(exports.export_variables(structure))} variables, database {settings.DATABASES['default']['ENGINE']}")
    with tempfile.TemporaryDirectory() as folder:
        sav = Path(folder) / "bench.sav"
        measure(".sav", lambda: exports.write_sav(survey, structure, sav))
        print(f"       file {sav.stat().st_size / 2**20:.1f} MiB")
        xlsx = Path(folder) / "bench.xlsx"

        def write_xlsx() -> None:
            with xlsx.open("wb") as handle:
                exports.write_xlsx(survey, structure, handle)

        measure("XLSX", write_xlsx)
        print(f"       file {xlsx.stat().st_size / 2**20:.1f} MiB")

        def write_csv() -> None:
            for _chunk in exports.csv_chunks(survey, structure):
                pass

        measure("CSV", write_csv)


if __name__ == "__main__":
    main()
