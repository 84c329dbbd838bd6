"""The Redis cache backend: Django's own, with one `redis.Redis` client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call (`get_client`),
and redis-py's constructor fills its table of ~170 response callbacks each time: about a
quarter of a millisecond of CPU per call, more than the round trip to Redis itself, on
every cached public page, throttle and session read. A `redis.Redis` is safe to share
between threads (each command borrows a connection from the pool), so the client here
builds one per pool and keeps it. Everything else (serialisation, pools, the servers'
read/write split, options) is Django's."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:  # as Django's _get_connection_pool, for this index
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
