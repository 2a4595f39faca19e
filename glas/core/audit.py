"""Writing audit entries. Every service calls ``audit_log`` inside its transaction (or adds an
``audit_entry`` to the batch that writes its change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from glas.core.models import AuditEntry

if TYPE_CHECKING:
    from glas.accounts.models import User


def audit_entry(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """The entry ``audit_log`` saves, unsaved: for a service that writes it with others in one
    ``glas.core.batch.Batch``."""
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=data or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    return entry


def audit_log(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one state change. ``action`` is ``<app>.<object>.<verb>``, e.g.
    ``accounts.resident.verified``. ``data`` must hold no secrets and no unmasked identifiers."""
    entry = audit_entry(actor=actor, action=action, obj=obj, data=data)
    entry.save()
    return entry
