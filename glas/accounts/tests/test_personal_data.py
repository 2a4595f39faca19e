"""A person downloads everything Glas holds about them, and deletes their account: the row
stays, anonymised, so what they did stays attributed to "a deleted account"."""

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from glas.accounts.demo import demo_egn
from glas.accounts.models import ResidentVerification, User
from glas.accounts.roles import Role, VerificationLevel
from glas.accounts.selectors import current_consent_texts
from glas.accounts.services import consent_accept
from glas.core.models import AuditEntry, Notification, NotificationPreference
from glas.core.services import notification_preference_set, notify

PASSWORD = "correct-horse-battery-staple"  # the root conftest's password for every persona
RESIDENT_EGN = demo_egn(dt.date(1970, 1, 15), 124)  # the verified_resident fixture's number
EXPORT = reverse("accounts:data_export")
DELETE = reverse("accounts:account_delete")


def download(client):
    response = client.post(EXPORT)
    assert response.status_code == 200
    return response, json.loads(response.content)


@pytest.fixture
def neighbour(make_user):
    """Someone else, with data of their own that must never leak into another's export."""
    other = make_user("neighbour@example.org", display_name="Съседът")
    notify(recipients=[other], kind="test", title="Only for the neighbour")
    return other


# --- Export -------------------------------------------------------------------------------------------


def test_the_export_page_is_shown_on_get_and_downloads_nothing(client_for, citizen):
    response = client_for(citizen).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client_for, method):
    response = getattr(client_for(None), method)(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_export_is_a_json_attachment_that_is_not_cached(client_for, citizen):
    response, _data = download(client_for(citizen))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="glas-my-data-')
    assert "no-store" in response["Cache-Control"]


def test_the_export_holds_the_account_consents_notifications_and_activity(client_for, citizen):
    for consent in current_consent_texts():
        consent_accept(actor=citizen, consent=consent)
    notify(recipients=[citizen], kind="test", title="Your comment was answered", body="See the report.")
    notification_preference_set(actor=citizen, kind="*", mode="digest")

    _response, data = download(client_for(citizen))

    assert data["account"]["email"] == "citizen@example.org"
    assert data["account"]["public_name"] == "Мария"
    assert data["account"]["verification_level"] == VerificationLevel.EMAIL_CONFIRMED
    assert data["account"]["roles"] == ["citizen"]
    assert data["email_addresses"] == [{"email": "citizen@example.org", "verified": True, "primary": True}]
    assert data["resident_verification"] is None
    assert {(c["kind"], c["version"]) for c in data["consents"]} == {("terms", 1), ("privacy", 1)}
    assert [n["title"] for n in data["notifications"]] == ["Your comment was answered"]
    assert data["notification_preferences"] == [{"kind": "*", "mode": "digest"}]
    actions = [item["action"] for item in data["activity"]]
    assert "accounts.email.confirmed" in actions
    assert "accounts.consent.accepted" in actions
    assert "core.notification_preference.set" in actions


def test_the_export_shows_the_verification_masked_and_never_the_egn(client_for, verified_resident):
    response, data = download(client_for(verified_resident))
    verification = data["resident_verification"]
    assert verification["egn"] == f"••••••••{RESIDENT_EGN[-2:]}"
    assert verification["birth_date"] == "1970-01-15"
    assert verification["settlement"] == "Сливница"
    assert RESIDENT_EGN not in response.content.decode()


def test_another_persons_data_is_never_in_the_export(client_for, citizen, neighbour, advisor, verified_resident):
    # The advisor verified someone: that person's details are not the advisor's data.
    response, data = download(client_for(advisor))
    text = response.content.decode()
    for foreign in ("neighbour@example.org", "Съседът", "Only for the neighbour", "resident@example.org", "Георги"):
        assert foreign not in text
    assert data["account"]["email"] == "advisor@example.org"
    assert data["notifications"] == []
    response, _data = download(client_for(citizen))
    assert "Only for the neighbour" not in response.content.decode()


def test_the_export_needs_a_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(EXPORT).status_code == 403


def test_the_export_has_a_bounded_number_of_queries(client_for, citizen, django_assert_max_num_queries):
    notify(recipients=[citizen] * 3, kind="test", title="Hello")
    client = client_for(citizen)
    with django_assert_max_num_queries(15):
        download(client)


# --- Deletion ------------------------------------------------------------------------------------------


def delete(client, **changes):
    data = {"password": PASSWORD, "confirm": "on"}
    data.update(changes)
    return client.post(DELETE, {k: v for k, v in data.items() if v is not None})


def test_the_delete_page_asks_for_the_password_and_a_confirmation(client_for, citizen):
    response = client_for(citizen).get(DELETE)
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"password", "confirm"}


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"password": None}, id="no-password"),
        pytest.param({"password": "wrong-password"}, id="wrong-password"),
        pytest.param({"confirm": None}, id="not-confirmed"),
    ],
)
def test_deletion_needs_the_password_and_the_checkbox(client_for, citizen, changes):
    client = client_for(citizen)
    response = delete(client, **changes)
    assert response.status_code == 400
    assert set(changes) <= set(response.context["form"].errors)
    user = User.objects.get(pk=citizen.pk)
    assert user.deleted_at is None
    assert user.is_active
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_anonymous_visitors_cannot_delete_anything(client_for, citizen):
    response = delete(client_for(None))
    assert response.status_code == 302
    assert User.objects.get(pk=citizen.pk).deleted_at is None


def test_deletion_needs_a_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert delete(client).status_code == 403
    assert User.objects.get(pk=citizen.pk).deleted_at is None


def test_deleting_anonymises_the_row_and_removes_personal_data(client_for, verified_resident):
    user = verified_resident
    User.objects.filter(pk=user.pk).update(full_name="Георги Иванов")
    notify(recipients=[user], kind="test", title="Hello")
    notification_preference_set(actor=user, kind="*", mode="off")

    response = delete(client_for(user))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    row = User.objects.get(pk=user.pk)
    assert row.email != "resident@example.org"
    assert row.email.endswith("@invalid")
    assert row.full_name == ""
    assert row.display_name == ""
    assert not row.is_active
    assert not row.has_usable_password()
    assert row.deleted_at is not None
    assert row.verification_level == VerificationLevel.ANONYMOUS
    assert not ResidentVerification.objects.filter(user=row).exists()
    assert not Notification.objects.filter(recipient=row).exists()
    assert not NotificationPreference.objects.filter(user=row).exists()
    assert not EmailAddress.objects.filter(user=row).exists()
    assert not User.objects.filter(email="resident@example.org").exists()
    with translation.override("en"):
        assert row.public_name == "Deleted account"
        assert str(row) == "Deleted account"


def test_a_staff_member_who_deletes_their_account_loses_roles_and_second_factor(client_for, advisor):
    delete(client_for(advisor))
    row = User.objects.get(pk=advisor.pk)
    assert not row.groups.exists()
    assert not Authenticator.objects.filter(user=row).exists()
    assert not row.has_role(Role.ADVISOR)


def test_their_audit_entries_stay_pointing_at_the_anonymised_row(client_for, citizen):
    consent_accept(actor=citizen, consent=current_consent_texts()[0])
    before = set(AuditEntry.objects.filter(actor=citizen).values_list("pk", flat=True))
    assert before

    delete(client_for(citizen))

    after = set(AuditEntry.objects.filter(actor_id=citizen.pk).values_list("pk", flat=True))
    assert before < after
    deleted = AuditEntry.objects.get(action="accounts.account.deleted")
    assert deleted.actor_id == citizen.pk
    assert "citizen@example.org" not in repr(deleted.data)


def test_after_deletion_the_person_is_signed_out_everywhere(client_for, citizen):
    client = client_for(citizen)
    other_device = client_for(citizen)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    delete(client)

    for browser in (client, other_device):
        response = browser.get(reverse("accounts:profile"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert replay.get(reverse("accounts:profile")).status_code == 302


def test_after_deletion_the_old_password_no_longer_signs_in(client_for, citizen):
    delete(client_for(citizen))
    deleted_email = User.objects.get(pk=citizen.pk).email
    for login in ("citizen@example.org", deleted_email):
        client = Client()
        response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        assert response.status_code == 200
        assert client.get(reverse("accounts:profile")).status_code == 302


def test_deleting_twice_changes_nothing_more(client_for, citizen):
    client = client_for(citizen)
    delete(client)
    first = User.objects.get(pk=citizen.pk)
    response = delete(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    again = User.objects.get(pk=citizen.pk)
    assert (again.email, again.deleted_at) == (first.email, first.deleted_at)
    assert AuditEntry.objects.filter(action="accounts.account.deleted").count() == 1


def test_the_same_address_can_register_again_after_deletion(client_for, citizen):
    delete(client_for(citizen))
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "citizen@example.org",
            "password1": "Нова-парола-за-Кресна",
            "password2": "Нова-парола-за-Кресна",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    new = User.objects.get(email="citizen@example.org")
    assert new.pk != citizen.pk
    assert new.deleted_at is None
