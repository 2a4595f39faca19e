"""Roles, the second-factor state and the municipality are cached across requests when the
cache is fast (``CACHE_HOT_READS``), and a change to any of them is seen on the very next
request, whoever makes it and however (``glas/core/hotcache.py``)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glas.accounts.models import User
from glas.accounts.roles import Role
from glas.core.models import Settlement
from glas.core.selectors import all_settlements, current_municipality_or_none

ACTIVATE = reverse("mfa_activate_totp")


@pytest.fixture
def hot(settings):
    """Hot reads on, whatever the cache (the database cache works too, only slower), outside a
    test transaction so that values are stored as in production."""
    settings.CACHE_HOT_READS = True
    cache.clear()
    yield
    cache.clear()


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def group_queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return sum('"auth_group"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_roles_are_read_once_and_every_change_is_seen(hot, make_user):
    user = make_user("adviser@example.org", roles=[Role.ADVISOR])
    assert fresh(user).has_role(Role.ADVISOR)
    assert group_queries(lambda: fresh(user).role_codes) == 0  # from the cache

    group = Group.objects.get(name=Role.ADVISOR)
    user.groups.remove(group)
    assert not fresh(user).has_role(Role.ADVISOR)
    group.user_set.add(user)  # the other side of the relation
    assert fresh(user).has_role(Role.ADVISOR)
    group.user_set.clear()
    assert not fresh(user).has_role(Role.ADVISOR)
    user.groups.add(group)
    assert fresh(user).has_role(Role.ADVISOR)
    group.name = "renamed"
    group.save()
    assert not fresh(user).has_role(Role.ADVISOR)
    group.delete()
    assert fresh(user).role_codes == frozenset({str(Role.CITIZEN)})


@pytest.mark.django_db(transaction=True)
def test_a_role_granted_in_a_rolled_back_transaction_is_never_cached(hot, make_user):
    from django.db import transaction

    user = make_user("someone@example.org")
    group = Group.objects.create(name=Role.ADVISOR)
    with pytest.raises(RuntimeError), transaction.atomic():
        user.groups.add(group)
        assert fresh(user).has_role(Role.ADVISOR)  # read inside: not stored
        raise RuntimeError
    assert not fresh(user).has_role(Role.ADVISOR)


@pytest.mark.django_db(transaction=True)
def test_removing_the_second_factor_is_seen_on_the_next_request(hot, make_user, client_for):
    user = make_user("staff@example.org", roles=[Role.ADVISOR])
    client = client_for(user)
    assert client.get(reverse("core:staff_home")).status_code == 200
    assert client.get(reverse("core:staff_home")).status_code == 200  # cached
    Authenticator.objects.filter(user=user).delete()
    response = client.get(reverse("core:staff_home"))
    assert response.status_code == 302 and response["Location"] == ACTIVATE


@pytest.mark.django_db(transaction=True)
def test_the_municipality_is_cached_until_it_changes(hot, kresna):
    assert current_municipality_or_none().name == "Кресна"
    with CaptureQueriesContext(connection) as queries:
        current_municipality_or_none()
    assert not [q for q in queries.captured_queries if "core_municipality" in q["sql"]]
    kresna.name_en = "Kresna (renamed)"
    kresna.save()
    assert current_municipality_or_none().name_en == "Kresna (renamed)"


@pytest.mark.django_db(transaction=True)
def test_the_settlements_are_cached_until_one_changes(hot, kresna):
    assert [s.slug for s in all_settlements()][0] == "kresna"  # the town first
    with CaptureQueriesContext(connection) as queries:
        all_settlements()
    assert not [q for q in queries.captured_queries if "core_settlement" in q["sql"]]
    place = Settlement.objects.get(slug="oshtava")
    place.name = "Ощава (ново име)"
    place.save()
    assert "Ощава (ново име)" in [s.name for s in all_settlements()]
    added = Settlement.objects.create(municipality=kresna, kind="village", name="Ново село", slug="novo-selo")
    assert "novo-selo" in [s.slug for s in all_settlements()]
    added.delete()
    assert "novo-selo" not in [s.slug for s in all_settlements()]


@pytest.mark.django_db
def test_model_permissions_never_widen_a_glas_permission(make_user):
    """Django creates a model permission named like the rule "bureau.view_case"; granting it
    to a group must not let its members see cases: the rules alone decide."""
    citizen = make_user("citizen@example.org")
    group = Group.objects.create(name="clerks")
    for codename in ("view_case", "view_service"):
        group.permissions.add(Permission.objects.get(codename=codename, content_type__app_label="bureau"))
    citizen.groups.add(group)
    citizen = fresh(citizen)
    assert not citizen.has_perm("bureau.view_case") and not citizen.has_perm("bureau.work_cases")
    # A permission no rule defines is still Django's (the admin site uses those).
    assert citizen.has_perm("bureau.view_service")


@pytest.mark.django_db
def test_superusers_keep_every_permission(make_user):
    root = User.objects.create_superuser("root@example.org", "correct-horse-battery-staple")
    assert root.has_perm("bureau.supervise") and root.has_perm("bureau.change_case")


@pytest.mark.django_db(transaction=True)
def test_the_unread_count_is_cached_and_every_new_or_read_notification_is_seen(hot, make_user, client):
    from glas.core import services
    from glas.core.models import Notification
    from glas.core.selectors import unread_notification_count

    user = make_user("reader@example.org")
    other = make_user("other@example.org")
    assert unread_notification_count(user) == 0
    with CaptureQueriesContext(connection) as queries:
        assert unread_notification_count(user) == 0
    assert not [q for q in queries.captured_queries if "core_notification" in q["sql"]]

    services.notify(recipients=[user, other], kind="test", title="One")
    services.notify(recipients=[user], kind="test", title="Two")
    assert unread_notification_count(user) == 2 and unread_notification_count(other) == 1

    client.force_login(user)
    assert '<span class="badge">2' in client.get(reverse("core:notifications")).content.decode()
    assert client.post(reverse("core:notifications_mark_read")).status_code in (200, 302)
    assert unread_notification_count(user) == 0 and unread_notification_count(other) == 1

    Notification.objects.filter(recipient=other).delete()  # a queryset delete sends post_delete per row
    assert unread_notification_count(other) == 0


@pytest.mark.django_db(transaction=True)
def test_the_bureau_supervisor_flag_is_cached_and_every_change_is_seen(hot, make_user):
    from glas.bureau.models import AdvisorProfile

    advisor = make_user("advisor-hot@example.org", roles=[Role.ADVISOR])
    assert not fresh(advisor).has_perm("bureau.supervise")
    profile = AdvisorProfile.objects.create(user=advisor, is_supervisor=True)
    assert fresh(advisor).has_perm("bureau.supervise")
    with CaptureQueriesContext(connection) as queries:
        assert fresh(advisor).has_perm("bureau.supervise")
    assert not [q for q in queries.captured_queries if "bureau_advisorprofile" in q["sql"]]
    profile.is_supervisor = False
    profile.save()
    assert not fresh(advisor).has_perm("bureau.supervise")
    profile.is_supervisor = True
    profile.save()
    assert fresh(advisor).has_perm("bureau.supervise")
    profile.delete()
    assert not fresh(advisor).has_perm("bureau.supervise")
