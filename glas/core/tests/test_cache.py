"""Glas's Redis cache backend: Django's, with one redis-py client per connection pool."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from glas.core.cache import RedisCache


def _redis_cache() -> RedisCache:
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        pytest.skip("the cache is not Redis (the PostgreSQL run of the suite uses Redis)")
    return backend


def test_every_operation_shares_one_client_and_still_reads_what_it_wrote():
    backend = _redis_cache()
    client = backend.redis_client()
    backend.set("cache-test:a", {"value": 1}, timeout=30)
    assert backend.get("cache-test:a") == {"value": 1}
    assert backend.get_many(["cache-test:a", "cache-test:missing"]) == {"cache-test:a": {"value": 1}}
    assert backend.add("cache-test:n", 1, timeout=30) and backend.incr("cache-test:n") == 2
    assert backend._cache.get_client("cache-test:a") is client
    assert backend._cache.get_client("cache-test:a", write=True) is client
    backend.delete("cache-test:a")
    assert backend.get("cache-test:a") is None


def test_the_shared_client_is_safe_from_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    backend = _redis_cache()

    def round_trip(number: int) -> int:
        backend.set(f"cache-test:t{number}", number, timeout=30)
        return backend.get(f"cache-test:t{number}")

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(round_trip, range(200))) == list(range(200))
