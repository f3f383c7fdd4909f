"""Fixed-window counters in the cache (Redis in production, shared by every worker)."""

import hashlib

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Counts one hit for `key` in `scope`; True once the count passes `limit` in the window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rate:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
