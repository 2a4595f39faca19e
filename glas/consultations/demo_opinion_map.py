"""Demo opinion map for ``manage.py seed_demo``: on the demo public-order ordinance, eight
statements and the votes of 60 synthetic participants (accounts that cannot sign in, e-mail
addresses under demo.glas.example) in two planted camps that agree on part of the statements, so
the map shows two groups, their differences and their common ground. Running it again changes
nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

STATEMENTS = (
    "Шумът след 22 ч. в центъра на Кресна трябва да се ограничи по-строго.",
    "Празниците и сборовете в селата трябва да са изключени от забраната за шум.",
    "Глобите в наредбата са прекалено високи за малка община.",
    "Общината трябва да назначи повече общински полицаи.",
    "Наредбата трябва да се обсъди на общо събрание във всяко село.",
    "Забраната за пашуване в населените места е нужна.",
    "Текстът на наредбата е написан разбираемо.",
    "Общината трябва да публикува всяка година отчет за наложените глоби.",
)
# stance of the two camps on each statement: +1 agree, -1 disagree, 0 mixed
CAMPS = ((1, -1, -1, 1, 1, 1, 0, 1), (-1, 1, 1, -1, 1, -1, 0, 1))
VOTERS = 60


def seed_opinion_map(say: Callable[[str], Any]) -> None:
    from glas.accounts.models import User
    from glas.accounts.services import account_email_confirmed
    from glas.consultations import services_opinion_map as services
    from glas.consultations.demo import ORDINANCE_TITLE
    from glas.consultations.models import Draft, OpinionMap

    draft = Draft.objects.filter(title=ORDINANCE_TITLE).first()
    if draft is None or OpinionMap.objects.filter(draft=draft).exists():
        say("Opinion map: already seeded or no demo ordinance")
        return
    staff = User.objects.get(email="council@glas.example")
    opinion_map = services.opinion_map_open(
        actor=staff,
        draft=draft,
        question="Какво мислите за новите правила за обществения ред? (демонстрация)",
        statements=list(STATEMENTS),
    )
    statements = list(opinion_map.statements.order_by("pk"))
    rng = random.Random(2026)  # noqa: S311 - synthetic demo data
    for number in range(VOTERS):
        email = f"opinion-map-{number:02d}@demo.glas.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, display_name=f"Участник {number:02d} (демонстрация)")
            account_email_confirmed(user=user)
        camp = CAMPS[number % 2]
        for statement, stance in zip(statements, camp, strict=True):
            if rng.random() < 0.15:
                continue  # not everybody votes on everything
            vote = stance if stance and rng.random() < 0.85 else rng.choice((-1, 0, 1))
            services.statement_vote(actor=user, statement=statement, vote=vote)
    services.opinion_map_recompute(opinion_map.pk)
    opinion_map.refresh_from_db()
    groups = len((opinion_map.result or {}).get("groups", []))
    say(f"Opinion map: {len(statements)} statements, {VOTERS} synthetic participants, {groups} groups")
