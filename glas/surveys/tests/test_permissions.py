"""Every role × every survey permission, against an explicit table."""

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
#                               cit  ver  adv  com  cou  int  res  adm  out  anon
EXPECTED = {
    "surveys.design_survey":   (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.run_fieldwork":   (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.view_results":    (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.enter_responses": (N,   N,   Y,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.weight_survey":   (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.analyse_results": (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.edit_reports":    (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
    "surveys.code_answers":    (N,   N,   N,   N,   N,   N,   Y,   Y,   N,   N),
}
# fmt: on


def person(request, persona):
    if persona == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=request.getfixturevalue(persona).pk)


def test_the_table_covers_every_survey_permission_except_the_object_one():
    registered = {name for name in permissions if name.startswith("surveys.")}
    assert registered == set(EXPECTED) | {"surveys.withdraw_response"}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_has_exactly_the_survey_permissions_in_the_table(request, db, perm, persona):
    assert person(request, persona).has_perm(perm) is EXPECTED[perm][PERSONAS.index(persona)]
