"""Benchmark: the fieldwork monitor page at 200 and at 20,000 responses — its number of queries
(which must be the same) and its time.

Run it against a THROWAWAY database (it migrates it and writes 20,200 responses into it); the
database name must contain "bench", so it cannot touch a real one by mistake:

    DEBUG=1 DATABASE_URL=sqlite:////tmp/glas-bench-monitor.sqlite3 .venv/bin/python bench/fieldwork_monitor_queries.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/glas_bench \
        .venv/bin/python bench/fieldwork_monitor_queries.py

Options: ``--sizes 200 20000`` (the response counts). A second run reuses the surveys it built.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glas.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from glas.accounts.models import User  # noqa: E402
from glas.core.models import Municipality  # noqa: E402
from glas.surveys import services  # noqa: E402
from glas.surveys.models import Response, Survey  # noqa: E402
from glas.surveys.tests.fieldwork_helpers import synthetic_responses  # noqa: E402
from glas.surveys.views.fieldwork import fieldwork_monitor  # noqa: E402

TITLE = "bench: fieldwork monitor, {count} responses"


def check_throwaway() -> None:
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name:
        sys.exit(f"Refusing to run: the database {name!r} does not look like a throwaway one (no 'bench' in its name).")


def researcher() -> User:
    user = User.objects.filter(email="bench-researcher@example.invalid").first()
    if user is None:
        user = User.objects.create_user("bench-researcher@example.invalid", None)
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get_or_create(name="researcher")[0])
    return User.objects.get(pk=user.pk)


def build_survey(actor: User, count: int) -> Survey:
    title = TITLE.format(count=count)
    survey = Survey.objects.filter(title=title).first()
    if survey is not None and Response.objects.filter(survey=survey).count() == count:
        return survey
    survey = services.survey_create(actor=actor, title=title)
    section = survey.sections.get()
    services.question_add(actor=actor, section=section, variable="place", text="Къде живеете?", type="settlement")
    services.question_add(
        actor=actor, section=section, variable="sex", text="Пол", type="single", choices=[("f", "Жена"), ("m", "Мъж")]
    )
    services.quota_define(
        actor=actor, survey=survey, name="Пол", variables=["sex"], cells=[({"sex": "f"}, count), ({"sex": "m"}, count)]
    )
    survey = services.survey_transition(actor=actor, survey=survey, to=Survey.Status.FIELDWORK)
    started = time.perf_counter()
    with transaction.atomic():
        synthetic_responses(survey, count, now=timezone.now())
    print(f"built {count:>6} responses in {time.perf_counter() - started:.1f} s")
    return survey


def measure(actor: User, survey: Survey) -> tuple[int, float]:
    factory = RequestFactory()

    def get() -> int:
        request = factory.get(f"/surveys/design/{survey.public_id}/monitor/")
        request.user = actor
        response = fieldwork_monitor(request, survey.public_id)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    get()  # warm: templates compiled, content types cached
    with CaptureQueriesContext(connection) as queries:
        get()
    started = time.perf_counter()
    get()
    return len(queries), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 20_000])
    options = parser.parse_args()
    check_throwaway()
    call_command("migrate", verbosity=0)
    if not Municipality.objects.filter(code=settings.GLAS_MUNICIPALITY).exists():
        from glas.core.services import municipality_load

        municipality_load(actor=None, path=settings.GLAS_DATA_DIR / "municipalities" / "kresna.json")
    actor = researcher()
    results = []
    for count in options.sizes:
        survey = build_survey(actor, count)
        queries, seconds = measure(actor, survey)
        results.append(queries)
        print(f"monitor page at {count:>6} responses: {queries} queries, {seconds * 1000:.0f} ms")
    print("same number of queries at every size:", "yes" if len(set(results)) == 1 else "NO")
    if len(set(results)) != 1:
        sys.exit(1)


if __name__ == "__main__":
    main()
