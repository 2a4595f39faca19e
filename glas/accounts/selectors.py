"""Reads for accounts: current consent texts, the personal data export."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from glas.accounts.models import ConsentText, ResidentVerification, User
from glas.core.models import AuditEntry, Notification


def current_consent_texts() -> list[ConsentText]:
    """The newest version of each kind of consent text."""
    latest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.order_by("kind", "-version"):
        latest.setdefault(text.kind, text)
    return list(latest.values())


def outstanding_consents(user: User) -> list[ConsentText]:
    accepted = set(user.consents.values_list("consent_id", flat=True))
    return [text for text in current_consent_texts() if text.pk not in accepted]


def find_person(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), deleted_at__isnull=True).first()


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything Glas holds about a person, as JSON-ready data (GDPR art. 15 and 20).

    Later modules add their sections through ``EXPORT_SECTIONS``.
    """
    verification = ResidentVerification.objects.filter(user=user).select_related("settlement").first()
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "public_name": user.display_name,
            "language": user.language,
            "verification_level": user.verification_level,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.role_codes),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "resident_verification": None
        if verification is None
        else {
            "egn": verification.masked_egn,
            "note": "The ЕГН is not stored; only a one-way keyed hash and its last two digits are.",
            "birth_date": verification.birth_date.isoformat(),
            "settlement": verification.settlement.name,
            "document": verification.document,
            "verified_at": verification.verified_at.isoformat(),
        },
        "consents": [
            {"kind": c.consent.kind, "version": c.consent.version, "accepted_at": c.accepted_at.isoformat()}
            for c in user.consents.select_related("consent")
        ],
        "notification_preferences": [{"kind": p.kind, "mode": p.mode} for p in user.notification_preferences.all()],
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=user)
        ],
        "activity": [
            {"time": e.created_at.isoformat(), "action": e.action}
            for e in AuditEntry.objects.filter(actor=user).order_by("created_at")
        ],
    }
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section(user)
    return data


# Later modules register ``name -> function(user) -> JSON-ready data`` here.
EXPORT_SECTIONS: dict[str, Any] = {}


def people_with_roles() -> QuerySet[User]:
    return (
        User.objects.filter(groups__isnull=False, deleted_at__isnull=True)
        .prefetch_related("groups")
        .distinct()
        .order_by("email")
    )
