"""Writes of the bureau: intake, work on a case, the citizen's side, and the scheduled jobs.

Every function is keyword-only, runs in ``transaction.atomic`` and writes one audit entry.
Deadlines come only from ``LegalRule`` rows through ``glas.core.deadlines.rule_due_date``.
Audit data never holds the citizen's name, contacts or the text of their request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.bureau.models import (
    AdvisorProfile,
    Case,
    CaseDeadline,
    CaseMessage,
    Category,
    ReferenceCounter,
    Referral,
    Service,
)
from glas.core.audit import audit_log
from glas.core.deadlines import WorkingCalendar, add_months, due_date, rule_due_date
from glas.core.enqueue import enqueue_on_commit
from glas.core.exceptions import DomainError
from glas.core.forms import text_problem
from glas.core.selectors import rule_value

if TYPE_CHECKING:
    from glas.accounts.models import User
    from glas.core.models import Settlement

# The version of the consent wording shown on the intake forms (``templates/bureau/_consent.html``).
CONSENT_VERSION = "bureau-2026-1"
SUBJECT_CAP = 200
TEXT_CAP = 10_000

DECISION_RULES = {
    Case.Kind.ZDOI: "zdoi.decision.term",
    Case.Kind.PROPOSAL: "apk.proposal.decision_term",
    Case.Kind.SIGNAL: "apk.signal.decision_term",
}
INQUIRY_RULE = "bureau.inquiry.target"
EXTENSION_RULES = {"volume": "zdoi.extension.volume", "third_party": "zdoi.extension.third_party"}


# --- Helpers ---------------------------------------------------------------------------------


def intake_context() -> dict[str, Any]:
    """What the intake forms tell people: the consent version and the ЗДОИ decision term (from
    its ``LegalRule``, so the page follows a change of the law)."""
    try:
        days: int | None = int(rule_value("zdoi.decision.term"))
    except DomainError:  # no rules loaded yet: the page says "within the legal term"
        days = None
    return {"consent_version": CONSENT_VERSION, "zdoi_days": days}


def _require(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise DomainError(_("You may not do this."), code="forbidden")


def clean_text(value: Any, *, field: str, cap: int, required: bool = False) -> str:
    """Text without hidden or control characters, within ``cap``; stored as plain text."""
    text = (value if isinstance(value, str) else "").replace("\r\n", "\n").strip()
    problem = text_problem(text)
    if problem:
        raise DomainError(problem, field=field)
    if len(text) > cap:
        raise DomainError(_("Keep this within %(cap)d characters.") % {"cap": cap}, field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    return text


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_follow_token() -> str:
    return secrets.token_urlsafe(24)


def _next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"БЮ-{year}-{counter.last:06d}"


def _start_deadline(case: Case, kind: str, rule_key: str, start: dt.date, cal: WorkingCalendar) -> CaseDeadline:
    return CaseDeadline.objects.create(
        case=case, kind=kind, rule_key=rule_key, starts_on=start, due_on=rule_due_date(start, rule_key, cal=cal)
    )


def _running(case: Case, kind: str | None = None) -> Any:
    deadlines = CaseDeadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True)
    return deadlines.filter(kind=kind) if kind else deadlines


def _refresh_due(case: Case) -> None:
    running = _running(case).order_by("due_on").values_list("due_on", flat=True).first()
    case.due_on = running
    case.updated_at = timezone.now()
    case.save(update_fields=["due_on", "updated_at"])


def _close(case: Case, outcome: str) -> None:
    now = timezone.now()
    _running(case).update(met_at=now)
    met = CaseDeadline.objects.filter(case=case, cancelled_at__isnull=True).values_list("due_on", "met_at")
    case.closed_on_time = all(met_at is not None and timezone.localdate(met_at) <= due for due, met_at in met)
    case.status = Case.Status.CLOSED
    case.outcome = outcome
    case.closed_at = now
    case.due_on = None
    case.updated_at = now
    case.save(update_fields=["status", "outcome", "closed_at", "closed_on_time", "due_on", "updated_at"])


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise DomainError(_("This case is not open."), code="closed")


def _require_kind(case: Case, *kinds: str) -> None:
    if case.kind not in kinds:
        raise DomainError(_("This step does not apply to this type of case."), code="kind")


def case_url(case: Case) -> str:
    return reverse("bureau:case_detail", args=[case.reference])


def _notify_citizen(case: Case, message: CaseMessage) -> None:
    """Tell the citizen about a public reply: in Glas if they have an account, else by e-mail."""
    from glas.bureau.tasks import send_case_reply_email
    from glas.core.services import notify

    if case.citizen is not None:
        notify(
            recipients=[case.citizen],
            kind="bureau.reply",
            title=_("New reply on your case %(reference)s") % {"reference": case.reference},
            url=reverse("bureau:my_case", args=[case.reference]),
        )
    elif case.email:
        enqueue_on_commit(send_case_reply_email, message.pk)


def _supervisors() -> list[User]:
    from glas.accounts.models import User

    return list(User.objects.filter(bureau_profile__is_supervisor=True, is_active=True, groups__name="advisor"))


# --- Intake ----------------------------------------------------------------------------------


@dataclass
class CaseRequest:
    """What a person asks, as entered on a form (web or by an advisor)."""

    kind: str
    category: str
    subject: str
    description: str
    preferred_contact: str
    consent_process: bool
    consent_refer: bool = False
    settlement: Settlement | None = None
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    access_form: str = ""


def _validated(request: CaseRequest, *, citizen: User | None) -> CaseRequest:
    if request.kind not in Case.Kind.values:
        raise DomainError(_("Choose the type of request."), field="kind")
    if request.category not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    if request.preferred_contact not in Case.Contact.values:
        raise DomainError(_("Choose how we should contact you."), field="preferred_contact")
    if not request.consent_process:
        raise DomainError(
            _("We can only handle your request if you agree that we process your data for it."),
            field="consent_process",
        )
    request.subject = clean_text(request.subject, field="subject", cap=SUBJECT_CAP, required=True)
    request.description = clean_text(request.description, field="description", cap=TEXT_CAP, required=True)
    request.name = clean_text(request.name, field="name", cap=200)
    request.phone = clean_text(request.phone, field="phone", cap=50)
    request.address = clean_text(request.address, field="address", cap=300)
    request.email = clean_text(request.email, field="email", cap=254).lower()
    has_name = bool(request.name or (citizen is not None and citizen.full_name))
    if request.kind in (Case.Kind.PROPOSAL, Case.Kind.SIGNAL) and not has_name:
        raise DomainError(
            _(
                "Anonymous proposals and signals are not processed (Administrative Procedure Code, art. 111, "
                "para. 4). Give your name and a contact. To report corruption without giving your name, use "
                "the integrity channel for whistleblower reports."
            ),
            field="name",
            code="anonymous",
        )
    if request.kind == Case.Kind.ZDOI:
        if not has_name:
            raise DomainError(_("A request for access to information must give the applicant's name."), field="name")
        if not request.address:
            raise DomainError(
                _("A request for access to information must give an address for correspondence (postal or e-mail)."),
                field="address",
            )
        if request.access_form not in Case.AccessForm.values:
            raise DomainError(_("Choose the preferred form of access to the information."), field="access_form")
    else:
        request.access_form = ""
    has_email = bool(request.email or (citizen is not None and citizen.email))
    needs: dict[str, tuple[bool, str, str]] = {
        Case.Contact.EMAIL: (has_email, "email", _("Give an e-mail address, or choose another way to contact you.")),
        Case.Contact.PHONE: (bool(request.phone), "phone", _("Give a phone number, or choose another way.")),
        Case.Contact.LETTER: (bool(request.address), "address", _("Give a postal address, or choose another way.")),
    }
    if request.preferred_contact in needs:
        ok, field, message = needs[request.preferred_contact]
        if not ok:
            raise DomainError(message, field=field)
    return request


def _create_case(
    *, request: CaseRequest, channel: str, citizen: User | None, entered_by: User | None, confirmed: bool
) -> tuple[Case, str]:
    token = _new_follow_token()
    now = timezone.now()
    case = Case(
        reference=_next_reference(timezone.localdate().year),
        kind=request.kind,
        channel=channel,
        category=request.category,
        settlement=request.settlement,
        status=Case.Status.OPEN if confirmed else Case.Status.UNCONFIRMED,
        subject=request.subject,
        description=request.description,
        citizen=citizen,
        name=request.name or (citizen.full_name if citizen else ""),
        email=request.email or (citizen.email if citizen else ""),
        phone=request.phone,
        address=request.address,
        preferred_contact=request.preferred_contact,
        consent_process=True,
        consent_refer=request.consent_refer,
        consent_version=CONSENT_VERSION,
        follow_token_hash=token_hash(token),
        access_form=request.access_form,
        entered_by=entered_by,
        created_at=now,
        updated_at=now,
        assigned_to=entered_by,
    )
    case.save()
    if confirmed:
        _open(case, now)
    return case, token


def _open(case: Case, now: dt.datetime) -> None:
    """The request is received: its terms start (the day of receipt is not counted)."""
    today = timezone.localdate(now)
    cal = WorkingCalendar.load()
    case.status = Case.Status.OPEN
    case.received_on = today
    case.confirmed_at = now
    case.save(update_fields=["status", "received_on", "confirmed_at"])
    if case.kind == Case.Kind.INQUIRY:
        _start_deadline(case, CaseDeadline.Kind.TARGET, INQUIRY_RULE, today, cal)
    else:
        _start_deadline(case, CaseDeadline.Kind.DECISION, DECISION_RULES[Case.Kind(case.kind)], today, cal)
    _refresh_due(case)


def case_submit(*, actor: User | None, request: CaseRequest) -> tuple[Case, str]:
    """A request through the web form. With an account it is received at once; without one it
    waits until the person confirms their e-mail address through the signed link we send.
    Returns the case and its secret follow token (shown once, stored only as a hash)."""
    from glas.bureau.tasks import send_case_confirmation

    citizen = actor if actor is not None and actor.is_authenticated else None
    if citizen is None:
        request.name = clean_text(request.name, field="name", cap=200, required=True)
        if not request.email:
            raise DomainError(_("Give your e-mail address: we send a link to confirm it."), field="email")
    request = _validated(request, citizen=citizen)
    with transaction.atomic():
        case, token = _create_case(
            request=request, channel=Case.Channel.WEB, citizen=citizen, entered_by=None, confirmed=citizen is not None
        )
        audit_log(actor=citizen, action="bureau.case.submitted", obj=case, data={"kind": case.kind})
        if citizen is None:
            enqueue_on_commit(send_case_confirmation, case.pk)
    return case, token


def case_register(*, actor: User, request: CaseRequest, channel: str) -> tuple[Case, str]:
    """An advisor records a walk-in, phone, letter or e-mail contact; the case is theirs."""
    _require(actor, "bureau.work_cases")
    if channel not in Case.Channel.values or channel == Case.Channel.WEB:
        raise DomainError(_("Choose how the request reached the bureau."), field="channel")
    request = _validated(request, citizen=None)
    with transaction.atomic():
        case, token = _create_case(request=request, channel=channel, citizen=None, entered_by=actor, confirmed=True)
        audit_log(actor=actor, action="bureau.case.registered", obj=case, data={"kind": case.kind, "channel": channel})
    return case, token


def case_confirm_email(*, case_id: int) -> Case | None:
    """The person opened the signed link: the request is received now. Idempotent."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None:
            return None
        if case.status == Case.Status.UNCONFIRMED:
            _open(case, timezone.now())
            audit_log(actor=None, action="bureau.case.confirmed", obj=case)
    return case


def case_follow_link_renew(*, actor: User, case: Case) -> str:
    """A new secret follow link (the old one stops working), e.g. for a caller who lost it."""
    _require(actor, "bureau.work_case", case)
    token = _new_follow_token()
    with transaction.atomic():
        case.follow_token_hash = token_hash(token)
        case.save(update_fields=["follow_token_hash"])
        audit_log(actor=actor, action="bureau.case.link_renewed", obj=case)
    return token


# --- Work on a case --------------------------------------------------------------------------


def _message(
    case: Case, *, kind: str, author: User | None, body: str, key: uuid.UUID | None
) -> tuple[CaseMessage, bool]:
    """Store a message once per idempotency key (a double-clicked form sends the same key)."""
    if key is not None:
        existing = CaseMessage.objects.filter(case=case, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return CaseMessage.objects.create(case=case, kind=kind, author=author, body=body, idempotency_key=key), True
    except IntegrityError:
        return CaseMessage.objects.get(case=case, idempotency_key=key), False


def case_reply(
    *, actor: User, case: Case, body: str, idempotency_key: uuid.UUID | None, final: bool = False
) -> CaseMessage:
    """A reply the citizen sees. ``final`` answers the case: an inquiry is closed as answered; a
    decided proposal or signal is closed when its answer is sent."""
    _require(actor, "bureau.work_case", case)
    body = clean_text(body, field="body", cap=TEXT_CAP, required=True)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        message, created = _message(case, kind=CaseMessage.Kind.REPLY, author=actor, body=body, key=idempotency_key)
        if not created:
            return message
        _require_open(case)
        if case.first_reply_at is None:
            case.first_reply_at = message.created_at
            case.save(update_fields=["first_reply_at"])
        if final:
            if case.kind == Case.Kind.INQUIRY:
                _close(case, Case.Outcome.ANSWERED)
            elif case.kind in (Case.Kind.PROPOSAL, Case.Kind.SIGNAL) and case.decided_on:
                _close(case, Case.Outcome.DECIDED)
            else:
                raise DomainError(_("Record the decision first; its answer then closes the case."), field="final")
        audit_log(actor=actor, action="bureau.case.replied", obj=case, data={"final": final})
        _notify_citizen(case, message)
    return message


def case_note(*, actor: User, case: Case, body: str, idempotency_key: uuid.UUID | None) -> CaseMessage:
    """An internal note: seen by the bureau only, never by the citizen."""
    _require(actor, "bureau.view_case", case)
    body = clean_text(body, field="body", cap=TEXT_CAP, required=True)
    with transaction.atomic():
        message, created = _message(case, kind=CaseMessage.Kind.NOTE, author=actor, body=body, key=idempotency_key)
        if created:
            audit_log(actor=actor, action="bureau.case.noted", obj=case)
    return message


def case_assign(*, actor: User, case: Case, advisor: User) -> Case:
    _require(actor, "bureau.supervise")
    if not advisor.has_role("advisor"):
        raise DomainError(_("Cases can only be assigned to advisors."), field="advisor")
    with transaction.atomic():
        case.assigned_to = advisor
        case.updated_at = timezone.now()
        case.save(update_fields=["assigned_to", "updated_at"])
        audit_log(actor=actor, action="bureau.case.assigned", obj=case, data={"advisor": advisor.pk})
        from glas.core.services import notify

        notify(
            recipients=[advisor],
            kind="bureau.assigned",
            title=_("Case %(reference)s is assigned to you") % {"reference": case.reference},
            url=case_url(case),
        )
    return case


def case_share(*, actor: User, case: Case, advisor: User) -> Case:
    """Let another advisor see the case (and add notes) without taking it over."""
    _require(actor, "bureau.work_case", case)
    if not advisor.has_role("advisor"):
        raise DomainError(_("Cases can only be shared with advisors."), field="advisor")
    with transaction.atomic():
        case.shared_with.add(advisor)
        audit_log(actor=actor, action="bureau.case.shared", obj=case, data={"advisor": advisor.pk})
    return case


def case_escalate(*, actor: User, case: Case, reason: str) -> Case:
    _require(actor, "bureau.work_case", case)
    reason = clean_text(reason, field="reason", cap=2000, required=True)
    _require_open(case)
    with transaction.atomic():
        case.escalated_at = timezone.now()
        case.escalation_reason = reason
        case.save(update_fields=["escalated_at", "escalation_reason"])
        audit_log(actor=actor, action="bureau.case.escalated", obj=case)
        from glas.core.services import notify

        notify(
            recipients=[user for user in _supervisors() if user.pk != actor.pk],
            kind="bureau.escalated",
            title=_("Case %(reference)s is escalated to the supervisors") % {"reference": case.reference},
            url=case_url(case),
        )
    return case


def case_refer(*, actor: User, case: Case, service: Service, note: str, close: bool) -> Referral:
    """Refer the citizen to a municipal unit or outside service (only with their consent)."""
    _require(actor, "bureau.work_case", case)
    _require_open(case)
    if not case.consent_refer:
        raise DomainError(_("The citizen has not agreed to be referred to another body."), field="service")
    if not service.active:
        raise DomainError(_("This service is no longer in the directory."), field="service")
    note = clean_text(note, field="note", cap=2000)
    with transaction.atomic():
        referral, created = Referral.objects.get_or_create(
            case=case, service=service, defaults={"note": note, "referred_by": actor}
        )
        if not created:
            raise DomainError(_("The case is already referred to this service."), field="service")
        contacts = " · ".join(part for part in (service.phone, service.email, service.address, service.website) if part)
        text = _("We refer you to %(service)s (%(contacts)s).") % {"service": service.name, "contacts": contacts}
        message, _created = _message(
            case, kind=CaseMessage.Kind.REPLY, author=actor, body=f"{text}\n\n{note}".strip(), key=None
        )
        if close:
            _close(case, Case.Outcome.REFERRED)
        audit_log(actor=actor, action="bureau.case.referred", obj=case, data={"service": service.pk, "close": close})
        _notify_citizen(case, message)
    return referral


def case_extend(*, actor: User, case: Case, ground: str, reason: str) -> CaseDeadline:
    """Extend the ЗДОИ decision term (ЗДОИ art. 30 for volume, art. 31 for a third party's
    consent) — only with reasons, once per request, counted from the end of the current term."""
    _require(actor, "bureau.work_case", case)
    _require_kind(case, Case.Kind.ZDOI)
    _require_open(case)
    if ground not in EXTENSION_RULES:
        raise DomainError(_("Choose the ground for the extension."), field="ground")
    reason = clean_text(reason, field="reason", cap=2000)
    if len(reason) < 10:
        raise DomainError(_("An extension needs its reasons, which the applicant is told."), field="reason")
    with transaction.atomic():
        deadline = _running(case, CaseDeadline.Kind.DECISION).select_for_update().first()
        if deadline is None:
            raise DomainError(_("No decision term is running on this case."), code="no_term")
        if deadline.extension_rule_key:
            raise DomainError(_("The decision term has already been extended."), field="ground")
        rule_key = EXTENSION_RULES[ground]
        deadline.due_on = rule_due_date(deadline.due_on, rule_key)
        deadline.extension_rule_key = rule_key
        deadline.extension_reason = reason
        deadline.reminded_at = None
        deadline.save(update_fields=["due_on", "extension_rule_key", "extension_reason", "reminded_at"])
        _refresh_due(case)
        text = _("The term for the decision is extended until %(date)s. Reasons: %(reason)s") % {
            "date": deadline.due_on.strftime("%d.%m.%Y"),
            "reason": reason,
        }
        message, _created = _message(case, kind=CaseMessage.Kind.REPLY, author=actor, body=text, key=None)
        audit_log(actor=actor, action="bureau.case.extended", obj=case, data={"rule": rule_key})
        _notify_citizen(case, message)
    return deadline


def case_request_clarification(*, actor: User, case: Case, body: str) -> CaseDeadline:
    """Ask the applicant to clarify an unclear ЗДОИ request (ЗДОИ art. 29): the decision term
    stops and starts again from the clarification; unclarified requests lapse."""
    _require(actor, "bureau.work_case", case)
    _require_kind(case, Case.Kind.ZDOI)
    if case.status != Case.Status.OPEN:
        raise DomainError(_("This case is not open."), code="closed")
    body = clean_text(body, field="body", cap=TEXT_CAP, required=True)
    with transaction.atomic():
        now = timezone.now()
        _running(case, CaseDeadline.Kind.DECISION).update(cancelled_at=now)
        deadline = _start_deadline(
            case,
            CaseDeadline.Kind.CLARIFICATION,
            "zdoi.clarification.lapse",
            timezone.localdate(now),
            WorkingCalendar.load(),
        )
        case.status = Case.Status.CLARIFICATION
        case.save(update_fields=["status"])
        _refresh_due(case)
        message, _created = _message(case, kind=CaseMessage.Kind.REPLY, author=actor, body=body, key=None)
        audit_log(actor=actor, action="bureau.case.clarification_requested", obj=case)
        _notify_citizen(case, message)
    return deadline


def case_forward(*, actor: User, case: Case, body_name: str, note: str) -> Case:
    """Forward a ЗДОИ request to the competent body (ЗДОИ art. 32) and tell the applicant."""
    _require(actor, "bureau.work_case", case)
    _require_kind(case, Case.Kind.ZDOI)
    _require_open(case)
    body_name = clean_text(body_name, field="body_name", cap=300, required=True)
    note = clean_text(note, field="note", cap=2000)
    with transaction.atomic():
        case.forwarded_to = body_name
        case.save(update_fields=["forwarded_to"])
        text = _("Your request has been forwarded to the competent body: %(body)s.") % {"body": body_name}
        message, _created = _message(
            case, kind=CaseMessage.Kind.REPLY, author=actor, body=f"{text}\n\n{note}".strip(), key=None
        )
        _close(case, Case.Outcome.FORWARDED)
        audit_log(actor=actor, action="bureau.case.forwarded", obj=case)
        _notify_citizen(case, message)
    return case


ZDOI_DECISIONS = {"full": Case.Outcome.FULL, "partial": Case.Outcome.PARTIAL, "refused": Case.Outcome.REFUSED}


def case_decide(
    *, actor: User, case: Case, decision: str, grounds: str, text: str, publish_released: bool = False
) -> Case:
    """Record the decision. ЗДОИ: full or partial access or refusal, with the legal grounds of
    any limit; the decision is sent to the applicant and closes the case. АПК: the decision
    starts the term for communicating it; the answer (a final reply) then closes the case."""
    _require(actor, "bureau.work_case", case)
    _require_kind(case, Case.Kind.ZDOI, Case.Kind.PROPOSAL, Case.Kind.SIGNAL)
    if case.status != Case.Status.OPEN or case.decided_on is not None:
        raise DomainError(_("This case is not waiting for a decision."), code="closed")
    grounds = clean_text(grounds, field="grounds", cap=2000)
    text = clean_text(text, field="text", cap=TEXT_CAP, required=case.kind == Case.Kind.ZDOI)
    if case.kind == Case.Kind.ZDOI:
        if decision not in ZDOI_DECISIONS:
            raise DomainError(_("Choose the decision."), field="decision")
        if decision != "full" and not grounds:
            raise DomainError(_("A refusal or partial access must state its legal grounds."), field="grounds")
    with transaction.atomic():
        now = timezone.now()
        today = timezone.localdate(now)
        case.decided_on = today
        case.decision_grounds = grounds
        case.publish_released = bool(publish_released and case.kind == Case.Kind.ZDOI and decision != "refused")
        case.save(update_fields=["decided_on", "decision_grounds", "publish_released"])
        _running(case, CaseDeadline.Kind.DECISION).update(met_at=now)
        if case.kind == Case.Kind.ZDOI:
            body = f"{text}\n\n{_('Legal grounds')}: {grounds}" if grounds else text
            message, _created = _message(case, kind=CaseMessage.Kind.REPLY, author=actor, body=body, key=None)
            _close(case, ZDOI_DECISIONS[decision])
            _notify_citizen(case, message)
        else:
            _start_deadline(case, CaseDeadline.Kind.NOTICE, "apk.answer.notice_term", today, WorkingCalendar.load())
            _refresh_due(case)
            if text:
                message, _created = _message(case, kind=CaseMessage.Kind.NOTE, author=actor, body=text, key=None)
        audit_log(actor=actor, action="bureau.case.decided", obj=case, data={"decision": decision or "decided"})
    return case


CLOSING_OUTCOMES = (Case.Outcome.ANSWERED, Case.Outcome.REFERRED, Case.Outcome.WITHDRAWN)


def case_close(*, actor: User, case: Case, outcome: str) -> Case:
    _require(actor, "bureau.work_case", case)
    _require_open(case)
    if outcome not in CLOSING_OUTCOMES:
        raise DomainError(_("Choose how the case ends."), field="outcome")
    if case.kind != Case.Kind.INQUIRY and outcome != Case.Outcome.WITHDRAWN:
        raise DomainError(
            _("A request with a legal term ends with its decision, forwarding or withdrawal."), field="outcome"
        )
    with transaction.atomic():
        _close(case, outcome)
        audit_log(actor=actor, action="bureau.case.closed", obj=case, data={"outcome": outcome})
    return case


def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Open a closed case again (the citizen came back): a new internal answer term starts."""
    _require(actor, "bureau.work_case", case)
    if case.status != Case.Status.CLOSED or case.anonymised_at:
        raise DomainError(_("Only a closed case can be reopened."), code="open")
    reason = clean_text(reason, field="reason", cap=2000, required=True)
    with transaction.atomic():
        case.status = Case.Status.OPEN
        case.outcome = ""
        case.closed_at = None
        case.closed_on_time = None
        case.rating = None
        case.reopened_count = F("reopened_count") + 1
        case.save(update_fields=["status", "outcome", "closed_at", "closed_on_time", "rating", "reopened_count"])
        case.refresh_from_db(fields=["reopened_count"])
        CaseDeadline.objects.filter(case=case, kind=CaseDeadline.Kind.TARGET, met_at__isnull=False).update(
            cancelled_at=timezone.now()
        )
        _start_deadline(case, CaseDeadline.Kind.TARGET, INQUIRY_RULE, timezone.localdate(), WorkingCalendar.load())
        _refresh_due(case)
        _message(case, kind=CaseMessage.Kind.NOTE, author=actor, body=reason, key=None)
        audit_log(actor=actor, action="bureau.case.reopened", obj=case)
    return case


# --- The citizen's side ----------------------------------------------------------------------


def case_citizen_message(
    *, actor: User | None, case: Case, body: str, idempotency_key: uuid.UUID | None
) -> CaseMessage:
    """The citizen writes on their open case. An answer to a request for clarification of a
    ЗДОИ request starts the decision term again from today (ЗДОИ art. 29, para. 1)."""
    body = clean_text(body, field="body", cap=TEXT_CAP, required=True)
    if not case.is_open:
        raise DomainError(_("This case is closed. Contact the bureau to reopen it."), code="closed")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        author = actor if actor is not None and actor.is_authenticated else None
        message, created = _message(case, kind=CaseMessage.Kind.CITIZEN, author=author, body=body, key=idempotency_key)
        if not created:
            return message
        if case.status == Case.Status.CLARIFICATION:
            now = timezone.now()
            _running(case, CaseDeadline.Kind.CLARIFICATION).update(met_at=now)
            _start_deadline(
                case,
                CaseDeadline.Kind.DECISION,
                DECISION_RULES[Case.Kind.ZDOI],
                timezone.localdate(now),
                WorkingCalendar.load(),
            )
            case.status = Case.Status.OPEN
            case.save(update_fields=["status"])
            _refresh_due(case)
        audit_log(actor=author, action="bureau.case.citizen_wrote", obj=case)
        if case.assigned_to is not None:
            from glas.core.services import notify

            notify(
                recipients=[case.assigned_to],
                kind="bureau.citizen_wrote",
                title=_("The citizen wrote on case %(reference)s") % {"reference": case.reference},
                url=case_url(case),
            )
    return message


def case_rate(*, actor: User | None, case: Case, rating: int, comment: str) -> Case:
    """The citizen rates the help, once, after the case is closed."""
    if case.status != Case.Status.CLOSED:
        raise DomainError(_("You can rate the help once the case is closed."), code="open")
    if rating not in range(1, 6):
        raise DomainError(_("Choose a rating from 1 to 5."), field="rating")
    comment = clean_text(comment, field="comment", cap=500)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, rating__isnull=True).update(rating=rating, rating_comment=comment)
        if not updated:
            raise DomainError(_("You have already rated this help. Thank you!"), code="rated")
        case.refresh_from_db(fields=["rating", "rating_comment"])
        audit_log(actor=actor if actor and actor.is_authenticated else None, action="bureau.case.rated", obj=case)
    return case


# --- Advisors --------------------------------------------------------------------------------


def advisor_profile_save(
    *, actor: User, advisor: User, kind: str, skills: list[str], available: bool, is_supervisor: bool
) -> AdvisorProfile:
    _require(actor, "bureau.supervise")
    if not advisor.has_role("advisor"):
        raise DomainError(_("Only advisors have a bureau profile."), field="advisor")
    unknown = set(skills) - set(Category.values)
    if unknown or kind not in AdvisorProfile.Kind.values:
        raise DomainError(_("Choose skills from the categories."), field="skills")
    with transaction.atomic():
        profile, _created = AdvisorProfile.objects.update_or_create(
            user=advisor,
            defaults={"kind": kind, "skills": sorted(skills), "available": available, "is_supervisor": is_supervisor},
        )
        audit_log(actor=actor, action="bureau.advisor.saved", obj=profile)
    return profile


# --- Scheduled work (tasks.run_bureau_deadlines) ---------------------------------------------


def deadlines_remind(*, today: dt.date | None = None) -> int:
    """Remind the assigned advisor (or, for unassigned cases, the supervisors) before each
    deadline, once per deadline and extension; the lead time is the rule ``bureau.reminder.lead``."""
    from glas.core.services import notify

    today = today or timezone.localdate()
    lead = int(rule_value("bureau.reminder.lead", on=today))
    horizon = due_date(today, working_days=lead) if lead else today
    due = (
        CaseDeadline.objects.filter(
            met_at__isnull=True, cancelled_at__isnull=True, reminded_at__isnull=True, due_on__lte=horizon
        )
        .select_related("case", "case__assigned_to")
        .order_by("due_on", "id")[:500]
    )
    supervisors: list[User] | None = None
    sent = 0
    for deadline in due:
        with transaction.atomic():
            claimed = CaseDeadline.objects.filter(pk=deadline.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            case = deadline.case
            if case.assigned_to is not None:
                recipients = [case.assigned_to]
            else:
                supervisors = supervisors if supervisors is not None else _supervisors()
                recipients = supervisors
            title = _("Case %(reference)s: %(deadline)s due on %(date)s") % {
                "reference": case.reference,
                "deadline": deadline.get_kind_display(),
                "date": deadline.due_on.strftime("%d.%m.%Y"),
            }
            notify(recipients=recipients, kind="bureau.deadline", title=title, url=case_url(case))
            audit_log(actor=None, action="bureau.deadline.reminded", obj=case, data={"deadline": deadline.kind})
            sent += 1
    return sent


def cases_lapse_unclarified(*, today: dt.date | None = None) -> int:
    """ЗДОИ requests not clarified within the term are left without consideration (art. 29, para. 2)."""
    today = today or timezone.localdate()
    lapsing = CaseDeadline.objects.filter(
        kind=CaseDeadline.Kind.CLARIFICATION, met_at__isnull=True, cancelled_at__isnull=True, due_on__lt=today
    ).values_list("case_id", flat=True)[:500]
    count = 0
    for case_id in list(lapsing):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            if case.status != Case.Status.CLARIFICATION:
                continue
            _running(case, CaseDeadline.Kind.CLARIFICATION).update(cancelled_at=timezone.now())
            _close(case, Case.Outcome.LAPSED)
            audit_log(actor=None, action="bureau.case.lapsed", obj=case)
            count += 1
    return count


def cases_anonymise_expired(*, today: dt.date | None = None) -> int:
    """Remove the personal data of cases closed longer ago than ``bureau.retention``; the
    anonymised rows (category, settlement, dates, outcome) stay for the statistics."""
    today = today or timezone.localdate()
    years = int(rule_value("bureau.retention", on=today))
    cutoff = add_months(today, -12 * years)
    ids = list(
        Case.objects.filter(status=Case.Status.CLOSED, anonymised_at__isnull=True, closed_at__date__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    if not ids:
        return 0
    with transaction.atomic():
        CaseMessage.objects.filter(case_id__in=ids).delete()
        Referral.objects.filter(case_id__in=ids).update(note="")
        CaseDeadline.objects.filter(case_id__in=ids).update(extension_reason="—")
        Case.objects.filter(pk__in=ids).update(
            subject="—",
            description="—",
            name="",
            email="",
            phone="",
            address="",
            citizen=None,
            follow_token_hash=None,
            forwarded_to="",
            decision_grounds="",
            escalation_reason="",
            rating_comment="",
            anonymised_at=timezone.now(),
        )
        audit_log(actor=None, action="bureau.cases.anonymised", data={"count": len(ids)})
    return len(ids)
