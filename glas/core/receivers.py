"""Keep what core caches across requests true when the data behind it changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from glas.core.hotcache import forget
from glas.core.models import Municipality, Notification, Settlement
from glas.core.selectors import SETTLEMENTS_CACHE_KEY, municipality_cache_key, unread_count_cache_key


@receiver(post_save, sender=Municipality)
@receiver(post_delete, sender=Municipality)
def _on_municipality_changed(sender: Any, **kwargs: Any) -> None:
    forget([municipality_cache_key()])


@receiver(post_save, sender=Settlement)
@receiver(post_delete, sender=Settlement)
def _on_settlement_changed(sender: Any, **kwargs: Any) -> None:
    forget([SETTLEMENTS_CACHE_KEY])


@receiver(post_save, sender=Notification)
@receiver(post_delete, sender=Notification)
def _on_notification_changed(sender: Any, instance: Notification, **kwargs: Any) -> None:
    forget([unread_count_cache_key(instance.recipient_id)])
