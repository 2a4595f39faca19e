"""Set up (or check) the signing benchmark: ``bench/initiative_signing.py`` runs it.

Creates a Kresna referendum proposal in collection and ``--signers`` verified residents with a
signed-in session each, and prints JSON (the initiative's public id and the path of a file of
session keys). ``--check <public id>`` prints the rows that count, the counter and the distinct
signers instead. Refuses any database whose name does not contain ``bench``.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from glas.accounts import egn as egn_module
from glas.accounts.demo import demo_egn
from glas.accounts.models import ResidentVerification, User
from glas.accounts.roles import VerificationLevel
from glas.core.models import Settlement

BENCH_DOMAIN = "bench.example.invalid"


class Command(BaseCommand):
    help = "Create (or check) the data of the initiative signing benchmark (bench databases only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--signers", type=int, default=20000)
        parser.add_argument("--sessions-file", type=Path, default=settings.BASE_DIR / "var" / "bench-sessions.txt")
        parser.add_argument("--check", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if "bench" not in str(settings.DATABASES["default"]["NAME"]):
            raise CommandError("Refusing: the database name must contain 'bench'.")
        if options["check"]:
            self._check(options["check"])
            return
        from glas.core.services import legal_rules_load, municipality_load

        municipality = municipality_load(
            actor=None, path=settings.GLAS_DATA_DIR / "municipalities" / f"{settings.GLAS_MUNICIPALITY}.json"
        )
        legal_rules_load(actor=None, path=settings.GLAS_DATA_DIR / "legal_rules.json")
        initiative = self._initiative(municipality)
        keys = self._signers(options["signers"], Settlement.objects.get(municipality=municipality, slug="kresna"))
        options["sessions_file"].parent.mkdir(parents=True, exist_ok=True)
        options["sessions_file"].write_text("\n".join(keys))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_minimal_row (id bigserial PRIMARY KEY, at timestamptz)")
        self.stdout.write(
            json.dumps({"initiative": str(initiative.public_id), "sessions": str(options["sessions_file"])})
        )

    def _person(self, email: str, **extra: Any) -> User:
        from allauth.account.models import EmailAddress

        from glas.accounts.services import account_email_confirmed

        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, full_name=email.split("@")[0], **extra)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            account_email_confirmed(user=user)
            user.refresh_from_db()
        return user

    def _initiative(self, municipality: Any) -> Any:
        from django.contrib.auth.models import Group

        from glas.initiatives import services
        from glas.initiatives.models import Initiative

        promoter = self._person(f"promoter@{BENCH_DOMAIN}")
        council = self._person(f"council@{BENCH_DOMAIN}")
        council.groups.add(Group.objects.get_or_create(name="council_staff")[0])
        council.__dict__.pop("role_codes", None)
        initiative = services.initiative_create(
            actor=promoter,
            municipality=municipality,
            kind="referendum",
            title="Бенчмарк: подписка",
            question="Въпрос?",
            is_demo=True,
        )
        for n in range(2):
            member = self._person(f"member{n}@{BENCH_DOMAIN}")
            invited, _token = services.committee_member_invite(
                actor=promoter, initiative=initiative, full_name=f"Член Комитетов {n}", email=member.email
            )
            services.committee_member_confirm(actor=member, member=invited)
        services.initiative_submit_for_review(actor=promoter, initiative=initiative)
        services.initiative_review(
            actor=council, initiative=initiative, admissible=True, reasons="Бенчмарк, допустимо."
        )
        services.initiative_open_collection(
            actor=promoter, initiative=initiative, closes_on=timezone.localdate() + dt.timedelta(days=30)
        )
        return Initiative.objects.get(pk=initiative.pk)

    def _signers(self, count: int, settlement: Settlement) -> list[str]:
        engine = import_module(settings.SESSION_ENGINE)
        start = User.objects.filter(email__startswith="signer").count()
        users = [
            User(email=f"signer{start + n}@{BENCH_DOMAIN}", verification_level=VerificationLevel.VERIFIED_RESIDENT)
            for n in range(count)
        ]
        for user in users:
            user.set_unusable_password()
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=2000)
        verifier = User.objects.get(email=f"council@{BENCH_DOMAIN}")
        verifications = []
        for n, user in enumerate(users, start=start):
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=n // 900)
            value = demo_egn(birth, n % 900 + 50)
            verifications.append(
                ResidentVerification(
                    user=user,
                    egn_hash=egn_module.keyed_hash(value),
                    egn_last2=value[-2:],
                    birth_date=birth,
                    settlement=settlement,
                    document="id_card",
                    verified_by=verifier,
                )
            )
        ResidentVerification.objects.bulk_create(verifications, batch_size=2000)
        # Sessions are written in bulk to the database (the cached backend reads them from there
        # on a cache miss): one session.create() each takes minutes for tens of thousands.
        from django.contrib.sessions.models import Session

        expire = timezone.now() + dt.timedelta(days=1)
        sessions = []
        for user in users:
            store = engine.SessionStore()
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "glas.accounts.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(
                Session(session_key=store._get_new_session_key(), session_data=store.encode(data), expire_date=expire)
            )
        Session.objects.bulk_create(sessions, batch_size=2000)
        if engine.__name__.endswith("cached_db"):
            # As after a real login, the sessions are in the cache too (cached_db writes both).
            from django.contrib.sessions.backends.cached_db import KEY_PREFIX
            from django.core.cache import caches

            cache = caches[settings.SESSION_CACHE_ALIAS]
            for first in range(0, len(sessions), 2000):
                cache.set_many(
                    {
                        KEY_PREFIX + row.session_key: store.decode(row.session_data)
                        for row in sessions[first : first + 2000]
                    },
                    timeout=86400,
                )
        return [session.session_key for session in sessions]

    def _check(self, public_id: str) -> None:
        from glas.initiatives.models import Initiative, Signature
        from glas.initiatives.selectors import signature_count

        initiative = Initiative.objects.get(public_id=public_id)
        counting = Signature.objects.filter(initiative=initiative, status__in=Signature.COUNTING)
        self.stdout.write(
            json.dumps(
                {
                    "rows": counting.count(),
                    "counter": signature_count(initiative),
                    "distinct": counting.values("identity_key").distinct().count(),
                    "held": Signature.objects.filter(initiative=initiative, status="held").count(),
                }
            )
        )
