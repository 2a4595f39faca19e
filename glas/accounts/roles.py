"""The roles people have in Glas.

``citizen`` and ``verified_resident`` follow from a person's verification level; the staff
roles are Django groups granted by an administrator. Every staff role requires a TOTP second
factor (``StaffMFAMiddleware``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    VERIFIED_RESIDENT = "verified_resident", _("verified resident")
    ADVISOR = "advisor", _("bureau advisor")
    COMMISSION_MEMBER = "commission_member", _("Consultative Commission member")
    COUNCIL_STAFF = "council_staff", _("council and administration staff")
    INTEGRITY_OFFICER = "integrity_officer", _("integrity officer")
    RESEARCHER = "researcher", _("researcher")
    ADMINISTRATOR = "administrator", _("administrator")


# Roles held through group membership; each of them is a staff role.
STAFF_ROLES: tuple[Role, ...] = (
    Role.ADVISOR,
    Role.COMMISSION_MEMBER,
    Role.COUNCIL_STAFF,
    Role.INTEGRITY_OFFICER,
    Role.RESEARCHER,
    Role.ADMINISTRATOR,
)


class VerificationLevel(models.IntegerChoices):
    ANONYMOUS = 0, _("not confirmed")
    EMAIL_CONFIRMED = 1, _("e-mail confirmed")
    VERIFIED_RESIDENT = 2, _("verified resident")
