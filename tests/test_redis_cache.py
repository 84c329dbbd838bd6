"""config.cache.RedisCache: Django's Redis backend, with one redis.Redis client per pool."""

import os

import pytest
from django.core.cache.backends.redis import RedisCacheClient as DjangoClient

from config.cache import RedisCache


@pytest.fixture
def backend():
    cache = RedisCache(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"), {"KEY_PREFIX": "cache-backend-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_call_and_the_values_are_djangos(backend):
    client = backend._cache
    first = client.get_client("a", write=True)
    assert client.get_client("b") is first and client.get_client(write=True) is first
    backend.set("page", {"content": b"<p>\xe8\xae\xb8\xe5\x8f\xaf</p>", "status": 200}, 60)
    backend.set("generation", 7, None)
    assert backend.get_many(["page", "generation", "absent"]) == {
        "page": {"content": "<p>许可</p>".encode(), "status": 200}, "generation": 7}
    assert backend.incr("generation") == 8
    # Django's own client builds a new redis.Redis per call; ours does not.
    djangos = DjangoClient([backend._servers[0]])
    assert djangos.get_client() is not djangos.get_client()


def test_reads_go_to_the_replica_servers_and_writes_to_the_first(backend):
    # Nothing is sent to the second server here: only the clients' pools are compared.
    cache = RedisCache(f"{backend._servers[0]};redis://127.0.0.1:6379/9", {})
    client = cache._cache
    writer = client.get_client(write=True)
    reader = client.get_client()
    assert writer is client.get_client(write=True) and reader is client.get_client()
    assert writer.connection_pool.connection_kwargs["db"] != reader.connection_pool.connection_kwargs["db"]
    assert reader.connection_pool.connection_kwargs["db"] == 9
