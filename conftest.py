"""Shared fixtures: the Kresna municipality, its legal rules, and one persona per role."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client

from glas.accounts.demo import DEMO_TOTP_SECRET, demo_egn
from glas.accounts.models import User
from glas.accounts.roles import Role, VerificationLevel

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def kresna(db: Any) -> Any:
    from glas.core.services import municipality_load

    return municipality_load(actor=None, path=settings.GLAS_DATA_DIR / "municipalities" / "kresna.json")


@pytest.fixture
def legal_rules(db: Any) -> None:
    from glas.core.services import legal_rules_load

    legal_rules_load(actor=None, path=settings.GLAS_DATA_DIR / "legal_rules.json")


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    """Create a person: ``make_user("x@example.org", roles=[Role.ADVISOR], confirmed=True)``."""
    from glas.accounts.services import account_email_confirmed

    def factory(
        email: str,
        *,
        roles: tuple[str, ...] | list[str] = (),
        confirmed: bool = True,
        totp: bool | None = None,
        display_name: str = "",
    ) -> User:
        user = User.objects.create_user(email, PASSWORD, display_name=display_name)
        EmailAddress.objects.create(user=user, email=email, verified=confirmed, primary=True)
        if confirmed:
            account_email_confirmed(user=user)
        from django.contrib.auth.models import Group

        for role in roles:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        if totp if totp is not None else bool(roles):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        user.__dict__.pop("role_codes", None)
        return user

    return factory


@pytest.fixture
def citizen(make_user: Callable[..., User]) -> User:
    return make_user("citizen@example.org", display_name="Мария")


@pytest.fixture
def outsider(make_user: Callable[..., User]) -> User:
    """Registered, e-mail not confirmed, no role."""
    return make_user("outsider@example.org", confirmed=False)


@pytest.fixture
def advisor(make_user: Callable[..., User]) -> User:
    return make_user("advisor@example.org", roles=[Role.ADVISOR])


@pytest.fixture
def commission_member(make_user: Callable[..., User]) -> User:
    return make_user("commission@example.org", roles=[Role.COMMISSION_MEMBER])


@pytest.fixture
def council_secretary(make_user: Callable[..., User]) -> User:
    return make_user("council@example.org", roles=[Role.COUNCIL_STAFF])


@pytest.fixture
def integrity_officer(make_user: Callable[..., User]) -> User:
    return make_user("integrity@example.org", roles=[Role.INTEGRITY_OFFICER])


@pytest.fixture
def researcher(make_user: Callable[..., User]) -> User:
    return make_user("researcher@example.org", roles=[Role.RESEARCHER])


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user("admin@example.org", roles=[Role.ADMINISTRATOR])


@pytest.fixture
def verified_resident(make_user: Callable[..., User], advisor: User, kresna: Any) -> User:
    from glas.accounts.services import resident_verify
    from glas.core.models import Settlement

    user = make_user("resident@example.org", display_name="Георги")
    resident_verify(
        actor=advisor,
        user=user,
        egn=demo_egn(dt.date(1970, 1, 15), 124),
        settlement=Settlement.objects.get(slug="slivnitsa"),
        document="id_card",
    )
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.VERIFIED_RESIDENT
    return user


PERSONA_FIXTURES = [
    "citizen",
    "verified_resident",
    "advisor",
    "commission_member",
    "council_secretary",
    "integrity_officer",
    "researcher",
    "admin_user",
    "outsider",
]


@pytest.fixture(params=PERSONA_FIXTURES)
def any_persona(request: pytest.FixtureRequest) -> User:
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A test client signed in as the given person (anonymous for None)."""

    def factory(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return factory


BROWSER_ON_SQLITE_ONLY = (
    "browser tests run once, on SQLite: pages do not depend on the database "
    "(GLAS_BROWSER_ON_POSTGRES=1 runs them on PostgreSQL too)"
)


# In CI (``GLAS_CI_BALANCE=1``, set by .ci/run) these browser tests run in the PostgreSQL run
# instead: the two runs go side by side, and the SQLite one, with all the browser tests, ended
# six minutes after the PostgreSQL one; with the whole accessibility sweep moved, the
# PostgreSQL run ended three minutes after the SQLite one. With four of the sweep's nine
# personas moved, the SQLite run (new browser tests since) ended three minutes later again on
# 2026-11-30; with six, the PostgreSQL run ended 2.5 minutes later. Five move now. (The sweep
# checks the pages everyone sees for two personas only, and CI skips the collection check,
# which compare_junit.py does: each run lost about 45 s of test time.)
_SWEEP = "tests/browser/test_pages_accessibility.py::test_every_page_is_accessible_in_both_languages_for"
BROWSER_ON_POSTGRES_IN_CI = tuple(
    f"{_SWEEP}[{persona}]"
    for persona in ("admin_user", "council_secretary", "integrity_officer", "researcher", "citizen")
)
BROWSER_ON_POSTGRES_ONLY = "in CI this browser test runs once, on PostgreSQL, to balance the two runs"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres_only`` (real concurrency with row locks) are skipped on SQLite.
    Browser tests are skipped on PostgreSQL unless ``GLAS_BROWSER_ON_POSTGRES=1``: CI runs the
    suite on both databases within its time limit, and what the browser checks (markup,
    accessibility, keyboard, pages without JavaScript) is the same on both. In CI, the files in
    ``BROWSER_ON_POSTGRES_IN_CI`` run on PostgreSQL instead of SQLite."""
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    balance = os.environ.get("GLAS_CI_BALANCE") == "1"

    def moved(item: pytest.Item) -> bool:
        return balance and item.nodeid.startswith(BROWSER_ON_POSTGRES_IN_CI)

    if not on_postgres:
        skip = pytest.mark.skip(reason="needs PostgreSQL (row locks under real concurrency)")
        moved_skip = pytest.mark.skip(reason=BROWSER_ON_POSTGRES_ONLY)
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
            elif moved(item):
                item.add_marker(moved_skip)
    elif os.environ.get("GLAS_BROWSER_ON_POSTGRES") != "1":
        skip = pytest.mark.skip(reason=BROWSER_ON_SQLITE_ONLY)
        for item in items:
            if "browser" in item.keywords and not moved(item):
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """With Redis, each test starts with an empty cache: rate-limit counters live there and,
    unlike the database cache, Redis is not rolled back with the test's transaction."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache

        cache.clear()
    yield
