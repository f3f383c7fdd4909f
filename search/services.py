"""Keeping the index in step: changes are queued in the changing transaction and indexed by a
Celery task after it commits; a rebuild refills everything."""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .documents import PRODUCT, DocumentKey
from .engines import EngineUnavailable, search_engine
from .models import PendingChange
from .sources import documents_all, documents_count, documents_for
from .spelling import VocabularyCounter, vocabulary_add, vocabulary_replace

logger = logging.getLogger(__name__)

BATCH = 200
# Changes within this many seconds share one task (the task waits as long before it runs).
DEBOUNCE_SECONDS = 1
SCHEDULED_KEY = "search:pending:scheduled"


def index_changed(*, keys: Iterable[DocumentKey]) -> None:
    """Queues `keys` for indexing: a row per key in this transaction (so nothing is lost if the
    broker or the engine is down), and one task after commit. Never raises into the caller's
    save because of the search."""
    keys = set(keys)
    if not keys:
        return
    now = timezone.now()
    PendingChange.objects.bulk_create(
        [PendingChange(kind=k.kind, object_id=k.object_id, queued_at=now) for k in keys],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["queued_at"],
    )
    _schedule_once()


def _schedule_once() -> None:
    """One task per transaction, however many changes it queued."""
    connection = transaction.get_connection()
    registered = getattr(connection, "run_on_commit", [])
    if getattr(connection, "search_scheduled", False) and any(
        entry[1] is _after_commit for entry in registered
    ):
        return
    connection.search_scheduled = True
    # Robust: whatever happens in the search after the commit, the save has succeeded.
    transaction.on_commit(_after_commit, robust=True)


def _after_commit() -> None:
    transaction.get_connection().search_scheduled = False
    _schedule()


def _tasks_run_in_process() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def _schedule() -> None:
    from .tasks import index_pending_task

    if _tasks_run_in_process():
        # No broker (first run, tests): index now, once; a failure leaves the changes queued.
        try:
            index_pending_process()
        except Exception:  # noqa: BLE001 - the engine down or anything else: rows stay queued
            logger.warning("search: indexing failed, changes stay queued", exc_info=True)
        return
    try:
        if not cache.add(SCHEDULED_KEY, 1, timeout=DEBOUNCE_SECONDS):
            return  # a task that has not started yet will take these changes too
    except Exception:  # noqa: BLE001 - without the cache every commit sends its own task
        logger.warning("search: cache unavailable, not debouncing", exc_info=True)
    try:
        index_pending_task.apply_async(countdown=DEBOUNCE_SECONDS)
    except Exception:  # noqa: BLE001 - the broker is down: the periodic sweep takes them
        logger.warning("search: could not queue the indexing task", exc_info=True)


@dataclass(frozen=True)
class PendingResult:
    indexed: int
    removed: int


def index_pending_process(*, limit: int = 10_000) -> PendingResult:
    """Indexes queued changes in batches and removes them from the queue; a change queued
    again meanwhile stays queued. Raises EngineUnavailable with the rest still queued."""
    indexed = removed = 0
    engine = search_engine()
    while indexed + removed < limit:
        batch = list(PendingChange.objects.order_by("pk")[:BATCH])
        if not batch:
            break
        keys = [DocumentKey(p.kind, p.object_id) for p in batch]
        documents, gone = documents_for(keys)
        try:
            engine.upsert(documents)
            engine.delete(gone)
        except EngineUnavailable:
            PendingChange.objects.filter(pk__in=[p.pk for p in batch]).update(
                attempts=F("attempts") + 1
            )
            raise
        vocabulary_add(documents)
        # One statement; a row queued again meanwhile has a newer queued_at and stays.
        PendingChange.objects.filter(
            reduce(or_, (Q(pk=c.pk, queued_at=c.queued_at) for c in batch))
        ).delete()
        if any(k.kind == PRODUCT for k in keys):
            _catalogue_changed()
        indexed += len(documents)
        removed += len(gone)
    return PendingResult(indexed=indexed, removed=removed)


def _catalogue_changed() -> None:
    from marketplace.services.catalogue_cache import catalogue_changed

    catalogue_changed()


@dataclass(frozen=True)
class RebuildResult:
    engine: str
    documents: int
    by_kind: dict[str, int]
    terms: int
    seconds: float


def search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> RebuildResult:
    """Indexes every public document into a fresh index that replaces the old one at the end
    (the site keeps answering from the old one meanwhile), then the vocabulary. Changes queued
    before the rebuild began are in it and leave the queue."""
    started = time.monotonic()
    began = timezone.now()
    engine = search_engine()
    total = sum(documents_count().values())
    counter = VocabularyCounter()
    by_kind: dict[str, int] = {}

    def stream():
        for document in documents_all():
            counter.add(document)
            by_kind[document.kind] = by_kind.get(document.kind, 0) + 1
            yield document

    count = engine.rebuild(stream(), progress=lambda done: progress and progress(done, total))
    terms = vocabulary_replace(counter)
    PendingChange.objects.filter(queued_at__lt=began).delete()
    _catalogue_changed()
    return RebuildResult(
        engine=engine.name,
        documents=count,
        by_kind=by_kind,
        terms=terms,
        seconds=time.monotonic() - started,
    )
