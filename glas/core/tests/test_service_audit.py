"""Every service of core writes one audit entry with its action code, actor and object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry, CalendarDay, LegalRule, Municipality, NotificationPreference
from glas.core.services import (
    calendar_day_add,
    calendar_day_remove,
    legal_rule_change,
    legal_rules_load,
    municipality_load,
    notification_preference_set,
)

KRESNA_FILE = settings.GLAS_DATA_DIR / "municipalities" / "kresna.json"
RULES_FILE = settings.GLAS_DATA_DIR / "legal_rules.json"


def new_entries(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=before).order_by("id"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_loading_a_municipality_is_audited_as_created_then_updated(db, admin_user):
    before = last_id()

    municipality_load(actor=admin_user, path=KRESNA_FILE)
    municipality_load(actor=None, path=KRESNA_FILE)

    created, updated = new_entries(before)
    kresna = Municipality.objects.get(code="kresna")
    assert (created.action, created.actor, created.object_id) == (
        "core.municipality.created",
        admin_user,
        str(kresna.pk),
    )
    assert created.data == {"source_file": "kresna.json", "settlements": 7}
    assert (updated.action, updated.actor) == ("core.municipality.updated", None)


def test_loading_legal_rules_is_audited_once_per_file_and_not_when_nothing_is_new(db, admin_user):
    before = last_id()

    created = legal_rules_load(actor=admin_user, path=RULES_FILE)
    legal_rules_load(actor=admin_user, path=RULES_FILE)

    [entry] = new_entries(before)
    assert (entry.action, entry.actor) == ("core.legal_rules.loaded", admin_user)
    assert entry.data == {"created": created, "file": "legal_rules.json"}


def test_changing_a_legal_rule_is_audited(legal_rules, council_secretary):
    before = last_id()

    rule = legal_rule_change(
        actor=council_secretary,
        key="zdoi.decision.term",
        value="10",
        effective_from=dt.date(2030, 1, 1),
        legal_basis="ЗДОИ, чл. 28, ал. 1",
    )

    [entry] = new_entries(before)
    assert (entry.action, entry.actor, entry.object_id) == ("core.legal_rule.changed", council_secretary, str(rule.pk))
    assert entry.data == {"key": "zdoi.decision.term", "old": "14.000000", "new": "10", "from": "2030-01-01"}
    assert LegalRule.objects.filter(key="zdoi.decision.term").count() == 2


def test_adding_and_removing_a_calendar_day_is_audited(db, council_secretary):
    before = last_id()

    day = calendar_day_add(
        actor=council_secretary, date=dt.date(2026, 12, 31), kind=CalendarDay.Kind.NON_WORKING, reason="РМС № 1/2026"
    )
    pk = day.pk
    calendar_day_remove(actor=council_secretary, day=day)

    added, removed = new_entries(before)
    assert (added.action, added.actor, added.object_id) == ("core.calendar_day.added", council_secretary, str(pk))
    assert added.data == {"date": "2026-12-31", "kind": "non_working"}
    assert (removed.action, removed.actor, removed.object_id) == (
        "core.calendar_day.removed",
        council_secretary,
        str(pk),
    )
    assert not CalendarDay.objects.exists()


def test_setting_a_notification_preference_is_audited(citizen):
    before = last_id()

    pref = notification_preference_set(actor=citizen, kind="*", mode=NotificationPreference.Mode.DIGEST)

    [entry] = new_entries(before)
    assert (entry.action, entry.actor, entry.object_id) == ("core.notification_preference.set", citizen, str(pref.pk))
    assert entry.data == {"kind": "*", "mode": "digest"}


def test_a_refused_change_writes_no_entry(legal_rules, council_secretary):
    before = last_id()

    with pytest.raises(DomainError):
        legal_rule_change(
            actor=council_secretary,
            key="zdoi.decision.term",
            value="10",
            effective_from=dt.date(1990, 1, 1),
            legal_basis="ЗДОИ",
        )

    assert new_entries(before) == []
