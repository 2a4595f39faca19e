"""Reads that every page makes, kept in the cache across requests.

Some facts are read on every request and change rarely, always through the ORM: the
municipality shown in every header, a person's roles, whether they have a second factor. With
Redis (``CACHE_HOT_READS``) they are cached and the receivers that watch their models forget
them when they change (``forget``: immediately and again when the transaction commits).
Without Redis the cache is a database table, where a cached read would only swap one query for
another, so they are read directly.

A value read inside a transaction is not stored: it could include an uncommitted change that
is later rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")

TIMEOUT = 60 * 60
_MISSING = object()


def cached_read(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, from the cache when it holds ``key``."""
    if not settings.CACHE_HOT_READS:
        return compute()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if not connection.in_atomic_block:
            cache.set(key, value, TIMEOUT)
    return value  # type: ignore[return-value]


def forget(keys: Iterable[str]) -> None:
    """Drop these keys now and once the current transaction commits (nothing to do when hot
    reads are off: nothing was stored)."""
    keys = list(keys)
    if not keys or not settings.CACHE_HOT_READS:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
