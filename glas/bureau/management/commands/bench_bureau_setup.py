"""Fill a throwaway database with synthetic bureau cases for ``bench/bureau_queue.py``, print the
number of queries of the advisor queue and the case page at two sizes, and print (as JSON) the
session cookies of a bench advisor and a bench supervisor plus some case references.

Refuses any database whose name does not contain ``bench``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from glas.accounts.demo import DEMO_TOTP_SECRET
from glas.accounts.models import User
from glas.accounts.roles import Role
from glas.bureau.models import AdvisorProfile, Case, CaseDeadline, CaseMessage, Category
from glas.core.models import Settlement

ADVISORS = 20
BATCH = 5000


def _user(email: str, *, supervisor: bool) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, display_name=email.split("@")[0])
        user.groups.add(Group.objects.get_or_create(name=Role.ADVISOR)[0])
        TOTP.activate(user, DEMO_TOTP_SECRET)
    AdvisorProfile.objects.update_or_create(user=user, defaults={"is_supervisor": supervisor, "skills": ["taxes"]})
    return user


def _session(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "glas.accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def _fill(total: int, advisors: list[User], settlements: list[Settlement]) -> None:
    rng = random.Random(7)  # noqa: S311 - synthetic data, not secrets
    existing = Case.objects.count()
    today = timezone.localdate()
    kinds = list(Case.Kind.values)
    for start in range(existing, total, BATCH):
        cases = []
        for number in range(start, min(total, start + BATCH)):
            received = today - dt.timedelta(days=rng.randrange(0, 400))
            closed = rng.random() < 0.7
            kind = rng.choice(kinds)
            cases.append(
                Case(
                    reference=f"БЮ-2025-{number + 1:06d}",
                    kind=kind,
                    channel="walk_in",
                    category=rng.choice(Category.values),
                    settlement=rng.choice(settlements),
                    status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                    outcome=Case.Outcome.ANSWERED if closed else "",
                    subject=f"Синтетичен случай {number + 1}",
                    description="Синтетичен текст за бенчмарка.",
                    name="Синтетично лице",
                    phone="0700 00 000",
                    address="гр. Кресна",
                    preferred_contact="phone",
                    consent_process=True,
                    consent_version="bench",
                    access_form="paper" if kind == Case.Kind.ZDOI else "",
                    received_on=received,
                    due_on=None if closed else received + dt.timedelta(days=14),
                    assigned_to=rng.choice(advisors) if rng.random() < 0.9 else None,
                    closed_at=timezone.now() if closed else None,
                    closed_on_time=rng.random() < 0.8 if closed else None,
                    is_demo=True,
                )
            )
        created = Case.objects.bulk_create(cases)
        CaseDeadline.objects.bulk_create(
            [
                CaseDeadline(
                    case=case,
                    kind=CaseDeadline.Kind.TARGET,
                    starts_on=case.received_on or today,
                    due_on=(case.received_on or today) + dt.timedelta(days=14),
                    rule_key="bureau.inquiry.target",
                    met_at=case.closed_at,
                )
                for case in created
            ]
        )
        CaseMessage.objects.bulk_create(
            [
                CaseMessage(case=case, kind=kind, body="Синтетично съобщение.")
                for case in created
                for kind in ("note", "reply", "citizen")
            ]
        )


def _queries(client: Client, path: str) -> int:
    """Queries of one page view, after a first view has filled the cache with the reads every
    page shares (roles, second factor, municipality), as on a running server."""
    client.get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise CommandError(f"{path} answered {response.status_code}")
    return len(captured)


def _open_request(advisor: User) -> Case | None:
    return (
        Case.objects.filter(assigned_to=advisor, kind=Case.Kind.ZDOI, status=Case.Status.OPEN).order_by("-id").first()
    )


class Command(BaseCommand):
    help = "Synthetic bureau cases for the queue benchmark (throwaway databases only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 50000])

    def handle(self, *args: Any, **options: Any) -> None:
        if "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError("Use a throwaway database whose name contains 'bench'.")
        settlements = list(Settlement.objects.all())
        if not settlements:
            raise CommandError("Load the municipality first (manage.py load_municipality).")
        advisor = _user("bench-advisor@example.invalid", supervisor=False)
        supervisor = _user("bench-supervisor@example.invalid", supervisor=True)
        advisors = [advisor] + [
            _user(f"bench-advisor-{n}@example.invalid", supervisor=False) for n in range(ADVISORS - 1)
        ]
        figures = []
        for size in sorted(options["sizes"]):
            _fill(size, advisors, settlements)
            case = Case.objects.filter(assigned_to=advisor).order_by("id").first()
            request = _open_request(advisor)
            if case is None or request is None:
                raise CommandError(
                    "No case (or no open access-to-information request) is assigned to the bench advisor."
                )
            as_advisor, as_supervisor = Client(), Client()
            as_advisor.force_login(advisor)
            as_supervisor.force_login(supervisor)
            figures.append(
                {
                    "cases": Case.objects.count(),
                    "advisor_queue": _queries(as_advisor, "/bureau/cases/"),
                    "supervisor_queue_all": _queries(as_supervisor, "/bureau/cases/?view=all"),
                    "case_page": _queries(as_advisor, f"/bureau/cases/{case.reference}/"),
                    "case_page_open_request": _queries(as_advisor, f"/bureau/cases/{request.reference}/"),
                }
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # As autovacuum would soon after such a load: statistics, and the visibility map
            # that lets the queue's counts read only their index.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE bureau_case")
        for row in figures:
            self.stderr.write(json.dumps(row))
        references = list(
            Case.objects.filter(assigned_to=advisor).order_by("-id").values_list("reference", flat=True)[:200]
        )
        output = {
            # The page advisors work on most and the heaviest: an open access-to-information
            # request offers every step (the references also hold closed cases, 70 % of them).
            "open_request": _open_request(advisor).reference,  # type: ignore[union-attr]
            "closed_case": Case.objects.filter(assigned_to=advisor, status=Case.Status.CLOSED)
            .order_by("-id")
            .values_list("reference", flat=True)
            .first(),
            "advisor_session": _session(advisor),
            "supervisor_session": _session(supervisor),
            "references": references,
            "query_counts": figures,
        }
        self.stdout.write(json.dumps(output, ensure_ascii=False))
