"""Every role × the council permission against an explicit table; the same table through the
staff pages; and the public pages open to everyone, signed in or not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
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
#                                cit  ver  adv  com  cou  int  res  adm  out  anon
EXPECTED = {
    "council.manage_registry":  (N,   N,   N,   N,   Y,   N,   N,   Y,   N,   N),
}
# fmt: on


def person(request, persona):
    if persona == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=request.getfixturevalue(persona).pk)


def test_the_table_covers_every_council_permission():
    assert {name for name in permissions if name.startswith("council.")} == set(EXPECTED)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_has_exactly_the_council_permissions_in_the_table(request, db, perm, persona):
    assert person(request, persona).has_perm(perm) is EXPECTED[perm][PERSONAS.index(persona)]


def staff_pages(decision):
    session = decision.session
    return {
        "home": ("get", reverse("council:staff_home"), {}),
        "session-new": ("get", reverse("council:staff_session_create"), {}),
        "session": ("get", reverse("council:staff_session", args=[session.pk]), {}),
        "session-edit": ("get", reverse("council:staff_session_edit", args=[session.pk]), {}),
        "decision-new": ("get", reverse("council:staff_decision_create", args=[session.pk]), {}),
        "decision-edit": ("get", reverse("council:staff_decision_edit", args=[decision.public_id]), {}),
        "votes": ("get", reverse("council:staff_votes", args=[decision.public_id]), {}),
        "import": ("get", reverse("council:staff_import"), {}),
        "agenda-add": ("post", reverse("council:staff_agenda_add", args=[session.pk]), {"title": "Точка"}),
        "minutes": ("post", reverse("council:staff_minutes", args=[session.pk]), {"text": "Протокол"}),
    }


PAGE_NAMES = [
    "home",
    "session-new",
    "session",
    "session-edit",
    "decision-new",
    "decision-edit",
    "votes",
    "import",
    "agenda-add",
    "minutes",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_pages_follow_the_matrix(request, client_for, decision, persona, page):
    from glas.council.models import AgendaItem, Minutes

    method, url, data = staff_pages(decision)[page]
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = getattr(client_for(user), method)(url, data)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif EXPECTED["council.manage_registry"][PERSONAS.index(persona)]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert not AgendaItem.objects.exists()
        assert not Minutes.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_public_pages_are_open_to_everyone(request, client_for, decision, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    councillor = decision.votes.first().councillor
    for url in [
        reverse("council:home"),
        reverse("council:councillor", args=[councillor.pk]),
        reverse("council:session_list"),
        reverse("council:session", args=[decision.session.pk]),
        reverse("council:decision_list"),
        decision.get_absolute_url(),
    ]:
        assert client.get(url).status_code == 200, url
