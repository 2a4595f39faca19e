"""Verification by the civil registry (ГД „ГРАО“): the audited export, the import of the
registry's answer, conditional bulk invalidation and the official count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.deadlines import rule_due_date
from glas.core.exceptions import DomainError
from glas.initiatives.models import Initiative, Signature
from glas.initiatives.services.common import clean_text, move_to, require, require_status
from glas.initiatives.services.signing import counter_add

if TYPE_CHECKING:
    from glas.accounts.models import User

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_LINES = 200_000
VALID_WORDS = {"valid", "действителен", "1", "yes", "да"}
INVALID_WORDS = {"invalid", "недействителен", "0", "no", "не"}


def signatures_export_log(*, actor: User, initiative: Initiative, fmt: str) -> None:
    """Record who downloaded the list for the registry (never the data)."""
    require(actor, "initiatives.verify_signatures", initiative)
    with transaction.atomic():
        audit_log(actor=actor, action="initiatives.signatures.exported", obj=initiative, data={"format": fmt})


@dataclass
class ImportReport:
    valid: int = 0
    invalid: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _set_status(signature: Signature, status: str, reason: str) -> bool:
    if signature.status == status:
        return False
    was_counting = signature.counts
    signature.status = status
    signature.review_reason = reason[:300]
    signature.save(update_fields=["status", "review_reason"])
    now_counting = signature.counts
    if was_counting != now_counting:
        counter_add(signature.initiative_id, signature.settlement_id, +1 if now_counting else -1)
    return True


def registry_answer_import(*, actor: User, initiative: Initiative, data: bytes) -> ImportReport:
    """Apply the registry's answer: a CSV with the columns ``id`` (the line id of the export),
    ``result`` (valid / invalid) and ``reason``. Lines with errors are reported and skipped;
    a file with any error changes nothing."""
    require(actor, "initiatives.verify_signatures", initiative)
    require_status(initiative, Initiative.Status.VERIFICATION)
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(_("The file is too large."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The file must be a CSV file in UTF-8."), field="file") from None
    if "\x00" in text:
        raise DomainError(_("The file must be a CSV file in UTF-8."), field="file")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"id", "result"} <= {name.strip().lower() for name in reader.fieldnames}:
        raise DomainError(_("The file needs the columns id, result and reason."), field="file")
    report = ImportReport()
    answers: dict[uuid.UUID, tuple[str, str]] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_IMPORT_LINES:
            raise DomainError(_("The file has too many lines."), field="file")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        try:
            line_id = uuid.UUID(row.get("id", ""))
        except ValueError:
            report.errors.append(_("Line %(n)s: the id is not one of this list's ids.") % {"n": number})
            continue
        result = row.get("result", "").lower()
        status: str
        if result in VALID_WORDS:
            status = Signature.Status.VALID
        elif result in INVALID_WORDS:
            status = Signature.Status.INVALID
        else:
            report.errors.append(_("Line %(n)s: the result must be “valid” or “invalid”.") % {"n": number})
            continue
        answers[line_id] = (status, row.get("reason", "")[:300])
    if report.errors:
        return report
    with transaction.atomic():
        signatures = {
            s.public_id: s
            for s in Signature.objects.select_for_update()
            .filter(initiative=initiative, public_id__in=list(answers))
            .exclude(status__in=[Signature.Status.WITHDRAWN, Signature.Status.HELD])
        }
        missing = [line_id for line_id in answers if line_id not in signatures]
        if missing:
            report.errors.append(_("%(n)s ids are not signatures of this list.") % {"n": len(missing)})
            return report
        for line_id, (status, reason) in answers.items():
            changed = _set_status(signatures[line_id], status, reason)
            if not changed:
                report.unchanged += 1
            elif status == Signature.Status.VALID:
                report.valid += 1
            else:
                report.invalid += 1
        audit_log(
            actor=actor,
            action="initiatives.registry_answer.imported",
            obj=initiative,
            data={"valid": report.valid, "invalid": report.invalid, "unchanged": report.unchanged},
        )
    return report


BULK_CONDITIONS = ("sheet_number", "channel", "entered_by", "signed_from", "signed_until", "held_only")


def signatures_invalidate(*, actor: User, initiative: Initiative, reason: str, conditions: dict[str, Any]) -> int:
    """Invalidate every signature that meets all the given conditions (e.g. one sheet, or
    everything one person entered on one day). Never without a condition; always audited."""
    require(actor, "initiatives.verify_signatures", initiative)
    reason = clean_text(reason, field="reason", cap=300)
    if len(reason) < 5:
        raise DomainError(_("Give the reason."), field="reason")
    conditions = {k: v for k, v in conditions.items() if k in BULK_CONDITIONS and v not in (None, "", False)}
    if not conditions:
        raise DomainError(
            _("Choose at least one condition: invalidating every signature is not allowed."), code="no_condition"
        )
    query = Q(initiative=initiative) & ~Q(status__in=[Signature.Status.WITHDRAWN, Signature.Status.INVALID])
    if "sheet_number" in conditions:
        query &= Q(sheet_number=int(conditions["sheet_number"]), channel=Signature.Channel.PAPER)
    if "channel" in conditions:
        query &= Q(channel=conditions["channel"])
    if "entered_by" in conditions:
        query &= Q(entered_by_id=int(conditions["entered_by"]))
    if "signed_from" in conditions:
        query &= Q(created_at__date__gte=conditions["signed_from"])
    if "signed_until" in conditions:
        query &= Q(created_at__date__lte=conditions["signed_until"])
    if conditions.get("held_only"):
        query &= Q(status=Signature.Status.HELD)
    with transaction.atomic():
        count = 0
        for signature in Signature.objects.select_for_update().filter(query):
            _set_status(signature, Signature.Status.INVALID, reason)
            count += 1
        audit_log(
            actor=actor,
            action="initiatives.signatures.invalidated",
            obj=initiative,
            data={"count": count, "conditions": {k: str(v) for k, v in conditions.items()}, "reason": reason},
        )
    return count


def verification_complete(*, actor: User, initiative: Initiative) -> Initiative:
    """The official count: every counted signature has the registry's answer. The council's
    decision is then due within the rule's term."""
    require(actor, "initiatives.verify_signatures", initiative)
    require_status(initiative, Initiative.Status.VERIFICATION)
    with transaction.atomic():
        counts = dict(
            Signature.objects.filter(initiative=initiative).values_list("status").annotate(n=Count("id")).order_by()
        )
        pending = counts.get(Signature.Status.COUNTED, 0) + counts.get(Signature.Status.HELD, 0)
        if pending and initiative.is_binding:
            raise DomainError(
                _("%(n)s signatures have no answer from the registry yet.") % {"n": pending}, code="pending"
            )
        today = timezone.localdate()
        initiative.official_valid = counts.get(Signature.Status.VALID, 0) + (
            0 if initiative.is_binding else counts.get(Signature.Status.COUNTED, 0)
        )
        initiative.official_invalid = counts.get(Signature.Status.INVALID, 0)
        initiative.verified_on = today
        initiative.decision_due_on = rule_due_date(today, f"{initiative.kind}.council_decision.term")
        move_to(
            initiative,
            Initiative.Status.AWAITING_DECISION,
            actor=actor,
            action="initiatives.verification.completed",
            data={"valid": initiative.official_valid, "invalid": initiative.official_invalid},
        )
        from glas.initiatives.services.lifecycle import _notify_signers

        _notify_signers(initiative, "verified")
    return initiative


def as_date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None
