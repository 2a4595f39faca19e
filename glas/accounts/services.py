"""Writes for accounts: confirmation, resident verification, roles, consents, deletion."""

from __future__ import annotations

import datetime as dt
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.accounts import egn as egn_module
from glas.accounts.models import ConsentAcceptance, ConsentText, ResidentVerification, User
from glas.accounts.roles import STAFF_ROLES, Role, VerificationLevel
from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.core.models import Notification, NotificationPreference, Settlement


def account_email_confirmed(*, user: User) -> None:
    """Level 1: the person has confirmed their e-mail address."""
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, verification_level=VerificationLevel.ANONYMOUS).update(
            verification_level=VerificationLevel.EMAIL_CONFIRMED
        )
        if updated:
            user.verification_level = VerificationLevel.EMAIL_CONFIRMED
            audit_log(actor=user, action="accounts.email.confirmed", obj=user)


def profile_update(*, actor: User, full_name: str, display_name: str, language: str) -> User:
    with transaction.atomic():
        actor.full_name = full_name.strip()
        actor.display_name = display_name.strip()
        actor.language = language
        actor.save(update_fields=["full_name", "display_name", "language"])
        audit_log(
            actor=actor,
            action="accounts.profile.updated",
            obj=actor,
            data={"fields": ["full_name", "display_name", "language"]},
        )
    return actor


def resident_verify(
    *, actor: User, user: User, egn: str, settlement: Settlement, document: str, today: dt.date | None = None
) -> ResidentVerification:
    """Record that ``actor`` checked ``user``'s identity document and permanent address in
    person. The ЕГН is validated and stored only as a keyed hash and its last two digits."""
    if not (actor.has_role(Role.ADVISOR) or actor.has_role(Role.COUNCIL_STAFF)):
        raise DomainError(_("Only bureau advisors and council staff verify residents."), code="forbidden")
    if actor.pk == user.pk:
        raise DomainError(_("You cannot verify your own account."), code="self")
    if user.deleted_at or not user.is_active:
        raise DomainError(_("This account is closed."), code="closed")
    if user.verification_level < VerificationLevel.EMAIL_CONFIRMED:
        raise DomainError(_("The person must confirm their e-mail address first."), code="unconfirmed")
    if document not in ResidentVerification.Document.values:
        raise DomainError(_("Choose the document you checked."), field="document")
    parsed = egn_module.parse(egn, today=today)
    egn_hash = egn_module.keyed_hash(parsed.value)
    try:
        with transaction.atomic():
            if ResidentVerification.objects.filter(user=user).exists():
                raise DomainError(_("This person is already verified."), code="already")
            verification = ResidentVerification.objects.create(
                user=user,
                egn_hash=egn_hash,
                egn_last2=parsed.last2,
                birth_date=parsed.birth_date,
                settlement=settlement,
                document=document,
                verified_by=actor,
            )
            User.objects.filter(pk=user.pk).update(verification_level=VerificationLevel.VERIFIED_RESIDENT)
            user.verification_level = VerificationLevel.VERIFIED_RESIDENT
            audit_log(
                actor=actor,
                action="accounts.resident.verified",
                obj=user,
                data={"settlement": settlement.slug, "document": document, "egn": parsed.masked},
            )
    except IntegrityError:
        raise DomainError(
            _(
                "Another account is already verified with this ЕГН. Ask the person whether they have an "
                "older account; one person may have only one verified account."
            ),
            field="egn",
            code="duplicate",
        ) from None
    return verification


def resident_verification_revoke(*, actor: User, user: User, reason: str) -> None:
    if not (actor.has_role(Role.ADVISOR) or actor.has_role(Role.COUNCIL_STAFF)):
        raise DomainError(_("Only bureau advisors and council staff verify residents."), code="forbidden")
    if not reason.strip():
        raise DomainError(_("Give the reason for revoking the verification."), field="reason")
    with transaction.atomic():
        deleted, _details = ResidentVerification.objects.filter(user=user).delete()
        if not deleted:
            raise DomainError(_("This person is not verified."), code="not_verified")
        User.objects.filter(pk=user.pk).update(verification_level=VerificationLevel.EMAIL_CONFIRMED)
        user.verification_level = VerificationLevel.EMAIL_CONFIRMED
        audit_log(
            actor=actor,
            action="accounts.resident.verification_revoked",
            obj=user,
            data={"reason": reason.strip()[:500]},
        )


def role_grant(*, actor: User, user: User, role: str) -> None:
    if not actor.has_role(Role.ADMINISTRATOR) and not actor.is_superuser:
        raise DomainError(_("Only administrators grant roles."), code="forbidden")
    if role not in {str(r) for r in STAFF_ROLES}:
        raise DomainError(_("This role is not granted by hand."), field="role")
    if user.deleted_at:
        raise DomainError(_("This account is closed."), code="closed")
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=role)
        if user.groups.filter(pk=group.pk).exists():
            return
        user.groups.add(group)
        audit_log(actor=actor, action="accounts.role.granted", obj=user, data={"role": role})
    user.__dict__.pop("role_codes", None)


def role_revoke(*, actor: User, user: User, role: str) -> None:
    if not actor.has_role(Role.ADMINISTRATOR) and not actor.is_superuser:
        raise DomainError(_("Only administrators grant roles."), code="forbidden")
    if role == Role.ADMINISTRATOR and actor.pk == user.pk:
        raise DomainError(_("You cannot remove your own administrator role."), code="self")
    with transaction.atomic():
        group = Group.objects.filter(name=role).first()
        if group is None or not user.groups.filter(pk=group.pk).exists():
            return
        user.groups.remove(group)
        audit_log(actor=actor, action="accounts.role.revoked", obj=user, data={"role": role})
    user.__dict__.pop("role_codes", None)


def consent_accept(*, actor: User, consent: ConsentText) -> ConsentAcceptance:
    with transaction.atomic():
        acceptance, created = ConsentAcceptance.objects.get_or_create(user=actor, consent=consent)
        if created:
            audit_log(
                actor=actor,
                action="accounts.consent.accepted",
                obj=acceptance,
                data={"kind": consent.kind, "version": consent.version},
            )
    return acceptance


def account_delete(*, actor: User) -> None:
    """Delete a person's account at their request.

    Personal data goes: e-mail, names, password, second factors, verification (with the ЕГН
    hash, so the person can verify a new account later), notifications, preferences and
    sessions (changing the password hash ends every open session). The row stays, marked
    deleted, so what the person published stays public and is
    shown as by "a deleted account". Audit entries keep pointing at the anonymised row.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.deleted_at:
            return
        ResidentVerification.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        user.groups.clear()
        user.email = f"deleted-{uuid.uuid4().hex}@invalid"
        user.full_name = ""
        user.display_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.verification_level = VerificationLevel.ANONYMOUS
        user.deleted_at = timezone.now()
        user.save()
        audit_log(actor=user, action="accounts.account.deleted", obj=user)
