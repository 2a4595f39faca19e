"""Role × permission matrix: only the intended pairs pass."""

from __future__ import annotations

import pytest

PERMS = [
    "initiatives.create_initiative",
    "initiatives.review_initiative",
    "initiatives.verify_signatures",
    "initiatives.record_decision",
    "initiatives.enter_paper_signatures",
    "initiatives.manage_initiative",
]
COUNCIL = {"council_secretary", "admin_user"}
EXPECTED = {
    "initiatives.create_initiative": {
        "citizen",
        "verified_resident",
        "advisor",
        "commission_member",
        "council_secretary",
        "integrity_officer",
        "researcher",
        "admin_user",
    },
    "initiatives.review_initiative": COUNCIL,
    "initiatives.verify_signatures": COUNCIL,
    "initiatives.record_decision": COUNCIL,
    # The draft's promoter is the citizen persona: the committee runs its own initiative.
    "initiatives.enter_paper_signatures": COUNCIL | {"citizen"},
    "initiatives.manage_initiative": {"citizen"},
}


@pytest.mark.parametrize("perm", PERMS)
def test_role_permission_matrix(request, perm, draft):
    from conftest import PERSONA_FIXTURES

    allowed = {name for name in PERSONA_FIXTURES if request.getfixturevalue(name).has_perm(perm, draft)}
    assert allowed == EXPECTED[perm]


def test_the_promoter_and_confirmed_members_manage_their_initiative_only(draft, promoter, make_user):
    from glas.initiatives import services

    member, _token = services.committee_member_invite(
        actor=promoter, initiative=draft, full_name="Член Комитетов Първи", email="m@example.org"
    )
    person = make_user("m@example.org")
    assert not person.has_perm("initiatives.manage_initiative", draft)
    services.committee_member_confirm(actor=person, member=member)
    assert person.has_perm("initiatives.manage_initiative", draft)
    assert promoter.has_perm("initiatives.enter_paper_signatures", draft)
