"""Direct democracy instruments (ЗПУГДВМС) and e-petitions, their committees and signatures.

A signature counts once per person per initiative: the database refuses a second row with the
same ``identity_key`` (the ЕГН's keyed hash for binding instruments, the canonical e-mail's
keyed hash for petitions), online and paper alike. Live counts come from ``SignatureCounter``:
a few shard rows per initiative (and per settlement) incremented with ``F()`` in the signing
transaction, so no single row is updated by every signature and reading is a sum of a few rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COUNTER_SHARDS = 16


class Initiative(models.Model):
    class Kind(models.TextChoices):
        REFERENDUM = "referendum", _("local referendum proposal")
        CIVIC_INITIATIVE = "civic_initiative", _("civic initiative")
        GENERAL_ASSEMBLY = "general_assembly", _("general assembly of the population")
        PETITION = "petition", _("e-petition")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        COMMITTEE = "committee", _("forming the initiative committee")
        REVIEW = "review", _("admissibility review")
        INADMISSIBLE = "inadmissible", _("inadmissible")
        REGISTERED = "registered", _("registered")
        COLLECTING = "collecting", _("collecting signatures")
        SUBMITTED = "submitted", _("signatures submitted")
        VERIFICATION = "verification", _("signatures being verified")
        AWAITING_DECISION = "awaiting_decision", _("awaiting the council's decision")
        DECIDED = "decided", _("decided")
        OUTCOME = "outcome", _("referendum held")
        ARCHIVED = "archived", _("archived")

    class Territory(models.TextChoices):
        MUNICIPALITY = "municipality", _("the whole municipality")
        KMETSTVO = "kmetstvo", _("a kmetstvo")
        SETTLEMENT = "settlement", _("a settlement")

    class Addressee(models.TextChoices):
        COUNCIL = "council", _("the municipal council")
        MAYOR = "mayor", _("the mayor")

    class Decision(models.TextChoices):
        ORDERED = "ordered", _("ordered / accepted")
        REFUSED = "refused", _("refused by a reasoned decision")
        ANSWERED = "answered", _("answered")

    PUBLIC_STATUSES = (
        Status.INADMISSIBLE,
        Status.REGISTERED,
        Status.COLLECTING,
        Status.SUBMITTED,
        Status.VERIFICATION,
        Status.AWAITING_DECISION,
        Status.DECIDED,
        Status.OUTCOME,
        Status.ARCHIVED,
    )
    FROZEN_STATUSES = PUBLIC_STATUSES

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("instrument"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question or proposal"), max_length=2000)
    description = models.TextField(_("explanation"), max_length=10000, blank=True)
    addressee = models.CharField(_("addressed to"), max_length=20, choices=Addressee.choices, default=Addressee.COUNCIL)
    promoter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiatives_promoted",
        verbose_name=_("promoter"),
    )
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="initiatives")
    territory = models.CharField(_("territory"), max_length=20, choices=Territory.choices)
    kmetstvo = models.ForeignKey("core.Kmetstvo", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    settlement = models.ForeignKey("core.Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Admissibility review (council staff).
    review_reasons = models.TextField(_("reasons of the admissibility decision"), blank=True)
    excluded_topic = models.CharField(_("excluded topic (legal rule)"), max_length=100, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Registration: the voters of the territory on that date and the thresholds computed from them.
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    voters_snapshot = models.PositiveIntegerField(_("voters of the territory at registration"), null=True, blank=True)
    voters_source = models.CharField(_("source of the voter count"), max_length=300, blank=True)
    threshold_propose = models.PositiveIntegerField(_("signatures needed"), null=True, blank=True)
    threshold_oblige = models.PositiveIntegerField(_("signatures that oblige the council"), null=True, blank=True)
    threshold_rules = models.JSONField(_("rules applied"), default=dict, blank=True)
    collection_opened_at = models.DateTimeField(_("collection opened at"), null=True, blank=True)
    collection_closes_on = models.DateField(_("collection closes on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Verification by the civil registry (ГД „ГРАО“).
    official_valid = models.PositiveIntegerField(_("valid signatures (official)"), null=True, blank=True)
    official_invalid = models.PositiveIntegerField(_("invalid signatures (official)"), null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    decision_due_on = models.DateField(_("council decision due on"), null=True, blank=True)
    decision = models.CharField(_("council decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("reasons of the council decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # Referendum outcome.
    vote_date = models.DateField(_("referendum date"), null=True, blank=True)
    vote_voters = models.PositiveIntegerField(_("voters on the roll"), null=True, blank=True)
    vote_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    vote_yes = models.PositiveIntegerField(_("votes “yes”"), null=True, blank=True)
    outcome_valid = models.BooleanField(_("referendum valid"), null=True, blank=True)
    outcome_adopted = models.BooleanField(_("proposal adopted"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(territory="municipality", kmetstvo__isnull=True, settlement__isnull=True)
                    | Q(territory="kmetstvo", kmetstvo__isnull=False, settlement__isnull=True)
                    | Q(territory="settlement", kmetstvo__isnull=True, settlement__isnull=False)
                ),
                name="initiative_territory_consistent",
            ),
            models.CheckConstraint(
                condition=Q(threshold_oblige__isnull=True)
                | Q(threshold_propose__isnull=True)
                | Q(threshold_oblige__gte=F("threshold_propose")),
                name="initiative_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(vote_cast__isnull=True) | Q(vote_voters__isnull=True) | Q(vote_cast__lte=F("vote_voters")),
                name="initiative_turnout_not_above_roll",
            ),
            models.CheckConstraint(
                condition=Q(vote_yes__isnull=True) | Q(vote_cast__isnull=True) | Q(vote_yes__lte=F("vote_cast")),
                name="initiative_yes_not_above_cast",
            ),
            models.CheckConstraint(
                condition=~Q(status="inadmissible") | ~Q(review_reasons=""),
                name="initiative_inadmissible_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_binding(self) -> bool:
        """Signatures under the law (ЕГН, permanent address) rather than e-mail support."""
        return self.kind != self.Kind.PETITION

    @property
    def question_frozen(self) -> bool:
        return self.status in self.FROZEN_STATUSES

    @property
    def is_collecting(self) -> bool:
        return self.status == self.Status.COLLECTING

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status == self.Status.AWAITING_DECISION
            and self.decision_due_on
            and timezone.localdate() > self.decision_due_on
        )

    @property
    def territory_name(self) -> str:
        if self.territory == self.Territory.SETTLEMENT and self.settlement:
            return self.settlement.prefixed_name
        if self.territory == self.Territory.KMETSTVO and self.kmetstvo:
            return str(self.kmetstvo)
        return str(self.municipality)


class CommitteeMember(models.Model):
    """A member of the initiative committee; counts only once confirmed through the e-mail link."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="committee")
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "email"], name="committee_member_once"),
        ]

    def __str__(self) -> str:
        return self.full_name


class TimelineEvent(models.Model):
    """One public step of an initiative's life (what the timeline on its page shows)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="timeline")
    status = models.CharField(_("status"), max_length=30, choices=Initiative.Status.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.status}"


class Signature(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper list")

    class Status(models.TextChoices):
        COUNTED = "counted", _("counted, not yet verified")
        HELD = "held", _("held for review (not counted)")
        VALID = "valid", _("valid (civil registry)")
        INVALID = "invalid", _("invalid")
        WITHDRAWN = "withdrawn", _("withdrawn")

    COUNTING = (Status.COUNTED, Status.VALID)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="signatures")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COUNTED)
    # What makes a person one signer: the ЕГН's keyed hash (binding) or "e:" + the canonical
    # e-mail's keyed hash (petitions). Never the ЕГН itself.
    identity_key = models.CharField(max_length=70)
    egn_last2 = models.CharField(_("last two digits of the ЕГН"), max_length=2, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    full_name = models.CharField(_("three names"), max_length=200, blank=True)
    address = models.CharField(_("permanent address"), max_length=300, blank=True)
    settlement = models.ForeignKey("core.Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sheet_number = models.PositiveIntegerField(_("sheet"), null=True, blank=True)
    line_number = models.PositiveSmallIntegerField(_("line"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("signed at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["created_at", "id"]
        constraints = [
            # One signature per person per initiative, online and paper together. A withdrawn
            # signature no longer blocks signing again.
            models.UniqueConstraint(
                fields=["initiative", "identity_key"],
                condition=~Q(status="withdrawn"),
                name="signature_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["initiative", "sheet_number", "line_number"],
                condition=Q(channel="paper"),
                name="signature_one_per_sheet_line",
            ),
            models.CheckConstraint(
                condition=Q(channel="online", signer__isnull=False)
                | Q(channel="paper", sheet_number__isnull=False, line_number__isnull=False, entered_by__isnull=False),
                name="signature_channel_fields",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="signature_withdrawn_consistent",
            ),
        ]
        indexes = [models.Index(fields=["initiative", "status"], name="signature_status_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id}/{self.public_id}"

    @property
    def counts(self) -> bool:
        return self.status in self.COUNTING


class SignatureCounter(models.Model):
    """One shard of a live count: one settlement's signatures, or (``settlement`` empty) those
    with no settlement on record (petition supporters who are not verified residents).

    Signing adds 1 to one random shard of its settlement with ``F()``: a single row update, so
    concurrent signers rarely wait on each other and readers never wait at all. The total is
    the sum of all the initiative's rows (a fixed number: settlements × shards); a settlement's
    count is the sum of its shards."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="counters")
    settlement = models.ForeignKey("core.Settlement", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    shard = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "shard"], condition=Q(settlement__isnull=True), name="counter_total_shard"
            ),
            models.UniqueConstraint(
                fields=["initiative", "settlement", "shard"],
                condition=Q(settlement__isnull=False),
                name="counter_settlement_shard",
            ),
            models.CheckConstraint(condition=Q(shard__lt=COUNTER_SHARDS), name="counter_shard_range"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}/{self.settlement_id}/{self.shard}: {self.count}"


class SecondKeying(models.Model):
    """A paper line typed a second time by another person (optional double entry). It never
    counts; comparing it with the first entry finds typing mistakes (the mismatch report)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="second_keyings")
    sheet_number = models.PositiveIntegerField(_("sheet"))
    line_number = models.PositiveSmallIntegerField(_("line"))
    identity_key = models.CharField(max_length=70)
    egn_last2 = models.CharField(max_length=2)
    full_name = models.CharField(_("three names"), max_length=200)
    address = models.CharField(_("permanent address"), max_length=300)
    settlement = models.ForeignKey("core.Settlement", on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("second keying")
        verbose_name_plural = _("second keyings")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "sheet_number", "line_number"], name="second_keying_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_number}/{self.line_number}"
