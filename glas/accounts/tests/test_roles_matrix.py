"""Every role × every permission of accounts and core, against an explicit table; the same
table through the staff pages; and granting roles at /staff/roles/."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from rules.permissions import permissions

from glas.accounts.models import User
from glas.accounts.roles import Role
from glas.core.models import AuditEntry

PERSONAS = [
    "citizen",
    "verified_resident",
    "advisor",
    "commission_member",
    "council_secretary",
    "integrity_officer",
    "researcher",
    "admin_user",
    "outsider",
    "anonymous",
]

Y, N = True, False
# fmt: off
# Columns in the order of PERSONAS: citizen, verified resident, advisor, commission member, council
# staff, integrity officer, researcher, administrator, outsider (e-mail not confirmed), anonymous.
#                                   cit  ver  adv  com  cou  int  res  adm  out  anon
EXPECTED = {
    "accounts.verify_resident":    (N,   N,   Y,   N,   Y,   N,   N,   N,   N,   N),
    "accounts.manage_roles":       (N,   N,   N,   N,   N,   N,   N,   Y,   N,   N),
    "accounts.export_own_data":    (Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   N),
    "accounts.delete_own_account": (Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   N),
    "core.view_staff_area":        (N,   N,   Y,   Y,   Y,   Y,   Y,   Y,   N,   N),
    "core.view_audit_log":         (N,   N,   N,   N,   N,   N,   N,   Y,   N,   N),
    "core.change_legal_rule":      (N,   N,   N,   N,   Y,   N,   N,   Y,   N,   N),
    "core.change_calendar":        (N,   N,   N,   N,   Y,   N,   N,   Y,   N,   N),
    "core.view_notifications":     (Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   N),
}
# fmt: on


def allowed(perm, persona):
    return EXPECTED[perm][PERSONAS.index(persona)]


def person(request, persona):
    """The persona as a request would see it: freshly loaded, nothing cached."""
    if persona == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=request.getfixturevalue(persona).pk)


def test_the_table_covers_every_permission_of_accounts_and_core():
    registered = {name for name in permissions if name.startswith(("accounts.", "core."))}
    assert registered == set(EXPECTED)


@pytest.mark.parametrize("perm", list(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_permission_matrix(request, persona, perm):
    assert person(request, persona).has_perm(perm) is allowed(perm, persona)


def test_a_deleted_account_has_no_permission(admin_user):
    from glas.accounts.services import account_delete

    account_delete(actor=admin_user)
    deleted = User.objects.get(pk=admin_user.pk)
    assert not any(deleted.has_perm(perm) for perm in EXPECTED)


# --- The same table through the staff pages ------------------------------------------------------------

RULE_KEY = "referendum.proposal.councillors_fraction"
PAGES = {
    "core.view_staff_area": reverse("core:staff_home"),
    "accounts.verify_resident": reverse("accounts:verification_find"),
    "accounts.manage_roles": reverse("accounts:roles"),
    "core.view_audit_log": reverse("core:audit_log"),
    "core.change_calendar": reverse("core:calendar"),
    "core.change_legal_rule": reverse("core:rule_change", args=[RULE_KEY]),
    "accounts.export_own_data": reverse("accounts:data_export"),
    "accounts.delete_own_account": reverse("accounts:account_delete"),
    "core.view_notifications": reverse("core:notifications"),
}


@pytest.mark.parametrize("perm", list(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_pages_follow_the_matrix(request, client_for, kresna, legal_rules, persona, perm):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).get(PAGES[perm])
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif allowed(perm, persona):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


# --- Granting and removing roles --------------------------------------------------------------------------


def roles_post(client, email, role, action):
    return client.post(reverse("accounts:roles"), {"email": email, "role": role, "action": action})


def groups_of(user):
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def test_administrator_grants_a_role_and_it_is_audited(client_for, admin_user, citizen):
    response = roles_post(client_for(admin_user), "CITIZEN@example.org", Role.ADVISOR, "grant")
    assert response.status_code == 302
    assert groups_of(citizen) == {"advisor"}
    entry = AuditEntry.objects.get(action="accounts.role.granted", object_id=str(citizen.pk))
    assert entry.actor == admin_user
    assert entry.data == {"role": "advisor"}
    assert User.objects.get(pk=citizen.pk).has_perm("accounts.verify_resident")


def test_granting_a_role_twice_changes_and_records_nothing_more(client_for, admin_user, advisor):
    before = AuditEntry.objects.filter(action="accounts.role.granted").count()
    assert roles_post(client_for(admin_user), advisor.email, Role.ADVISOR, "grant").status_code == 302
    assert groups_of(advisor) == {"advisor"}
    assert AuditEntry.objects.filter(action="accounts.role.granted").count() == before


def test_administrator_removes_a_role_and_it_is_audited(client_for, admin_user, advisor):
    response = roles_post(client_for(admin_user), advisor.email, Role.ADVISOR, "revoke")
    assert response.status_code == 302
    assert groups_of(advisor) == set()
    entry = AuditEntry.objects.get(action="accounts.role.revoked")
    assert entry.actor == admin_user
    assert entry.object_id == str(advisor.pk)
    assert not User.objects.get(pk=advisor.pk).has_perm("accounts.verify_resident")


def test_the_roles_page_lists_people_with_staff_roles(client_for, admin_user, advisor, citizen):
    page = client_for(admin_user).get(reverse("accounts:roles")).content.decode()
    assert advisor.email in page
    assert citizen.email not in page


def test_an_administrator_cannot_remove_their_own_administrator_role(english_client_for, admin_user):
    response = roles_post(english_client_for(admin_user), admin_user.email, Role.ADMINISTRATOR, "revoke")
    assert response.status_code == 400
    assert "You cannot remove your own administrator role." in response.content.decode()
    assert groups_of(admin_user) == {"administrator"}
    assert not AuditEntry.objects.filter(action="accounts.role.revoked").exists()


def test_an_administrator_may_remove_another_administrator(client_for, admin_user, make_user):
    other = make_user("admin2@example.org", roles=[Role.ADMINISTRATOR])
    assert roles_post(client_for(admin_user), other.email, Role.ADMINISTRATOR, "revoke").status_code == 302
    assert groups_of(other) == set()


@pytest.mark.parametrize(
    ("email", "role", "action", "field"),
    [
        pytest.param("nobody@example.org", Role.ADVISOR, "grant", "email", id="unknown-person"),
        pytest.param("not-an-email", Role.ADVISOR, "grant", "email", id="malformed-email"),
        pytest.param("citizen@example.org", "superuser", "grant", "role", id="unknown-role"),
        pytest.param("citizen@example.org", Role.VERIFIED_RESIDENT, "grant", "role", id="verified-resident-by-hand"),
        pytest.param("citizen@example.org", Role.CITIZEN, "grant", "role", id="citizen-by-hand"),
        pytest.param("citizen@example.org", Role.ADVISOR, "promote", None, id="unknown-action"),
        pytest.param("citizen@example.org", Role.ADVISOR, "", None, id="no-action"),
    ],
)
def test_bad_role_requests_are_form_errors(client_for, admin_user, citizen, email, role, action, field):
    response = roles_post(client_for(admin_user), email, role, action)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert (field or "__all__") in errors
    assert groups_of(citizen) == set()
    assert not AuditEntry.objects.filter(action__startswith="accounts.role.").exists()


def test_a_deleted_account_cannot_be_given_a_role(client_for, admin_user, citizen):
    from glas.accounts.services import account_delete

    account_delete(actor=citizen)
    deleted_email = User.objects.get(pk=citizen.pk).email
    assert roles_post(client_for(admin_user), deleted_email, Role.ADVISOR, "grant").status_code == 400
    assert groups_of(citizen) == set()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in {"admin_user", "anonymous"}])
def test_only_administrators_may_change_roles(request, client_for, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert roles_post(client, user.email, Role.ADMINISTRATOR, "grant").status_code == 403
    assert "administrator" not in groups_of(user)
    assert not AuditEntry.objects.filter(action__startswith="accounts.role.").exists()


def test_anonymous_visitors_cannot_change_roles(client_for, citizen):
    response = roles_post(client_for(None), citizen.email, Role.ADMINISTRATOR, "grant")
    assert response.status_code == 302
    assert not Group.objects.get(name="administrator").user_set.exists()
