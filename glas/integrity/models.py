"""Integrity: the channel for corruption and ethics signals (Whistleblower Protection Act,
ЗЗЛПСПОИН, 2023) and the officers who handle them.

What a report says (content, identity, messages, files) is stored only encrypted (see
``crypto.py``); what stays in clear is what the register and the annual statistics need: the
reference number, the kind, the context, dates, status and outcome. Nothing here holds an IP
address, a browser's user agent or any other trace of the reporter's device.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IntegrityOfficer(models.Model):
    """A designated officer and the public half of their key pair (the private half is stored
    encrypted under the officer's own integrity passphrase)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integrity_officer")
    public_key = models.BinaryField(_("public key"))
    protected_private_key = models.BinaryField(_("protected private key"))
    salt = models.BinaryField()
    is_supervisor = models.BooleanField(
        _("supervisor"), default=False, help_text=_("Sees overdue reports of all officers.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("integrity officer")
        verbose_name_plural = _("integrity officers")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryKey(models.Model):
    """The municipality's recovery public key; its private half is kept offline."""

    public_key = models.BinaryField()
    fingerprint = models.CharField(max_length=32)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="integrity_one_recovery_key"),
        ]

    def __str__(self) -> str:
        return self.fingerprint


class Report(models.Model):
    class Kind(models.TextChoices):
        TIP = "tip", _("anonymous tip")
        SIGNAL = "signal", _("confidential signal")

    class Context(models.TextChoices):
        CORRUPTION = "corruption", _("corruption")
        CONFLICT = "conflict_of_interest", _("conflict of interest")
        ABUSE = "abuse_of_office", _("abuse of office")
        ETHICS = "ethics", _("breach of the ethics code")
        PROPERTY = "property", _("mismanagement of municipal property")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        IN_REVIEW = "in_review", _("being checked")
        FORWARDED = "forwarded", _("forwarded to the competent authority")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed: measures taken")
        NOT_CONFIRMED = "not_confirmed", _("not confirmed")
        FORWARDED = "forwarded", _("forwarded")
        NO_GROUNDS = "no_grounds", _("left without action (no grounds)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("registration number"), max_length=20, unique=True)
    receipt_hash = models.CharField(max_length=64, unique=True)
    # SHA-256 of the form's one-use token: a form sent twice (double click, back button) files one report
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    context = models.CharField(_("subject"), max_length=30, choices=Context.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    received_on = models.DateField(_("received on"))
    acknowledge_due = models.DateField(_("acknowledgement due"))
    feedback_due = models.DateField(_("feedback due"))
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    feedback_on = models.DateField(_("feedback given on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    retain_until = models.DateField(_("kept until"), null=True, blank=True)
    # sealed with the report's data key
    content = models.BinaryField()
    identity = models.BinaryField(null=True, blank=True)
    reporter_salt = models.BinaryField(default=b"")
    reporter_key = models.BinaryField(default=b"")  # the data key, sealed under the receipt code
    last_activity_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("integrity report")
        verbose_name_plural = _("integrity reports")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="signal") | Q(identity__isnull=True), name="integrity_tip_has_no_identity"
            ),
            models.CheckConstraint(
                condition=Q(acknowledge_due__gte=F("received_on"), feedback_due__gte=F("received_on")),
                name="integrity_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="integrity_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def aad(self, field: str) -> bytes:
        return f"{self.public_id}|{field}".encode()

    @property
    def acknowledge_overdue(self) -> bool:
        return self.acknowledged_on is None and timezone.localdate() > self.acknowledge_due

    @property
    def feedback_overdue(self) -> bool:
        return (
            self.feedback_on is None and self.status != self.Status.CLOSED and timezone.localdate() > self.feedback_due
        )


class ReportKey(models.Model):
    """The report's data key wrapped for one officer or for the recovery key."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="keys")
    officer = models.ForeignKey(IntegrityOfficer, on_delete=models.CASCADE, null=True, blank=True)
    recovery = models.ForeignKey(RecoveryKey, on_delete=models.PROTECT, null=True, blank=True)
    wrapped = models.BinaryField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, recovery__isnull=True)
                | Q(officer__isnull=True, recovery__isnull=False),
                name="integrity_key_for_one_holder",
            ),
            models.UniqueConstraint(fields=["report", "officer"], name="integrity_key_once_per_officer"),
            models.UniqueConstraint(fields=["report", "recovery"], name="integrity_key_once_per_recovery"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.officer_id or 'recovery'}"


class ReportMessage(models.Model):
    class Author(models.TextChoices):
        REPORTER = "reporter", _("the reporter")
        OFFICER = "officer", _("integrity officer")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    officer = models.ForeignKey(IntegrityOfficer, on_delete=models.SET_NULL, null=True, blank=True)
    body = models.BinaryField()
    created_on = models.DateField(default=timezone.localdate)
    read_by_reporter = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.pk}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey("ReportMessage", on_delete=models.CASCADE, null=True, blank=True)
    stored_name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10)  # pdf, jpeg, png, txt, docx
    size = models.PositiveIntegerField()
    name = models.BinaryField()  # the original name, sealed

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.stored_name


class IdentityAccess(models.Model):
    """A request to see a confidential reporter's identity: a second officer must approve it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    requested_by = models.ForeignKey(IntegrityOfficer, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(IntegrityOfficer, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")),
                name="integrity_identity_second_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.requested_by_id}"


class ReportEvent(models.Model):
    """The report's history as officers and the reporter see it (never content)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    officer = models.ForeignKey(IntegrityOfficer, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.action}"


class InterestDeclaration(models.Model):
    """A declaration of interests of a councillor or senior official (Anti-Corruption Act, ЗПК
    2023), published in the public register: the filed document and its structured contents."""

    class Position(models.TextChoices):
        COUNCILLOR = "councillor", _("municipal councillor")
        MAYOR = "mayor", _("mayor")
        DEPUTY_MAYOR = "deputy_mayor", _("deputy mayor")
        KMET = "kmet", _("mayor of a kmetstvo")
        SECRETARY = "secretary", _("secretary of the municipality")
        OFFICIAL = "official", _("senior official")

    class Kind(models.TextChoices):
        INITIAL = "initial", _("on taking office")
        ANNUAL = "annual", _("annual")
        CHANGE = "change", _("change in circumstances")
        INCOMPATIBILITY = "incompatibility", _("of incompatibility")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    councillor = models.ForeignKey(
        "council.Councillor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interest_declarations",
        verbose_name=_("councillor"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    filed_on = models.DateField(_("filed on"))
    positions_held = models.TextField(_("positions and memberships"), blank=True)
    interests = models.TextField(_("other private interests"), blank=True)
    document = models.FileField(_("declaration (PDF)"), upload_to="declarations/", blank=True)
    withdrawn_reason = models.CharField(_("withdrawn because"), max_length=300, blank=True)
    # case-folded name, companies and UICs: SQLite compares only ASCII letters without case
    search_text = models.TextField(blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declaration of interests")
        verbose_name_plural = _("declarations of interests")
        ordering = ["-filed_on", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(councillor__isnull=True) | Q(position="councillor"),
                name="integrity_declaration_councillor_position",
            ),
            models.CheckConstraint(condition=Q(year__gte=1990), name="integrity_declaration_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.year})"


class DeclaredCompany(models.Model):
    """A company or organisation the declarant is related to."""

    class Relation(models.TextChoices):
        OWNER = "owner", _("owner or partner")
        MANAGER = "manager", _("manager or board member")
        RELATED = "related", _("related person's company")
        OTHER = "other", _("other")

    declaration = models.ForeignKey(InterestDeclaration, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(_("name"), max_length=300)
    eik = models.CharField(_("UIC (ЕИК)"), max_length=13, blank=True)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("declared company")
        verbose_name_plural = _("declared companies")
        ordering = ["declaration", "name"]

    def __str__(self) -> str:
        return self.name


class VoteFlag(models.Model):
    """A council vote by a councillor on a decision that names a company from their declaration.
    Found automatically; an integrity officer reviews it before anything is published."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to be reviewed")
        DISMISSED = "dismissed", _("no conflict (dismissed)")
        CONFIRMED = "confirmed", _("conflict confirmed")

    vote = models.ForeignKey("council.Vote", on_delete=models.CASCADE, related_name="integrity_flags")
    company = models.ForeignKey(DeclaredCompany, on_delete=models.CASCADE, related_name="flags")
    matched_on = models.CharField(_("matched on"), max_length=20)  # "name" or "eik"
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(_("officer's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("flagged vote")
        verbose_name_plural = _("flagged votes")
        ordering = ["status", "-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "company"], name="integrity_flag_once"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_by__isnull=False), name="integrity_flag_reviewed_by"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.company_id}"


class EthicsCode(models.Model):
    """The ethics code of the municipality's employees as adopted, published with a way to report
    a breach. A new version replaces the published one; earlier versions stay listed."""

    title = models.CharField(_("title"), max_length=300)
    adopted_by = models.CharField(_("adopted by"), max_length=300, help_text=_("The order or decision and its date."))
    text = models.TextField(_("text"), blank=True)
    document = models.FileField(_("document (PDF)"), upload_to="ethics/", blank=True)
    published_on = models.DateField(_("published on"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("ethics code")
        verbose_name_plural = _("ethics codes")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(document=""), name="integrity_ethics_has_content")
        ]

    def __str__(self) -> str:
        return self.title
