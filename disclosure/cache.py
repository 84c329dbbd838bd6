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
    return "disclosure:page:" + ":".join(str(p) for p in (public_generation(), *parts))
