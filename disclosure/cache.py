"""The public pages' cache: one generation number for all of them, bumped by every
publication, so a publication invalidates every cached page and every ETag at once
(in Redis when configured, so all workers agree)."""

from django.core.cache import cache

GENERATION_KEY = "disclosure:generation"
PAGE_TIMEOUT = 24 * 3600


def public_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 1
    return generation


def public_cache_invalidate():
    """Make every cached public page and ETag stale (called after a publication commits)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def page_key(*parts) -> str:
    """A key of the page cache. Keys do not hold the generation: each value carries the
    generation it was made under (`page_value`), and a value of another generation is
    stale (`page_read`), so one read fetches the generation and the page together and a
    new rendering overwrites the stale one instead of leaving it to expire."""
    return "disclosure:page:" + ":".join(str(p) for p in parts)


MISSING = object()


def page_read(*keys):
    """The current generation and, for each key, its value if it was stored under that
    generation, else MISSING: one round trip to the cache (MGET) when the generation is
    known, which is every request but the first after a flush."""
    found = cache.get_many([GENERATION_KEY, *keys])
    generation = found.get(GENERATION_KEY) or public_generation()
    values = []
    for key in keys:
        stored = found.get(key)
        values.append(stored[1] if isinstance(stored, tuple) and stored[0] == generation else MISSING)
    return generation, values


def page_value(generation, value):
    """What `cache.set` stores under a page key: the value with its generation."""
    return (generation, value)
