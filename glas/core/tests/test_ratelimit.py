"""The cache-based rate limiter: counts per client within a window, stores no address."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from glas.core import ratelimit

pytestmark = pytest.mark.django_db


def test_actions_beyond_the_limit_in_one_window_are_refused():
    results = [ratelimit.allow("test", "client-a", limit=3, window=60) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_clients_are_counted_separately():
    for _ in range(3):
        ratelimit.allow("test", "client-a", limit=3, window=60)
    assert ratelimit.allow("test", "client-b", limit=3, window=60)


def test_the_client_key_does_not_contain_the_address():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    key = ratelimit.client_key(request)
    assert "203.0.113.7" not in key
    assert key == ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
    assert key != ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.8"))


def test_a_cache_that_is_down_refuses_the_action():
    down = ConnectionError("down")
    with (
        mock.patch.object(cache, "add", side_effect=down),
        mock.patch.object(cache, "incr", side_effect=down),
        mock.patch.object(ratelimit, "_redis", side_effect=down),
    ):
        assert ratelimit.allow("test", "client-a", limit=3, window=60) is False
        assert ratelimit.allow_many([("a", "k", 3, 60), ("b", "k", 3, 60)]) == [False, False]


def test_several_limits_are_counted_together_each_against_its_own_limit():
    assert ratelimit.allow_many([("addr", "x", 2, 60), ("domain", "d", 1, 60)]) == [True, True]
    assert ratelimit.allow_many([("addr", "x", 2, 60), ("domain", "d", 1, 60)]) == [True, False]
    assert ratelimit.allow_many([("addr", "x", 2, 60)]) == [False]
    assert ratelimit.allow("domain", "other", limit=1, window=60)


def test_with_redis_a_window_expires_and_costs_one_round_trip():
    redis = ratelimit._redis()
    if redis is None:
        pytest.skip("the cache is not Redis (the PostgreSQL run of the suite uses Redis)")
    backend, client = redis
    with mock.patch.object(type(client), "pipeline", wraps=client.pipeline) as pipeline:
        ratelimit.allow_many([("addr", "y", 5, 60), ("domain", "e", 5, 60)])
    assert pipeline.call_count == 1
    key = backend.make_and_validate_key(ratelimit._window_key("addr", "y", 60))
    assert 0 < client.ttl(key) <= 65 and int(client.get(key)) == 1
