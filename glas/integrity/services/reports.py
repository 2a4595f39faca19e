"""Writes for the integrity channel.

Reporters have no account here: their services take no actor and record nothing that could
identify them. Officers' services take the officer's unlocked private key where content must be
read or written. Every state change writes an audit entry (reference number and kind of change,
never content) and an event in the report's own history.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.deadlines import add_months, rule_due_date
from glas.core.exceptions import DomainError
from glas.core.selectors import rule_value
from glas.core.text import clean_plain_text
from glas.integrity import crypto, receipts
from glas.integrity.models import (
    IdentityAccess,
    IntegrityOfficer,
    RecoveryKey,
    Report,
    ReportAttachment,
    ReportEvent,
    ReportKey,
    ReportMessage,
)
from glas.integrity.uploads import CleanFile

if TYPE_CHECKING:
    from glas.accounts.models import User

TEXT_CAP = 20_000
SHORT_CAP = 500
PASSPHRASE_MIN = 12


def _require(actor: User | None, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise DomainError(_("You may not do this."), code="forbidden")


def _text(value: Any, *, field: str, cap: int, required: bool = False) -> str:
    text = clean_plain_text(value or "", cap=cap, field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    return text


def _event(report: Report, action: str, officer: IntegrityOfficer | None = None, note: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, officer=officer, note=note[:300])
    audit_log(
        actor=officer.user if officer else None,
        action=f"integrity.report.{action}",
        obj=report,
        data={"reference": report.reference},
    )


# --- Officers' keys -------------------------------------------------------------------------------


def officer_enrol(*, actor: User, passphrase: str, repeat: str) -> IntegrityOfficer:
    """An integrity officer creates their key pair; the private half is sealed under their
    passphrase. Reports received earlier become readable once another officer shares them."""
    _require(actor, "integrity.handle_reports")
    if len(passphrase) < PASSPHRASE_MIN:
        raise DomainError(
            _("Choose a passphrase of at least %(count)d characters.") % {"count": PASSPHRASE_MIN}, field="passphrase"
        )
    if passphrase != repeat:
        raise DomainError(_("The two passphrases differ."), field="repeat")
    if IntegrityOfficer.objects.filter(user=actor).exists():
        raise DomainError(_("You already have a key. Unlock it with your passphrase."))
    pair = crypto.generate_protected_keypair(passphrase)
    with transaction.atomic():
        officer = IntegrityOfficer.objects.create(
            user=actor,
            public_key=pair.public_key,
            protected_private_key=pair.protected_private_key,
            salt=pair.salt,
        )
        audit_log(
            actor=actor,
            action="integrity.officer.enrolled",
            obj=officer,
            data={"fingerprint": crypto.fingerprint(pair.public_key)},
        )
    return officer


def officer_unlock(*, officer: IntegrityOfficer, passphrase: str) -> bytes:
    try:
        return crypto.unlock_private_key(bytes(officer.protected_private_key), bytes(officer.salt), passphrase)
    except crypto.CryptoError:
        raise DomainError(_("The passphrase is not right."), field="passphrase") from None


def recovery_key_create() -> tuple[RecoveryKey, bytes]:
    """A new recovery key pair (replacing the active one); the private half is returned once."""
    public, private = crypto.generate_recovery_keypair()
    with transaction.atomic():
        RecoveryKey.objects.filter(active=True).update(active=False)
        key = RecoveryKey.objects.create(public_key=public, fingerprint=crypto.fingerprint(public))
        audit_log(actor=None, action="integrity.recovery_key.created", obj=key, data={"fingerprint": key.fingerprint})
    return key, private


def _data_key(report: Report, officer: IntegrityOfficer, private_key: X25519PrivateKey) -> bytes:
    wrapped = ReportKey.objects.filter(report=report, officer=officer).values_list("wrapped", flat=True).first()
    if wrapped is None:
        raise DomainError(_("This report has not been shared with your key yet; ask another officer to share it."))
    try:
        return crypto.unwrap_key(bytes(wrapped), private_key, report.aad("key"))
    except crypto.CryptoError:
        raise DomainError(_("Your key does not open this report.")) from None


def reports_share(
    *, actor: User, officer: IntegrityOfficer, private_key: X25519PrivateKey, to: IntegrityOfficer
) -> int:
    """Wrap every report this officer can read for another (new) officer; returns how many."""
    _require(actor, "integrity.handle_reports")
    if not to.active or to.pk == officer.pk:
        raise DomainError(_("Choose another active officer."))
    missing = Report.objects.filter(keys__officer=officer).exclude(keys__officer=to)
    shared = 0
    with transaction.atomic():
        for report in missing:
            data_key = _data_key(report, officer, private_key)
            ReportKey.objects.create(
                report=report, officer=to, wrapped=crypto.wrap_key(data_key, bytes(to.public_key), report.aad("key"))
            )
            shared += 1
        audit_log(actor=actor, action="integrity.reports.shared", obj=to, data={"reports": shared})
    return shared


# --- Reporters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    report: Report
    receipt: str


def _reference(year: int) -> str:
    prefix = f"СГ-{year}-"
    last = (
        Report.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def _store_files(
    report: Report, data_key: bytes, files: list[CleanFile], message: ReportMessage | None, saved: list[str]
) -> None:
    """Seal and store each file under a random server-side name; ``saved`` collects the names so
    that the caller can remove them if the transaction fails."""
    for clean in files:
        stored_name = f"integrity/{secrets.token_hex(16)}.bin"
        sealed = crypto.seal(data_key, clean.content, report.aad(f"file:{stored_name}"))
        name = default_storage.save(stored_name, ContentFile(sealed))
        saved.append(name)
        if name != stored_name:  # random names do not collide; refuse rather than mislabel a file
            raise DomainError(_("The file could not be stored; please try again."))
        ReportAttachment.objects.create(
            report=report,
            message=message,
            stored_name=stored_name,
            kind=clean.kind,
            size=len(clean.content),
            name=crypto.seal(data_key, clean.name.encode(), report.aad(f"file-name:{stored_name}")),
        )


def _removing_files_on_failure(saved: list[str]) -> None:
    for name in saved:
        default_storage.delete(name)


def report_submit(
    *,
    kind: str,
    context: str,
    description: str,
    persons: str = "",
    when_where: str = "",
    identity: dict[str, str] | None = None,
    files: list[CleanFile] | None = None,
    token: str = "",
) -> Submission:
    token_hash = hashlib.sha256(token.encode()).hexdigest() if token else None
    if token_hash and Report.objects.filter(submission_token=token_hash).exists():
        raise DomainError(
            _("This report has already been received. Its receipt code was shown once, when it was sent."),
            code="duplicate",
        )
    if kind not in Report.Kind.values:
        raise DomainError(_("Choose an anonymous tip or a confidential signal."), field="kind")
    if context not in Report.Context.values:
        raise DomainError(_("Choose what the report is about."), field="context")
    content = {
        "description": _text(description, field="description", cap=TEXT_CAP, required=True),
        "persons": _text(persons, field="persons", cap=SHORT_CAP * 4),
        "when_where": _text(when_where, field="when_where", cap=SHORT_CAP * 4),
    }
    person: dict[str, str] | None = None
    if kind == Report.Kind.SIGNAL:
        identity = identity or {}
        person = {
            "name": _text(identity.get("name"), field="name", cap=200, required=True),
            "contact": _text(identity.get("contact"), field="contact", cap=300, required=True),
            "relation": _text(identity.get("relation"), field="relation", cap=300),
        }
    elif identity and any((value or "").strip() for value in identity.values()):
        raise DomainError(_("An anonymous tip carries no name or contact details."), field="kind")
    officers = list(IntegrityOfficer.objects.filter(active=True))
    recovery = RecoveryKey.objects.filter(active=True).first()
    if not officers and recovery is None:
        raise DomainError(
            _(
                "The channel cannot receive reports yet: no integrity officer has been designated. "
                "Please send your signal to the Commission for Personal Data Protection (КЗЛД)."
            )
        )
    today = timezone.localdate()
    receipt = receipts.new_receipt()
    data_key = crypto.new_data_key()
    saved: list[str] = []
    try:
        with transaction.atomic():
            report = Report(
                reference=_reference(today.year),
                receipt_hash=receipts.receipt_hash(receipt),
                submission_token=token_hash,
                kind=kind,
                context=context,
                received_on=today,
                acknowledge_due=rule_due_date(today, "whistleblowing.acknowledge.term"),
                feedback_due=rule_due_date(today, "whistleblowing.feedback.term"),
                content=b"",
            )
            report.content = crypto.seal(data_key, json.dumps(content).encode(), report.aad("content"))
            report.reporter_salt = os.urandom(16)
            report.reporter_key = crypto.seal(
                receipts.reporter_secret(receipt, report.reporter_salt), data_key, report.aad("reporter")
            )
            if person is not None:
                report.identity = crypto.seal(data_key, json.dumps(person).encode(), report.aad("identity"))
            report.save()
            ReportKey.objects.bulk_create(
                [
                    ReportKey(
                        report=report,
                        officer=officer,
                        wrapped=crypto.wrap_key(data_key, bytes(officer.public_key), report.aad("key")),
                    )
                    for officer in officers
                ]
                + (
                    [
                        ReportKey(
                            report=report,
                            recovery=recovery,
                            wrapped=crypto.wrap_key(data_key, bytes(recovery.public_key), report.aad("key")),
                        )
                    ]
                    if recovery
                    else []
                )
            )
            _store_files(report, data_key, files or [], None, saved)
            _event(report, "received")
    except IntegrityError:
        _removing_files_on_failure(saved)
        raise DomainError(
            _("This report has already been received. Its receipt code was shown once, when it was sent."),
            code="duplicate",
        ) from None
    except Exception:
        _removing_files_on_failure(saved)
        raise
    return Submission(report=report, receipt=receipt)


def report_by_receipt(typed: str) -> Report | None:
    receipt = receipts.normalise(typed)
    if receipt is None:
        return None
    return Report.objects.filter(receipt_hash=receipts.receipt_hash(receipt)).first()


def reporter_key(report: Report, receipt: str) -> bytes:
    """The report's data key, opened with the reporter's receipt code (sealed at submission
    under an argon2id key derived from the code and the report's own salt)."""
    try:
        return crypto.unseal(
            receipts.reporter_secret(receipt, bytes(report.reporter_salt)),
            bytes(report.reporter_key),
            report.aad("reporter"),
        )
    except crypto.CryptoError:
        raise DomainError(_("The receipt code does not open this report.")) from None


def reporter_message_add(
    *, report: Report, data_key: bytes, body: str, files: list[CleanFile] | None = None
) -> ReportMessage:
    """The reporter adds information or answers an officer's question."""
    if report.status == Report.Status.CLOSED:
        raise DomainError(_("The report is closed; if something new has happened, file a new report."))
    text = _text(body, field="body", cap=TEXT_CAP, required=True)
    saved: list[str] = []
    try:
        with transaction.atomic():
            message = ReportMessage.objects.create(
                report=report, author=ReportMessage.Author.REPORTER, body=b"", read_by_reporter=True
            )
            message.body = crypto.seal(data_key, text.encode(), report.aad(f"message:{message.pk}"))
            message.save(update_fields=["body"])
            _store_files(report, data_key, files or [], message, saved)
            Report.objects.filter(pk=report.pk).update(last_activity_on=timezone.localdate())
            _event(report, "reporter_added_information")
    except Exception:
        _removing_files_on_failure(saved)
        raise
    return message


def report_read(*, report: Report, data_key: bytes) -> OpenReport:
    """The report as the holder of its data key reads it (an officer or the reporter)."""
    content = json.loads(crypto.unseal(data_key, bytes(report.content), report.aad("content")))
    messages = [
        OpenMessage(
            pk=message.pk,
            author=message.author,
            text=crypto.unseal(data_key, bytes(message.body), report.aad(f"message:{message.pk}")).decode(),
            created_on=message.created_on,
        )
        for message in report.messages.all()
    ]
    attachments = [
        (
            attachment,
            crypto.unseal(data_key, bytes(attachment.name), report.aad(f"file-name:{attachment.stored_name}")).decode(),
        )
        for attachment in report.attachments.all()
    ]
    return OpenReport(content=content, messages=messages, attachments=attachments)


@dataclass(frozen=True)
class OpenMessage:
    pk: int
    author: str
    text: str
    created_on: Any


@dataclass(frozen=True)
class OpenReport:
    content: dict[str, str]
    messages: list[OpenMessage]
    attachments: list[tuple[ReportAttachment, str]]


# --- Reading a report (officers) --------------------------------------------------------------------


def report_open(*, report: Report, officer: IntegrityOfficer, private_key: X25519PrivateKey) -> OpenReport:
    return report_read(report=report, data_key=_data_key(report, officer, private_key))


def attachment_read(*, attachment: ReportAttachment, data_key: bytes) -> tuple[str, bytes]:
    """The original name and content of an attachment, for the holder of the report's key."""
    report = attachment.report
    with default_storage.open(attachment.stored_name, "rb") as handle:
        sealed = handle.read()
    name = crypto.unseal(data_key, bytes(attachment.name), report.aad(f"file-name:{attachment.stored_name}")).decode()
    return name, crypto.unseal(data_key, sealed, report.aad(f"file:{attachment.stored_name}"))


def officer_data_key(*, report: Report, officer: IntegrityOfficer, private_key: X25519PrivateKey) -> bytes:
    return _data_key(report, officer, private_key)


# --- Handling (officers) -----------------------------------------------------------------------------


def _handling(actor: User, report: Report) -> IntegrityOfficer:
    _require(actor, "integrity.handle_reports")
    officer = IntegrityOfficer.objects.filter(user=actor, active=True).first()
    if officer is None:
        raise DomainError(_("Create your key first."))
    return officer


def report_acknowledge(*, actor: User, report: Report) -> Report:
    officer = _handling(actor, report)
    with transaction.atomic():
        changed = Report.objects.filter(pk=report.pk, status=Report.Status.RECEIVED).update(
            status=Report.Status.ACKNOWLEDGED, acknowledged_on=timezone.localdate()
        )
        if not changed:
            raise DomainError(_("The report has already been acknowledged."))
        report.refresh_from_db()
        _event(report, "acknowledged", officer)
    return report


def officer_message_send(
    *, actor: User, report: Report, private_key: X25519PrivateKey, body: str, feedback: bool = False
) -> ReportMessage:
    """A reply or a question to the reporter; ``feedback`` marks the feedback the law requires."""
    officer = _handling(actor, report)
    text = _text(body, field="body", cap=TEXT_CAP, required=True)
    data_key = _data_key(report, officer, private_key)
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report, author=ReportMessage.Author.OFFICER, officer=officer, body=b""
        )
        message.body = crypto.seal(data_key, text.encode(), report.aad(f"message:{message.pk}"))
        message.save(update_fields=["body"])
        updates: dict[str, Any] = {"last_activity_on": timezone.localdate()}
        if report.status in (Report.Status.RECEIVED, Report.Status.ACKNOWLEDGED):
            updates["status"] = Report.Status.IN_REVIEW
        if report.acknowledged_on is None:
            updates["acknowledged_on"] = timezone.localdate()
        if feedback and report.feedback_on is None:
            updates["feedback_on"] = timezone.localdate()
        Report.objects.filter(pk=report.pk).update(**updates)
        report.refresh_from_db()
        _event(report, "feedback_given" if feedback else "officer_replied", officer)
    return message


def report_forward(*, actor: User, report: Report, to: str) -> Report:
    officer = _handling(actor, report)
    authority = _text(to, field="to", cap=300, required=True)
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FORWARDED, forwarded_to=authority)
        report.refresh_from_db()
        _event(report, "forwarded", officer, note=authority)
    return report


def report_close(*, actor: User, report: Report, outcome: str) -> Report:
    officer = _handling(actor, report)
    if outcome not in Report.Outcome.values:
        raise DomainError(_("Choose the outcome."), field="outcome")
    if report.status == Report.Status.CLOSED:
        raise DomainError(_("The report is already closed."))
    today = timezone.localdate()
    years = int(rule_value("whistleblowing.retention", on=today))
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.CLOSED, outcome=outcome, closed_on=today, retain_until=add_months(today, 12 * years)
        )
        report.refresh_from_db()
        _event(report, "closed", officer, note=outcome)
    return report


def identity_request(*, actor: User, report: Report, reason: str) -> IdentityAccess:
    officer = _handling(actor, report)
    if report.kind != Report.Kind.SIGNAL:
        raise DomainError(_("An anonymous tip has no identity to disclose."))
    text = _text(reason, field="reason", cap=SHORT_CAP, required=True)
    with transaction.atomic():
        access = IdentityAccess.objects.create(report=report, requested_by=officer, reason=text)
        _event(report, "identity_requested", officer, note=text)
    return access


def identity_approve(*, actor: User, access: IdentityAccess) -> IdentityAccess:
    officer = _handling(actor, access.report)
    if access.requested_by_id == officer.pk:
        raise DomainError(_("A second officer must approve access to the reporter's identity."))
    with transaction.atomic():
        changed = IdentityAccess.objects.filter(pk=access.pk, approved_by__isnull=True).update(
            approved_by=officer, approved_at=timezone.now()
        )
        if not changed:
            raise DomainError(_("This request has already been approved."))
        access.refresh_from_db()
        _event(access.report, "identity_access_approved", officer)
    return access


def identity_reveal(*, actor: User, report: Report, private_key: X25519PrivateKey) -> dict[str, str]:
    """The identity, for the officer whose request another officer approved; every reading is
    recorded in the report's history."""
    officer = _handling(actor, report)
    approved = IdentityAccess.objects.filter(report=report, requested_by=officer, approved_by__isnull=False).exists()
    if not approved:
        raise DomainError(_("Access to the reporter's identity needs a request approved by a second officer."))
    if report.identity is None:
        raise DomainError(_("An anonymous tip has no identity to disclose."))
    data_key = _data_key(report, officer, private_key)
    identity: dict[str, str] = json.loads(crypto.unseal(data_key, bytes(report.identity), report.aad("identity")))
    with transaction.atomic():
        _event(report, "identity_read", officer)
    return identity


def reports_purge_expired() -> int:
    """Delete for good the reports whose retention has ended, with their files; the audit log
    keeps the registration number and the date only."""
    today = timezone.localdate()
    purged = 0
    for report in Report.objects.filter(retain_until__lt=today):
        names = list(report.attachments.values_list("stored_name", flat=True))
        reference = report.reference
        with transaction.atomic():
            report.delete()
            audit_log(actor=None, action="integrity.report.deleted", data={"reference": reference})
        for name in names:
            default_storage.delete(name)
        purged += 1
    return purged
