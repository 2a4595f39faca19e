"""The council registry: the mandate (term), political groups, councillors and standing
committees, the mayor and officials, administration units, sessions with their agenda,
documents and minutes, and decisions with each councillor's vote.

Councils number their decisions per mandate ("Решение № 123"), so a decision is unique by
(term, number); its stable public address is its ``public_id`` (a UUID), which other modules
(consultations, the Consultative Commission) reference with a foreign key to ``Decision``.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from glas.core.models import BilingualName, Municipality


def _server_side_name(folder: str, instance: models.Model, filename: str) -> str:
    """Stored files get a random name chosen by the server; only the extension is kept."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"council/{folder}/{uuid.uuid4().hex}{suffix}"


def photo_path(instance: models.Model, filename: str) -> str:
    return _server_side_name("photos", instance, filename)


def document_path(instance: models.Model, filename: str) -> str:
    return _server_side_name("documents", instance, filename)


def search_key(text: str) -> str:
    """Text as the decision search compares it: case-folded, spaces collapsed."""
    text = "".join(char for char in text if char.isprintable() or char.isspace())
    return " ".join(text.casefold().split())


class Term(models.Model):
    """A mandate of the municipal council (мандат), e.g. 2023–2027."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="council_terms")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    seats = models.PositiveSmallIntegerField(_("number of councillors"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("council term")
        verbose_name_plural = _("council terms")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="council_term_start_before_end"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="council_term_has_seats"),
            models.UniqueConstraint(fields=["municipality", "start"], name="council_term_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start.year}–{self.end.year}"

    def covers(self, day: object) -> bool:
        return bool(self.start <= day <= self.end)  # type: ignore[operator]


class PoliticalGroup(BilingualName):
    """A party, coalition or list of an initiative committee with seats in the council."""

    class Kind(models.TextChoices):
        PARTY = "party", _("party")
        COALITION = "coalition", _("coalition")
        LOCAL_COALITION = "local_coalition", _("local coalition")
        INITIATIVE_COMMITTEE = "initiative_committee", _("initiative committee")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="groups", verbose_name=_("term"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.PARTY)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("political group")
        verbose_name_plural = _("political groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="council_group_unique_name")]


class StandingCommittee(BilingualName):
    """A standing committee of the council (постоянна комисия)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="committees", verbose_name=_("term"))
    slug = models.SlugField(_("slug"), max_length=100)
    remit = models.TextField(_("remit"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("standing committee")
        verbose_name_plural = _("standing committees")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["term", "slug"], name="council_committee_unique_slug")]


class Councillor(models.Model):
    """A municipal councillor (общински съветник) in one term. A councillor who leaves mid-term
    keeps the row with ``active_to`` set; the replacement is a new row from the next day."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="councillors", verbose_name=_("term"))
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(
        PoliticalGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councillors",
        verbose_name=_("list / party"),
    )
    committees = models.ManyToManyField(
        StandingCommittee, blank=True, related_name="members", verbose_name=_("standing committees")
    )
    is_chair = models.BooleanField(_("chair of the council"), default=False)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    active_from = models.DateField(_("member from"))
    active_to = models.DateField(_("member until"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("councillor")
        verbose_name_plural = _("councillors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="council_councillor_unique_name"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="council_councillor_active_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council:councillor", args=[self.pk])

    def is_active_on(self, day: object) -> bool:
        return bool(self.active_from <= day and (self.active_to is None or day <= self.active_to))  # type: ignore[operator]


class Official(models.Model):
    """The mayor (кмет), a deputy mayor or the municipality's secretary."""

    class Role(models.TextChoices):
        MAYOR = "mayor", _("mayor")
        DEPUTY_MAYOR = "deputy_mayor", _("deputy mayor")
        SECRETARY = "secretary", _("secretary of the municipality")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="officials")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    remit = models.CharField(_("remit"), max_length=300, blank=True)
    active_from = models.DateField(_("in office from"))
    active_to = models.DateField(_("in office until"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(role="mayor", active_to__isnull=True),
                name="council_one_mayor_in_office",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="council_official_active_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class AdministrationUnit(BilingualName):
    """A unit of the municipal administration (дирекция, отдел)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="administration_units")
    head = models.CharField(_("head"), max_length=200, blank=True)
    remit = models.TextField(_("remit"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("administration unit")
        verbose_name_plural = _("administration units")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="council_unit_unique_name"),
        ]


class Session(models.Model):
    """A sitting of the council (заседание), numbered within the term."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular")
        EXTRAORDINARY = "extraordinary", _("extraordinary")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("term"))
    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="council_session_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="council_session_number_positive"),
        ]

    def __str__(self) -> str:
        return str(
            _("Session %(number)s of %(date)s") % {"number": self.number, "date": self.date.strftime("%d.%m.%Y")}
        )

    def get_absolute_url(self) -> str:
        return reverse("council:session", args=[self.pk])


class AgendaItem(models.Model):
    """An item of a session's agenda (точка от дневния ред)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("item"))
    title = models.CharField(_("title"), max_length=500)
    proposer = models.CharField(_("proposed by"), max_length=200, blank=True)
    committee = models.ForeignKey(
        StandingCommittee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("reporting committee"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="council_agenda_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="council_agenda_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class SessionDocument(models.Model):
    """A document of a session or of one of its agenda items (PDF, DOCX or ODT, checked by
    content, stored under a name the server chooses)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        ODT = "odt", "ODT"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")
        ordering = ["agenda_item__position", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:document", args=[self.pk])


class Decision(models.Model):
    """A decision of the council (решение на общинския съвет), numbered within the term.

    ``required_majority`` is the majority the law asks for this decision (ЗМСМА art. 27):
    simple — more than half of the councillors present; absolute — more than half of all
    councillors (budget, property, loans); two thirds — of all councillors."""

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REVOKED = "revoked", _("revoked")
        CONTESTED = "contested", _("contested in court")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("simple (more than half of those present)")
        ABSOLUTE = "absolute", _("absolute (more than half of all councillors)")
        TWO_THIRDS = "two_thirds", _("two thirds of all councillors")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("term"))
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("session"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    committee = models.ForeignKey(
        StandingCommittee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("standing committee"),
    )
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ADOPTED)
    required_majority = models.CharField(
        _("required majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    # Number, title and text, case-folded, kept by the services: a case-insensitive search of
    # Cyrillic that works alike on SQLite (whose LIKE folds only ASCII) and PostgreSQL.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="council_decision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="council_decision_number_positive"),
        ]
        indexes = [models.Index(fields=["date"], name="council_decision_date_idx")]

    def __str__(self) -> str:
        return f"№ {self.number}/{self.date.strftime('%d.%m.%Y')} {self.title}"[:200]

    def get_absolute_url(self) -> str:
        return reverse("council:decision", args=[self.public_id])

    def searchable(self) -> str:
        return search_key(f"№ {self.number} {self.title}\n{self.text}")


class Vote(models.Model):
    """How one councillor voted on one decision (поименно гласуване)."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAINED = "abstained", _("abstained")
        ABSENT = "absent", _("absent")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    councillor = models.ForeignKey(Councillor, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=20, choices=Choice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["councillor__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "councillor"], name="council_vote_unique"),
            models.CheckConstraint(
                condition=Q(choice__in=["for", "against", "abstained", "absent"]), name="council_vote_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.councillor_id}: {self.choice}"


class Minutes(models.Model):
    """The minutes of a session (протокол): an uploaded PDF, a written text, or both."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("PDF file"), upload_to=document_path, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(file=""), name="council_minutes_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.session)
