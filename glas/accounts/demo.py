"""Demo personas: one account per role, with published passwords (development only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import transaction

from glas.accounts.models import User
from glas.accounts.roles import Role, VerificationLevel

DEMO_PASSWORD = "Glas-demo-2026"  # noqa: S105 - published demo password (DEBUG only)
# Base32 secret (letters and the digits 2-7 only) shared by the demo staff personas;
# `manage.py demo_totp` prints the code.
DEMO_TOTP_SECRET = "GLASDEMOKRESNAAAAAAAAAAAAAAAAAAA"  # noqa: S105 - published demo secret


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    display_name: str
    full_name: str
    roles: tuple[Role, ...] = ()
    verified: bool = False
    superuser: bool = False


PERSONAS = (
    Persona("citizen", "citizen@glas.example", "Мария", "Мария Петрова"),
    Persona("verified_resident", "resident@glas.example", "Георги от Сливница", "Георги Иванов", verified=True),
    Persona("advisor", "advisor@glas.example", "Елена (Бюро)", "Елена Стоянова", (Role.ADVISOR,)),
    Persona(
        "commission_member",
        "commission@glas.example",
        "Петър (Консултативна комисия)",
        "Петър Николов",
        (Role.COMMISSION_MEMBER,),
    ),
    Persona(
        "council_secretary",
        "council@glas.example",
        "Снежана (Общински съвет)",
        "Снежана Димитрова",
        (Role.COUNCIL_STAFF,),
    ),
    Persona("integrity_officer", "integrity@glas.example", "Иван (Сигнали)", "Иван Костов", (Role.INTEGRITY_OFFICER,)),
    Persona("researcher", "researcher@glas.example", "Десислава (Социолог)", "Десислава Василева", (Role.RESEARCHER,)),
    Persona(
        "admin", "admin@glas.example", "Администратор", "Администратор на Глас", (Role.ADMINISTRATOR,), superuser=True
    ),
)


def current_totp_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def demo_egn(birth: dt.date, serial: int) -> str:
    """A well-formed ЕГН for demo data (the checksum is right; it belongs to nobody we know)."""
    month = birth.month + (40 if birth.year >= 2000 else 20 if birth.year < 1900 else 0)
    digits = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial:03d}"
    weights = (2, 4, 8, 5, 10, 9, 7, 3, 6)
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return digits + str(0 if check == 10 else check)


def seed_personas(say: Callable[[str], Any]) -> None:
    from glas.accounts.services import account_email_confirmed, resident_verify, role_grant
    from glas.core.models import Settlement
    from glas.core.selectors import current_municipality

    municipality = current_municipality()
    created: dict[str, User] = {}
    for persona in PERSONAS:
        with transaction.atomic():
            user = User.objects.filter(email=persona.email).first()
            if user is None:
                user = User.objects.create_user(
                    persona.email,
                    DEMO_PASSWORD,
                    display_name=persona.display_name,
                    full_name=persona.full_name,
                    is_staff=persona.superuser,
                    is_superuser=persona.superuser,
                )
                EmailAddress.objects.create(user=user, email=persona.email, verified=True, primary=True)
                account_email_confirmed(user=user)
            created[persona.key] = user
    admin = created["admin"]
    for persona in PERSONAS:
        user = created[persona.key]
        for role in persona.roles:
            role_grant(actor=admin, user=user, role=role)
        if persona.roles and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    resident = created["verified_resident"]
    if resident.verification_level < VerificationLevel.VERIFIED_RESIDENT:
        settlement = Settlement.objects.get(municipality=municipality, slug="slivnitsa")
        resident_verify(
            actor=created["advisor"],
            user=resident,
            egn=demo_egn(dt.date(1968, 5, 14), 482),
            settlement=settlement,
            document="id_card",
        )
    say(f"Personas: {', '.join(p.email for p in PERSONAS)} (password {DEMO_PASSWORD})")
