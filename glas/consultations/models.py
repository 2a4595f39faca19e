"""Draft acts and their public consultation (ЗНА, чл. 26–28).

A ``Draft`` is a draft act (проект на акт) with its text split into ``Article`` and ``Paragraph``
rows, its motives and preliminary impact assessment and its attachments. While it is in
consultation people leave ``Contribution`` rows (a comment on a paragraph, an alternative
wording, a general comment); staff answer each one, and the answers make the справка
(report on the proposals). ``DraftEvent`` rows are the public timeline.

The council registry (``glas.council``) arrives separately: the proposer is a plain name with a
kind, and the adopting decision is a number, a date and a link. To be linked to
``council.Decision`` (and its vote) when that app lands.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from glas.core.models import Settlement


class Draft(models.Model):
    class ActType(models.TextChoices):
        ORDINANCE = "ordinance", _("ordinance")
        DECISION = "decision", _("decision")
        STRATEGY = "strategy", _("strategy")
        PLAN = "plan", _("plan")
        PROGRAMME = "programme", _("programme")
        BUDGET = "budget", _("budget")

    class ProposerKind(models.TextChoices):
        ADMINISTRATION = "administration", _("administration unit")
        COUNCILLOR = "councillor", _("councillor")
        COMMISSION = "commission", _("council commission")
        CITIZENS = "citizens", _("citizens' initiative")

    class Topic(models.TextChoices):
        PUBLIC_ORDER = "public_order", _("public order and safety")
        FINANCE = "finance", _("budget, taxes and fees")
        SPATIAL = "spatial", _("spatial planning and construction")
        ENVIRONMENT = "environment", _("environment and waste")
        TRANSPORT = "transport", _("roads and transport")
        SOCIAL = "social", _("social services and health")
        EDUCATION = "education", _("education, culture and sport")
        PROPERTY = "property", _("municipal property")
        ECONOMY = "economy", _("economy and tourism")
        ADMINISTRATION = "administration", _("administration")

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        PUBLISHED = "published", _("in public consultation")
        REPORT_PUBLISHED = "report_published", _("report published")
        SENT_TO_COUNCIL = "sent_to_council", _("sent to the council")
        ADOPTED = "adopted", _("adopted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    act_type = models.CharField(_("type of act"), max_length=20, choices=ActType.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    settlements = models.ManyToManyField(
        Settlement,
        blank=True,
        related_name="+",
        verbose_name=_("settlements concerned"),
        help_text=_("Leave empty when the act concerns the whole municipality."),
    )
    proposer_kind = models.CharField(_("proposed by"), max_length=20, choices=ProposerKind.choices)
    # To be linked to council.AdministrationUnit / council.Councillor when the council app lands.
    proposer_name = models.CharField(_("name of the proposer"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    motives = models.TextField(_("motives"), blank=True, help_text=_("Sanitised HTML."))
    impact_assessment = models.TextField(_("preliminary impact assessment"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("consultation opens on"), null=True, blank=True)
    closes_on = models.DateField(_("consultation closes on"), null=True, blank=True)
    short_term_reasons = models.TextField(_("reasons for a shorter term"), blank=True)
    # The LegalRule versions in force when the window was set (for the compliance panel).
    term_min_date = models.DateField(_("earliest regular closing date"), null=True, blank=True)
    term_legal_basis = models.CharField(_("legal basis of the term"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    report_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)
    sent_to_council_at = models.DateTimeField(_("sent to the council at"), null=True, blank=True)
    # The adopted act. To be linked to council.Decision (with its vote) when the council app lands.
    council_decision_number = models.CharField(_("council decision number"), max_length=50, blank=True)
    council_decision_date = models.DateField(_("council decision date"), null=True, blank=True)
    council_decision_url = models.URLField(_("link to the council decision"), blank=True)
    council_decision = models.ForeignKey(
        "council.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_drafts",
        verbose_name=_("council decision"),
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("draft act")
        verbose_name_plural = _("draft acts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gt=F("opens_on")),
                name="draft_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(opens_on__isnull=False) & Q(closes_on__isnull=False)),
                name="draft_published_has_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: object) -> bool:
        return bool(
            self.status == self.Status.PUBLISHED
            and self.opens_on is not None
            and self.closes_on is not None
            and self.opens_on <= day <= self.closes_on  # type: ignore[operator]
        )

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def term_days(self) -> int | None:
        if self.opens_on is None or self.closes_on is None:
            return None
        return (self.closes_on - self.opens_on).days

    @property
    def is_short_term(self) -> bool:
        return bool(self.term_min_date and self.closes_on and self.closes_on < self.term_min_date)


class Article(models.Model):
    """One article (член) of the draft or of the adopted text."""

    class Version(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="articles")
    version = models.CharField(max_length=10, choices=Version.choices, default=Version.DRAFT)
    position = models.PositiveIntegerField()
    number = models.CharField(_("article"), max_length=30)
    heading = models.CharField(_("heading"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "version", "position"], name="article_unique_position"),
        ]

    def __str__(self) -> str:
        return self.number


class Paragraph(models.Model):
    """One paragraph (алинея) of an article; an article without numbered paragraphs has one."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="paragraphs")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    number = models.CharField(_("paragraph"), max_length=30, blank=True)
    text = models.TextField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["article__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="paragraph_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.article.number} {self.number}".strip()

    @property
    def label(self) -> str:
        return f"{self.article.number} {self.number}".strip()


class Attachment(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text of the draft")
        MOTIVES = "motives", _("motives")
        IMPACT = "impact", _("impact assessment")
        OTHER = "other", _("other document")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="consultations/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Contribution(models.Model):
    """A comment, an alternative wording or a general comment (предложение/становище)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment on a paragraph")
        WORDING = "wording", _("alternative wording")
        GENERAL = "general", _("general comment")

    class Channel(models.TextChoices):
        ONLINE = "online", _("on Glas")
        EMAIL = "email", _("by e-mail")
        POST = "post", _("by post")
        IN_PERSON = "in_person", _("in person")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("waiting for e-mail confirmation")
        PUBLISHED = "published", _("published")
        HIDDEN = "hidden", _("hidden by a moderator")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("not accepted")
        OUT_OF_SCOPE = "out_of_scope", _("outside the scope of the act")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="contributions")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("comment"), max_length=5000)
    proposed_text = models.TextField(_("proposed wording"), max_length=20000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    author_email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    publish_name = models.BooleanField(_("my name may be published"), default=False)
    channel = models.CharField(_("received"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    source = models.CharField(_("source (registry number, date)"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    supports = models.PositiveIntegerField(_("supports"), default=0)
    oppositions = models.PositiveIntegerField(_("oppositions"), default=0)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    reasons = models.TextField(_("reasons"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["draft", "status", "paragraph"], name="contribution_page_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="general", paragraph__isnull=True) | (~Q(kind="general") & Q(paragraph__isnull=False)),
                name="contribution_paragraph_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""), name="contribution_hidden_has_reason"
            ),
            models.CheckConstraint(condition=Q(decision="") | ~Q(reasons=""), name="contribution_decision_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def wording_diff(self) -> str:
        """The proposed wording compared with the paragraph, word by word (safe HTML)."""
        from glas.consultations.text import word_diff

        if not self.proposed_text or self.paragraph is None:
            return ""
        return word_diff(self.paragraph.text, self.proposed_text)

    @property
    def public_author(self) -> str:
        """Who made it, as the public sees it: the organisation, or the person's name only with
        their consent."""
        if self.organisation:
            return self.organisation
        if self.publish_name:
            return self.display_author
        return str(_("private person"))

    @property
    def display_author(self) -> str:
        """The person's name; for an account, its current public name (so a deleted account
        shows as deleted, not under the name it had)."""
        if self.author_id is not None and self.author is not None:
            return self.author.public_name
        return self.author_name


class Reaction(models.Model):
    """Support for, or opposition to, someone else's contribution: one per person."""

    class Value(models.IntegerChoices):
        SUPPORT = 1, _("support")
        OPPOSE = -1, _("oppose")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="reaction_one_per_person"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="reaction_value_sign"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d}"


class DraftEvent(models.Model):
    """One step of the public timeline of a draft."""

    class Kind(models.TextChoices):
        CREATED = "created", _("draft prepared")
        PUBLISHED = "published", _("published for public consultation")
        TERM_CHANGED = "term_changed", _("consultation term changed")
        REPORT_PUBLISHED = "report_published", _("report on the proposals published")
        SENT_TO_COUNCIL = "sent_to_council", _("sent to the municipal council")
        ADOPTED = "adopted", _("adopted by the municipal council")
        WITHDRAWN = "withdrawn", _("withdrawn")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    happened_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Subscription(models.Model):
    """A person wants to hear when a consultation opens on a topic and/or in a settlement."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=Draft.Topic.choices, blank=True)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("settlement")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic", "settlement"],
                condition=Q(settlement__isnull=False),
                name="subscription_unique_with_settlement",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(settlement__isnull=True), name="subscription_unique_anywhere"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic or '*'} / {self.settlement_id or '*'}"


# --- Opinion map (opinion_map.py, services_opinion_map.py, views/opinion_map.py) -----------------


class OpinionMap(models.Model):
    """Short statements on a consultation that participants vote agree / disagree / pass on;
    participants are grouped by their votes (``opinion_map.compute_opinion_map``)."""

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="opinion_map")
    question = models.CharField(_("question"), max_length=300)
    is_open = models.BooleanField(_("open for votes and statements"), default=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    # the last computation (``OpinionMap.as_dict`` of the engine), and whether votes came since
    result = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return self.question


class Statement(models.Model):
    map = models.ForeignKey(OpinionMap, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=280)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    hidden_reason = models.CharField(_("hidden because"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["map", "text"], name="opinion_statement_unique_text")]

    def __str__(self) -> str:
        return self.text


class StatementVote(models.Model):
    class Choice(models.IntegerChoices):
        AGREE = 1, _("agree")
        PASS = 0, _("pass / unsure")
        DISAGREE = -1, _("disagree")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    vote = models.SmallIntegerField(_("vote"), choices=Choice.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote on a statement")
        verbose_name_plural = _("votes on statements")
        constraints = [
            models.UniqueConstraint(fields=["statement", "user"], name="opinion_vote_once"),
            models.CheckConstraint(condition=Q(vote__in=[-1, 0, 1]), name="opinion_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.vote}"
