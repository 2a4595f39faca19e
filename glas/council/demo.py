"""Demo council registry for ``manage.py seed_demo`` (DEBUG only; see ``glas.core.demo``).

The Kresna council has 13 seats (``council_seats`` of the municipality) and the mayor is the
one named in the municipality data. Everything else is fictional and marked ``is_demo``, so
the pages say "sample data": four made-up lists, 13 councillors with made-up names (one of them
leaves in March 2025 and is replaced), four standing committees, three sessions with agendas,
documents and minutes, and twelve decisions with full roll calls.

Everything is built through ``glas.council.services`` by the demo council secretary, so the
same checks (the majority of each roll call among them) and audit entries apply as for real data.
The random generator has a fixed seed; running the seeder again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from glas.accounts.demo import PERSONAS
from glas.accounts.models import User
from glas.core.selectors import current_municipality
from glas.council import services
from glas.council.models import Councillor, Decision, Official, Session, Term, Vote

TERM_START = dt.date(2023, 11, 13)
TERM_END = dt.date(2027, 11, 12)
SEED = 20250130
REPLACED_ON = dt.date(2025, 3, 31)

GROUPS = [
    ("Примерна листа „Развитие“", "Sample list “Development”", "party"),
    ("Примерна коалиция „Струма“", "Sample coalition “Struma”", "coalition"),
    ("Примерна местна коалиция „Кресна напред“", "Sample local coalition “Kresna Forward”", "local_coalition"),
    ("Примерен инициативен комитет", "Sample initiative committee", "initiative_committee"),
]
COMMITTEES = [
    ("budget", "Бюджет, финанси и икономическо развитие", "Budget, finance and economic development"),
    ("territory", "Устройство на територията и екология", "Spatial planning and environment"),
    ("social", "Образование, култура и социални дейности", "Education, culture and social affairs"),
    ("legality", "Законност, обществен ред и конфликт на интереси", "Legality, public order and conflicts of interest"),
]
# (name, group index, committee slugs, chair) — fictional people: the surname says so.
COUNCILLORS = [
    ("Ана Примерова", 0, ("budget", "legality"), True),
    ("Борис Примеров", 0, ("budget",), False),
    ("Валентина Примерова", 0, ("social",), False),
    ("Георги Примеров", 0, ("territory",), False),
    ("Даниела Примерова", 0, ("social", "legality"), False),
    ("Емил Примеров", 1, ("territory", "budget"), False),
    ("Живка Примерова", 1, ("social",), False),
    ("Захари Примеров", 1, ("legality",), False),
    ("Ирина Примерова", 1, ("budget",), False),
    ("Калин Примеров", 2, ("territory",), False),
    ("Лилия Примерова", 2, ("social", "budget"), False),
    ("Методи Примеров", 2, ("legality", "territory"), False),
    ("Надежда Примерова", 3, ("territory",), False),
]
LEAVER = "Методи Примеров"
REPLACEMENT = ("Огнян Примеров", 2, ("legality", "territory"))

SESSIONS = [
    {"number": 14, "date": dt.date(2025, 1, 30), "kind": "regular"},
    {"number": 17, "date": dt.date(2025, 4, 24), "kind": "regular"},
    {"number": 18, "date": dt.date(2025, 6, 12), "kind": "extraordinary"},
]
PLACE = "Заседателна зала на Община Кресна, ул. „Македония“ 99"

# (session index, number, title, committee, majority, status, text)
DECISIONS: list[tuple[int, int, str, str, str, str, str]] = [
    (
        0,
        301,
        "Приемане на бюджета на Община Кресна за 2025 г.",
        "budget",
        "absolute",
        "adopted",
        "Общинският съвет приема бюджета на общината за 2025 г. по приходите и разходите съгласно приложенията.",
    ),
    (
        0,
        302,
        "Приемане на годишен план за развитие на социалните услуги за 2025 г.",
        "social",
        "simple",
        "adopted",
        "Приема годишния план за развитие на социалните услуги в Община Кресна за 2025 г.",
    ),
    (
        0,
        303,
        "Отпускане на еднократна финансова помощ на граждани",
        "social",
        "simple",
        "adopted",
        "Отпуска еднократна финансова помощ на граждани в затруднено положение съгласно приложения списък.",
    ),
    (
        0,
        304,
        "Промяна на предназначението на общински имот в с. Долна Градешница",
        "territory",
        "simple",
        "rejected",
        "Предложението за промяна на предназначението на имота не се приема.",
    ),
    (
        1,
        305,
        "Приемане на отчета за изпълнението на бюджета за 2024 г.",
        "budget",
        "absolute",
        "adopted",
        "Приема отчета за изпълнението на бюджета на Община Кресна за 2024 г.",
    ),
    (
        1,
        306,
        "Изменение на Наредбата за определянето и администрирането на местните такси и цени на услуги",
        "budget",
        "simple",
        "adopted",
        "Изменя наредбата в частта за таксата за ползване на детски градини. Решението е оспорено пред съда.",
    ),
    (
        1,
        307,
        "Даване на съгласие за кандидатстване с проект за ремонт на читалището в с. Сливница",
        "social",
        "simple",
        "adopted",
        "Дава съгласие Община Кресна да кандидатства с проектно предложение.",
    ),
    (
        1,
        308,
        "Определяне на представител на общината в Общото събрание на асоциацията по В и К",
        "legality",
        "simple",
        "adopted",
        "Определя кмета на общината за представител в общото събрание на асоциацията.",
    ),
    (
        1,
        309,
        "Продажба на общински имот чрез публичен търг",
        "territory",
        "absolute",
        "rejected",
        "Предложението за продажба на имота не събира нужното мнозинство.",
    ),
    (
        2,
        310,
        "Поемане на дългосрочен общински дълг за съфинансиране на проект за водопровод",
        "budget",
        "two_thirds",
        "adopted",
        "Общината поема дълг до 800 000 лв. за съфинансиране на проекта.",
    ),
    (
        2,
        311,
        "Приемане на програма за управление на отпадъците",
        "territory",
        "simple",
        "adopted",
        "Приема програмата за управление на отпадъците на територията на общината.",
    ),
    (
        2,
        312,
        "Създаване на Консултативна комисия за гражданско участие",
        "legality",
        "simple",
        "adopted",
        "Създава Консултативна комисия към Общинския съвет и приема правилата за нейната работа.",
    ),
]
CONTESTED = 306

# A minimal, valid one-page PDF (the registry checks documents by their content).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _persona(key: str) -> User:
    email = next(persona.email for persona in PERSONAS if persona.key == key)
    user = User.objects.filter(email=email).first()
    if user is None:
        raise RuntimeError(f"The demo persona {email} is missing: run the accounts seeder first.")
    return user


def seed_council(say: Callable[[str], Any], *, actor: User | None = None) -> None:
    """Create the demo council unless its term is there already; ``actor`` (by default the
    demo council secretary) must hold the council staff role."""
    municipality = current_municipality()
    if Term.objects.filter(municipality=municipality, start=TERM_START).exists():
        say("Council term 2023–2027 is already there")
        return
    secretary = actor or _persona("council_secretary")
    with transaction.atomic():
        term = _people(secretary, municipality)
        decisions = _sessions_and_decisions(secretary, term)
    say(
        f"Council term {term}: {term.councillors.count()} councillors, 3 sessions, "
        f"{decisions} decisions with roll calls"
    )


def _people(actor: User, municipality: Any) -> Term:
    seats = municipality.council_seats or len(COUNCILLORS)
    term = services.term_create(
        actor=actor, municipality=municipality, start=TERM_START, end=TERM_END, seats=seats, is_demo=True
    )
    groups = [
        services.political_group_create(actor=actor, term=term, name=name, name_en=name_en, kind=kind, is_demo=True)
        for name, name_en, kind in GROUPS
    ]
    committees = {
        slug: services.committee_create(actor=actor, term=term, slug=slug, name=name, name_en=name_en, is_demo=True)
        for slug, name, name_en in COMMITTEES
    }
    for name, group, slugs, chair in COUNCILLORS:
        councillor = services.councillor_create(
            actor=actor,
            term=term,
            name=name,
            group=groups[group],
            committees=[committees[slug] for slug in slugs],
            active_from=TERM_START,
            is_chair=chair,
            is_demo=True,
        )
        if name == LEAVER:
            services.councillor_leave(actor=actor, councillor=councillor, on=REPLACED_ON)
    name, group, slugs = REPLACEMENT
    services.councillor_create(
        actor=actor,
        term=term,
        name=name,
        group=groups[group],
        committees=[committees[slug] for slug in slugs],
        active_from=REPLACED_ON + dt.timedelta(days=1),
        is_demo=True,
    )
    if municipality.mayor_name and not Official.objects.filter(municipality=municipality, role="mayor").exists():
        # The mayor is the one named in the municipality data (not demo data).
        services.official_create(
            actor=actor, municipality=municipality, role="mayor", name=municipality.mayor_name, active_from=TERM_START
        )
    services.official_create(
        actor=actor,
        municipality=municipality,
        role="secretary",
        name="Пенка Примерова",
        active_from=TERM_START,
        is_demo=True,
    )
    for position, (name, name_en, remit) in enumerate(
        [
            (
                "Дирекция „Обща администрация“",
                "General Administration Directorate",
                "Деловодство, ГРАО, човешки ресурси.",
            ),
            (
                "Дирекция „Специализирана администрация“",
                "Specialised Administration Directorate",
                "Устройство на територията, проекти, екология.",
            ),
            (
                "Отдел „Местни данъци и такси“",
                "Local Taxes and Fees Department",
                "Декларации, плащания, удостоверения.",
            ),
        ]
    ):
        services.administration_unit_create(
            actor=actor,
            municipality=municipality,
            name=name,
            name_en=name_en,
            remit=remit,
            position=position,
            is_demo=True,
        )
    return term


def _sessions_and_decisions(actor: User, term: Term) -> int:
    committees = {committee.slug: committee for committee in term.committees.all()}
    sessions: list[Session] = []
    for plan in SESSIONS:
        session = services.council_session_create(
            actor=actor, term=term, data={**plan, "place": PLACE, "status": "held"}, is_demo=True
        )
        sessions.append(session)
        pdf = SimpleUploadedFile("invitation.pdf", DEMO_PDF, content_type="application/pdf")
        services.session_document_add(actor=actor, session=session, title="Покана и проект на дневен ред", upload=pdf)
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
    for index, number, title, committee, majority, status, text in DECISIONS:
        session = sessions[index]
        item = services.agenda_item_add(
            actor=actor, session=session, title=title, proposer="Кметът на общината", committee=committees[committee]
        )
        pdf = SimpleUploadedFile("doklad.pdf", DEMO_PDF, content_type="application/pdf")
        services.session_document_add(
            actor=actor, session=session, agenda_item=item, title="Докладна записка", upload=pdf
        )
        data = {
            "number": number,
            "date": session.date,
            "title": title,
            "text": text,
            "status": status,
            "required_majority": majority,
            "agenda_item": item,
            "committee": committees[committee],
        }
        decision = services.decision_record(actor=actor, session=session, data=data, is_demo=True)
        services.votes_record(actor=actor, decision=decision, choices=_roll_call(rng, decision, status))
        if number == CONTESTED:
            services.decision_record(
                actor=actor, session=session, data={**data, "status": Decision.Status.CONTESTED}, decision=decision
            )
    for session in sessions[:2]:
        services.minutes_record(
            actor=actor,
            session=session,
            text=(
                f"Протокол № {session.number} от заседание на Общинския съвет — Кресна, проведено на "
                f"{session.date:%d.%m.%Y} г. ПРИМЕРНИ ДАННИ: протоколът е измислен и служи само за демонстрация."
            ),
        )
    return len(DECISIONS)


def _roll_call(rng: random.Random, decision: Decision, status: str) -> dict[int, str]:
    """A fictional roll call that gives the recorded outcome: one or two absent, and for an
    adopted decision all but two or three present for; for a rejected one, a minority for."""
    voters: list[Councillor] = services.councillors_voting_on(decision)
    order = voters[:]
    rng.shuffle(order)
    absent = order[: rng.randint(1, 2)]
    rest = order[len(absent) :]
    if status == Decision.Status.ADOPTED:
        against = rest[: rng.randint(0, 1)]
        abstained = rest[len(against) : len(against) + rng.randint(0, 1)]
        votes_for = rest[len(against) + len(abstained) :]
    else:
        votes_for = rest[:4]
        abstained = rest[4:5]
        against = rest[5:]
    choices: dict[int, str] = {c.pk: Vote.Choice.ABSENT for c in absent}
    choices.update({c.pk: Vote.Choice.AGAINST for c in against})
    choices.update({c.pk: Vote.Choice.ABSTAINED for c in abstained})
    choices.update({c.pk: Vote.Choice.FOR for c in votes_for})
    return choices
