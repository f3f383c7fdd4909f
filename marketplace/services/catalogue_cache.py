"""The catalogue's facet counts are cached per filter set under a *generation*: any change that can
move a count (a product or producer saved or deleted, stock taken or given back) starts a new
generation, so a cached count is never older than the last such change, and at most
`MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS` old in any case.

The cache is a speed-up, never a dependency: when it cannot be reached, counts are computed.
"""

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "marketplace:catalogue:generation"


def catalogue_generation() -> int | None:
    """The current generation, or None when the cache cannot be reached."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # first read after a flush: one more round trip
            cache.add(GENERATION_KEY, 1, timeout=None)
            generation = cache.get(GENERATION_KEY)
        return generation
    except Exception:  # noqa: BLE001 - any cache failure means "no cache"
        logger.warning("catalogue cache unavailable; facet counts computed", exc_info=True)
        return None


def _bump() -> None:
    try:
        if not cache.add(GENERATION_KEY, 2, timeout=None):
            cache.incr(GENERATION_KEY)
    except ValueError:  # expired between add and incr
        cache.add(GENERATION_KEY, 2, timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("catalogue cache unavailable; generation not bumped", exc_info=True)


def catalogue_changed() -> None:
    """Starts a new generation now (this transaction's own reads) and again once the transaction
    commits (counts cached meanwhile by others from the old rows are dropped)."""
    _bump()
    transaction.on_commit(_bump)


def catalogue_cached(key: tuple, compute: Callable[[], dict]) -> dict:
    """`compute()`'s plain data, computed once per `key` (a filter set) and generation."""
    generation = catalogue_generation()
    timeout = settings.MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS
    if generation is None or timeout <= 0:
        return compute()
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    cache_key = f"marketplace:catalogue:facets:{generation}:{digest}"
    try:
        numbers = cache.get(cache_key)
    except Exception:  # noqa: BLE001 - the cache is a speed-up, never a dependency
        logger.warning("catalogue cache unavailable; facet counts computed", exc_info=True)
        return compute()
    if numbers is None:
        numbers = compute()
        try:
            cache.set(cache_key, numbers, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("catalogue cache unavailable; facet counts not kept", exc_info=True)
    return numbers
