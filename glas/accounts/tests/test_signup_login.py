"""Sign-up, e-mail confirmation, login, throttling, password reset and sessions (allauth over HTTP)."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from glas.accounts.models import ConsentAcceptance, ConsentText, User
from glas.accounts.roles import VerificationLevel
from glas.accounts.selectors import current_consent_texts
from glas.core.models import AuditEntry

PASSWORD = "correct-horse-battery-staple"  # the root conftest's password for every persona
NEW_PASSWORD = "Струма-през-Кресна-2026"
NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)


def english_client():
    return Client(headers={"Accept-Language": "en"})


def sign_up(client, email="new.person@example.org", **changes):
    data = {
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Нов човек",
        "accept_terms": "on",
    }
    data.update(changes)
    return client.post(reverse("account_signup"), {k: v for k, v in data.items() if v is not None})


def log_in(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def link_in(message, path_prefix):
    match = re.search(rf"http://testserver({re.escape(path_prefix)}\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def signed_in_user(client):
    response = client.get(reverse("accounts:profile"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


# --- Sign-up ----------------------------------------------------------------------------------------


def test_sign_up_records_the_current_terms_and_privacy_texts_and_sends_a_confirmation(db):
    response = sign_up(Client())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert user.display_name == "Нов човек"
    assert user.verification_level == VerificationLevel.ANONYMOUS
    accepted = set(ConsentAcceptance.objects.filter(user=user).values_list("consent__kind", "consent__version"))
    assert accepted == {(text.kind, text.version) for text in current_consent_texts()}
    assert {kind for kind, _version in accepted} == {"terms", "privacy"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert link_in(mail.outbox[0], "/accounts/confirm-email/")


def test_sign_up_accepts_the_newest_version_of_each_text(db):
    newer = ConsentText.objects.create(kind="privacy", version=2, title="Поверителност v2", body="…")
    sign_up(Client())
    user = User.objects.get(email="new.person@example.org")
    privacy = ConsentAcceptance.objects.filter(user=user, consent__kind="privacy")
    assert [acceptance.consent for acceptance in privacy] == [newer]


def test_sign_up_without_accepting_the_terms_is_refused(db):
    response = sign_up(english_client(), accept_terms=None)
    assert response.status_code == 200  # allauth shows the form again
    assert "You need to accept the terms of use and the privacy notice to register." in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert not ConsentAcceptance.objects.exists()
    assert mail.outbox == []


def test_sign_up_stores_the_email_in_lower_case(db):
    sign_up(Client(), email="  New.Person@Example.ORG ")
    assert User.objects.filter(email="new.person@example.org").exists()


def test_sign_up_with_an_address_already_registered_creates_no_second_account(citizen):
    response = sign_up(Client(), email="CITIZEN@example.org")
    # The same answer as for a new address, so nobody learns who is registered.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="citizen@example.org").count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"password2": "something-else-entirely"}, id="passwords-differ"),
        pytest.param({"password1": "short", "password2": "short"}, id="too-short"),
        pytest.param({"password1": "1234567890123", "password2": "1234567890123"}, id="only-digits"),
        pytest.param({"email": "not-an-address"}, id="bad-email"),
        pytest.param({"display_name": "Мария\u202eиначе"}, id="bidi-in-name"),
        pytest.param({"display_name": "x" * 101}, id="name-too-long"),
    ],
)
def test_bad_sign_up_data_creates_no_account(db, changes):
    response = sign_up(Client(), **changes)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.count() == 0


def test_extra_fields_at_sign_up_are_ignored(db):
    sign_up(
        Client(),
        is_staff="on",
        is_superuser="on",
        is_active="off",
        verification_level="2",
        groups="1",
        language="xx",
    )
    user = User.objects.get(email="new.person@example.org")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active
    assert user.verification_level == VerificationLevel.ANONYMOUS
    assert not user.groups.exists()
    assert user.language in dict(settings.LANGUAGES)


# --- Confirmation ------------------------------------------------------------------------------------


def test_confirming_the_email_raises_the_level_to_one_and_is_audited(db):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        confirm_url = link_in(mail.outbox[0], "/accounts/confirm-email/")
        assert client.get(confirm_url).status_code == 200  # confirming needs a POST
        user = User.objects.get(email="new.person@example.org")
        assert user.verification_level == VerificationLevel.ANONYMOUS
        response = client.post(confirm_url)
        assert signed_in_user(client) == user
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.EMAIL_CONFIRMED
    entry = AuditEntry.objects.get(action="accounts.email.confirmed")
    assert entry.actor == user
    assert entry.object_id == str(user.pk)
    assert entry.created_at == NOW


def test_confirming_twice_records_one_confirmation(db):
    client = Client()
    sign_up(client)
    confirm_url = link_in(mail.outbox[0], "/accounts/confirm-email/")
    client.post(confirm_url)
    Client().post(confirm_url)
    assert AuditEntry.objects.filter(action="accounts.email.confirmed").count() == 1


def test_a_guessed_confirmation_key_confirms_nothing(db):
    sign_up(Client())
    response = Client().post(reverse("account_confirm_email", args=["MQ:guessed:key"]))
    assert response.status_code == 404
    assert User.objects.get(email="new.person@example.org").verification_level == VerificationLevel.ANONYMOUS


def test_an_unconfirmed_account_cannot_sign_in(outsider):
    client = Client()
    response = log_in(client, "outsider@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client) is None


# --- Login -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["citizen@example.org", "CITIZEN@EXAMPLE.ORG", "  Citizen@Example.org  "])
def test_login_by_email_in_any_case(citizen, written):
    client = Client()
    response = log_in(client, written)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert signed_in_user(client) == citizen


def test_a_wrong_password_does_not_sign_in(citizen):
    client = english_client()
    response = log_in(client, "citizen@example.org", "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_user(client) is None


def test_after_five_failed_attempts_even_the_right_password_is_refused_for_five_minutes(citizen, make_user):
    neighbour = make_user("neighbour@example.org")
    client = english_client()
    with time_machine.travel(NOW, tick=False) as traveller:
        for _attempt in range(5):
            log_in(client, "citizen@example.org", "wrong-password")
        response = log_in(client, "citizen@example.org")
        assert response.status_code == 200
        assert "Too many failed login attempts" in response.content.decode()
        assert signed_in_user(client) is None
        # Another person signing in from the same place is not locked out.
        assert log_in(Client(), neighbour.email).status_code == 302
        traveller.shift(dt.timedelta(minutes=5, seconds=1))
        assert log_in(client, "citizen@example.org").status_code == 302
        assert signed_in_user(client) == citizen


def test_the_lockout_holds_for_the_address_written_differently(citizen):
    client = english_client()
    with time_machine.travel(NOW, tick=False):
        for _attempt in range(5):
            log_in(client, "citizen@example.org", "wrong-password")
        response = log_in(client, "CITIZEN@Example.org")
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user(client) is None


def test_ten_failures_from_one_address_in_a_minute_block_that_address(make_user):
    victim = make_user("victim@example.org")
    client = english_client()
    with time_machine.travel(NOW, tick=False):
        for number in range(10):
            log_in(client, f"someone{number}@example.org", "wrong-password")
        response = log_in(client, victim.email)
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user(client) is None


def test_successful_logins_do_not_count_as_failures(citizen):
    with time_machine.travel(NOW, tick=False):
        for _attempt in range(7):
            client = Client()
            assert log_in(client, "citizen@example.org").status_code == 302


# --- Sessions ---------------------------------------------------------------------------------------


def test_the_session_key_changes_at_login(citizen):
    client = Client()
    session = client.session  # an anonymous session, as an attacker could plant it
    session["planted"] = True
    session.save()
    planted_key = session.session_key
    log_in(client, "citizen@example.org")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted_key
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    assert signed_in_user(attacker) is None
    assert signed_in_user(client) == citizen


def test_after_logout_the_old_session_cookie_no_longer_works(citizen):
    client = Client()
    log_in(client, "citizen@example.org")
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("account_logout")).status_code == 302
    assert signed_in_user(client) is None
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_logout_needs_a_post(citizen):
    client = Client()
    log_in(client, "citizen@example.org")
    client.get(reverse("account_logout"))
    assert signed_in_user(client) == citizen


# --- Password reset --------------------------------------------------------------------------------------


def request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_password_reset_link_works_once(citizen):
    client = english_client()
    assert request_reset(client, "Citizen@Example.org").status_code == 302
    link = link_in(mail.outbox[-1], "/accounts/password/reset/key/")
    response = client.get(link)
    assert response.status_code == 302  # the key moves into the session, out of the address bar
    set_password_url = response["Location"]
    assert set_password_url != link
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=citizen.pk).check_password(NEW_PASSWORD)

    # The same link again, in a fresh browser: refused, and the password stays.
    again = english_client()
    response = again.get(link, follow=True)
    assert response.context["token_fail"] is True
    again.post(link, {"password1": "yet-another-password-99", "password2": "yet-another-password-99"})
    assert User.objects.get(pk=citizen.pk).check_password(NEW_PASSWORD)

    assert log_in(Client(), "citizen@example.org", PASSWORD).status_code == 200
    assert log_in(Client(), "citizen@example.org", NEW_PASSWORD).status_code == 302


def test_a_guessed_reset_link_is_refused(citizen):
    response = english_client().get("/accounts/password/reset/key/1-guessed-0123456789abcdef/", follow=True)
    assert response.context["token_fail"] is True


def test_resetting_for_an_unknown_address_says_the_same_and_sends_no_reset_link(db):
    response = request_reset(Client(), "nobody@example.org")
    assert response.status_code == 302
    assert all("/accounts/password/reset/key/" not in message.body for message in mail.outbox)


def test_changing_the_password_ends_other_sessions(citizen):
    other_device = Client()
    log_in(other_device, "citizen@example.org")
    client = Client()
    log_in(client, "citizen@example.org")
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert User.objects.get(pk=citizen.pk).check_password(NEW_PASSWORD)
    assert signed_in_user(other_device) is None


# --- Profile --------------------------------------------------------------------------------------------


def test_extra_fields_on_the_profile_are_ignored(client_for, citizen):
    response = client_for(citizen).post(
        reverse("accounts:profile"),
        {
            "full_name": "Мария Петрова",
            "display_name": "Мария",
            "language": "en",
            "is_staff": "on",
            "is_superuser": "on",
            "verification_level": "2",
            "email": "someone-else@example.org",
            "deleted_at": "2020-01-01",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=citizen.pk)
    assert user.full_name == "Мария Петрова"
    assert user.language == "en"
    assert not user.is_staff
    assert not user.is_superuser
    assert user.verification_level == VerificationLevel.EMAIL_CONFIRMED
    assert user.email == "citizen@example.org"
    assert user.deleted_at is None


@pytest.mark.parametrize(
    "display_name",
    [
        pytest.param("Мария\x00", id="nul"),
        pytest.param("Мария\u200b", id="zero-width"),
        pytest.param("\u202eайраМ", id="bidi-override"),
        pytest.param("М" * 101, id="too-long"),
    ],
)
def test_bad_names_on_the_profile_are_a_400(client_for, citizen, display_name):
    response = client_for(citizen).post(
        reverse("accounts:profile"), {"full_name": "", "display_name": display_name, "language": "bg"}
    )
    assert response.status_code == 400
    assert "display_name" in response.context["form"].errors
    assert User.objects.get(pk=citizen.pk).display_name == "Мария"


def test_profile_changes_are_audited(client_for, citizen):
    client_for(citizen).post(reverse("accounts:profile"), {"full_name": "", "display_name": "М.", "language": "bg"})
    entry = AuditEntry.objects.get(action="accounts.profile.updated", actor=citizen)
    assert entry.data == {"fields": ["full_name", "display_name", "language"]}


def test_the_language_chosen_in_the_profile_applies_after_login(make_user):
    user = make_user("english@example.org")
    User.objects.filter(pk=user.pk).update(language="en")
    response = log_in(Client(), "english@example.org")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
