"""People, their verification as residents, and their consents."""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from glas.accounts.roles import STAFF_ROLES, Role, VerificationLevel
from glas.core.models import bilingual


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Signs in by e-mail; the account row is kept (anonymised)
    when the person deletes their account, so their public contributions stay attributed to
    "a deleted account" rather than disappearing."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    display_name = models.CharField(
        _("public name"),
        max_length=100,
        blank=True,
        help_text=_("Shown next to what you publish. Leave empty to appear as “Resident”."),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    verification_level = models.PositiveSmallIntegerField(
        _("verification level"), choices=VerificationLevel.choices, default=VerificationLevel.ANONYMOUS
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_level__gte=0, verification_level__lte=2), name="user_verification_level_range"
            ),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.public_name_of(self.display_name, self.deleted_at)

    @staticmethod
    def public_name_of(display_name: str, deleted_at: Any) -> str:
        """The name shown for a person, from the two columns it depends on (for lists that
        read columns rather than whole rows)."""
        if deleted_at:
            return str(_("Deleted account"))
        return display_name or str(_("Resident"))

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The person's roles (cached per request object)."""
        if not self.is_active or self.deleted_at:
            return frozenset()
        codes = {str(Role.CITIZEN)}
        if self.verification_level >= VerificationLevel.VERIFIED_RESIDENT:
            codes.add(str(Role.VERIFIED_RESIDENT))
        from glas.accounts.cache import group_names

        codes.update(group_names(self))
        return frozenset(codes)

    @property
    def role_labels(self) -> list[str]:
        """The person's roles as translated names, in the order of ``Role``."""
        return [str(role.label) for role in Role if role.value in self.role_codes]

    def has_role(self, role: str) -> bool:
        return role in self.role_codes

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Glas's own permissions (the ``rules`` registered by each app) are decided by their
        predicates alone: Django's model permissions, which only the admin site uses, neither
        widen them nor cost the two queries of looking them up."""
        if self.is_active and self.is_superuser:
            return True
        if rules.perm_exists(perm):
            return bool(rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)

    @property
    def is_staff_member(self) -> bool:
        """Holds at least one staff role (and so must use a second factor)."""
        return self.is_superuser or any(role in self.role_codes for role in STAFF_ROLES)


class ResidentVerification(models.Model):
    """The record that a person was checked in person as a resident (level 2).

    The ЕГН itself is never stored: only a keyed hash (HMAC-SHA-256 with ``EGN_HASH_KEY``),
    which finds duplicates across accounts, and its last two digits for a masked display.
    """

    class Document(models.TextChoices):
        ID_CARD = "id_card", _("identity card")
        PASSPORT = "passport", _("passport")
        OTHER = "other", _("other official document")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="resident_verification")
    egn_hash = models.CharField(_("ЕГН (keyed hash)"), max_length=64, unique=True)
    egn_last2 = models.CharField(_("last two digits of the ЕГН"), max_length=2)
    birth_date = models.DateField(_("date of birth"))
    settlement = models.ForeignKey(
        "core.Settlement",
        on_delete=models.PROTECT,
        related_name="verified_residents",
        verbose_name=_("settlement of permanent address"),
    )
    document = models.CharField(_("document checked"), max_length=20, choices=Document.choices)
    verified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="verifications_made", verbose_name=_("verified by")
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("resident verification")
        verbose_name_plural = _("resident verifications")
        constraints = [
            models.CheckConstraint(condition=~Q(user=models.F("verified_by")), name="verification_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ••••••••{self.egn_last2}"

    @property
    def masked_egn(self) -> str:
        return f"••••••••{self.egn_last2}"


class ConsentText(models.Model):
    """A version of a text people agree to (terms of use, privacy notice)."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("terms of use")
        PRIVACY = "privacy", _("privacy notice")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title (Bulgarian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body = models.TextField(_("text (Bulgarian)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_text_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def display_title(self) -> str:
        return bilingual(self.title, self.title_en)

    @property
    def display_body(self) -> str:
        return bilingual(self.body, self.body_en)


class ConsentAcceptance(models.Model):
    """That a person accepted one version of a consent text, and when."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    consent = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["user", "consent"], name="consent_accepted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.consent} @ {self.accepted_at:%Y-%m-%d}"
