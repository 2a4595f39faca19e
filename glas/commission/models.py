"""The Consultative Commission: civil-sector experts who give the municipal council opinions.

The grant creates the commission; its rules of procedure (quorum, majority) are adopted by the
council and stored here with their source, so they can change without a code change. Members
declare a conflict of interest per agenda item and do not vote on it; an opinion is adopted by
the members present and entitled to vote, and is published with the dissenting views.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Commission(models.Model):
    """The commission and its rules of procedure (one per municipality in practice)."""

    name = models.CharField(_("name"), max_length=300)
    mandate = models.TextField(_("mandate"), blank=True)
    established_by = models.CharField(
        _("established by"), max_length=300, help_text=_("The council decision that set up the commission.")
    )
    quorum_share = models.DecimalField(
        _("quorum: share of the members"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text=_("A meeting has a quorum when more than this share of the serving members is present."),
    )
    majority_share = models.DecimalField(
        _("majority: share of the members voting"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "An opinion is adopted when more than this share of the members present and entitled to vote vote for it."
        ),
    )
    rules_source = models.CharField(
        _("source of these rules"), max_length=300, help_text=_("The rules of procedure and the article.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("consultative commission")
        verbose_name_plural = _("consultative commissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_share__gt=0, quorum_share__lte=1, majority_share__gt=0, majority_share__lte=1),
                name="commission_shares_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommissionMember(models.Model):
    """An expert serving on the commission for a term."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_memberships")
    name = models.CharField(_("name as published"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300)
    expertise = models.CharField(_("areas of expertise"), max_length=500)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["-is_chair", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="commission_member_term_ordered"),
            models.UniqueConstraint(fields=["commission", "user", "term_start"], name="commission_member_unique_term"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def serves_on(self, day: object) -> bool:
        return bool(self.term_start <= day <= self.term_end)  # type: ignore[operator]


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="meetings")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("number"))
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes (PDF)"), upload_to="commission/minutes/", blank=True)
    attendance_recorded = models.BooleanField(_("attendance recorded"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commission meeting")
        verbose_name_plural = _("commission meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "number"], name="commission_meeting_unique_number"),
        ]

    def __str__(self) -> str:
        return str(_("Meeting No. %(number)s") % {"number": self.number})

    @property
    def day(self) -> dt.date:
        """The meeting's date in the municipality's time zone (a meeting at 00:30 in Kresna is on
        the day before in UTC, and membership terms are counted in whole local days)."""
        return timezone.localdate(self.starts_at)


class MeetingItem(models.Model):
    """An agenda item: usually a draft act in consultation or a matter before the council."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    subject_url = models.URLField(
        _("link to the draft or decision"),
        blank=True,
        help_text=_("The public page of the draft act or the council decision the item is about."),
    )
    draft = models.ForeignKey(
        "consultations.Draft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_items",
        verbose_name=_("draft act"),
    )
    decision = models.ForeignKey(
        "council.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_items",
        verbose_name=_("council decision"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="commission_item_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="commission_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.meeting_id}: {self.present}"


class ConflictDeclaration(models.Model):
    """A member's declared conflict of interest on an item: they take no part in its vote."""

    item = models.ForeignKey(MeetingItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="conflicts")
    nature = models.TextField(_("nature of the interest"))
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="commission_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} / {self.item_id}"


class Opinion(models.Model):
    """The commission's opinion on an item: drafted together, adopted by vote, published."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("being drafted")
        VOTING = "voting", _("put to the vote")
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("not adopted")

    item = models.OneToOneField(MeetingItem, on_delete=models.CASCADE, related_name="opinion")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(_("text of the opinion"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING)
    votes_for = models.PositiveIntegerField(default=0)
    votes_against = models.PositiveIntegerField(default=0)
    abstentions = models.PositiveIntegerField(default=0)
    entitled = models.PositiveIntegerField(
        _("members present and entitled to vote"), default=0, help_text=_("Recorded when the vote is closed.")
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="adopted") | Q(status="rejected"),
                name="commission_opinion_published_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Opinion on “%(item)s”") % {"item": self.item.title})


class OpinionRevision(models.Model):
    """Every saved version of the text, with its author: the drafting history."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="revisions")
    text = models.TextField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opinion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "number"], name="commission_revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id} r{self.number}"


class OpinionVote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstained")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote on an opinion")
        verbose_name_plural = _("votes on opinions")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "member"], name="commission_vote_once"),
            models.CheckConstraint(
                condition=Q(choice__in=["for", "against", "abstain"]), name="commission_vote_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class DissentingView(models.Model):
    """A member's separate view, published with the opinion (by those who did not vote for it)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="dissents")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="dissents")
    text = models.TextField(_("dissenting view"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dissenting view")
        verbose_name_plural = _("dissenting views")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "member"], name="commission_dissent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} / {self.opinion_id}"
