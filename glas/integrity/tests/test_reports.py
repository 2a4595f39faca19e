"""Filing and handling reports through the services: encryption, receipts, deadlines, identity."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection
from django.utils import timezone

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.integrity import receipts, services
from glas.integrity.models import IdentityAccess, Report, ReportEvent
from glas.integrity.tests.conftest import key_of
from glas.integrity.uploads import CleanFile

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Кметският наместник взема подкуп от фирма Бетон ЕООД"


def tip(**kwargs):
    return services.report_submit(kind="tip", context="corruption", description=SECRET_TEXT, **kwargs)


def signal():
    return services.report_submit(
        kind="signal",
        context="conflict_of_interest",
        description=SECRET_TEXT,
        identity={"name": "Иван Подателев", "contact": "0888123456", "relation": "служител"},
    )


def test_nothing_a_reporter_wrote_is_stored_in_clear(officer):
    submission = services.report_submit(
        kind="signal",
        context="corruption",
        description=SECRET_TEXT,
        identity={"name": "Иван Подателев", "contact": "0888123456"},
        files=[CleanFile(kind="txt", content=SECRET_TEXT.encode(), name="бележка.txt")],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, identity FROM integrity_report")
        content, identity = cursor.fetchone()
    for blob in (bytes(content), bytes(identity)):
        assert SECRET_TEXT.encode() not in blob and "Подателев".encode() not in blob
    stored = submission.report.attachments.get()
    with default_storage.open(stored.stored_name, "rb") as handle:
        assert SECRET_TEXT.encode() not in handle.read()
    assert "бележка".encode() not in bytes(stored.name)
    assert stored.stored_name.startswith("integrity/") and stored.stored_name.endswith(".bin")


def test_the_officer_reads_the_report_with_the_unlocked_key(officer):
    report = signal().report
    opened = services.report_open(report=report, officer=officer, private_key=key_of(officer))
    assert opened.content["description"] == SECRET_TEXT


def test_the_receipt_has_twenty_digits_and_only_its_hash_is_stored(officer):
    submission = tip()
    assert len(submission.receipt) == 20 and submission.receipt.isdigit()
    report = Report.objects.get()
    assert submission.receipt not in report.receipt_hash
    assert services.report_by_receipt(receipts.display(submission.receipt)) == report
    assert services.report_by_receipt(submission.receipt[:-1] + str((int(submission.receipt[-1]) + 1) % 10)) is None
    assert services.report_by_receipt("not a code") is None


def test_the_reporter_opens_the_report_with_the_receipt_and_reads_the_reply(officer, integrity_officer):
    submission = tip()
    report = submission.report
    services.officer_message_send(
        actor=integrity_officer, report=report, private_key=key_of(officer), body="Моля, уточнете."
    )
    data_key = services.reporter_key(report, submission.receipt)
    services.reporter_message_add(report=report, data_key=data_key, body="Уточнение")
    opened = services.report_read(report=report, data_key=data_key)
    assert [m.text for m in opened.messages] == ["Моля, уточнете.", "Уточнение"]
    with pytest.raises(DomainError, match="does not open"):
        services.reporter_key(report, "1" * 20)


def test_a_tip_carries_no_identity_and_a_signal_needs_one(officer):
    with pytest.raises(DomainError, match="carries no name"):
        tip(identity={"name": "Иван", "contact": ""})
    with pytest.raises(DomainError, match="required"):
        services.report_submit(kind="signal", context="ethics", description="x", identity={"name": "Иван"})
    with pytest.raises(DomainError):
        services.report_submit(kind="rumour", context="ethics", description="x")
    with pytest.raises(DomainError):
        services.report_submit(kind="tip", context="gossip", description="x")
    assert not Report.objects.exists()


def test_the_database_refuses_an_identity_on_a_tip(officer):
    report = tip().report
    with pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(identity=b"x")


def test_deadlines_come_from_the_legal_rules_and_skip_holidays(officer):
    # +7 days is 24 December, a public holiday, as are the 25th and the 26th (a Saturday, so Monday the
    # 28th is a day off in its place) and Sunday the 27th: the term ends on Tuesday the 29th
    with time_machine.travel(dt.datetime(2026, 12, 17, 10, tzinfo=dt.UTC), tick=False):
        report = tip().report
    assert report.acknowledge_due == dt.date(2026, 12, 29)
    assert report.feedback_due == dt.date(2027, 3, 17)


def test_a_form_sent_twice_files_one_report(officer):
    tip(token="same-token")
    with pytest.raises(DomainError) as refused:
        tip(token="same-token")
    assert refused.value.code == "duplicate"
    assert Report.objects.count() == 1


def test_the_channel_refuses_reports_nobody_could_read():
    with pytest.raises(DomainError, match="no integrity officer"):
        tip()


def test_identity_needs_a_second_officers_approval(officer, second_officer, integrity_officer):
    report = signal().report
    access = services.identity_request(actor=integrity_officer, report=report, reason="Нужна е за проверката")
    with pytest.raises(DomainError, match="second officer must approve"):
        services.identity_approve(actor=integrity_officer, access=access)
    with pytest.raises(DomainError, match="approved by a second officer"):
        services.identity_reveal(actor=integrity_officer, report=report, private_key=key_of(officer))
    services.identity_approve(actor=second_officer.user, access=access)
    identity = services.identity_reveal(actor=integrity_officer, report=report, private_key=key_of(officer))
    assert identity["name"] == "Иван Подателев"
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions[-3:] == ["identity_requested", "identity_access_approved", "identity_read"]


def test_the_database_refuses_an_officer_approving_their_own_request(officer, integrity_officer):
    report = signal().report
    access = services.identity_request(actor=integrity_officer, report=report, reason="r")
    with pytest.raises(IntegrityError):
        IdentityAccess.objects.filter(pk=access.pk).update(approved_by=officer)


def test_a_tip_has_no_identity_to_disclose(officer, integrity_officer):
    with pytest.raises(DomainError, match="no identity"):
        services.identity_request(actor=integrity_officer, report=tip().report, reason="r")


def test_a_new_officer_reads_earlier_reports_once_they_are_shared(officer, integrity_officer, make_user):
    from glas.accounts.roles import Role

    report = tip().report
    newcomer_user = make_user("integrity3@example.org", roles=[Role.INTEGRITY_OFFICER])
    newcomer = services.officer_enrol(
        actor=newcomer_user, passphrase="another long passphrase", repeat="another long passphrase"
    )
    with pytest.raises(DomainError, match="not been shared"):
        services.report_open(report=report, officer=newcomer, private_key=key_of(newcomer, "another long passphrase"))
    shared = services.reports_share(actor=integrity_officer, officer=officer, private_key=key_of(officer), to=newcomer)
    assert shared == 1
    opened = services.report_open(
        report=report, officer=newcomer, private_key=key_of(newcomer, "another long passphrase")
    )
    assert opened.content["description"] == SECRET_TEXT


def test_other_roles_cannot_handle_reports(officer, advisor, council_secretary, admin_user):
    report = tip().report
    for person in (advisor, council_secretary, admin_user):
        with pytest.raises(DomainError, match="You may not do this"):
            services.report_acknowledge(actor=person, report=report)


def test_an_expired_report_and_its_files_are_deleted_for_good(officer, integrity_officer):
    report = tip(files=[CleanFile(kind="txt", content=b"evidence", name="a.txt")]).report
    stored = report.attachments.get().stored_name
    services.report_close(actor=integrity_officer, report=report, outcome="not_confirmed")
    report.refresh_from_db()
    assert report.retain_until == timezone.localdate().replace(year=timezone.localdate().year + 5)
    assert services.reports_purge_expired() == 0
    after = dt.datetime.combine(report.retain_until + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(after, tick=False):
        assert services.reports_purge_expired() == 1
    assert not Report.objects.exists() and not default_storage.exists(stored)
    entry = AuditEntry.objects.get(action="integrity.report.deleted")
    assert entry.data == {"reference": report.reference}


def test_a_closed_report_takes_no_more_information(officer, integrity_officer):
    submission = tip()
    services.report_close(actor=integrity_officer, report=submission.report, outcome="no_grounds")
    submission.report.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        services.reporter_message_add(
            report=submission.report, data_key=services.reporter_key(submission.report, submission.receipt), body="x"
        )
