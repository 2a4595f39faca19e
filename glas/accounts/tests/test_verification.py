"""Resident verification at /staff/residents/: an advisor or council staff checks a person in
person; the ЕГН is kept only as a keyed hash and its last two digits, once per person."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from glas.accounts.demo import demo_egn
from glas.accounts.egn import keyed_hash
from glas.accounts.models import ResidentVerification, User
from glas.accounts.roles import Role, VerificationLevel
from glas.accounts.services import account_delete
from glas.core.models import AuditEntry

EGN = demo_egn(dt.date(1984, 7, 9), 357)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
NOW = dt.datetime(2026, 3, 16, 10, 30, tzinfo=dt.UTC)


def find_url():
    return reverse("accounts:verification_find")


def verify_url(person):
    return reverse("accounts:verify_resident", args=[person.pk])


def revoke_url(person):
    return reverse("accounts:verification_revoke", args=[person.pk])


def verification_form(place, egn=EGN, **changes):
    data = {"egn": egn, "settlement": place.pk, "document": "id_card", "address_checked": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def verified_entries():
    return AuditEntry.objects.filter(action="accounts.resident.verified")


def everything_stored():
    """Every value in every table, plus the decoded sessions, as one string."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the schema
            parts.extend(repr(row) for row in cursor.fetchall())
    parts.extend(repr(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(parts)


# --- Finding the person ----------------------------------------------------------------------


def test_advisor_finds_a_person_by_email_written_in_any_case(client_for, advisor, citizen, kresna):
    response = client_for(advisor).get(find_url(), {"email": "  Citizen@EXAMPLE.org "})
    assert response.status_code == 302
    assert response["Location"] == verify_url(citizen)


def test_an_unknown_email_is_a_field_error(english_client_for, advisor, kresna):
    response = english_client_for(advisor).get(find_url(), {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert "No account has this e-mail address" in response.content.decode()


def test_a_malformed_email_is_a_field_error(client_for, advisor, kresna):
    response = client_for(advisor).get(find_url(), {"email": "not an address<script>"})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()


def test_a_deleted_account_cannot_be_found_or_opened(client_for, advisor, citizen, kresna):
    account_delete(actor=citizen)
    client = client_for(advisor)
    assert client.get(find_url(), {"email": "citizen@example.org"}).status_code == 400
    assert client.get(verify_url(citizen)).status_code == 404


def test_an_unknown_person_is_404(client_for, advisor, kresna):
    assert client_for(advisor).get(reverse("accounts:verify_resident", args=[999_999])).status_code == 404


# --- Verifying ------------------------------------------------------------------------------------


@pytest.mark.parametrize("staff", ["advisor", "council_secretary"])
def test_advisor_and_council_staff_verify_a_resident(request, client_for, citizen, slivnitsa, staff):
    actor = request.getfixturevalue(staff)
    response = client_for(actor).post(verify_url(citizen), verification_form(slivnitsa))
    assert response.status_code == 302
    assert response["Location"] == verify_url(citizen)
    verification = ResidentVerification.objects.get(user=citizen)
    assert verification.egn_hash == keyed_hash(EGN)
    assert verification.egn_last2 == EGN[-2:]
    assert verification.birth_date == dt.date(1984, 7, 9)
    assert verification.settlement == slivnitsa
    assert verification.verified_by == actor
    citizen = User.objects.get(pk=citizen.pk)
    assert citizen.verification_level == VerificationLevel.VERIFIED_RESIDENT
    assert citizen.has_role(Role.VERIFIED_RESIDENT)


def test_the_egn_is_stored_in_no_table_in_clear(client_for, advisor, citizen, slivnitsa):
    client_for(advisor).post(verify_url(citizen), verification_form(slivnitsa, egn=f"{EGN[:6]} {EGN[6:]}"))
    assert ResidentVerification.objects.filter(user=citizen).exists()
    stored = everything_stored()
    assert keyed_hash(EGN) in stored  # the scan does see the verification
    assert EGN not in stored
    assert f"{EGN[:6]} {EGN[6:]}" not in stored
    entry = verified_entries().get()
    assert EGN not in repr(entry.data)
    assert EGN not in repr(User.objects.filter(pk=citizen.pk).values().get())


def test_the_page_shows_the_egn_masked(client_for, advisor, citizen, slivnitsa):
    client = client_for(advisor)
    client.post(verify_url(citizen), verification_form(slivnitsa))
    page = client.get(verify_url(citizen)).content.decode()
    assert f"••••••••{EGN[-2:]}" in page
    assert EGN not in page
    assert EGN[:6] not in page


def test_the_audit_entry_records_who_verified_whom_and_when(client_for, advisor, citizen, slivnitsa):
    with time_machine.travel(NOW, tick=False):
        client_for(advisor).post(verify_url(citizen), verification_form(slivnitsa))
    entry = verified_entries().get()
    assert entry.actor == advisor
    assert entry.content_type.model_class() is User
    assert entry.object_id == str(citizen.pk)
    assert entry.created_at == NOW
    assert entry.data == {"settlement": "slivnitsa", "document": "id_card", "egn": f"••••••••{EGN[-2:]}"}
    assert ResidentVerification.objects.get(user=citizen).verified_at == NOW


def test_the_verified_person_sees_their_status_on_their_profile(client_for, verified_resident):
    page = client_for(verified_resident).get(reverse("accounts:profile")).content.decode()
    assert "Сливница" in page


def test_second_account_with_the_same_egn_is_rejected(english_client_for, advisor, citizen, make_user, slivnitsa):
    other = make_user("other@example.org")
    client = english_client_for(advisor)
    client.post(verify_url(citizen), verification_form(slivnitsa))
    # The same number typed in full-width digits with a dash is still the same number.
    typed_differently = f"{EGN[:6]}-{EGN[6:]}".translate(FULL_WIDTH)
    response = client.post(verify_url(other), verification_form(slivnitsa, egn=typed_differently))
    assert response.status_code == 400
    assert "Another account is already verified with this ЕГН" in " ".join(response.context["form"].errors["egn"])
    assert EGN not in response.content.decode()
    assert typed_differently not in response.content.decode()
    assert ResidentVerification.objects.count() == 1
    assert User.objects.get(pk=other.pk).verification_level == VerificationLevel.EMAIL_CONFIRMED
    assert verified_entries().count() == 1


def test_a_person_cannot_be_verified_twice(english_client_for, advisor, verified_resident, slivnitsa):
    response = english_client_for(advisor).post(
        verify_url(verified_resident), verification_form(slivnitsa, egn=demo_egn(dt.date(1991, 2, 3), 10))
    )
    assert response.status_code == 400
    assert "already verified" in response.content.decode()
    assert ResidentVerification.objects.get(user=verified_resident).egn_hash == keyed_hash(
        demo_egn(dt.date(1970, 1, 15), 124)
    )


def test_self_verification_is_refused(english_client_for, advisor, slivnitsa):
    response = english_client_for(advisor).post(verify_url(advisor), verification_form(slivnitsa))
    assert response.status_code == 400
    assert "You cannot verify your own account." in response.context["form"].non_field_errors()
    assert not ResidentVerification.objects.exists()
    assert not verified_entries().exists()


def test_an_account_without_confirmed_email_cannot_be_verified(english_client_for, advisor, outsider, slivnitsa):
    client = english_client_for(advisor)
    assert "has not confirmed their e-mail address" in client.get(verify_url(outsider)).content.decode()
    response = client.post(verify_url(outsider), verification_form(slivnitsa))
    assert response.status_code == 400
    assert "must confirm their e-mail address first" in response.content.decode()
    assert User.objects.get(pk=outsider.pk).verification_level == VerificationLevel.ANONYMOUS


def test_the_address_check_must_be_ticked(client_for, advisor, citizen, slivnitsa):
    response = client_for(advisor).post(verify_url(citizen), verification_form(slivnitsa, address_checked=None))
    assert response.status_code == 400
    assert "address_checked" in response.context["form"].errors
    assert not ResidentVerification.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"settlement": "999999"}, id="unknown-settlement"),
        pytest.param({"settlement": "1 OR 1=1"}, id="settlement-sql"),
        pytest.param({"document": "library_card"}, id="unknown-document"),
    ],
)
def test_unknown_choices_are_field_errors(client_for, advisor, citizen, slivnitsa, changes):
    response = client_for(advisor).post(verify_url(citizen), verification_form(slivnitsa, **changes))
    assert response.status_code == 400
    assert set(changes) <= set(response.context["form"].errors)
    assert not ResidentVerification.objects.exists()


BAD_EGNS = [
    pytest.param(EGN[:9] + str((int(EGN[9]) + 1) % 10), id="bad-checksum"),
    pytest.param(EGN[:9], id="too-short"),
    pytest.param(EGN + "1", id="too-long"),
    pytest.param(EGN[:4] + "ab" + EGN[6:], id="letters"),
    pytest.param("7002311240", id="31-february"),
    pytest.param("7013011240", id="month-13"),
    pytest.param("5555555555", id="all-same-digits"),
    pytest.param(demo_egn(dt.date(2026, 3, 17), 357), id="born-tomorrow"),
    pytest.param(demo_egn(dt.date(1906, 3, 15), 357), id="older-than-120-years"),
    pytest.param(EGN[:5] + "\x00" + EGN[5:], id="nul"),
    pytest.param(EGN[:5] + "\u200b" + EGN[5:], id="zero-width-space"),
    pytest.param("\u202e" + EGN, id="bidi-override"),
    pytest.param("7" * 100_000, id="huge"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("bad_egn", BAD_EGNS)
def test_invalid_egn_is_a_field_error(client_for, advisor, citizen, slivnitsa, bad_egn):
    with time_machine.travel(NOW, tick=False):
        response = client_for(advisor).post(verify_url(citizen), verification_form(slivnitsa, egn=bad_egn))
    assert response.status_code == 400
    assert response.context["form"].errors["egn"]
    assert not ResidentVerification.objects.exists()
    assert not verified_entries().exists()
    assert User.objects.get(pk=citizen.pk).verification_level == VerificationLevel.EMAIL_CONFIRMED


def test_the_page_has_a_bounded_number_of_queries(
    client_for, advisor, verified_resident, django_assert_max_num_queries
):
    client = client_for(advisor)
    with django_assert_max_num_queries(15):
        assert client.get(verify_url(verified_resident)).status_code == 200


# --- Revoking ---------------------------------------------------------------------------------------


def test_revoking_needs_a_reason(english_client_for, advisor, verified_resident):
    response = english_client_for(advisor).post(revoke_url(verified_resident), {"reason": "   "})
    assert response.status_code == 400
    assert "reason" in response.context["revoke_form"].errors
    assert ResidentVerification.objects.filter(user=verified_resident).exists()
    assert not AuditEntry.objects.filter(action="accounts.resident.verification_revoked").exists()


def test_revoking_with_a_reason_is_audited_and_lowers_the_level(client_for, council_secretary, verified_resident):
    response = client_for(council_secretary).post(
        revoke_url(verified_resident), {"reason": "Permanent address moved to Sofia"}
    )
    assert response.status_code == 302
    assert not ResidentVerification.objects.filter(user=verified_resident).exists()
    assert User.objects.get(pk=verified_resident.pk).verification_level == VerificationLevel.EMAIL_CONFIRMED
    entry = AuditEntry.objects.get(action="accounts.resident.verification_revoked")
    assert entry.actor == council_secretary
    assert entry.object_id == str(verified_resident.pk)
    assert entry.data == {"reason": "Permanent address moved to Sofia"}


def test_revoking_someone_who_is_not_verified_is_a_400(english_client_for, advisor, citizen, kresna):
    response = english_client_for(advisor).post(revoke_url(citizen), {"reason": "Mistake"})
    assert response.status_code == 400
    assert "This person is not verified." in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.resident.verification_revoked").exists()


def test_revoking_by_get_is_not_allowed(client_for, advisor, verified_resident):
    assert client_for(advisor).get(revoke_url(verified_resident)).status_code == 405
    assert ResidentVerification.objects.filter(user=verified_resident).exists()


def test_after_revoking_the_same_egn_can_be_verified_again(client_for, advisor, verified_resident, slivnitsa):
    client = client_for(advisor)
    client.post(revoke_url(verified_resident), {"reason": "Wrong settlement"})
    same = demo_egn(dt.date(1970, 1, 15), 124)
    assert client.post(verify_url(verified_resident), verification_form(slivnitsa, egn=same)).status_code == 302
    assert ResidentVerification.objects.get(user=verified_resident).egn_hash == keyed_hash(same)


# --- Who may ---------------------------------------------------------------------------------------

OTHERS = [
    "citizen",
    "verified_resident",
    "commission_member",
    "integrity_officer",
    "researcher",
    "admin_user",
    "outsider",
]


@pytest.mark.parametrize("persona", OTHERS)
def test_people_without_the_permission_get_403_everywhere(request, client_for, make_user, slivnitsa, persona):
    user = request.getfixturevalue(persona)
    target = make_user("target@example.org")
    client = client_for(user)
    assert client.get(find_url(), {"email": "target@example.org"}).status_code == 403
    assert client.get(verify_url(target)).status_code == 403
    assert client.post(verify_url(target), verification_form(slivnitsa)).status_code == 403
    assert client.post(revoke_url(target), {"reason": "x"}).status_code == 403
    assert not ResidentVerification.objects.filter(user=target).exists()


def test_anonymous_visitors_are_sent_to_login(client_for, citizen, slivnitsa):
    client = client_for(None)
    for response in (
        client.get(find_url()),
        client.get(verify_url(citizen)),
        client.post(verify_url(citizen), verification_form(slivnitsa)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not ResidentVerification.objects.exists()


# --- Deleted and re-registered ----------------------------------------------------------------------------


def test_an_account_deleted_and_registered_again_can_be_verified_with_the_same_egn(
    client_for, advisor, citizen, make_user, slivnitsa
):
    client = client_for(advisor)
    client.post(verify_url(citizen), verification_form(slivnitsa))
    account_delete(actor=citizen)
    again = make_user("citizen@example.org")
    response = client.post(verify_url(again), verification_form(slivnitsa, egn=f"{EGN[:6]} {EGN[6:]}"))
    assert response.status_code == 302
    assert ResidentVerification.objects.get().user == again
    assert User.objects.get(pk=again.pk).verification_level == VerificationLevel.VERIFIED_RESIDENT
    assert verified_entries().count() == 2
