"""Reads that every page makes, kept in the cache across requests.

Some facts are read on every request and change rarely, always through the ORM: the
municipality shown in every header, a person's roles, whether they have a second factor. With
Redis (``CACHE_HOT_READS``) they are cached and the receivers that watch their models forget
them when they change (``forget``: immediately and again when the transaction commits).
Without Redis the cache is a database table, where a cached read would only swap one query for
another, so they are read directly.

A value read inside a transaction is not stored: it could include an uncommitted change that
is later rolled back.

A signed-in page makes several such reads (roles, second factor, unread count, the
municipality; the bureau's supervisor flag). ``HotReadsMiddleware`` fetches all those that are
registered with ``read_on_every_request`` in one round trip when the request starts; a read
during the request then takes its value from that batch, and ``forget`` drops it from the batch
too, so a change made by the request itself is seen by the rest of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

TIMEOUT = 60 * 60
_MISSING = object()

# The keys every request reads: of the site, and of the signed-in person (from their id).
SITE_KEYS: list[Callable[[], str]] = []
PERSON_KEYS: list[Callable[[int], str]] = []
# What this request's batch found in the cache; None outside a request.
_batch: ContextVar[dict[str, Any] | None] = ContextVar("hot_reads_batch", default=None)


def read_on_every_request(
    *, site: Iterable[Callable[[], str]] = (), person: Iterable[Callable[[int], str]] = ()
) -> None:
    """Register keys to fetch in the batch at the start of every request: ``site`` keys take no
    argument, ``person`` keys the signed-in person's id."""
    SITE_KEYS.extend(key for key in site if key not in SITE_KEYS)
    PERSON_KEYS.extend(key for key in person if key not in PERSON_KEYS)


@contextmanager
def request_batch(person_id: int | None) -> Iterator[None]:
    """Within it, the registered keys are read from the cache at once (one ``get_many``)."""
    if not settings.CACHE_HOT_READS:
        yield
        return
    keys = [key() for key in SITE_KEYS]
    if person_id is not None:
        keys += [key(person_id) for key in PERSON_KEYS]
    token = _batch.set(cache.get_many(keys))
    try:
        yield
    finally:
        _batch.reset(token)


class HotReadsMiddleware:
    """Opens a ``request_batch`` for the person the session names (without reading the person).
    Comes after the session middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        person_id = int(person) if isinstance(person, (str, int)) and str(person).isdigit() else None
        with request_batch(person_id):
            return self.get_response(request)


def cached_read(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, from the cache when it holds ``key``."""
    if not settings.CACHE_HOT_READS:
        return compute()
    batch = _batch.get()
    if batch is not None and key in batch:
        return batch[key]  # type: ignore[no-any-return]
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
    batch = _batch.get()
    if batch is not None:
        for key in keys:
            batch.pop(key, None)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
