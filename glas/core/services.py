"""Writes for municipality data, legal rules, the working calendar and notifications.

Every function here is keyword-only, runs in one transaction and writes one audit entry
(loading a data file writes one entry for the whole file).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.enqueue import enqueue_on_commit
from glas.core.exceptions import DomainError
from glas.core.hotcache import forget
from glas.core.models import (
    CalendarDay,
    Kmetstvo,
    LegalRule,
    Municipality,
    Notification,
    NotificationPreference,
    PopulationFigure,
    Settlement,
)
from glas.core.selectors import unread_count_cache_key

if TYPE_CHECKING:
    from glas.accounts.models import User


# --- Municipality data --------------------------------------------------------------------

MUNICIPALITY_FIELDS = (
    "name",
    "name_en",
    "province",
    "province_en",
    "area_km2",
    "mayor_name",
    "council_seats",
    "voters",
    "voters_as_of",
    "voters_source",
    "polling_sections",
    "address",
    "phone",
    "email",
    "website",
    "accessibility_contact",
    "accessibility_reviewed_on",
)


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def municipality_load(*, actor: User | None, path: Path) -> Municipality:
    """Create or update a municipality, its kmetstva, settlements and population figures
    from a JSON data file (see ``data/municipalities/kresna.json``). Idempotent.

    A malformed file (bad JSON, a missing field, an impossible value) changes nothing and
    raises ``DomainError`` naming the problem."""
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
        with transaction.atomic():
            municipality, created = _municipality_upsert(payload)
            audit_log(
                actor=actor,
                action="core.municipality.created" if created else "core.municipality.updated",
                obj=municipality,
                data={"source_file": Path(path).name, "settlements": len(payload.get("settlements", []))},
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError, DatabaseError) as exc:
        raise DomainError(
            _("The municipality data file cannot be read: %(error)s") % {"error": _data_problem(exc)}
        ) from exc
    return municipality


def _data_problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    if isinstance(exc, InvalidOperation):
        return "a value is not a number"
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
    return str(exc)


def _municipality_upsert(payload: Any) -> tuple[Municipality, bool]:
    if not isinstance(payload, dict):
        raise ValueError("the file must hold one JSON object")
    info = payload["municipality"]
    defaults: dict[str, Any] = {field: info.get(field) for field in MUNICIPALITY_FIELDS if field in info}
    for date_field in ("voters_as_of", "accessibility_reviewed_on"):
        if date_field in defaults:
            defaults[date_field] = _date_or_none(defaults[date_field])
    for text_field in (
        "name_en",
        "province_en",
        "voters_source",
        "address",
        "phone",
        "email",
        "website",
        "accessibility_contact",
        "mayor_name",
    ):
        if text_field in defaults and defaults[text_field] is None:
            defaults[text_field] = ""
    defaults["is_demo"] = bool(info.get("is_demo", False))

    municipality, created = Municipality.objects.update_or_create(code=info["code"], defaults=defaults)
    municipality.full_clean()
    kmetstva = {}
    for item in payload.get("kmetstva", []):
        kmetstvo, _created = Kmetstvo.objects.update_or_create(
            municipality=municipality, name=item["name"], defaults={"name_en": item.get("name_en", "")}
        )
        kmetstva[item["name"]] = kmetstvo
    for item in payload.get("population", []):
        _population_upsert(municipality, None, item)
    for item in payload.get("settlements", []):
        settlement, _created = Settlement.objects.update_or_create(
            municipality=municipality,
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "kind": item["kind"],
                "kmetstvo": kmetstva.get(item.get("kmetstvo") or ""),
                "ekatte": item.get("ekatte", ""),
                "voters": item.get("voters"),
                "voters_as_of": _date_or_none(item.get("voters_as_of")),
                "voters_source": item.get("voters_source", ""),
            },
        )
        settlement.full_clean()
        for figure in item.get("population", []):
            _population_upsert(municipality, settlement, figure)
    return municipality, created


def _population_upsert(municipality: Municipality, settlement: Settlement | None, item: dict[str, Any]) -> None:
    PopulationFigure.objects.update_or_create(
        municipality=municipality,
        settlement=settlement,
        year=item["year"],
        defaults={
            "population": item["population"],
            "approximate": bool(item.get("approximate", False)),
            "source": item["source"],
        },
    )


# --- Legal rules --------------------------------------------------------------------------


def legal_rules_load(*, actor: User | None, path: Path) -> int:
    """Create the rules of a data file that do not exist yet. Existing rules are left as they
    are: a changed rule is a decision staff make with ``legal_rule_change``. A malformed file
    creates nothing and raises ``DomainError`` naming the problem."""
    try:
        items = json.loads(Path(path).read_text(encoding="utf-8"))["rules"]
        with transaction.atomic():
            existing = set(LegalRule.objects.values_list("key", flat=True))
            created = 0
            for item in items:
                if item["key"] in existing:
                    continue
                rule = LegalRule(
                    key=item["key"],
                    value=Decimal(str(item["value"])),
                    unit=item["unit"],
                    title=item["title"],
                    title_en=item.get("title_en", ""),
                    legal_basis=item["legal_basis"],
                    note=item.get("note", ""),
                    needs_verification=bool(item.get("needs_verification", False)),
                    effective_from=dt.date.fromisoformat(item.get("effective_from", "2000-01-01")),
                )
                rule.full_clean()
                rule.save()
                existing.add(rule.key)
                created += 1
            if created:
                audit_log(
                    actor=actor, action="core.legal_rules.loaded", data={"created": created, "file": Path(path).name}
                )
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        InvalidOperation,
        ValidationError,
        DatabaseError,
    ) as exc:
        raise DomainError(_("The legal rules file cannot be read: %(error)s") % {"error": _data_problem(exc)}) from exc
    return created


def legal_rule_change(
    *,
    actor: User,
    key: str,
    value: Decimal | str,
    effective_from: dt.date,
    legal_basis: str,
    note: str = "",
) -> LegalRule:
    """Open a new version of rule ``key`` from ``effective_from``, closing the current one."""
    try:
        new_value = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field="value") from None
    if new_value < 0:
        raise DomainError(_("A rule's value cannot be negative."), field="value")
    if not legal_basis.strip():
        raise DomainError(_("State the legal basis of the change."), field="legal_basis")
    with transaction.atomic():
        current = LegalRule.objects.select_for_update().filter(key=key, effective_to__isnull=True).first()
        if current is None:
            raise DomainError(_("There is no rule %(key)s.") % {"key": key}, field="key")
        if effective_from <= current.effective_from:
            raise DomainError(
                _("The new version must start after %(date)s, when the current one started.")
                % {"date": current.effective_from.isoformat()},
                field="effective_from",
            )
        old_value = current.value
        current.effective_to = effective_from
        current.save(update_fields=["effective_to"])
        rule = LegalRule.objects.create(
            key=key,
            value=new_value,
            unit=current.unit,
            title=current.title,
            title_en=current.title_en,
            legal_basis=legal_basis.strip(),
            note=note.strip(),
            needs_verification=current.needs_verification,
            effective_from=effective_from,
        )
        audit_log(
            actor=actor,
            action="core.legal_rule.changed",
            obj=rule,
            data={"key": key, "old": str(old_value), "new": str(new_value), "from": effective_from.isoformat()},
        )
    return rule


# --- Working calendar ---------------------------------------------------------------------


def calendar_day_add(*, actor: User, date: dt.date, kind: str, reason: str) -> CalendarDay:
    if kind not in CalendarDay.Kind.values:
        raise DomainError(_("Choose whether the day is a working or a non-working day."), field="kind")
    if not reason.strip():
        raise DomainError(_("Give the reason (the Council of Ministers' decision)."), field="reason")
    try:
        with transaction.atomic():
            day = CalendarDay.objects.create(date=date, kind=kind, reason=reason.strip())
            audit_log(
                actor=actor, action="core.calendar_day.added", obj=day, data={"date": date.isoformat(), "kind": kind}
            )
    except IntegrityError:
        raise DomainError(_("This date is already in the calendar."), field="date") from None
    return day


def calendar_day_remove(*, actor: User, day: CalendarDay) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="core.calendar_day.removed",
            obj=day,
            data={"date": day.date.isoformat(), "kind": day.kind},
        )
        day.delete()


# --- Notifications ------------------------------------------------------------------------


def email_mode_for(user: User, kind: str) -> str:
    prefs = {p.kind: p.mode for p in user.notification_preferences.all()}
    return prefs.get(kind) or prefs.get("*") or NotificationPreference.Mode.IMMEDIATE


def notify(*, recipients: list[User], kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create an in-app notification for each recipient; e-mail those who want it at once.

    The e-mail is sent by a task after the surrounding transaction commits, so a failed write
    sends nothing and a worker that is down only delays it.
    """
    from glas.core.tasks import send_notification_email

    created = []
    # No savepoint: inside a caller's transaction the notifications stand or fall with it.
    with transaction.atomic(savepoint=False):
        for user in recipients:
            if not user.is_active:
                continue
            mode = email_mode_for(user, kind)
            notification = Notification.objects.create(
                recipient=user,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                email_skipped=mode == NotificationPreference.Mode.OFF or not user.email,
            )
            created.append(notification)
            if mode == NotificationPreference.Mode.IMMEDIATE and not notification.email_skipped:
                enqueue_on_commit(send_notification_email, notification.pk)
    return created


def notification_mark_read(*, actor: User, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's notifications (all, or the given ones) as read. Not audited: reading is
    not a state change of anything anyone else sees."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    marked = unread.update(read_at=timezone.now())
    forget([unread_count_cache_key(actor.pk)])  # an update() sends no signal to the receivers
    return marked


def notification_preference_set(*, actor: User, kind: str, mode: str) -> NotificationPreference:
    if mode not in NotificationPreference.Mode.values:
        raise DomainError(_("Choose how you want to be told."), field="mode")
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"mode": mode})
        audit_log(actor=actor, action="core.notification_preference.set", obj=pref, data={"kind": kind, "mode": mode})
    return pref
