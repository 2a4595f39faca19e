"""Writes for the Consultative Commission. Each service checks the permission, runs in one short
transaction and writes one audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.commission.models import (
    Attendance,
    Commission,
    CommissionMember,
    ConflictDeclaration,
    DissentingView,
    Meeting,
    MeetingItem,
    Opinion,
    OpinionRevision,
    OpinionVote,
)
from glas.commission.selectors import (
    entitled_members,
    majority_needed,
    meeting_quorum,
    member_for,
    serving_members,
)
from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.core.text import clean_plain_text

if TYPE_CHECKING:
    from glas.accounts.models import User

TEXT_CAP = 20_000
SHORT_CAP = 500
MINUTES_MAX_BYTES = 10 * 1024 * 1024


def _require(actor: User | None, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise DomainError(_("You may not do this."), code="forbidden")


def _text(value: Any, *, field: str, cap: int, required: bool = True) -> str:
    text = clean_plain_text(value or "", cap=cap, field=field)
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    return text


def _member(actor: User, meeting: Meeting) -> CommissionMember:
    """The actor as a member serving on the day of the meeting, or a refusal."""
    _require(actor, "commission.take_part")
    member = member_for(actor, meeting.commission, meeting.day)
    if member is None:
        raise DomainError(_("Only members serving on the commission on the day of the meeting may do this."))
    return member


# --- Members and meetings (the secretariat) ---------------------------------------------------


def member_appoint(
    *,
    actor: User | None,
    commission: Commission,
    user: User,
    name: str,
    organisation: str,
    expertise: str,
    term_start: dt.date,
    term_end: dt.date,
    is_chair: bool = False,
) -> CommissionMember:
    _require(actor, "commission.manage")
    if term_end <= term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    with transaction.atomic():
        overlapping = commission.members.filter(user=user, term_start__lte=term_end, term_end__gte=term_start)
        if overlapping.exists():
            raise DomainError(_("This person already serves on the commission in that period."), field="user")
        member = CommissionMember.objects.create(
            commission=commission,
            user=user,
            name=_text(name, field="name", cap=200),
            organisation=_text(organisation, field="organisation", cap=300),
            expertise=_text(expertise, field="expertise", cap=SHORT_CAP),
            term_start=term_start,
            term_end=term_end,
            is_chair=is_chair,
        )
        audit_log(actor=actor, action="commission.member.appointed", obj=member, data={"term_end": str(term_end)})
    return member


def meeting_schedule(*, actor: User | None, commission: Commission, starts_at: dt.datetime, place: str) -> Meeting:
    _require(actor, "commission.manage")
    with transaction.atomic():
        last = Commission.objects.select_for_update().filter(pk=commission.pk).values_list("pk", flat=True).get()
        number = (
            Meeting.objects.filter(commission_id=last).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        meeting = Meeting.objects.create(
            commission=commission, number=number, starts_at=starts_at, place=_text(place, field="place", cap=300)
        )
        audit_log(actor=actor, action="commission.meeting.scheduled", obj=meeting, data={"number": number})
    return meeting


def meeting_item_add(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    description: str = "",
    subject_url: str = "",
    draft: Any = None,
    decision: Any = None,
) -> MeetingItem:
    """An agenda item; ``draft`` (a draft act in consultation) and ``decision`` (a council
    decision) attach the commission's opinion to them, on their own public pages too."""
    _require(actor, "commission.manage")
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("The meeting was cancelled."))
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        position = (meeting.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item = MeetingItem.objects.create(
            meeting=meeting,
            position=position,
            title=_text(title, field="title", cap=500),
            description=_text(description, field="description", cap=TEXT_CAP, required=False),
            subject_url=subject_url,
            draft=draft,
            decision=decision,
        )
        audit_log(actor=actor, action="commission.item.added", obj=item, data={"meeting": meeting.number})
    return item


def attendance_record(*, actor: User | None, meeting: Meeting, present: Iterable[int]) -> int:
    """Record who of the serving members is present (the others absent); returns the number present."""
    _require(actor, "commission.manage")
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("The meeting was cancelled."))
    serving = {m.pk: m for m in serving_members(meeting.commission, meeting.day)}
    chosen = set(present)
    if not chosen <= set(serving):
        raise DomainError(_("Only members serving on the day of the meeting can be marked present."), field="present")
    if Opinion.objects.filter(item__meeting=meeting).exclude(status=Opinion.Status.DRAFTING).exists():
        raise DomainError(_("A vote has been held at this meeting: its attendance can no longer change."))
    with transaction.atomic():
        Attendance.objects.filter(meeting=meeting).delete()
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, member=member, present=pk in chosen) for pk, member in serving.items()]
        )
        meeting.attendance_recorded, meeting.status = True, Meeting.Status.HELD
        meeting.save(update_fields=["attendance_recorded", "status"])
        audit_log(
            actor=actor,
            action="commission.attendance.recorded",
            obj=meeting,
            data={"present": len(chosen), "serving": len(serving)},
        )
    return len(chosen)


def minutes_save(
    *, actor: User | None, meeting: Meeting, text: str = "", upload: UploadedFile | None = None
) -> Meeting:
    _require(actor, "commission.manage")
    minutes = _text(text, field="minutes_text", cap=100_000, required=False)
    if upload is None and not minutes:
        raise DomainError(_("Write the minutes or upload them as a PDF file."), field="minutes_text")
    if upload is not None:
        if upload.size is None or upload.size > MINUTES_MAX_BYTES:
            raise DomainError(_("The file is larger than 10 MB."), field="minutes_file")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise DomainError(_("The minutes must be a PDF file."), field="minutes_file")
    with transaction.atomic():
        meeting.minutes_text = minutes
        fields = ["minutes_text"]
        if upload is not None:
            meeting.minutes_file.save(f"meeting-{meeting.public_id}.pdf", upload, save=False)
            fields.append("minutes_file")
        meeting.save(update_fields=fields)
        audit_log(actor=actor, action="commission.minutes.saved", obj=meeting, data={"file": upload is not None})
    return meeting


# --- Members' work on an item -------------------------------------------------------------------


def conflict_declare(*, actor: User, item: MeetingItem, nature: str) -> ConflictDeclaration:
    """A member declares a conflict of interest on an item; they then neither draft nor vote on it.
    A vote they cast while the vote is still open is withdrawn."""
    member = _member(actor, item.meeting)
    nature = _text(nature, field="nature", cap=SHORT_CAP)
    opinion = Opinion.objects.filter(item=item).first()
    if opinion is not None and opinion.status in (Opinion.Status.ADOPTED, Opinion.Status.REJECTED):
        raise DomainError(_("The vote on this item is closed."))
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(item=item, member=member, nature=nature)
            withdrawn = 0
            if opinion is not None:
                withdrawn, _rows = OpinionVote.objects.filter(opinion=opinion, member=member).delete()
            audit_log(
                actor=actor,
                action="commission.conflict.declared",
                obj=item,
                data={"member": member.pk, "vote_withdrawn": bool(withdrawn)},
            )
    except IntegrityError:
        raise DomainError(_("You have already declared a conflict of interest on this item.")) from None
    return declaration


def _not_conflicted(member: CommissionMember, item: MeetingItem) -> None:
    if ConflictDeclaration.objects.filter(item=item, member=member).exists():
        raise DomainError(_("You declared a conflict of interest on this item and take no part in it."))


def opinion_draft_save(*, actor: User, item: MeetingItem, text: str, base_revision: int, note: str = "") -> Opinion:
    """Save a new version of the opinion's text. Members draft together: a save based on an older
    revision than the current one is refused (nobody's words are overwritten unseen)."""
    member = _member(actor, item.meeting)
    _not_conflicted(member, item)
    text = _text(text, field="text", cap=TEXT_CAP)
    note = _text(note, field="note", cap=300, required=False)
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().filter(item=item).first()
        if opinion is None:
            if base_revision != 0:
                raise DomainError(_("The opinion was removed meanwhile; reload the page."), field="text")
            opinion = Opinion.objects.create(item=item, text=text, revision=1)
        else:
            if opinion.status != Opinion.Status.DRAFTING:
                raise DomainError(_("The opinion has been put to the vote; its text can no longer change."))
            if opinion.revision != base_revision:
                raise DomainError(
                    _(
                        "Another member saved a newer version (revision %(revision)s) while you were writing. "
                        "Your text is kept below: compare it with the current one and save again."
                    )
                    % {"revision": opinion.revision},
                    field="text",
                    code="stale",
                )
            opinion.text = text
            opinion.revision += 1
            opinion.save(update_fields=["text", "revision"])
        OpinionRevision.objects.create(opinion=opinion, number=opinion.revision, author=member, text=text, note=note)
        audit_log(actor=actor, action="commission.opinion.drafted", obj=opinion, data={"revision": opinion.revision})
    return opinion


def opinion_vote_open(*, actor: User | None, opinion: Opinion) -> Opinion:
    _require(actor, "commission.manage")
    meeting = Meeting.objects.select_related("commission").get(pk=opinion.item.meeting_id)
    if not meeting.attendance_recorded:
        raise DomainError(_("Record who is present before putting the opinion to the vote."))
    quorum = meeting_quorum(meeting)
    if not quorum.reached:
        raise DomainError(
            _("There is no quorum: %(present)s present, %(needed)s needed.")
            % {"present": quorum.present, "needed": quorum.needed}
        )
    with transaction.atomic():
        changed = Opinion.objects.filter(pk=opinion.pk, status=Opinion.Status.DRAFTING).update(
            status=Opinion.Status.VOTING
        )
        if not changed:
            raise DomainError(_("The opinion is not being drafted any more."))
        audit_log(actor=actor, action="commission.opinion.vote_opened", obj=opinion)
    opinion.refresh_from_db()
    return opinion


def opinion_vote(*, actor: User, opinion: Opinion, choice: str) -> OpinionVote:
    """A member present at the meeting and without a declared conflict votes (a second vote
    replaces the first until the vote closes)."""
    item = opinion.item
    member = _member(actor, item.meeting)
    _not_conflicted(member, item)
    if choice not in OpinionVote.Choice.values:
        raise DomainError(_("Choose for, against or abstain."), field="choice")
    if not entitled_members(opinion).filter(pk=member.pk).exists():
        raise DomainError(_("Only members present at the meeting vote."))
    with transaction.atomic():
        if not Opinion.objects.select_for_update().filter(pk=opinion.pk, status=Opinion.Status.VOTING).exists():
            raise DomainError(_("The opinion is not put to the vote."))
        vote, created = OpinionVote.objects.update_or_create(
            opinion=opinion, member=member, defaults={"choice": choice, "cast_at": timezone.now()}
        )
        audit_log(
            actor=actor,
            action="commission.opinion.voted" if created else "commission.opinion.vote_changed",
            obj=opinion,
            data={"member": member.pk, "choice": choice},
        )
    return vote


def opinion_vote_close(*, actor: User | None, opinion: Opinion) -> Opinion:
    """Count the votes: adopted when those for are more than the majority share of the members
    present and entitled to vote."""
    _require(actor, "commission.manage")
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().filter(pk=opinion.pk, status=Opinion.Status.VOTING).first()
        if locked is None:
            raise DomainError(_("The opinion is not put to the vote."))
        entitled = entitled_members(locked).count()
        votes = list(OpinionVote.objects.filter(opinion=locked).values_list("choice", flat=True))
        locked.votes_for = votes.count(OpinionVote.Choice.FOR)
        locked.votes_against = votes.count(OpinionVote.Choice.AGAINST)
        locked.abstentions = votes.count(OpinionVote.Choice.ABSTAIN)
        locked.entitled = entitled
        commission = locked.item.meeting.commission
        adopted = entitled > 0 and locked.votes_for >= majority_needed(commission, entitled)
        locked.status = Opinion.Status.ADOPTED if adopted else Opinion.Status.REJECTED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["votes_for", "votes_against", "abstentions", "entitled", "status", "decided_at"])
        audit_log(
            actor=actor,
            action="commission.opinion.decided",
            obj=locked,
            data={
                "status": locked.status,
                "for": locked.votes_for,
                "against": locked.votes_against,
                "abstained": locked.abstentions,
                "entitled": entitled,
            },
        )
    return locked


def dissent_add(*, actor: User, opinion: Opinion, text: str) -> DissentingView:
    """A separate view by a member who voted against or abstained; published with the opinion."""
    member = _member(actor, opinion.item.meeting)
    if opinion.status not in (Opinion.Status.ADOPTED, Opinion.Status.REJECTED):
        raise DomainError(_("A dissenting view is written after the vote."))
    if opinion.published_at is not None:
        raise DomainError(_("The opinion has been published; dissenting views can no longer be added."))
    vote = OpinionVote.objects.filter(opinion=opinion, member=member).values_list("choice", flat=True).first()
    if vote not in (OpinionVote.Choice.AGAINST, OpinionVote.Choice.ABSTAIN):
        raise DomainError(_("Only a member who voted against or abstained can write a dissenting view."))
    text = _text(text, field="text", cap=TEXT_CAP)
    with transaction.atomic():
        dissent, _created = DissentingView.objects.update_or_create(
            opinion=opinion, member=member, defaults={"text": text}
        )
        audit_log(actor=actor, action="commission.dissent.written", obj=opinion, data={"member": member.pk})
    return dissent


def opinion_publish(*, actor: User | None, opinion: Opinion) -> Opinion:
    _require(actor, "commission.manage")
    with transaction.atomic():
        changed = Opinion.objects.filter(
            pk=opinion.pk, status=Opinion.Status.ADOPTED, published_at__isnull=True
        ).update(published_at=timezone.now())
        if not changed:
            raise DomainError(_("Only an adopted opinion that is not yet published can be published."))
        audit_log(actor=actor, action="commission.opinion.published", obj=opinion)
    opinion.refresh_from_db()
    return opinion
