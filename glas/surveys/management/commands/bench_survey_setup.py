"""Create a 30-question anonymous survey in fieldwork for ``bench/survey_submission.py`` and
print, as JSON, its public id and the answers to post on each page."""

import json
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser

from glas.accounts.models import User
from glas.accounts.roles import Role
from glas.surveys import services

BENCH_OWNER = "bench-researcher@example.invalid"
CHOICES = [("1", "Първо"), ("2", "Второ"), ("3", "Трето"), ("4", "Четвърто")]


def _page(section: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ten questions of one section, and the answers the benchmark posts for them."""
    p = f"s{section}_"
    questions: list[dict[str, Any]] = [
        {"variable": f"{p}single", "type": "single", "choices": CHOICES, "required": True},
        {"variable": f"{p}yes", "type": "yes_no"},
        {"variable": f"{p}likert", "type": "likert", "scale_points": 5},
        {"variable": f"{p}scale", "type": "scale_0_10"},
        {"variable": f"{p}multi", "type": "multiple", "choices": CHOICES, "max_choices": 3},
        {"variable": f"{p}drop", "type": "dropdown", "choices": CHOICES},
        {"variable": f"{p}num", "type": "numeric", "min_value": 0, "max_value": 120},
        {"variable": f"{p}text", "type": "short_text"},
        {"variable": f"{p}date", "type": "date"},
        {"variable": f"{p}matrix", "type": "matrix", "choices": CHOICES, "rows": [("a", "Ред А"), ("b", "Ред Б")]},
    ]
    answers: dict[str, Any] = {
        f"{p}single": "2",
        f"{p}yes": "yes",
        f"{p}likert": "4",
        f"{p}scale": "7",
        f"{p}multi": ["1", "3"],
        f"{p}drop": "4",
        f"{p}num": "42",
        f"{p}text": "Отговор за теста",
        f"{p}date": "2020-01-31",
        f"{p}matrix--a": "1",
        f"{p}matrix--b": "3",
        "action": "next",
    }
    return questions, answers


class Command(BaseCommand):
    help = "Create a 30-question survey in fieldwork for the submission benchmark; print it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--title", default="Benchmark survey (30 questions)")

    def handle(self, *args: Any, title: str, **options: Any) -> None:
        owner = User.objects.filter(email=BENCH_OWNER).first() or User.objects.create_user(BENCH_OWNER, None)
        owner.groups.add(Group.objects.get_or_create(name=Role.RESEARCHER)[0])
        owner = User.objects.get(pk=owner.pk)  # drop cached roles
        survey = services.survey_create(actor=owner, title=title, is_demo=True)
        sections = [survey.sections.get()]
        sections += [services.section_add(actor=owner, survey=survey, title=f"Част {n}") for n in (2, 3)]
        pages = []
        for number, section in enumerate(sections, start=1):
            questions, answers = _page(number)
            for spec in questions:
                spec = dict(spec)
                services.question_add(actor=owner, section=section, text=f"Въпрос {spec['variable']}", **spec)
            pages.append(answers)
        services.survey_transition(actor=owner, survey=survey, to="fieldwork")
        self.stdout.write(json.dumps({"survey": str(survey.public_id), "pages": pages}, ensure_ascii=False))
