"""Signing: online (verified residents for binding instruments, confirmed e-mail for
petitions), paper lists entered by the committee or staff, withdrawal, held signatures.

A person signs once per initiative: the unique constraint on ``(initiative, identity_key)``
decides, whatever the channel; a concurrent second attempt fails on the index and is told
"already signed". Each change of whether a signature counts moves one counter shard (of its
settlement) by ±1 in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.accounts import egn as egn_module
from glas.accounts.models import ResidentVerification
from glas.accounts.roles import VerificationLevel
from glas.core.audit import audit_entry, audit_log
from glas.core.batch import batch_for
from glas.core.compiled import Compiled, compiled
from glas.core.enqueue import enqueue_in_batch, enqueue_on_commit
from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry, Settlement
from glas.core.selectors import rule_value
from glas.initiatives.emails import email_identity_key
from glas.initiatives.models import COUNTER_SHARDS, Initiative, SecondKeying, Signature, SignatureCounter
from glas.initiatives.services.common import clean_text, require
from glas.initiatives.tasks import confirm_signature

if TYPE_CHECKING:
    from glas.accounts.models import User


MIN_AGE_RULE = "initiatives.signer.min_age"


class _Verification(NamedTuple):
    egn_hash: str
    egn_last2: str
    birth_date: dt.date
    settlement: Settlement | None  # only its id, kmetstvo and municipality: the territory check


def _verification(user_id: int) -> _Verification | None:
    """What signing reads of the signer's verification: the identity key, the birth date and
    where the permanent address is (ids only). Every signature makes this read, so its SQL is
    compiled once (``glas.core.compiled``)."""
    query = compiled(
        "initiatives.signer_verification",
        lambda key: ResidentVerification.objects.filter(user_id=key).values_list(
            "egn_hash",
            "egn_last2",
            "birth_date",
            "settlement_id",
            "settlement__kmetstvo_id",
            "settlement__municipality_id",
        ),
        key_fields=[ResidentVerification._meta.get_field("user")],
        samples=[-1],
    )
    row = query.fetchone(user_id)
    if row is None:
        return None
    egn_hash, last2, birth_date, settlement_id, kmetstvo_id, municipality_id = row
    settlement = (
        Settlement(pk=settlement_id, kmetstvo_id=kmetstvo_id, municipality_id=municipality_id)
        if settlement_id is not None
        else None
    )
    return _Verification(egn_hash, last2, birth_date, settlement)


def counter_add(initiative_id: int, settlement_id: int | None, delta: int) -> None:
    """Move one random shard of the signature's settlement (or of "no settlement") by ``delta``:
    one row, whose sum with the others is the total."""
    shard = random.randrange(COUNTER_SHARDS)  # noqa: S311  (spreading writes, not security)
    place = {"settlement_id": settlement_id} if settlement_id is not None else {"settlement__isnull": True}
    updated = SignatureCounter.objects.filter(initiative_id=initiative_id, shard=shard, **place).update(
        count=F("count") + delta
    )
    if not updated:  # a settlement outside the territory's list (petitions): create its shard
        with transaction.atomic():
            counter, _created = SignatureCounter.objects.get_or_create(
                initiative_id=initiative_id, settlement_id=settlement_id, shard=shard
            )
            SignatureCounter.objects.filter(pk=counter.pk).update(count=F("count") + delta)


def _require_open(initiative: Initiative, today: dt.date) -> None:
    if initiative.status in (
        Initiative.Status.DRAFT,
        Initiative.Status.COMMITTEE,
        Initiative.Status.REVIEW,
        Initiative.Status.REGISTERED,
        Initiative.Status.INADMISSIBLE,
    ):
        raise DomainError(_("Signatures are not collected yet."), code="not_open")
    if initiative.status != Initiative.Status.COLLECTING or (
        initiative.collection_closes_on is not None and today > initiative.collection_closes_on
    ):
        raise DomainError(_("Signature collection has closed."), code="closed")


def _duplicate(error: IntegrityError) -> DomainError:
    """The unique constraint that refused the row, as the person's error."""
    if "sheet" in str(error).lower():
        return DomainError(
            _("This line of this sheet has already been entered."), field="line_number", code="line_taken"
        )
    return DomainError(_("This person has already signed this initiative."), field="egn", code="already_signed")


def _in_territory(initiative: Initiative, settlement: Settlement | None) -> bool:
    """Whether a permanent address in ``settlement`` is in the initiative's territory (no query)."""
    if settlement is None:
        return False
    if initiative.territory == Initiative.Territory.SETTLEMENT:
        return settlement.pk == initiative.settlement_id
    if initiative.territory == Initiative.Territory.KMETSTVO:
        return settlement.kmetstvo_id is not None and settlement.kmetstvo_id == initiative.kmetstvo_id
    return settlement.municipality_id == initiative.municipality_id


def _signer_age_ok(initiative: Initiative, birth_date: dt.date) -> bool:
    """Of age on the registration date, by the rule in force then (stored at registration)."""
    on = initiative.registered_on or timezone.localdate()
    stored = (initiative.threshold_rules or {}).get(MIN_AGE_RULE)
    minimum = int(Decimal(stored["value"])) if stored else int(rule_value(MIN_AGE_RULE, on=on))
    return egn_module.age_on(birth_date, on) >= minimum


def signature_sign(*, actor: User, initiative: Initiative, hold: bool = False) -> Signature:
    """An online signature. ``hold``: the view's fraud controls tripped; the signature is stored
    but does not count until staff clear it (the signer is not told)."""
    if actor is None or not actor.is_authenticated:
        raise DomainError(_("Sign in to sign."), code="forbidden")
    today = timezone.localdate()
    _require_open(initiative, today)
    verification = _verification(actor.pk)
    settlement = verification.settlement if verification is not None else None
    if initiative.is_binding:
        if actor.verification_level < VerificationLevel.VERIFIED_RESIDENT:
            raise DomainError(
                _(
                    "Only residents verified in person can sign online: "
                    "the law counts signatures with an ЕГН and a permanent address."
                ),
                code="unverified",
            )
        if verification is None:
            raise DomainError(_("Only residents verified in person can sign online."), code="unverified")
        if not _in_territory(initiative, settlement):
            raise DomainError(
                _("Your permanent address is outside the territory of this initiative."), code="territory"
            )
        if not _signer_age_ok(initiative, verification.birth_date):
            raise DomainError(_("Signers must be of voting age on the registration date."), code="age")
        identity_key, last2 = verification.egn_hash, verification.egn_last2
    else:
        if actor.verification_level < VerificationLevel.EMAIL_CONFIRMED:
            raise DomainError(_("Confirm your e-mail address to support a petition."), code="unconfirmed")
        identity_key, last2 = email_identity_key(actor.email), ""
    signature = Signature(
        initiative=initiative,
        channel=Signature.Channel.ONLINE,
        status=Signature.Status.HELD if hold else Signature.Status.COUNTED,
        identity_key=identity_key,
        egn_last2=last2,
        signer=actor,
        settlement_id=settlement.pk if settlement is not None else None,
    )
    audit = audit_entry(actor=actor, action="initiatives.signature.signed", obj=initiative, data={"held": hold})
    try:
        if settlement is None or _in_territory(initiative, settlement):
            # The usual case: the counter shards of the signer's settlement were made when
            # collection opened, so the four writes go to the database together.
            _write_signature(signature, audit)
        else:  # a petition supporter from outside its territory: their shard may not exist
            with transaction.atomic():
                signature.save()  # the unique constraint decides, also against a concurrent twin
                if signature.counts:
                    counter_add(initiative.pk, signature.settlement_id, +1)
                audit.save()
                enqueue_on_commit(confirm_signature, str(signature.public_id))
    except IntegrityError as error:
        raise _duplicate(error) from None
    return signature


def _counter_plus_one(of_settlement: bool) -> Compiled:
    """``counter_add(…, +1)``'s update, compiled once: one for a settlement's shards, one for the
    shards of signatures with no settlement."""
    counter = SignatureCounter._meta
    if of_settlement:
        return compiled(
            "initiatives.counter_plus_one",
            lambda initiative, settlement, shard: SignatureCounter.objects.filter(
                initiative_id=initiative, settlement_id=settlement, shard=shard
            ),
            key_fields=[counter.get_field("initiative"), counter.get_field("settlement"), counter.get_field("shard")],
            samples=[2_000_000_001, 2_000_000_002, 30_001],
            update={"count": F("count") + 1},
        )
    return compiled(
        "initiatives.counter_plus_one_unsettled",
        lambda initiative, shard: SignatureCounter.objects.filter(
            initiative_id=initiative, settlement__isnull=True, shard=shard
        ),
        key_fields=[counter.get_field("initiative"), counter.get_field("shard")],
        samples=[2_000_000_001, 30_001],
        update={"count": F("count") + 1},
    )


def _shard_keys(signature: Signature) -> list[int]:
    """The counter row a signature moves: its initiative, its settlement (if any), a random shard."""
    shard = random.randrange(COUNTER_SHARDS)  # noqa: S311  (spreading writes, not security)
    if signature.settlement_id is None:
        return [signature.initiative_id, shard]
    return [signature.initiative_id, signature.settlement_id, shard]


def _write_signature(signature: Signature, audit: AuditEntry) -> None:
    """The signature, one counter shard of its settlement (when it counts), its audit entry and
    the signer's notice task, in one transaction and (on PostgreSQL) one round trip. The
    unique constraint decides, also against a concurrent twin: then nothing is written."""
    batch = batch_for(Signature)
    batch.insert(signature)
    if signature.counts:
        batch.execute(_counter_plus_one(signature.settlement_id is not None), *_shard_keys(signature))
    batch.insert(audit)
    # The signer's notice is written by a task once this commits (it reads their preferences
    # and may e-mail them).
    enqueue_in_batch(batch, confirm_signature, str(signature.public_id))
    counts = batch.run()
    if signature.counts and counts[1] != 1:
        # No shard of this settlement (they are made for the territory when collection opens):
        # create it and count the signature there.
        counter_add(signature.initiative_id, signature.settlement_id, +1)


NAME_PART = re.compile(r"^[^\W\d_][^\W\d_'’\-. ]*(?:[-'’][^\W\d_]+)*$")


def _three_names(raw: str) -> str:
    name = " ".join(clean_text(raw, field="full_name", cap=200, required=True).split())
    parts = name.split(" ")
    if len(parts) < 3 or not all(NAME_PART.match(part) for part in parts):
        raise DomainError(_("Enter the signer's three names, in letters."), field="full_name")
    return name


def signature_enter_paper(
    *,
    actor: User,
    initiative: Initiative,
    sheet_number: int,
    line_number: int,
    full_name: str,
    egn: str,
    address: str,
    settlement: Settlement | None,
) -> Signature:
    """One line of a paper signature list, typed in by a committee member or staff. Validated
    (ЕГН checksum and date, age on the registration date, address in the territory) and
    de-duplicated against every other signature, online or paper."""
    require(actor, "initiatives.enter_paper_signatures", initiative)
    if not initiative.is_binding:
        raise DomainError(_("Petitions have no paper lists."), code="kind")
    _require_open(initiative, timezone.localdate())
    if not (1 <= sheet_number <= 100000):
        raise DomainError(_("Enter the sheet number."), field="sheet_number")
    if not (1 <= line_number <= 1000):
        raise DomainError(_("Enter the line number."), field="line_number")
    name = _three_names(full_name)
    address = clean_text(address, field="address", cap=300, required=True)
    parsed = egn_module.parse(egn)
    if not _signer_age_ok(initiative, parsed.birth_date):
        raise DomainError(_("The signer was not of voting age on the registration date."), field="egn", code="age")
    if not _in_territory(initiative, settlement):
        raise DomainError(_("The permanent address is outside the territory of this initiative."), field="settlement")
    signature = Signature(
        initiative=initiative,
        channel=Signature.Channel.PAPER,
        identity_key=egn_module.keyed_hash(parsed.value),
        egn_last2=parsed.last2,
        full_name=name,
        address=address,
        settlement=settlement,
        sheet_number=sheet_number,
        line_number=line_number,
        entered_by=actor,
    )
    try:
        with transaction.atomic():
            signature.save()
            counter_add(initiative.pk, signature.settlement_id, +1)
            audit_log(
                actor=actor,
                action="initiatives.signature.entered",
                obj=initiative,
                data={"sheet": sheet_number, "line": line_number},
            )
    except IntegrityError as error:
        raise _duplicate(error) from None
    return signature


def signature_withdraw(*, actor: User, initiative: Initiative) -> Signature:
    """A signer takes back their online signature while collection is open."""
    _require_open(initiative, timezone.localdate())
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .filter(initiative=initiative, signer=actor, channel=Signature.Channel.ONLINE)
            .exclude(status=Signature.Status.WITHDRAWN)
            .first()
        )
        if signature is None:
            raise DomainError(_("You have not signed this initiative."), code="not_signed")
        counted = signature.counts
        signature.status = Signature.Status.WITHDRAWN
        signature.withdrawn_at = timezone.now()
        signature.save(update_fields=["status", "withdrawn_at"])
        if counted:
            counter_add(initiative.pk, signature.settlement_id, -1)
        audit_log(actor=actor, action="initiatives.signature.withdrawn", obj=initiative)
    return signature


def signature_review(*, actor: User, signature: Signature, accept: bool, reason: str = "") -> Signature:
    """Staff clear a held signature (it starts counting) or invalidate it."""
    require(actor, "initiatives.verify_signatures", signature.initiative)
    reason = clean_text(reason, field="reason", cap=300)
    if not accept and not reason:
        raise DomainError(_("Give the reason."), field="reason")
    with transaction.atomic():
        locked = Signature.objects.select_for_update().get(pk=signature.pk)
        if locked.status != Signature.Status.HELD:
            raise DomainError(_("This signature is not held for review."), code="not_held")
        locked.status = Signature.Status.COUNTED if accept else Signature.Status.INVALID
        locked.review_reason = reason
        locked.save(update_fields=["status", "review_reason"])
        if accept:
            counter_add(locked.initiative_id, locked.settlement_id, +1)
        audit_log(
            actor=actor,
            action="initiatives.signature.cleared" if accept else "initiatives.signature.rejected",
            obj=locked.initiative,
            data={"signature": str(locked.public_id)},
        )
    return locked


def signature_key_again(
    *,
    actor: User,
    initiative: Initiative,
    sheet_number: int,
    line_number: int,
    full_name: str,
    egn: str,
    address: str,
    settlement: Settlement | None,
) -> SecondKeying:
    """Type a paper line a second time (another person than the first keyer). The keying never
    counts; ``selectors.keying_mismatches`` compares it with the first entry."""
    require(actor, "initiatives.enter_paper_signatures", initiative)
    first = Signature.objects.filter(
        initiative=initiative, channel=Signature.Channel.PAPER, sheet_number=sheet_number, line_number=line_number
    ).first()
    if first is None:
        raise DomainError(_("This line has not been entered a first time yet."), field="line_number", code="no_first")
    if first.entered_by_id == actor.pk:
        raise DomainError(_("The second keying must be done by another person."), code="same_keyer")
    parsed = egn_module.parse(egn)
    if settlement is None:
        raise DomainError(_("Choose the settlement."), field="settlement")
    try:
        with transaction.atomic():
            keying = SecondKeying.objects.create(
                initiative=initiative,
                sheet_number=sheet_number,
                line_number=line_number,
                identity_key=egn_module.keyed_hash(parsed.value),
                egn_last2=parsed.last2,
                full_name=_three_names(full_name),
                address=clean_text(address, field="address", cap=300, required=True),
                settlement=settlement,
                entered_by=actor,
            )
            audit_log(
                actor=actor,
                action="initiatives.signature.keyed_again",
                obj=initiative,
                data={"sheet": sheet_number, "line": line_number},
            )
    except IntegrityError:
        raise DomainError(
            _("This line has already been keyed a second time."), field="line_number", code="keyed"
        ) from None
    return keying
