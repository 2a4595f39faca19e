"""Municipality data, legal rules, the calendar, the audit log and notifications."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_english() -> bool:
    """Whether the active language is English (Bulgarian is the default and the fallback)."""
    return (get_language() or "bg").startswith("en")


def bilingual(bulgarian: str, english: str) -> str:
    """The English text on an English page when there is one, else the Bulgarian."""
    return english if english and in_english() else bulgarian


class BilingualName(models.Model):
    """Bulgarian name first, English second; ``display_name`` follows the active language."""

    name = models.CharField(_("name (Bulgarian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return bilingual(self.name, self.name_en)


class Municipality(BilingualName):
    """A municipality (община) served by this installation or loaded for comparison."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    province = models.CharField(_("province (Bulgarian)"), max_length=200)
    province_en = models.CharField(_("province (English)"), max_length=200, blank=True)
    area_km2 = models.DecimalField(_("area, km²"), max_digits=9, decimal_places=2, null=True, blank=True)
    mayor_name = models.CharField(_("mayor"), max_length=200, blank=True)
    council_seats = models.PositiveSmallIntegerField(_("councillors"), null=True, blank=True)
    voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    voters_as_of = models.DateField(_("voters counted on"), null=True, blank=True)
    voters_source = models.CharField(_("source of the voter count"), max_length=300, blank=True)
    polling_sections = models.PositiveSmallIntegerField(_("polling sections"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    accessibility_contact = models.EmailField(_("accessibility contact"), blank=True)
    accessibility_reviewed_on = models.DateField(_("accessibility statement reviewed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    @property
    def display_province(self) -> str:
        """The province's name in the active language (as ``display_name`` is the municipality's)."""
        return bilingual(self.province, self.province_en)


class Kmetstvo(BilingualName):
    """A mayoralty (кметство): one or more villages with their own elected mayor."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="kmetstva")

    class Meta:
        verbose_name = _("kmetstvo")
        verbose_name_plural = _("kmetstva")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="kmetstvo_unique_name"),
        ]


class Settlement(BilingualName):
    """A town or village (населено място) of a municipality."""

    class Kind(models.TextChoices):
        TOWN = "town", _("town")
        VILLAGE = "village", _("village")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="settlements")
    slug = models.SlugField(_("slug"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    kmetstvo = models.ForeignKey(
        Kmetstvo,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("kmetstvo"),
    )
    ekatte = models.CharField(_("EKATTE code"), max_length=5, blank=True)
    voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    voters_as_of = models.DateField(_("voters counted on"), null=True, blank=True)
    voters_source = models.CharField(_("source of the voter count"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        # Towns before villages ("town" < "village"), then by name.
        ordering = ["municipality", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="settlement_unique_slug"),
        ]

    @property
    def prefixed_name(self) -> str:
        """The name as Bulgarians write it: "гр. Кресна", "с. Ощава"."""
        if in_english():
            return self.display_name
        prefix = "гр." if self.kind == self.Kind.TOWN else "с."
        return f"{prefix} {self.name}"


class PopulationFigure(models.Model):
    """Population of a municipality (settlement empty) or of one settlement, by year and source."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="population_figures")
    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, null=True, blank=True, related_name="population_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    approximate = models.BooleanField(_("approximate"), default=False)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                condition=Q(settlement__isnull=True),
                name="population_unique_municipality_year",
            ),
            models.UniqueConstraint(
                fields=["settlement", "year"],
                condition=Q(settlement__isnull=False),
                name="population_unique_settlement_year",
            ),
            models.CheckConstraint(condition=Q(year__gte=1800), name="population_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.population}"


class LegalRule(models.Model):
    """A threshold or deadline the law sets, with its legal basis and period of effect.

    Rules are never edited in place: a change closes the current version (``effective_to``) and
    opens a new one, so every past decision can be explained by the rule in force at the time.
    Modules read thresholds and deadlines only through ``glas.core.selectors.rule_value``.
    """

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")
        FRACTION = "fraction", _("fraction")
        PERCENT = "percent", _("percent")
        COUNT = "count", _("count")
        BGN = "bgn", _("BGN")

    key = models.CharField(_("key"), max_length=100, db_index=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    title = models.CharField(_("title (Bulgarian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    needs_verification = models.BooleanField(_("not yet verified against the consolidated law text"), default=False)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("legal rule")
        verbose_name_plural = _("legal rules")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="legalrule_unique_version"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(effective_to__isnull=True), name="legalrule_one_open_version"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="legalrule_period_ordered",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="legalrule_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.display_value}"

    @property
    def display_title(self) -> str:
        return bilingual(self.title, self.title_en)

    @property
    def display_value(self) -> str:
        value = self.value.normalize()
        text = f"{value:f}"
        return text


class CalendarDay(models.Model):
    """A one-off change to the working calendar declared by the Council of Ministers.

    Statutory holidays come from the ``holidays`` package; staff add bridge days off
    (``non_working``) and working Saturdays (``working``) here.
    """

    class Kind(models.TextChoices):
        NON_WORKING = "non_working", _("non-working day")
        WORKING = "working", _("working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One state change made through a service: who did what to which object, and when.

    Append-only: the application has no way to edit or delete an entry (the queryset refuses,
    the admin is read-only, and a database trigger rejects UPDATE). ``data`` never holds
    secrets or unmasked personal identifiers.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")


class Notification(models.Model):
    """A message for one person, shown in the app and, by preference, e-mailed."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_skipped = models.BooleanField(_("not to be e-mailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True, email_skipped=False),
                name="notification_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How a person wants e-mail about one kind of notification (``*`` = all kinds)."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("immediately")
        DIGEST = "digest", _("in a daily digest")
        OFF = "off", _("only in Glas, no e-mail")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=100, default="*")
    mode = models.CharField(_("e-mail"), max_length=20, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.mode}"


class PeriodicJobRun(models.Model):
    """When each periodic job was last enqueued (so restarts neither skip nor repeat it)."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """Written by a task the worker runs every minute; /readyz checks its age."""

    name = models.CharField(max_length=50, unique=True, default="default")
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
