"""Every role × every consultation permission, against an explicit table."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions

from glas.accounts.models import User

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
#                                        cit  ver  adv  com  cou  int  res  adm  out  anon
EXPECTED = {
    "consultations.manage_draft":       (N,   N,   N,   N,   Y,   N,   N,   Y,   N,   N),
    "consultations.answer_proposals":   (N,   N,   N,   N,   Y,   N,   N,   N,   N,   N),
    "consultations.publish_report":     (N,   N,   N,   N,   Y,   N,   N,   N,   N,   N),
    "consultations.moderate":           (N,   N,   N,   N,   Y,   N,   N,   Y,   N,   N),
    "consultations.enter_proposals":    (N,   N,   Y,   N,   Y,   N,   N,   Y,   N,   N),
    "consultations.take_part":          (Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   N,   N),
    "consultations.subscribe":          (Y,   Y,   Y,   Y,   Y,   Y,   Y,   Y,   N,   N),
}
# fmt: on


def person(request, persona):
    if persona == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=request.getfixturevalue(persona).pk)


def test_the_table_covers_every_consultation_permission():
    assert {name for name in permissions if name.startswith("consultations.")} == set(EXPECTED)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_has_exactly_the_consultation_permissions_in_the_table(request, db, perm, persona):
    assert person(request, persona).has_perm(perm) is EXPECTED[perm][PERSONAS.index(persona)]
