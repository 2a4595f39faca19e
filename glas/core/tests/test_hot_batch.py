"""The reads every signed-in request makes come from the cache in one round trip
(``HotReadsMiddleware``, ``glas/core/hotcache.py``), and a change a request makes is seen by the
rest of that request."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from glas.accounts.roles import Role
from glas.bureau.rules import supervisor_cache_key
from glas.core import hotcache, services
from glas.core.selectors import municipality_cache_key, unread_count_cache_key, unread_notification_count


@pytest.fixture
def hot(settings):
    settings.CACHE_HOT_READS = True
    cache.clear()
    yield
    cache.clear()


class Spy:
    """Counts what the hot reads ask of the cache."""

    def __init__(self) -> None:
        self.gets: list[str] = []
        self.batches: list[list[str]] = []

    def get(self, key, default=None):
        self.gets.append(key)
        return cache.get(key, default)

    def get_many(self, keys):
        self.batches.append(list(keys))
        return cache.get_many(keys)

    def __getattr__(self, name):
        return getattr(cache, name)


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_page_reads_its_hot_values_in_one_batch(hot, kresna, make_user, client_for):
    advisor = make_user("batch@example.org", roles=[Role.ADVISOR], totp=True)
    client = client_for(advisor)
    home = reverse("bureau:queue")
    assert client.get(home).status_code == 200  # fills the cache
    spy = Spy()
    with mock.patch.object(hotcache, "cache", spy):
        assert client.get(home).status_code == 200
    registered = {
        municipality_cache_key(),
        unread_count_cache_key(advisor.pk),
        supervisor_cache_key(advisor.pk),
        f"accounts:groups:{advisor.pk}",
        f"accounts:totp:{advisor.pk}",
    }
    assert len(spy.batches) == 1 and registered <= set(spy.batches[0])
    assert not registered & set(spy.gets)  # none read again on its own


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_page_batches_only_the_sites_keys(hot, kresna, client):
    spy = Spy()
    with mock.patch.object(hotcache, "cache", spy):
        client.get(reverse("core:home"))
    assert spy.batches == [[municipality_cache_key()]]


@pytest.mark.django_db(transaction=True)
def test_a_change_made_during_the_request_is_seen_by_the_rest_of_it(hot, make_user):
    reader = make_user("reader-batch@example.org")
    assert unread_notification_count(reader) == 0  # now cached
    with hotcache.request_batch(reader.pk):
        assert unread_notification_count(reader) == 0  # from the batch
        services.notify(recipients=[reader], kind="test", title="New")
        assert unread_notification_count(reader) == 1
    assert unread_notification_count(reader) == 1


def test_without_hot_reads_no_batch_is_read(settings):
    settings.CACHE_HOT_READS = False
    spy = Spy()
    with mock.patch.object(hotcache, "cache", spy), hotcache.request_batch(7):
        assert hotcache.cached_read("core:anything", lambda: 42) == 42
    assert spy.batches == [] and spy.gets == []


@pytest.mark.parametrize("person", ["", "abc", "1; DROP", None, 3.5])
def test_a_session_with_a_strange_person_id_gets_only_the_sites_keys(settings, rf, person):
    settings.CACHE_HOT_READS = True
    request = rf.get("/")
    request.session = {"_auth_user_id": person} if person is not None else {}
    seen = []
    middleware = hotcache.HotReadsMiddleware(lambda _r: seen.append(hotcache._batch.get()) or mock.Mock())
    with mock.patch.object(hotcache, "cache", mock.Mock(get_many=lambda keys: dict.fromkeys(keys, 1))):
        middleware(request)
    assert seen == [{municipality_cache_key(): 1}]
