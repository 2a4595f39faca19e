"""Demo initiatives for ``manage.py seed_demo`` (DEBUG only; see ``glas.core.demo``).

* A Kresna referendum proposal in collection with a few hundred clearly synthetic signatures:
  paper lines typed in by the promoter and online signatures of synthetic verified residents.
* An e-petition to the mayor with a handful of supporters among the demo personas.

Everything goes through ``glas.initiatives.services``; running the seeder again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from glas.accounts.demo import PERSONAS, demo_egn
from glas.accounts.models import User
from glas.core.models import Settlement
from glas.core.selectors import current_municipality
from glas.initiatives import services
from glas.initiatives.models import Initiative

REFERENDUM_TITLE = "ДЕМО: Местен референдум за пешеходен мост над р. Струма"
PETITION_TITLE = "ДЕМО: Петиция за автобусна линия Кресна – Ощава"
SYNTHETIC_NOTE = (
    "ДЕМОНСТРАЦИОННИ ДАННИ: инициативата и всички подписи в нея са синтетични — генерирани от "
    "програма, а не дадени от реални хора."
)
PAPER_SIGNATURES = 240
ONLINE_SIGNATURES = 60
SEED = 20261130
FIRST = ("Иван", "Мария", "Георги", "Елена", "Петър", "Десислава", "Николай", "Стоянка", "Димитър", "Весела")
MIDDLE = ("Иванов", "Петров", "Георгиев", "Николов", "Стоянов", "Димитров")
LAST = ("Демов", "Синтетичен", "Примеров", "Тестов")


def _persona(key: str) -> User:
    email = next(p.email for p in PERSONAS if p.key == key)
    return User.objects.get(email=email)


def _synthetic_resident(number: int, advisor: User, settlement: Settlement) -> User:
    from glas.accounts.services import account_email_confirmed, resident_verify

    email = f"demo-signer-{number:03d}@glas.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, display_name=f"Демо подписващ {number}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        account_email_confirmed(user=user)
        user.refresh_from_db()
    if not hasattr(user, "resident_verification"):
        resident_verify(
            actor=advisor,
            user=user,
            egn=demo_egn(dt.date(1950 + number % 50, 1 + number % 12, 1 + number % 28), 600 + number),
            settlement=settlement,
            document="id_card",
        )
        user.refresh_from_db()
    return user


def _referendum(say: Callable[[str], Any]) -> None:
    if Initiative.objects.filter(title=REFERENDUM_TITLE, is_demo=True).exists():
        return
    municipality = current_municipality()
    promoter = _persona("verified_resident")
    council = _persona("council_secretary")
    advisor = _persona("advisor")
    initiative = services.initiative_create(
        actor=promoter,
        municipality=municipality,
        kind=Initiative.Kind.REFERENDUM,
        title=REFERENDUM_TITLE,
        question="Съгласни ли сте Община Кресна да построи пешеходен мост над р. Струма при кв. „Запад“?",
        description=SYNTHETIC_NOTE,
        is_demo=True,
    )
    for key in ("citizen", "researcher"):
        member = _persona(key)
        invited, _token = services.committee_member_invite(
            actor=promoter, initiative=initiative, full_name=member.full_name or member.public_name, email=member.email
        )
        services.committee_member_confirm(actor=member, member=invited)
    services.initiative_submit_for_review(actor=promoter, initiative=initiative)
    services.initiative_review(
        actor=council,
        initiative=initiative,
        admissible=True,
        reasons="Въпросът е от местно значение и от компетентността на общинския съвет; не засяга изключените теми.",
    )
    services.initiative_open_collection(
        actor=promoter, initiative=initiative, closes_on=timezone.localdate() + dt.timedelta(days=90)
    )
    rng = random.Random(SEED)  # noqa: S311  (repeatable synthetic data, not security)
    settlements = list(Settlement.objects.filter(municipality=municipality).order_by("pk"))
    weights = [max(1, f.population) for f in (s.population_figures.order_by("-year").first() for s in settlements) if f]
    weights += [1] * (len(settlements) - len(weights))
    for line in range(PAPER_SIGNATURES):
        settlement = rng.choices(settlements, weights=weights)[0]
        birth = dt.date(1940 + rng.randrange(65), 1 + rng.randrange(12), 1 + rng.randrange(28))
        services.signature_enter_paper(
            actor=promoter,
            initiative=initiative,
            sheet_number=1 + line // 10,
            line_number=1 + line % 10,
            full_name=f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}",
            egn=demo_egn(birth, 100 + line),
            address=f"{settlement.prefixed_name}, ул. „Демо“ {1 + line}",
            settlement=settlement,
        )
    for number in range(ONLINE_SIGNATURES):
        signer = _synthetic_resident(number, advisor, rng.choices(settlements, weights=weights)[0])
        services.signature_sign(actor=signer, initiative=initiative)
    say(f"Initiative: {REFERENDUM_TITLE} ({PAPER_SIGNATURES} paper and {ONLINE_SIGNATURES} online signatures)")


def _petition(say: Callable[[str], Any]) -> None:
    if Initiative.objects.filter(title=PETITION_TITLE, is_demo=True).exists():
        return
    promoter = _persona("citizen")
    initiative = services.initiative_create(
        actor=promoter,
        municipality=current_municipality(),
        kind=Initiative.Kind.PETITION,
        title=PETITION_TITLE,
        question="Призоваваме кмета да осигури автобусна линия Кресна – Ощава поне два пъти седмично.",
        description=SYNTHETIC_NOTE,
        addressee=Initiative.Addressee.MAYOR,
        is_demo=True,
    )
    services.initiative_submit_for_review(actor=promoter, initiative=initiative)
    services.initiative_review(
        actor=_persona("council_secretary"),
        initiative=initiative,
        admissible=True,
        reasons="Петицията е по въпрос от компетентността на кмета.",
    )
    services.initiative_open_collection(actor=promoter, initiative=initiative, closes_on=None)
    for key in ("citizen", "verified_resident", "advisor", "commission_member", "researcher"):
        services.signature_sign(actor=_persona(key), initiative=initiative)
    say(f"Initiative: {PETITION_TITLE} (5 supporters)")


def seed_initiatives(say: Callable[[str], Any]) -> None:
    _referendum(say)
    _petition(say)
