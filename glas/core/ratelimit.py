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
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest

from glas.core.cache import RedisCache

logger = logging.getLogger(__name__)


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address (the address itself is never kept)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _window_key(scope: str, key: str, window: int) -> str:
    return f"ratelimit:{scope}:{key}:{int(time.time() // window)}"


def _redis() -> tuple[RedisCache, Any] | None:
    """Django's Redis cache and its redis-py client, when the cache is Redis."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return backend, backend.redis_client()
    return None


def allow_many(checks: list[tuple[str, str, int, int]]) -> list[bool]:
    """Count one action for each ``(scope, key, limit, window)``; each is False once its limit
    was reached in the current window (all are False when the cache is down). With Redis all
    of them cost one round trip: per key, ``SET NX`` with the window's expiry, then ``INCR``."""
    try:
        redis = _redis()
        if redis is None:
            return [_allow_generic(scope, key, limit=limit, window=window) for scope, key, limit, window in checks]
        backend, client = redis
        pipe = client.pipeline(transaction=False)
        for scope, key, _limit, window in checks:
            full_key = backend.make_and_validate_key(_window_key(scope, key, window))
            pipe.set(full_key, 0, ex=window + 5, nx=True)
            pipe.incr(full_key)
        counts = pipe.execute()[1::2]
    except Exception:  # the cache is down: refuse, do not let the write through
        logger.warning("rate limit cache unavailable for %s", ", ".join(check[0] for check in checks))
        return [False] * len(checks)
    return [int(count) <= limit for count, (_scope, _key, limit, _window) in zip(counts, checks, strict=True)]


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one action of ``key`` in ``scope``; False once ``limit`` actions were counted in the
    current window of ``window`` seconds (or when the cache is down)."""
    return allow_many([(scope, key, limit, window)])[0]


def _allow_generic(scope: str, key: str, *, limit: int, window: int) -> bool:
    """``allow`` on any Django cache (the database cache when there is no Redis)."""
    cache_key = _window_key(scope, key, window)
    try:
        try:
            count = cache.incr(cache_key)  # the usual case: the window's entry exists
        except ValueError:  # the first action of the window (or a racing first one)
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
