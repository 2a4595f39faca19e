"""Writes for draft acts and their consultations. Each service checks the actor's permission,
runs in one transaction and writes one audit entry; e-mail goes after commit, as a task."""

from __future__ import annotations

import datetime as dt
from typing import IO, TYPE_CHECKING, Any

import nh3
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from glas.consultations.models import (
    Article,
    Attachment,
    Contribution,
    Draft,
    DraftEvent,
    Paragraph,
    Reaction,
    Subscription,
)
from glas.consultations.text import clean_plain_text, docx_to_text, parse_articles
from glas.core.audit import audit_log
from glas.core.deadlines import WorkingCalendar, rule_due_date
from glas.core.enqueue import enqueue_on_commit
from glas.core.exceptions import DomainError
from glas.core.models import Settlement
from glas.core.selectors import legal_rule

if TYPE_CHECKING:
    from glas.accounts.models import User

TERM_RULE = "consultation.term.min"
EXCEPTIONAL_TERM_RULE = "consultation.term.exceptional_min"
CONFIRM_SALT = "glas.consultations.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600
RICH_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h3", "h4", "blockquote", "table", "tr", "td", "th"}
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def require(actor: User | None, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise DomainError(_("You may not do this."), code="forbidden")


def sanitise_rich_text(value: str, *, field: str, cap: int = 100_000) -> str:
    """Rich text (motives, impact assessment) as safe HTML: only simple formatting survives."""
    text = clean_plain_text(value, cap=cap, field=field)
    return nh3.clean(text, tags=RICH_TAGS, attributes={}, link_rel=None).strip()


def _event(draft: Draft, kind: str, note: str = "") -> None:
    DraftEvent.objects.create(draft=draft, kind=kind, note=note[:500])


def _touch(draft: Draft) -> None:
    draft.updated_at = timezone.now()


def _required(value: str, *, field: str, cap: int) -> str:
    text = clean_plain_text(value or "", cap=cap, field=field)
    if not text:
        raise DomainError(_("This field is required."), field=field)
    return text


def _choice(value: str, choices: Any, *, field: str) -> str:
    if value not in choices.values:
        raise DomainError(_("Choose one of the options."), field=field)
    return value


# --- Preparing a draft ----------------------------------------------------------------------


def draft_create(
    *,
    actor: User,
    title: str,
    act_type: str,
    topic: str,
    proposer_kind: str,
    proposer_name: str,
    summary: str = "",
    motives: str = "",
    impact_assessment: str = "",
    settlements: list[Settlement] | None = None,
    is_demo: bool = False,
) -> Draft:
    require(actor, "consultations.manage_draft")
    draft = Draft(created_by=actor, is_demo=is_demo)
    _apply_details(
        draft,
        title=title,
        act_type=act_type,
        topic=topic,
        proposer_kind=proposer_kind,
        proposer_name=proposer_name,
        summary=summary,
        motives=motives,
        impact_assessment=impact_assessment,
    )
    with transaction.atomic():
        draft.save()
        draft.settlements.set(settlements or [])
        _event(draft, DraftEvent.Kind.CREATED)
        audit_log(actor=actor, action="consultations.draft.created", obj=draft)
    return draft


def _apply_details(draft: Draft, **values: str) -> None:
    draft.title = _required(values["title"], field="title", cap=300)
    draft.act_type = _choice(values["act_type"], Draft.ActType, field="act_type")
    draft.topic = _choice(values["topic"], Draft.Topic, field="topic")
    draft.proposer_kind = _choice(values["proposer_kind"], Draft.ProposerKind, field="proposer_kind")
    draft.proposer_name = _required(values["proposer_name"], field="proposer_name", cap=300)
    draft.summary = clean_plain_text(values["summary"] or "", cap=2000, field="summary")
    draft.motives = sanitise_rich_text(values["motives"] or "", field="motives")
    draft.impact_assessment = sanitise_rich_text(values["impact_assessment"] or "", field="impact_assessment")


def _require_preparing(draft: Draft) -> None:
    if draft.status != Draft.Status.DRAFT:
        raise DomainError(
            _("The draft is published: its text and documents can no longer be changed."), code="published"
        )


def draft_update(*, actor: User, draft: Draft, settlements: list[Settlement] | None = None, **values: str) -> Draft:
    require(actor, "consultations.manage_draft", draft)
    _require_preparing(draft)
    _apply_details(draft, **values)
    _touch(draft)
    with transaction.atomic():
        draft.save()
        draft.settlements.set(settlements or [])
        audit_log(actor=actor, action="consultations.draft.updated", obj=draft)
    return draft


def _write_articles(draft: Draft, text: str, version: str) -> int:
    parsed = parse_articles(text)
    Article.objects.filter(draft=draft, version=version).delete()
    articles = Article.objects.bulk_create(
        Article(draft=draft, version=version, position=index, number=item.number, heading=item.heading[:300])
        for index, item in enumerate(parsed, start=1)
    )
    Paragraph.objects.bulk_create(
        Paragraph(draft=draft, article=article, position=position, number=paragraph.number, text=paragraph.text)
        for article, item in zip(articles, parsed, strict=True)
        for position, paragraph in enumerate(item.paragraphs, start=1)
    )
    return len(articles)


def draft_text_set(*, actor: User, draft: Draft, text: str, source: str = "typed") -> int:
    """Replace the draft's text with ``text``, split into articles and paragraphs. Only while
    the draft is being prepared (comments point at paragraphs once it is published)."""
    require(actor, "consultations.manage_draft", draft)
    _require_preparing(draft)
    with transaction.atomic():
        count = _write_articles(draft, text, Article.Version.DRAFT)
        _touch(draft)
        draft.save(update_fields=["updated_at"])
        audit_log(
            actor=actor, action="consultations.draft.text_set", obj=draft, data={"articles": count, "source": source}
        )
    return count


def draft_text_import(*, actor: User, draft: Draft, upload: IO[bytes]) -> int:
    """Read the text from a Word (DOCX) document."""
    require(actor, "consultations.manage_draft", draft)
    return draft_text_set(actor=actor, draft=draft, text=docx_to_text(upload), source="docx")


def attachment_add(*, actor: User, draft: Draft, kind: str, title: str, upload: UploadedFile) -> Attachment:
    require(actor, "consultations.manage_draft", draft)
    _require_preparing(draft)
    kind = _choice(kind, Attachment.Kind, field="kind")
    title = _required(title, field="title", cap=300)
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise DomainError(_("Attach a PDF, DOCX, ODT, XLSX, ODS, PNG or JPEG file."), field="file")
    if (upload.size or 0) > ATTACHMENT_MAX_BYTES:
        raise DomainError(_("The file is larger than 20 MB."), field="file")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[extension]):
        raise DomainError(_("The file's content does not match its type."), field="file")
    upload.name = f"{draft.public_id}{extension}"  # server-side name, never the sender's
    with transaction.atomic():
        attachment = Attachment.objects.create(draft=draft, kind=kind, title=title, file=upload)
        audit_log(actor=actor, action="consultations.attachment.added", obj=draft, data={"kind": kind})
    return attachment


# --- The consultation term ------------------------------------------------------------------


def check_term(*, opens_on: dt.date, closes_on: dt.date, short_term_reasons: str) -> tuple[dt.date, str]:
    """Check a consultation window against the rules in force when it opens (ЗНА, чл. 26,
    ал. 4): the regular term, or a shorter one (never under the exceptional minimum) with
    written reasons. Returns the earliest regular closing date and the legal basis."""
    cal = WorkingCalendar.load()
    regular = rule_due_date(opens_on, TERM_RULE, cal=cal)
    shortest = rule_due_date(opens_on, EXCEPTIONAL_TERM_RULE, cal=cal)
    rule = legal_rule(TERM_RULE, on=opens_on)
    if closes_on < shortest:
        exceptional = legal_rule(EXCEPTIONAL_TERM_RULE, on=opens_on)
        raise DomainError(
            _(
                "The consultation must stay open until at least %(date)s (%(days)s days, %(basis)s), "
                "even in exceptional cases."
            )
            % {
                "date": shortest.strftime("%d.%m.%Y"),
                "days": exceptional.display_value,
                "basis": exceptional.legal_basis,
            },
            field="closes_on",
            code="too_short",
        )
    if closes_on < regular and not short_term_reasons:
        raise DomainError(
            _(
                "A term ending before %(date)s is shorter than the regular %(days)s days (%(basis)s): "
                "give the reasons, they are published."
            )
            % {"date": regular.strftime("%d.%m.%Y"), "days": rule.display_value, "basis": rule.legal_basis},
            field="short_term_reasons",
            code="reasons_required",
        )
    return regular, rule.legal_basis


def consultation_publish(
    *, actor: User, draft: Draft, opens_on: dt.date, closes_on: dt.date, short_term_reasons: str = ""
) -> Draft:
    """Publish the draft for public consultation from ``opens_on`` to ``closes_on``."""
    require(actor, "consultations.manage_draft", draft)
    _require_preparing(draft)
    if opens_on < timezone.localdate():
        raise DomainError(_("The consultation cannot open in the past."), field="opens_on")
    reasons = clean_plain_text(short_term_reasons or "", cap=5000, field="short_term_reasons")
    if closes_on <= opens_on:
        raise DomainError(_("The consultation must close after it opens."), field="closes_on")
    regular, basis = check_term(opens_on=opens_on, closes_on=closes_on, short_term_reasons=reasons)
    if not Paragraph.objects.filter(draft=draft, article__version=Article.Version.DRAFT).exists():
        raise DomainError(_("Enter or import the text of the draft before publishing it."), code="no_text")
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        _require_preparing(locked)
        draft.status = Draft.Status.PUBLISHED
        draft.opens_on, draft.closes_on = opens_on, closes_on
        draft.short_term_reasons = reasons if closes_on < regular else ""
        draft.term_min_date, draft.term_legal_basis = regular, basis
        draft.published_at = timezone.now()
        _touch(draft)
        draft.save()
        _event(
            draft,
            DraftEvent.Kind.PUBLISHED,
            _("Open for proposals until %(date)s.") % {"date": closes_on.strftime("%d.%m.%Y")},
        )
        audit_log(
            actor=actor,
            action="consultations.consultation.published",
            obj=draft,
            data={
                "opens_on": opens_on.isoformat(),
                "closes_on": closes_on.isoformat(),
                "short": bool(draft.short_term_reasons),
            },
        )
        _notify_subscribers(draft)
    return draft


def consultation_extend(*, actor: User, draft: Draft, closes_on: dt.date, reason: str) -> Draft:
    """Move the closing date later while the consultation is open (never earlier)."""
    require(actor, "consultations.manage_draft", draft)
    if not draft.is_open or draft.closes_on is None:
        raise DomainError(_("Only an open consultation can be extended."), code="not_open")
    if closes_on <= draft.closes_on:
        raise DomainError(_("The new closing date must be later than the current one."), field="closes_on")
    reason = _required(reason, field="reason", cap=500)
    with transaction.atomic():
        old = draft.closes_on
        draft.closes_on = closes_on
        _touch(draft)
        draft.save(update_fields=["closes_on", "updated_at"])
        _event(draft, DraftEvent.Kind.TERM_CHANGED, reason)
        audit_log(
            actor=actor,
            action="consultations.consultation.extended",
            obj=draft,
            data={"from": old.isoformat(), "to": closes_on.isoformat()},
        )
    return draft


def _notify_subscribers(draft: Draft) -> None:
    from glas.accounts.models import User
    from glas.core.services import notify

    settlement_ids = list(draft.settlements.values_list("pk", flat=True))
    matching = Subscription.objects.filter(Q(topic="") | Q(topic=draft.topic))
    if settlement_ids:
        matching = matching.filter(Q(settlement__isnull=True) | Q(settlement__in=settlement_ids))
    recipients = list(User.objects.filter(pk__in=matching.values("user_id"), is_active=True))
    if recipients:
        notify(
            recipients=recipients,
            kind="consultations.opened",
            title=_("New public consultation: %(title)s") % {"title": draft.title},
            body=_("Proposals are accepted until %(date)s.") % {"date": draft.closes_on.strftime("%d.%m.%Y")}  # type: ignore[union-attr]
            if draft.closes_on
            else "",
            url=reverse("consultations:detail", args=[draft.public_id]),
        )


# --- Taking part ----------------------------------------------------------------------------


def _require_open(draft: Draft) -> None:
    if not draft.is_open:
        raise DomainError(_("This consultation is not open for proposals."), code="closed")


def _paragraph_of(draft: Draft, kind: str, paragraph_id: Any) -> Paragraph | None:
    if kind == Contribution.Kind.GENERAL:
        return None
    try:
        pk = int(paragraph_id)
    except (TypeError, ValueError):
        raise DomainError(_("Choose the paragraph you are commenting on."), field="paragraph") from None
    paragraph = (
        Paragraph.objects.select_related("article")
        .filter(pk=pk, draft=draft, article__version=Article.Version.DRAFT)
        .first()
    )
    if paragraph is None:
        raise DomainError(_("This paragraph is not part of this draft."), field="paragraph", code="wrong_paragraph")
    return paragraph


def _contribution_fields(draft: Draft, kind: str, paragraph_id: Any, text: str, proposed_text: str) -> dict[str, Any]:
    kind = _choice(kind, Contribution.Kind, field="kind")
    paragraph = _paragraph_of(draft, kind, paragraph_id)
    text = clean_plain_text(text or "", cap=5000, field="text")
    proposed = clean_plain_text(proposed_text or "", cap=20000, field="proposed_text")
    if kind == Contribution.Kind.WORDING:
        if not proposed:
            raise DomainError(_("Write the wording you propose."), field="proposed_text")
        if paragraph is not None and proposed == paragraph.text:
            raise DomainError(_("The proposed wording is the same as the draft."), field="proposed_text")
    else:
        proposed = ""
        if not text:
            raise DomainError(_("Write your comment."), field="text")
    return {"kind": kind, "paragraph": paragraph, "text": text, "proposed_text": proposed}


def _identity(name: str, email: str, organisation: str) -> tuple[str, str, str]:
    name = _required(name, field="name", cap=200)
    organisation = clean_plain_text(organisation or "", cap=300, field="organisation")
    email = clean_plain_text(email or "", cap=254, field="email").lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    return name, email, organisation


def contribution_submit(
    *,
    actor: User | None,
    draft: Draft,
    kind: str,
    text: str = "",
    proposed_text: str = "",
    paragraph_id: Any = None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    publish_name: bool = False,
) -> Contribution:
    """A proposal or comment made online. A person signed in with a confirmed e-mail is
    published at once; anyone else gives a name and an e-mail address and the contribution
    waits until they follow the one-use link we e-mail them."""
    _require_open(draft)
    fields = _contribution_fields(draft, kind, paragraph_id, text, proposed_text)
    signed_in = actor is not None and actor.is_authenticated
    if signed_in and not actor.has_perm("consultations.take_part"):  # type: ignore[union-attr]
        raise DomainError(_("Confirm your e-mail address before taking part."), code="unconfirmed")
    organisation = clean_plain_text(organisation or "", cap=300, field="organisation")
    if actor is not None and signed_in:
        # The name is read from the account when shown, so a deleted account leaves none here.
        identity = {"author": actor, "author_name": "", "author_email": ""}
        status = Contribution.Status.PUBLISHED
    else:
        name, email, organisation = _identity(name, email, organisation)
        identity = {"author_name": name, "author_email": email}
        status = Contribution.Status.UNCONFIRMED
    now = timezone.now()
    with transaction.atomic():
        contribution = Contribution.objects.create(
            draft=draft,
            **fields,
            **identity,
            organisation=organisation,
            publish_name=bool(publish_name),
            status=status,
            confirmed_at=now if signed_in else None,
        )
        audit_log(
            actor=actor if signed_in else None,
            action="consultations.contribution.submitted",
            obj=contribution,
            data={"kind": contribution.kind, "confirmed": signed_in},
        )
        if not signed_in:
            from glas.consultations.tasks import send_confirmation_email

            enqueue_on_commit(send_confirmation_email, contribution.pk)
    return contribution


def confirmation_token(contribution: Contribution) -> str:
    return signing.dumps(str(contribution.public_id), salt=CONFIRM_SALT)


def contribution_confirm(*, token: str) -> Contribution:
    """Publish the contribution whose e-mail link this is. A second click changes nothing; an
    expired, altered or foreign token is refused."""
    try:
        public_id = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        contribution = Contribution.objects.select_related("draft").get(public_id=public_id)
    except (signing.BadSignature, Contribution.DoesNotExist, ValidationError, ValueError):
        raise DomainError(_("This confirmation link is not valid or has expired."), code="bad_token") from None
    if contribution.status != Contribution.Status.UNCONFIRMED:
        return contribution
    if contribution.draft.status != Draft.Status.PUBLISHED:
        raise DomainError(_("The consultation has ended; the contribution can no longer be confirmed."), code="closed")
    with transaction.atomic():
        updated = Contribution.objects.filter(pk=contribution.pk, status=Contribution.Status.UNCONFIRMED).update(
            status=Contribution.Status.PUBLISHED, confirmed_at=timezone.now()
        )
        if updated:
            audit_log(actor=None, action="consultations.contribution.confirmed", obj=contribution)
    contribution.refresh_from_db()
    return contribution


def contribution_enter(
    *,
    actor: User,
    draft: Draft,
    kind: str,
    channel: str,
    source: str,
    received_on: dt.date,
    name: str,
    text: str = "",
    proposed_text: str = "",
    paragraph_id: Any = None,
    email: str = "",
    organisation: str = "",
    publish_name: bool = False,
) -> Contribution:
    """A proposal received by e-mail, post or in person, entered by staff with its source."""
    require(actor, "consultations.enter_proposals", draft)
    if draft.status != Draft.Status.PUBLISHED or draft.opens_on is None or draft.closes_on is None:
        raise DomainError(_("Proposals can be entered only for a consultation that has not yet been reported."))
    if not draft.opens_on <= received_on <= draft.closes_on:
        raise DomainError(
            _("The proposal was received outside the consultation term (%(start)s – %(end)s).")
            % {"start": draft.opens_on.strftime("%d.%m.%Y"), "end": draft.closes_on.strftime("%d.%m.%Y")},
            field="received_on",
        )
    if received_on > timezone.localdate():
        raise DomainError(_("The date of receipt cannot be in the future."), field="received_on")
    if channel not in (Contribution.Channel.EMAIL, Contribution.Channel.POST, Contribution.Channel.IN_PERSON):
        raise DomainError(_("Choose how the proposal was received."), field="channel")
    fields = _contribution_fields(draft, kind, paragraph_id, text, proposed_text)
    name = _required(name, field="name", cap=200)
    source = _required(source, field="source", cap=300)
    organisation = clean_plain_text(organisation or "", cap=300, field="organisation")
    email = clean_plain_text(email or "", cap=254, field="email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    received_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(12)))
    with transaction.atomic():
        contribution = Contribution.objects.create(
            draft=draft,
            **fields,
            author_name=name,
            author_email=email,
            organisation=organisation,
            publish_name=bool(publish_name),
            channel=channel,
            source=source,
            entered_by=actor,
            status=Contribution.Status.PUBLISHED,
            created_at=received_at,
            confirmed_at=timezone.now(),
        )
        audit_log(
            actor=actor,
            action="consultations.contribution.entered",
            obj=contribution,
            data={"kind": contribution.kind, "channel": channel},
        )
    return contribution


def reaction_set(*, actor: User, contribution: Contribution, value: int) -> Contribution:
    """Support (+1) or oppose (-1) someone else's contribution; choosing again changes the
    earlier choice, choosing the same again changes nothing."""
    require(actor, "consultations.take_part")
    if value not in (1, -1):
        raise DomainError(_("Choose to support or to oppose."), field="value")
    _require_open(contribution.draft)
    if contribution.status != Contribution.Status.PUBLISHED:
        raise DomainError(_("This contribution cannot be supported or opposed."), code="not_published")
    if contribution.author_id == actor.pk:
        raise DomainError(_("You cannot support or oppose your own contribution."), code="own")
    counter = {1: "supports", -1: "oppositions"}
    with transaction.atomic():
        existing = Reaction.objects.select_for_update().filter(contribution=contribution, user=actor).first()
        if existing is not None and existing.value == value:
            return contribution
        if existing is not None:
            Reaction.objects.filter(pk=existing.pk).update(value=value)
            Contribution.objects.filter(pk=contribution.pk).update(
                **{counter[value]: F(counter[value]) + 1, counter[-value]: F(counter[-value]) - 1}
            )
        else:
            try:
                with transaction.atomic():
                    Reaction.objects.create(contribution=contribution, user=actor, value=value)
            except IntegrityError:  # a concurrent click of the same person won the race
                return contribution
            Contribution.objects.filter(pk=contribution.pk).update(**{counter[value]: F(counter[value]) + 1})
        audit_log(actor=actor, action="consultations.reaction.set", obj=contribution, data={"value": value})
    contribution.refresh_from_db(fields=["supports", "oppositions"])
    return contribution


def contribution_hide(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    """Hide an abusive contribution. It is never deleted: the page shows that it was hidden and
    the published reason, and the audit log keeps who did it."""
    require(actor, "consultations.moderate", contribution.draft)
    reason = _required(reason, field="reason", cap=500)
    if contribution.status == Contribution.Status.HIDDEN:
        raise DomainError(_("This contribution is already hidden."), code="hidden")
    if contribution.draft.report_published_at is not None:
        raise DomainError(_("The report is published; its contributions can no longer be moderated."))
    with transaction.atomic():
        contribution.status = Contribution.Status.HIDDEN
        contribution.hidden_reason = reason
        contribution.hidden_by = actor
        contribution.hidden_at = timezone.now()
        contribution.save(update_fields=["status", "hidden_reason", "hidden_by", "hidden_at"])
        audit_log(actor=actor, action="consultations.contribution.hidden", obj=contribution, data={"reason": reason})
    return contribution


# --- Answers, the справка, the council ------------------------------------------------------


def contribution_answer(*, actor: User, contribution: Contribution, decision: str, reasons: str) -> Contribution:
    """Record the decision on a proposal, with reasons (they go into the справка)."""
    require(actor, "consultations.answer_proposals", contribution.draft)
    if contribution.draft.status != Draft.Status.PUBLISHED:
        raise DomainError(_("The report is published; the answers can no longer change."), code="reported")
    if contribution.status != Contribution.Status.PUBLISHED:
        raise DomainError(_("Only published contributions are answered."), code="not_published")
    decision = _choice(decision, Contribution.Decision, field="decision")
    reasons = _required(reasons, field="reasons", cap=5000)
    with transaction.atomic():
        contribution.decision, contribution.reasons = decision, reasons
        contribution.answered_by, contribution.answered_at = actor, timezone.now()
        contribution.save(update_fields=["decision", "reasons", "answered_by", "answered_at"])
        audit_log(
            actor=actor, action="consultations.contribution.answered", obj=contribution, data={"decision": decision}
        )
    return contribution


def report_publish(*, actor: User, draft: Draft) -> Draft:
    """Publish the справка. Refused while the consultation is open or any published
    contribution has no answer (nothing may be left out)."""
    require(actor, "consultations.publish_report", draft)
    if draft.status != Draft.Status.PUBLISHED:
        raise DomainError(_("Only a consultation in progress can get its report."), code="state")
    if draft.closes_on is None or draft.closes_on >= timezone.localdate():
        raise DomainError(_("The report can be published only after the consultation closes."), code="open")
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        if locked.status != Draft.Status.PUBLISHED:
            raise DomainError(_("Only a consultation in progress can get its report."), code="state")
        pending = Contribution.objects.filter(draft=draft, status=Contribution.Status.PUBLISHED, decision="").count()
        if pending:
            raise DomainError(
                ngettext(
                    "%(count)s proposal has no answer yet; every proposal must be in the report.",
                    "%(count)s proposals have no answer yet; every proposal must be in the report.",
                    pending,
                )
                % {"count": pending},
                code="unanswered",
            )
        draft.status = Draft.Status.REPORT_PUBLISHED
        draft.report_published_at = timezone.now()
        _touch(draft)
        draft.save(update_fields=["status", "report_published_at", "updated_at"])
        _event(draft, DraftEvent.Kind.REPORT_PUBLISHED)
        audit_log(actor=actor, action="consultations.report.published", obj=draft)
    return draft


def draft_send_to_council(*, actor: User, draft: Draft) -> Draft:
    """Send the draft to the municipal council: only once its справка is published."""
    require(actor, "consultations.manage_draft", draft)
    if draft.status != Draft.Status.REPORT_PUBLISHED:
        raise DomainError(
            _("A draft goes to the council only after the report on the proposals is published."), code="no_report"
        )
    with transaction.atomic():
        draft.status = Draft.Status.SENT_TO_COUNCIL
        draft.sent_to_council_at = timezone.now()
        _touch(draft)
        draft.save(update_fields=["status", "sent_to_council_at", "updated_at"])
        _event(draft, DraftEvent.Kind.SENT_TO_COUNCIL)
        audit_log(actor=actor, action="consultations.draft.sent_to_council", obj=draft)
    return draft


def draft_adopt(
    *,
    actor: User,
    draft: Draft,
    decision_number: str,
    decision_date: dt.date,
    adopted_text: str,
    decision_url: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
    decision: Any = None,
) -> Draft:
    """Record that the council adopted the act: the decision, its vote and the adopted text.
    With ``decision`` (a ``council.Decision`` from the registry) its number, date, address and
    roll-call tally are taken from the registry, and the draft links to it."""
    require(actor, "consultations.manage_draft", draft)
    if draft.status != Draft.Status.SENT_TO_COUNCIL:
        raise DomainError(_("Only a draft sent to the council can be adopted."), code="state")
    if decision is not None:
        from django.conf import settings
        from django.urls import reverse

        from glas.council.selectors import decision_tally

        if decision.status != "adopted":
            raise DomainError(_("The council decision in the registry was not adopted."), field="decision")
        counts = decision_tally(decision)
        decision_number, decision_date = str(decision.number), decision.date
        decision_url = settings.GLAS_SITE_URL.rstrip("/") + reverse("council:decision", args=[decision.public_id])
        votes_for, votes_against, votes_abstained = counts.votes_for, counts.against, counts.abstained
    number = _required(decision_number, field="decision_number", cap=50)
    if decision_date > timezone.localdate() or (
        draft.sent_to_council_at and decision_date < timezone.localdate(draft.sent_to_council_at)
    ):
        raise DomainError(
            _("The decision date must be between sending to the council and today."), field="decision_date"
        )
    url = clean_plain_text(decision_url or "", cap=200, field="decision_url")
    if url and not url.startswith(("https://", "http://")):
        raise DomainError(_("Enter a web address starting with https://."), field="decision_url")
    for field, votes in (
        ("votes_for", votes_for),
        ("votes_against", votes_against),
        ("votes_abstained", votes_abstained),
    ):
        if votes is not None and not 0 <= votes <= 1000:
            raise DomainError(_("Enter a number of votes."), field=field)
    with transaction.atomic():
        count = _write_articles(draft, adopted_text, Article.Version.ADOPTED)
        draft.status = Draft.Status.ADOPTED
        draft.council_decision = decision
        draft.council_decision_number, draft.council_decision_date, draft.council_decision_url = (
            number,
            decision_date,
            url,
        )
        draft.votes_for, draft.votes_against, draft.votes_abstained = votes_for, votes_against, votes_abstained
        _touch(draft)
        draft.save()
        _event(draft, DraftEvent.Kind.ADOPTED, _("Decision № %(number)s") % {"number": number})
        audit_log(
            actor=actor, action="consultations.draft.adopted", obj=draft, data={"decision": number, "articles": count}
        )
    return draft


def draft_withdraw(*, actor: User, draft: Draft, reason: str) -> Draft:
    """Withdraw a draft (before the council adopts it). Its page, contributions and timeline
    stay public with the published reason; nothing is deleted."""
    require(actor, "consultations.manage_draft", draft)
    if draft.status in (Draft.Status.DRAFT, Draft.Status.ADOPTED, Draft.Status.WITHDRAWN):
        raise DomainError(_("Only a published draft not yet adopted can be withdrawn."), code="state")
    reason = _required(reason, field="reason", cap=500)
    with transaction.atomic():
        draft.status = Draft.Status.WITHDRAWN
        _touch(draft)
        draft.save(update_fields=["status", "updated_at"])
        _event(draft, DraftEvent.Kind.WITHDRAWN, reason)
        audit_log(actor=actor, action="consultations.draft.withdrawn", obj=draft, data={"reason": reason})
    return draft


# --- Subscriptions --------------------------------------------------------------------------


def subscription_add(*, actor: User, topic: str = "", settlement: Settlement | None = None) -> Subscription:
    require(actor, "consultations.subscribe")
    if topic:
        _choice(topic, Draft.Topic, field="topic")
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(user=actor, topic=topic, settlement=settlement)
        if created:
            audit_log(actor=actor, action="consultations.subscription.added", obj=subscription)
    return subscription


def subscription_remove(*, actor: User, subscription: Subscription) -> None:
    if subscription.user_id != actor.pk:
        raise DomainError(_("You may not do this."), code="forbidden")
    with transaction.atomic():
        audit_log(actor=actor, action="consultations.subscription.removed", obj=subscription)
        subscription.delete()
