"""The production cache backend: Django's Redis cache, with one client object per pool."""

import pytest
from django.core.cache import caches


@pytest.fixture
def cache(redis_settings):
    return caches["default"]


def test_the_backend_is_the_one_settings_name_and_round_trips_values(cache):
    assert type(cache).__name__ == "ReusedClientRedisCache"
    cache.set("greeting", {"text": "你好", "n": 3}, 30)
    assert cache.get("greeting") == {"text": "你好", "n": 3}
    assert cache.get_many(["greeting", "absent"]) == {"greeting": {"text": "你好", "n": 3}}
    assert cache.incr("counter", 1) if cache.add("counter", 1, 30) else False
    assert cache.get("counter") == 2


def test_every_call_reuses_one_client_on_the_same_pool(cache):
    cache.set("a", 1, 30)
    first = cache._cache.get_client(write=True)
    cache.get("a")
    cache.delete("a")
    assert cache._cache.get_client(write=False) is first
    assert first.connection_pool is cache._cache._get_connection_pool(False)
