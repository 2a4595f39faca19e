"""The Bureau for informing and advising citizens (Бюро за информиране и консултиране на гражданите).

A ``Case`` is one request for help: a general inquiry, a request for access to public information
(ЗДОИ) or a proposal or signal to the administration (АПК, глава осма). Each case has deadlines
(``CaseDeadline``) computed only from ``LegalRule`` rows through ``glas.core.deadlines``;
messages (public replies, the citizen's messages and internal notes) and referrals to services
from a directory. Advisors have a profile (skills, volunteer or staff, supervisor) and a rota.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SOCIAL = "social", _("social support")
    TAXES = "taxes", _("property and local taxes")
    PERMITS = "permits", _("permits and construction")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    LEGAL = "legal", _("legal")
    INFORMATION = "information", _("access to information")
    COMPLAINT = "complaint", _("complaint")
    OTHER = "other", _("other")


class AdvisorProfile(models.Model):
    """What an advisor (a person with the advisor role) can help with, and whether they lead."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("volunteer expert (NGO)")
        STAFF = "staff", _("municipal staff")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bureau_profile")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VOLUNTEER)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    skills = models.JSONField(_("skills (categories)"), default=list, blank=True)
    available = models.BooleanField(_("takes new cases"), default=True)
    max_open_cases = models.PositiveSmallIntegerField(_("most open cases at a time"), default=15)

    class Meta:
        verbose_name = _("advisor profile")
        verbose_name_plural = _("advisor profiles")
        constraints = [
            models.CheckConstraint(condition=Q(max_open_cases__gte=1), name="bureau_profile_capacity_positive"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class RotaSlot(models.Model):
    """A weekly time when an advisor is present: office hours in Kresna, visiting days in villages."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    advisor = models.ForeignKey(AdvisorProfile, on_delete=models.CASCADE, related_name="rota")
    settlement = models.ForeignKey("core.Settlement", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rota slot")
        verbose_name_plural = _("rota")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="bureau_rota_ordered"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="bureau_rota_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Service(models.Model):
    """A municipal unit or an outside service a case can be referred to."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("municipal unit")
        OUTSIDE = "outside", _("outside service")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    helps_with = models.TextField(_("what they help with"))
    categories = models.JSONField(_("categories"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service directory")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReplyTemplate(models.Model):
    """A reusable reply text for recurring questions."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    body = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ReferenceCounter(models.Model):
    """The last reference number given in a year (БЮ-2026-000123)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("general inquiry")
        ZDOI = "zdoi", _("access to public information request")
        PROPOSAL = "proposal", _("proposal to the administration")
        SIGNAL = "signal", _("signal to the administration")

    class Channel(models.TextChoices):
        WEB = "web", _("web form")
        WALK_IN = "walk_in", _("walk-in")
        PHONE = "phone", _("phone")
        LETTER = "letter", _("letter")
        EMAIL = "email", _("e-mail")

    class Contact(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone")
        LETTER = "letter", _("letter")
        IN_PERSON = "in_person", _("in person at the bureau")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
        OPEN = "open", _("open")
        CLARIFICATION = "clarification", _("awaiting clarification")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered")
        REFERRED = "referred", _("referred to another body")
        FORWARDED = "forwarded", _("forwarded to the competent body")
        FULL = "full", _("access granted in full")
        PARTIAL = "partial", _("partial access")
        REFUSED = "refused", _("access refused")
        DECIDED = "decided", _("decided and answered")
        LAPSED = "lapsed", _("left without consideration (not clarified)")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class AccessForm(models.TextChoices):
        INSPECTION = "inspection", _("inspection of the original or a copy")
        ORAL = "oral", _("oral information")
        PAPER = "paper", _("paper copy")
        ELECTRONIC = "electronic", _("copy on an electronic medium or by e-mail")

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    settlement = models.ForeignKey(
        "core.Settlement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="bureau_cases"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address for correspondence"), max_length=300, blank=True)
    preferred_contact = models.CharField(_("preferred contact"), max_length=20, choices=Contact.choices)
    consent_process = models.BooleanField(_("consents to the processing of their data"), default=False)
    consent_refer = models.BooleanField(_("consents to referral to another body"), default=False)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    follow_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    access_form = models.CharField(_("preferred form of access"), max_length=20, choices=AccessForm.choices, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    decision_grounds = models.TextField(_("legal grounds"), blank=True)
    publish_released = models.BooleanField(_("publish the released information"), default=False)

    received_on = models.DateField(_("received on"), null=True, blank=True)
    due_on = models.DateField(_("next deadline"), null=True, blank=True, db_index=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bureau_assigned",
        verbose_name=_("advisor"),
    )
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="bureau_shared")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment on the help"), max_length=500, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_on"], name="bureau_case_queue_idx"),
            models.Index(fields=["status", "due_on"], name="bureau_case_status_idx"),
            # The queue's counts of open cases (mine, waiting, overdue) read only this index.
            models.Index(
                fields=["assigned_to", "due_on"],
                condition=Q(status__in=["open", "clarification"]),
                name="bureau_case_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(consent_process=True), name="bureau_case_consent_required"),
            models.CheckConstraint(condition=~Q(kind="zdoi") | ~Q(access_form=""), name="bureau_case_zdoi_access_form"),
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(decision_grounds=""), name="bureau_case_refusal_grounds"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="bureau_case_closed_at"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="bureau_case_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.CLARIFICATION)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return bool(self.is_open and self.due_on and self.due_on < (today or timezone.localdate()))

    @property
    def display_name(self) -> str:
        if self.citizen_id and not self.name:
            return self.citizen.public_name if self.citizen else ""
        return self.name


class CaseDeadline(models.Model):
    """One term running on a case, from a ``LegalRule`` (decision, extension, notice, …)."""

    class Kind(models.TextChoices):
        TARGET = "target", _("answer (internal target)")
        DECISION = "decision", _("decision")
        FORWARDING = "forwarding", _("forwarding to the competent body")
        CLARIFICATION = "clarification", _("clarification by the applicant")
        NOTICE = "notice", _("communicating the decision")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("deadline"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("counted from"))
    due_on = models.DateField(_("due on"))
    rule_key = models.CharField(_("rule"), max_length=100)
    extension_rule_key = models.CharField(_("extension rule"), max_length=100, blank=True)
    extension_reason = models.TextField(_("reasons for the extension"), blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("no longer running since"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="bureau_deadline_open_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="bureau_deadline_after_start"),
            models.CheckConstraint(
                condition=Q(extension_rule_key="") | ~Q(extension_reason=""), name="bureau_deadline_extension_reasons"
            ),
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="bureau_deadline_one_running_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on.isoformat()}"

    @property
    def is_running(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


class CaseMessage(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("reply to the citizen")
        CITIZEN = "citizen", _("message from the citizen")
        NOTE = "note", _("internal note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"))
    idempotency_key = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("case message")
        verbose_name_plural = _("case messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "idempotency_key"], name="bureau_message_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.NOTE


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    note = models.TextField(_("note for the citizen"), blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("referred at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "service"], name="bureau_referral_once")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.service_id}"


class Article(models.Model):
    """A knowledge-base article written by an advisor from a recurring question; public once a
    supervisor other than its author has reviewed and published it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("waiting for review")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    slug = models.SlugField(_("address"), max_length=120, unique=True, allow_unicode=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="articles")
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge base")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(reviewer__isnull=False, published_at__isnull=False),
                name="bureau_article_reviewed_before_publication",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=models.F("author")),
                name="bureau_article_reviewer_not_author",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AppointmentSlot(models.Model):
    """A time an advisor can see someone, at a place (the office in Kresna, a village hall)."""

    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bureau_slots")
    settlement = models.ForeignKey("core.Settlement", on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="bureau_slot_ordered"),
            models.UniqueConstraint(fields=["advisor", "starts_at"], name="bureau_slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("did not come")
        CANCELLED = "cancelled", _("cancelled")

    class Channel(models.TextChoices):
        WEB = "web", _("online")
        PHONE = "phone", _("by phone")

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.CASCADE, related_name="appointments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BOOKED)
    channel = models.CharField(_("booked"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("what it is about"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(status="cancelled"), name="bureau_appointment_one_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.get_status_display()}"
