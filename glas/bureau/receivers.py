"""Keep what the bureau caches across requests true when the data behind it changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from glas.bureau.models import AdvisorProfile
from glas.bureau.rules import supervisor_cache_key
from glas.core.hotcache import forget


@receiver(post_save, sender=AdvisorProfile)
@receiver(post_delete, sender=AdvisorProfile)
def _on_profile_changed(sender: Any, instance: AdvisorProfile, **kwargs: Any) -> None:
    forget([supervisor_cache_key(instance.user_id)])
