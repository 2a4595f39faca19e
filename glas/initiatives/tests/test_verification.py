"""Verification: the registry's answer, the official count, the dashboard's safety margin, and
notifications of signers by their preferences."""

from __future__ import annotations

import pytest
from django.utils import timezone

from glas.core.exceptions import DomainError
from glas.core.models import Notification, Settlement
from glas.core.services import notification_preference_set
from glas.initiatives import services
from glas.initiatives.models import Signature
from glas.initiatives.selectors import campaign_dashboard, signature_count


@pytest.fixture
def in_verification(collecting, promoter, council_secretary, new_egn, make_resident):
    kresna = Settlement.objects.get(slug="kresna")
    for line in range(1, 5):
        services.signature_enter_paper(
            actor=promoter,
            initiative=collecting,
            sheet_number=1,
            line_number=line,
            full_name="Иван Петров Иванов",
            egn=new_egn(),
            address="ул. Шипка 1",
            settlement=kresna,
        )
    services.signature_sign(actor=make_resident(), initiative=collecting)
    services.initiative_submit_signatures(actor=promoter, initiative=collecting)
    return services.initiative_start_verification(actor=council_secretary, initiative=collecting)


def answer(rows):
    return ("id,result,reason\n" + "".join(f"{i},{r},{why}\n" for i, r, why in rows)).encode()


def test_the_registry_answer_marks_lines_valid_and_invalid_and_moves_the_count(in_verification, council_secretary):
    ids = list(Signature.objects.order_by("pk").values_list("public_id", flat=True))
    report = services.registry_answer_import(
        actor=council_secretary,
        initiative=in_verification,
        data=answer([(ids[0], "valid", ""), (ids[1], "invalid", "няма адрес"), (ids[2], "недействителен", "повторен")]),
    )
    assert (report.valid, report.invalid, report.errors) == (1, 2, [])
    assert signature_count(in_verification) == 3
    dashboard = campaign_dashboard(in_verification)
    assert (dashboard.valid, dashboard.pending, dashboard.invalid) == (1, 2, 2)
    with pytest.raises(DomainError) as error:
        services.verification_complete(actor=council_secretary, initiative=in_verification)
    assert error.value.code == "pending"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00garbage",
        b"name,other\n1,2\n",
        b"id,result\nnot-a-uuid,valid\n",
        b"id,result\n00000000-0000-0000-0000-000000000000,valid\n",
    ],
)
def test_a_bad_registry_file_changes_nothing(in_verification, council_secretary, data):
    try:
        report = services.registry_answer_import(actor=council_secretary, initiative=in_verification, data=data)
        assert report.errors
    except DomainError as error:
        assert error.field == "file"
    assert not Signature.objects.exclude(status="counted").exists()


def test_a_wrong_result_word_is_reported_with_its_line(in_verification, council_secretary):
    signature = Signature.objects.first()
    report = services.registry_answer_import(
        actor=council_secretary, initiative=in_verification, data=answer([(signature.public_id, "maybe", "")])
    )
    assert report.errors == ["Line 2: the result must be “valid” or “invalid”."]


def test_the_official_count_and_due_date_follow_the_full_answer(in_verification, council_secretary):
    rows = [
        (s.public_id, "valid" if n % 2 == 0 else "invalid", "") for n, s in enumerate(Signature.objects.order_by("pk"))
    ]
    services.registry_answer_import(actor=council_secretary, initiative=in_verification, data=answer(rows))
    initiative = services.verification_complete(actor=council_secretary, initiative=in_verification)
    assert (initiative.official_valid, initiative.official_invalid) == (3, 2)
    assert initiative.decision_due_on > timezone.localdate()


def test_signers_are_notified_of_status_changes_by_their_preferences(
    collecting, promoter, make_resident, django_capture_on_commit_callbacks, mailoutbox
):
    loud, quiet = make_resident(email="loud@example.org"), make_resident(email="quiet@example.org")
    notification_preference_set(actor=quiet, kind="*", mode="off")
    for person in (loud, quiet):
        services.signature_sign(actor=person, initiative=collecting)
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_submit_signatures(actor=promoter, initiative=collecting)
    assert set(
        Notification.objects.filter(kind="initiatives.submitted").values_list("recipient__email", flat=True)
    ) >= {"loud@example.org", "quiet@example.org", promoter.email}
    recipients = {address for message in mailoutbox for address in message.to}
    assert "loud@example.org" in recipients and "quiet@example.org" not in recipients


def test_expected_invalid_share_comes_from_the_rule(collecting, admin_user):
    from glas.core.models import LegalRule

    LegalRule.objects.filter(key="initiatives.signatures.expected_invalid_percent").update(value=50)
    dashboard = campaign_dashboard(collecting)
    assert dashboard.expected_invalid_percent == 50
    assert dashboard.more_to_propose == 454 and dashboard.more_to_oblige == 906
