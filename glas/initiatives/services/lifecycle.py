"""The life of an initiative, each step one service with an audit entry and a timeline step:
draft → committee → admissibility review → registered → collecting → submitted → verification
→ awaiting the council's decision → decided → (referendum held) → archived."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.deadlines import rule_due_date
from glas.core.enqueue import enqueue_on_commit
from glas.core.exceptions import DomainError
from glas.core.models import Kmetstvo, Municipality, Settlement
from glas.core.selectors import legal_rule, rule_value
from glas.initiatives.models import COUNTER_SHARDS, CommitteeMember, Initiative, SignatureCounter
from glas.initiatives.selectors import excluded_topics, signature_count, territory_settlements
from glas.initiatives.services.common import clean_text, move_to, require, require_status

if TYPE_CHECKING:
    from glas.accounts.models import User

S = Initiative.Status
THRESHOLD_RULES = {
    Initiative.Kind.REFERENDUM: ("referendum.signatures.propose_fraction", "referendum.signatures.oblige_fraction"),
    Initiative.Kind.CIVIC_INITIATIVE: ("civic_initiative.signatures.fraction", None),
    Initiative.Kind.GENERAL_ASSEMBLY: ("general_assembly.signatures.fraction", None),
    Initiative.Kind.PETITION: ("petition.response.supporters", None),
}


def _notify_signers(initiative: Initiative, event: str) -> None:
    from glas.initiatives.tasks import notify_signers

    enqueue_on_commit(notify_signers, initiative.pk, event)


def _validate_territory(
    municipality: Municipality, territory: str, kmetstvo: Kmetstvo | None, settlement: Settlement | None
) -> tuple[Kmetstvo | None, Settlement | None]:
    if territory == Initiative.Territory.MUNICIPALITY:
        return None, None
    if territory == Initiative.Territory.KMETSTVO:
        if kmetstvo is None or kmetstvo.municipality_id != municipality.pk:
            raise DomainError(_("Choose the kmetstvo."), field="kmetstvo")
        return kmetstvo, None
    if territory == Initiative.Territory.SETTLEMENT:
        if settlement is None or settlement.municipality_id != municipality.pk:
            raise DomainError(_("Choose the settlement."), field="settlement")
        return None, settlement
    raise DomainError(_("Choose the territory."), field="territory")


def initiative_create(
    *,
    actor: User,
    municipality: Municipality,
    kind: str,
    title: str,
    question: str,
    description: str = "",
    territory: str = Initiative.Territory.MUNICIPALITY,
    kmetstvo: Kmetstvo | None = None,
    settlement: Settlement | None = None,
    addressee: str = Initiative.Addressee.COUNCIL,
    is_demo: bool = False,
) -> Initiative:
    """A promoter starts a draft. The promoter is the committee's first member."""
    require(actor, "initiatives.create_initiative")
    if kind not in Initiative.Kind.values:
        raise DomainError(_("Choose the instrument."), field="kind")
    if addressee not in Initiative.Addressee.values:
        raise DomainError(_("Choose to whom it is addressed."), field="addressee")
    if kind == Initiative.Kind.GENERAL_ASSEMBLY and territory == Initiative.Territory.MUNICIPALITY:
        raise DomainError(
            _("A general assembly of the population is held in a settlement or a kmetstvo."), field="territory"
        )
    kmetstvo, settlement = _validate_territory(municipality, territory, kmetstvo, settlement)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            kind=kind,
            title=clean_text(title, field="title", cap=200, required=True),
            question=clean_text(question, field="question", cap=2000, required=True),
            description=clean_text(description, field="description", cap=10000),
            territory=territory,
            kmetstvo=kmetstvo,
            settlement=settlement,
            municipality=municipality,
            addressee=addressee,
            promoter=actor,
            is_demo=is_demo,
        )
        CommitteeMember.objects.create(
            initiative=initiative,
            full_name=actor.full_name or actor.public_name,
            email=actor.email,
            user=actor,
            token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            confirmed_at=timezone.now(),
        )
        move_to(initiative, S.DRAFT, actor=actor, action="initiatives.initiative.created", data={"kind": kind})
    return initiative


def initiative_update(
    *, actor: User, initiative: Initiative, title: str, question: str, description: str
) -> Initiative:
    """Change the wording. Once the initiative is registered its question is frozen: the
    signatures were (or will be) given to exactly that text."""
    require(actor, "initiatives.manage_initiative", initiative)
    if initiative.question_frozen or initiative.status == S.REVIEW:
        raise DomainError(
            _("The question can no longer be changed: it is under review or signatures are collected for it."),
            field="question",
            code="frozen",
        )
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if locked.question_frozen or locked.status == S.REVIEW:
            raise DomainError(_("The question can no longer be changed."), field="question", code="frozen")
        initiative.title = clean_text(title, field="title", cap=200, required=True)
        initiative.question = clean_text(question, field="question", cap=2000, required=True)
        initiative.description = clean_text(description, field="description", cap=10000)
        initiative.updated_at = timezone.now()
        initiative.save(update_fields=["title", "question", "description", "updated_at"])
        audit_log(actor=actor, action="initiatives.initiative.updated", obj=initiative)
    return initiative


def committee_size_limits(initiative: Initiative) -> tuple[int, int]:
    minimum = int(rule_value(f"{initiative.kind}.committee.min_members"))
    maximum = int(rule_value(f"{initiative.kind}.committee.max_members"))
    return minimum, maximum


def committee_member_invite(
    *, actor: User, initiative: Initiative, full_name: str, email: str
) -> tuple[CommitteeMember, str]:
    """Invite a member; returns the member and the confirmation token (sent by e-mail only)."""
    require(actor, "initiatives.manage_initiative", initiative)
    require_status(initiative, S.DRAFT, S.COMMITTEE)
    from django.core.validators import validate_email

    email = clean_text(email, field="email", cap=254, required=True).lower()
    try:
        validate_email(email)
    except Exception:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    _minimum, maximum = committee_size_limits(initiative)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=initiative.pk)
        if initiative.committee.count() >= maximum:
            raise DomainError(
                _("The committee can have at most %(max)s members.") % {"max": maximum}, field="email", code="size"
            )
        if initiative.committee.filter(email__iexact=email).exists():
            raise DomainError(_("This person is already invited."), field="email", code="duplicate")
        member = CommitteeMember.objects.create(
            initiative=initiative,
            full_name=clean_text(full_name, field="full_name", cap=200, required=True),
            email=email,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
        )
        if initiative.status == S.DRAFT:
            move_to(initiative, S.COMMITTEE, actor=actor, action="initiatives.committee.forming")
        audit_log(actor=actor, action="initiatives.committee.invited", obj=initiative, data={"member": member.pk})
        from glas.initiatives.tasks import send_committee_invitation

        enqueue_on_commit(send_committee_invitation, member.pk, token)
    return member, token


def committee_member_for_token(token: str) -> CommitteeMember | None:
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return CommitteeMember.objects.select_related("initiative").filter(token_hash=digest).first()


def committee_member_confirm(*, actor: User | None, member: CommitteeMember) -> CommitteeMember:
    """The member confirms through the e-mail link. Clicking twice changes nothing; after the
    review started the link no longer works."""
    if member.confirmed_at:
        return member
    require_status(member.initiative, S.DRAFT, S.COMMITTEE)
    with transaction.atomic():
        updated = CommitteeMember.objects.filter(pk=member.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), user=actor if actor is not None and actor.is_authenticated else None
        )
        if updated:
            audit_log(
                actor=actor, action="initiatives.committee.confirmed", obj=member.initiative, data={"member": member.pk}
            )
    member.refresh_from_db()
    return member


def initiative_submit_for_review(*, actor: User, initiative: Initiative) -> Initiative:
    require(actor, "initiatives.manage_initiative", initiative)
    require_status(initiative, S.DRAFT, S.COMMITTEE)
    minimum, maximum = committee_size_limits(initiative)
    confirmed = initiative.committee.filter(confirmed_at__isnull=False).count()
    if confirmed < minimum:
        raise DomainError(
            _("The committee needs at least %(min)s confirmed members (now %(n)s).") % {"min": minimum, "n": confirmed},
            code="committee",
        )
    if initiative.committee.count() > maximum:
        raise DomainError(_("The committee can have at most %(max)s members.") % {"max": maximum}, code="committee")
    with transaction.atomic():
        initiative.committee.filter(confirmed_at__isnull=True).delete()
        move_to(initiative, S.REVIEW, actor=actor, action="initiatives.initiative.submitted_for_review")
    return initiative


def initiative_review(
    *, actor: User, initiative: Initiative, admissible: bool, reasons: str, excluded_topic: str = ""
) -> Initiative:
    """Council staff decide on admissibility, always with reasons. An inadmissible decision names
    the excluded topic (a legal rule in force) or says the matter is outside the council's
    competence (``excluded_topic`` = "competence")."""
    require(actor, "initiatives.review_initiative", initiative)
    require_status(initiative, S.REVIEW)
    reasons = clean_text(reasons, field="reasons", cap=5000)
    if len(reasons) < 10:
        raise DomainError(_("Give the reasons for the decision."), field="reasons", code="reasons")
    topics = {rule.key for rule in excluded_topics()} | {"competence"}
    if admissible:
        excluded_topic = ""
    elif excluded_topic not in topics:
        raise DomainError(_("Choose the ground of inadmissibility."), field="excluded_topic")
    with transaction.atomic():
        initiative.review_reasons = reasons
        initiative.excluded_topic = excluded_topic
        initiative.reviewed_by = actor
        status = S.REVIEW if admissible else S.INADMISSIBLE
        if admissible:
            initiative_register_locked(actor=actor, initiative=initiative, note=reasons)
        else:
            move_to(
                initiative,
                status,
                actor=actor,
                action="initiatives.initiative.inadmissible",
                note=reasons,
                data={"ground": excluded_topic},
            )
    return initiative


def territory_voters(initiative: Initiative) -> tuple[int, str]:
    """Registered voters of the territory now, with the source; a DomainError when unknown."""
    if initiative.territory == Initiative.Territory.MUNICIPALITY:
        voters, source = initiative.municipality.voters, initiative.municipality.voters_source
    else:
        rows = list(territory_settlements(initiative).values_list("voters", "voters_source"))
        known = [v for v, _s in rows if v is not None]
        voters = sum(known) if rows and len(known) == len(rows) else None
        source = "; ".join(sorted({s for _v, s in rows if s}))
    if not voters:
        raise DomainError(
            _("The number of voters of this territory is not known: enter it for its settlements first."),
            code="voters",
        )
    return int(voters), source


def compute_thresholds(initiative: Initiative, voters: int, on: dt.date) -> tuple[int, int | None, dict[str, Any]]:
    propose_key, oblige_key = THRESHOLD_RULES[Initiative.Kind(initiative.kind)]
    applied: dict[str, Any] = {}
    propose_rule = legal_rule(propose_key, on=on)
    applied[propose_key] = {"value": str(propose_rule.value), "legal_basis": propose_rule.legal_basis}
    if initiative.kind == Initiative.Kind.PETITION:
        propose = int(propose_rule.value)
    else:
        propose = math.ceil(Decimal(voters) * propose_rule.value)
    oblige = None
    if oblige_key:
        oblige_rule = legal_rule(oblige_key, on=on)
        applied[oblige_key] = {"value": str(oblige_rule.value), "legal_basis": oblige_rule.legal_basis}
        oblige = math.ceil(Decimal(voters) * oblige_rule.value)
    return propose, oblige, applied


def initiative_register_locked(*, actor: User, initiative: Initiative, note: str = "") -> None:
    """Registration: the voters of the territory are snapshotted and the thresholds computed from
    the rules in force today; the question is frozen from here on."""
    today = timezone.localdate()
    voters, source = territory_voters(initiative)
    propose, oblige, applied = compute_thresholds(initiative, voters, today)
    age_rule = legal_rule("initiatives.signer.min_age", on=today)
    applied["initiatives.signer.min_age"] = {"value": str(age_rule.value), "legal_basis": age_rule.legal_basis}
    initiative.registered_on = today
    initiative.voters_snapshot = voters
    initiative.voters_source = source[:300]
    initiative.threshold_propose = propose
    initiative.threshold_oblige = oblige
    initiative.threshold_rules = applied
    move_to(
        initiative,
        S.REGISTERED,
        actor=actor,
        action="initiatives.initiative.registered",
        note=note,
        data={"voters": voters, "propose": propose, "oblige": oblige},
    )


def initiative_open_collection(*, actor: User, initiative: Initiative, closes_on: dt.date | None) -> Initiative:
    """Start collecting. Petitions close after the rule's window; other instruments on the date
    the committee chose (no statutory cap — verify)."""
    require(actor, "initiatives.manage_initiative", initiative)
    require_status(initiative, S.REGISTERED)
    today = timezone.localdate()
    if initiative.kind == Initiative.Kind.PETITION:
        closes_on = rule_due_date(today, "petition.response.window")
    if closes_on is None or closes_on <= today:
        raise DomainError(_("Choose a closing date after today."), field="closes_on")
    if closes_on > today + dt.timedelta(days=366):
        raise DomainError(_("Choose a closing date within a year."), field="closes_on")
    with transaction.atomic():
        rows = [SignatureCounter(initiative=initiative, settlement=None, shard=s) for s in range(COUNTER_SHARDS)]
        for settlement_id in territory_settlements(initiative).values_list("pk", flat=True):
            rows += [
                SignatureCounter(initiative=initiative, settlement_id=settlement_id, shard=s)
                for s in range(COUNTER_SHARDS)
            ]
        SignatureCounter.objects.bulk_create(rows, ignore_conflicts=True)
        initiative.collection_opened_at = timezone.now()
        initiative.collection_closes_on = closes_on
        move_to(
            initiative,
            S.COLLECTING,
            actor=actor,
            action="initiatives.collection.opened",
            data={"closes_on": closes_on.isoformat()},
        )
        _notify_signers(initiative, "registered")
    return initiative


def initiative_submit_signatures(*, actor: User, initiative: Initiative) -> Initiative:
    """The committee hands the signatures in; no more signing or withdrawing."""
    require(actor, "initiatives.manage_initiative", initiative)
    require_status(initiative, S.COLLECTING)
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        require_status(locked, S.COLLECTING)
        initiative.submitted_at = timezone.now()
        count = signature_count(initiative)
        move_to(initiative, S.SUBMITTED, actor=actor, action="initiatives.signatures.submitted", data={"count": count})
        _notify_signers(initiative, "submitted")
    return initiative


def initiative_start_verification(*, actor: User, initiative: Initiative) -> Initiative:
    require(actor, "initiatives.verify_signatures", initiative)
    require_status(initiative, S.SUBMITTED)
    with transaction.atomic():
        move_to(initiative, S.VERIFICATION, actor=actor, action="initiatives.verification.started")
    return initiative


def initiative_record_decision(
    *, actor: User, initiative: Initiative, decision: str, reasons: str, decided_on: dt.date
) -> Initiative:
    require(actor, "initiatives.record_decision", initiative)
    require_status(initiative, S.AWAITING_DECISION)
    if decision not in Initiative.Decision.values:
        raise DomainError(_("Choose the decision."), field="decision")
    reasons = clean_text(reasons, field="reasons", cap=5000)
    if decision == Initiative.Decision.REFUSED and len(reasons) < 10:
        raise DomainError(_("A refusal must give its reasons."), field="reasons", code="reasons")
    if decided_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="decided_on")
    with transaction.atomic():
        initiative.decision = decision
        initiative.decision_reasons = reasons
        initiative.decided_on = decided_on
        move_to(
            initiative,
            S.DECIDED,
            actor=actor,
            action="initiatives.decision.recorded",
            note=reasons,
            data={
                "decision": decision,
                "late": bool(initiative.decision_due_on and decided_on > initiative.decision_due_on),
            },
        )
        _notify_signers(initiative, "decided")
    return initiative


def referendum_validity(*, voters: int, cast: int, yes: int, on: dt.date) -> tuple[bool, bool]:
    """(valid, adopted): valid when turnout reaches the rule's share of voters; adopted when valid
    and "yes" is more than the rule's share of those voting."""
    turnout_percent = rule_value("referendum.validity.turnout_percent", on=on)
    yes_percent = rule_value("referendum.validity.yes_percent", on=on)
    valid = Decimal(cast) * 100 >= turnout_percent * Decimal(voters)
    adopted = valid and Decimal(yes) * 100 > yes_percent * Decimal(cast)
    return valid, adopted


def referendum_record_outcome(
    *, actor: User, initiative: Initiative, vote_date: dt.date, voters: int, cast: int, yes: int
) -> Initiative:
    require(actor, "initiatives.record_decision", initiative)
    require_status(initiative, S.DECIDED)
    if initiative.kind != Initiative.Kind.REFERENDUM or initiative.decision != Initiative.Decision.ORDERED:
        raise DomainError(_("Only a referendum the council ordered has a vote result."), code="kind")
    if not (voters > 0 and 0 <= cast <= voters and 0 <= yes <= cast):
        raise DomainError(_("The numbers do not add up: yes ≤ votes cast ≤ voters."), field="cast")
    if vote_date > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="vote_date")
    valid, adopted = referendum_validity(voters=voters, cast=cast, yes=yes, on=vote_date)
    with transaction.atomic():
        initiative.vote_date, initiative.vote_voters, initiative.vote_cast, initiative.vote_yes = (
            vote_date,
            voters,
            cast,
            yes,
        )
        initiative.outcome_valid, initiative.outcome_adopted = valid, adopted
        move_to(
            initiative,
            S.OUTCOME,
            actor=actor,
            action="initiatives.outcome.recorded",
            data={"valid": valid, "adopted": adopted},
        )
        _notify_signers(initiative, "outcome")
    return initiative


def initiative_archive(*, actor: User, initiative: Initiative) -> Initiative:
    require(actor, "initiatives.record_decision", initiative)
    require_status(initiative, S.DECIDED, S.OUTCOME, S.INADMISSIBLE)
    with transaction.atomic():
        move_to(initiative, S.ARCHIVED, actor=actor, action="initiatives.initiative.archived")
    return initiative
