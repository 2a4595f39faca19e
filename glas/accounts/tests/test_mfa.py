"""Every staff role needs a TOTP second factor; citizens are never asked for one."""

import datetime as dt

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from glas.accounts.demo import DEMO_TOTP_SECRET, current_totp_code
from glas.accounts.models import User
from glas.accounts.roles import STAFF_ROLES, Role

PASSWORD = "correct-horse-battery-staple"  # the root conftest's password for every persona
NOW = dt.datetime(2026, 11, 2, 8, 15, 7, tzinfo=dt.UTC)
ACTIVATE = reverse("mfa_activate_totp")
AUTHENTICATE = reverse("mfa_authenticate")


def log_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def is_signed_in(client):
    return client.get(reverse("accounts:profile")).status_code == 200


# --- The middleware ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("path", [reverse("core:staff_home"), reverse("accounts:profile"), reverse("core:home")])
def test_staff_without_totp_are_sent_to_set_it_up(client_for, make_user, role, path):
    user = make_user("staff@example.org", roles=[role], totp=False)
    response = client_for(user).get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_an_htmx_request_from_staff_without_totp_sends_the_whole_page_to_set_it_up(client_for, make_user):
    """Not the setup page swapped into a fragment of the page (glas.core.middleware)."""
    client = client_for(make_user("staff@example.org", roles=[Role.ADVISOR], totp=False))
    response = client.get(reverse("core:notifications"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == ACTIVATE


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_with_totp_pass(client_for, make_user, role):
    client = client_for(make_user("staff@example.org", roles=[role], totp=True))
    assert client.get(reverse("core:staff_home")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_superuser_without_totp_is_sent_to_set_it_up(client_for, make_user):
    user = make_user("root@example.org")
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    response = client_for(User.objects.get(pk=user.pk)).get(reverse("accounts:profile"))
    assert response["Location"] == ACTIVATE


CITIZEN_PAGES = [
    reverse("accounts:profile"),
    reverse("core:home"),
    reverse("accounts:consents"),
    reverse("core:notifications"),
]


@pytest.mark.parametrize("persona", ["citizen", "verified_resident", "outsider"])
@pytest.mark.parametrize("path", CITIZEN_PAGES)
def test_citizens_are_never_asked_for_a_second_factor(request, client_for, persona, path):
    user = request.getfixturevalue(persona)
    assert not Authenticator.objects.filter(user=user).exists()
    assert client_for(user).get(path).status_code == 200


def test_staff_without_totp_can_still_reach_the_setup_and_sign_out(client_for, make_user):
    client = client_for(make_user("staff@example.org", roles=[Role.ADVISOR], totp=False))
    # allauth asks for the password again before it shows a secret; that page is reachable too.
    reauthenticate = client.get(ACTIVATE)["Location"]
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    assert client.get(reauthenticate).status_code == 200
    assert client.post(reauthenticate, {"password": PASSWORD})["Location"] == ACTIVATE
    assert client.get(ACTIVATE).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert not is_signed_in(client)


def test_a_role_granted_later_requires_totp_from_the_next_request(client_for, admin_user, citizen):
    client = client_for(citizen)
    assert client.get(reverse("accounts:profile")).status_code == 200
    client_for(admin_user).post(
        reverse("accounts:roles"), {"email": citizen.email, "role": Role.COMMISSION_MEMBER, "action": "grant"}
    )
    assert client.get(reverse("accounts:profile"))["Location"] == ACTIVATE


# --- Login with a second factor ------------------------------------------------------------------------


def test_staff_login_asks_for_the_code_and_accepts_the_right_one(advisor):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        response = log_in(client, advisor.email)
        assert response.status_code == 302
        assert response["Location"] == AUTHENTICATE
        assert not is_signed_in(client)  # the password alone is not enough
        assert client.get(AUTHENTICATE).status_code == 200
        response = client.post(AUTHENTICATE, {"code": current_totp_code(DEMO_TOTP_SECRET)})
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:profile")
        assert client.get(reverse("core:staff_home")).status_code == 200


def test_a_code_computed_by_an_authenticator_app_is_accepted(council_secretary):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        log_in(client, council_secretary.email)
        client.post(AUTHENTICATE, {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
        assert is_signed_in(client)


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", "", "1" * 1000, "12345\x00"])
def test_a_wrong_code_does_not_sign_in(advisor, code):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        log_in(client, advisor.email)
        assert code != current_totp_code(DEMO_TOTP_SECRET)
        response = client.post(AUTHENTICATE, {"code": code})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not is_signed_in(client)


def test_a_code_from_a_minute_ago_is_refused(advisor):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        old_code = pyotp.TOTP(DEMO_TOTP_SECRET).at(NOW - dt.timedelta(seconds=90))
        log_in(client, advisor.email)
        client.post(AUTHENTICATE, {"code": old_code})
        assert not is_signed_in(client)


def test_a_code_cannot_be_used_twice(advisor):
    code = pyotp.TOTP(DEMO_TOTP_SECRET).at(NOW)
    with time_machine.travel(NOW, tick=False):
        first = Client()
        log_in(first, advisor.email)
        first.post(AUTHENTICATE, {"code": code})
        assert is_signed_in(first)
        second = Client()
        log_in(second, advisor.email)
        second.post(AUTHENTICATE, {"code": code})
        assert not is_signed_in(second)


def test_the_code_page_without_a_password_first_signs_in_nobody(advisor):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.post(AUTHENTICATE, {"code": current_totp_code(DEMO_TOTP_SECRET)})
        assert not is_signed_in(client)


def test_citizens_sign_in_with_the_password_alone(citizen):
    client = Client()
    response = log_in(client, citizen.email)
    assert response["Location"] == reverse("accounts:profile")
    assert is_signed_in(client)


def test_a_new_staff_member_sets_up_totp_after_their_first_login(make_user):
    user = make_user("new.staff@example.org", roles=[Role.ADVISOR], totp=False)
    client = Client()
    with time_machine.travel(NOW, tick=False):
        log_in(client, user.email)
        assert client.get(reverse("core:staff_home"))["Location"] == ACTIVATE
        # allauth asks for the password once more before it shows a new secret.
        reauthenticate = client.get(ACTIVATE)["Location"]
        assert reauthenticate.startswith(reverse("account_reauthenticate"))
        assert client.post(reauthenticate, {"password": PASSWORD})["Location"] == ACTIVATE
        page = client.get(ACTIVATE)
        assert page.status_code == 200
        secret = page.context["form"].secret
        wrong = client.post(ACTIVATE, {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
        assert wrong.status_code == 200
        assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        client.post(ACTIVATE, {"code": pyotp.TOTP(secret).now()})
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert client.get(reverse("core:staff_home")).status_code == 200
