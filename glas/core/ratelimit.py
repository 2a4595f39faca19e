"""A small fixed-window rate limiter on the shared cache (Redis or the database cache).

The key is a keyed hash of the client's address, so no address is ever stored. If the cache
cannot be reached, the action is refused (``allow`` returns False): a write that needs a rate
limit is refused politely rather than let through unchecked; reads do not use this module.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address (the address itself is never kept)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one action of ``key`` in ``scope``; False once ``limit`` actions were counted in the
    current window of ``window`` seconds (or when the cache is down)."""
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    try:
        count = 1 if cache.add(cache_key, 1, timeout=window + 5) else cache.incr(cache_key)
    except ValueError:  # the entry expired between add and incr
        count = 1
        cache.set(cache_key, 1, timeout=window + 5)
    except Exception:  # the cache is down: refuse, do not let the write through
        logger.warning("rate limit cache unavailable for scope %s", scope)
        return False
    return count <= limit


def allow_request(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    return allow(scope, client_key(request), limit=limit, window=window)
