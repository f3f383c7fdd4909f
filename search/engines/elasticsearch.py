"""The Elasticsearch engine: one index for every kind behind the alias `<prefix>site`, mapped by
`es_documents.SiteDocument` and queried by the bodies of `es_queries`.

Any failure to get an answer (connection refused, timeout, an error status, a bulk item refused)
is `EngineUnavailable`; reads of an index that does not exist yet (no rebuild so far) answer
nothing found."""

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from elastic_transport import ApiError as TransportApiError
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from marketplace.selectors.catalogue import CatalogueFilters

from ..documents import DocumentKey, SearchDocument
from . import es_queries as queries
from .base import CatalogueHits, EngineUnavailable, Hit, Progress
from .es_documents import (
    alias_name,
    document_id,
    document_source,
    index_body,
    new_index_name,
    wagtail_index_settings,
)

__all__ = ["ElasticsearchEngine", "wagtail_index_settings"]

logger = logging.getLogger(__name__)

BATCH = 500
# Writes may take longer than a visitor's search: at least this long (seconds).
WRITE_TIMEOUT = 30.0
REBUILD_TIMEOUT = 120.0
FAILURES = (ApiError, TransportApiError, TransportError, helpers.BulkIndexError, helpers.ScanError)


def _index_missing(error: Exception) -> bool:
    """Whether `error` is Elasticsearch saying the index (or alias) does not exist."""
    if not isinstance(error, NotFoundError):
        return False
    body = error.body if isinstance(error.body, dict) else {}
    reason = body.get("error")
    kind = reason.get("type", "") if isinstance(reason, dict) else str(reason or "")
    return "index_not_found" in kind


class _Missing(Exception):
    """The index read does not exist (turned into an empty answer)."""


@contextmanager
def _guard(*, reading: bool = False) -> Iterator[None]:
    try:
        yield
    except FAILURES as error:
        if reading and _index_missing(error):
            raise _Missing from error
        raise EngineUnavailable(f"elasticsearch: {error}") from error


@functools.lru_cache(maxsize=8)
def _client(url: str, timeout: float) -> Elasticsearch:
    """One client (and its connection pool) per URL and timeout for the process."""
    return Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, *, prefix: str, timeout: float):
        self.client = client
        self.prefix = prefix
        self.alias = alias_name(prefix)
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "ElasticsearchEngine":
        timeout = float(getattr(settings, "ELASTICSEARCH_TIMEOUT", 3.0))
        prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "cds_")
        return cls(_client(settings.ELASTICSEARCH_URL, timeout), prefix=prefix, timeout=timeout)

    def _writer(self, at_least: float) -> Elasticsearch:
        return self.client.options(request_timeout=max(self.timeout, at_least))

    def _read(self, run: Callable, empty: Callable):
        try:
            with _guard(reading=True):
                return run()
        except _Missing:
            return empty()

    # Writes -------------------------------------------------------------------------------

    def _bulk(self, client: Elasticsearch, actions: Iterable[dict], **kwargs) -> int:
        done, _errors = helpers.bulk(client, actions, chunk_size=BATCH, **kwargs)
        return done

    def _create_index(self, client: Elasticsearch, name: str, *, aliased: bool = False) -> None:
        """Creates the concrete index `name`; `aliased`, as the alias's write index (so that of
        two writers creating one at once, the second fails instead of doubling the alias)."""
        body = index_body(name)
        if aliased:
            body["aliases"] = {self.alias: {"is_write_index": True}}
        client.indices.create(index=name, **body)

    def upsert(self, documents: list[SearchDocument]) -> None:
        """Indexes `documents` into the alias (never into an index created by the write: the
        alias is required); without an index yet, creates an empty one behind the alias."""
        if not documents:
            return
        actions = [
            {
                "_op_type": "index",
                "_index": self.alias,
                "_id": document_id(d.kind, d.object_id),
                "_source": document_source(d),
            }
            for d in documents
        ]
        client = self._writer(WRITE_TIMEOUT)
        with _guard():
            try:
                self._bulk(client, actions, require_alias=True)
            except helpers.BulkIndexError as error:
                if not all(_item_index_missing(item) for item in error.errors):
                    raise
                self._create_index(client, new_index_name(self.prefix), aliased=True)
                self._bulk(client, actions, require_alias=True)

    def delete(self, keys: list[DocumentKey]) -> None:
        """Removes the documents of `keys`; those not indexed (or no index at all) are fine."""
        if not keys:
            return
        actions = [
            {"_op_type": "delete", "_index": self.alias, "_id": document_id(k.kind, k.object_id)}
            for k in keys
        ]
        with _guard():
            self._bulk(
                self._writer(WRITE_TIMEOUT), actions, require_alias=True, ignore_status=(404,)
            )

    def rebuild(self, documents: Iterable[SearchDocument], *, progress: Progress) -> int:
        """Loads `documents` into a new concrete index, then moves the alias onto it in one
        atomic `_aliases` call and deletes the indices it left: readers see the old index until
        the switch. On failure the new index is deleted and the old one stays in use."""
        client = self._writer(REBUILD_TIMEOUT)
        name = new_index_name(self.prefix)
        count = 0
        with _guard():
            self._create_index(client, name)
            try:
                stream = iter(documents)
                while batch := list(islice(stream, BATCH)):
                    actions = [
                        {
                            "_index": name,
                            "_id": document_id(d.kind, d.object_id),
                            "_source": document_source(d),
                        }
                        for d in batch
                    ]
                    count += self._bulk(client, actions)
                    progress(count)
                client.indices.refresh(index=name)
                old = self._aliased_indices(client)
                actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
                actions.append({"add": {"index": name, "alias": self.alias}})
                client.indices.update_aliases(actions=actions)
            except BaseException:
                self._drop(client, [name])
                raise
        self._drop(client, old)
        return count

    def _drop(self, client: Elasticsearch, indices: list[str]) -> None:
        """Deletes `indices`, best effort: a leftover index costs disk space, not correctness."""
        if not indices:
            return
        try:
            client.options(ignore_status=404).indices.delete(index=indices)
        except FAILURES:
            logger.warning("search: could not delete the indices %s", indices, exc_info=True)

    def _aliased_indices(self, client: Elasticsearch) -> list[str]:
        try:
            return sorted(client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    # Reads --------------------------------------------------------------------------------

    def _search(self, request: dict) -> dict:
        return self.client.search(index=self.alias, **request).body

    def counts(self, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        return self._read(
            lambda: queries.kind_counts(self._search(queries.counts_request(terms))), dict
        )

    def search(self, terms: list[str], *, kind: str, offset: int, limit: int) -> list[Hit]:
        if not terms or limit <= 0:
            return []
        request = queries.search_request(terms, kind=kind, offset=offset, limit=limit)
        return self._read(lambda: queries.hits(self._search(request)), list)

    def autocomplete(self, terms: list[str], *, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        if not terms or not kinds or limit <= 0:
            return []
        request = queries.autocomplete_request(terms, kinds=kinds, limit=limit)
        return self._read(lambda: queries.hits(self._search(request)), list)

    def catalogue(
        self,
        terms: list[str],
        filters: CatalogueFilters,
        *,
        sort: str,
        offset: int,
        limit: int,
        counts: bool = True,
    ) -> CatalogueHits:
        request = queries.catalogue_request(
            terms, filters, sort=sort, offset=offset, limit=limit, counts=counts
        )

        def run() -> CatalogueHits:
            response = self._search(request)
            numbers = queries.catalogue_numbers(response) if counts else None
            return CatalogueHits(ids=queries.catalogue_ids(response), numbers=numbers)

        return self._read(run, lambda: CatalogueHits(ids=[], numbers=queries.empty_numbers()))

    def indexed_keys(self) -> set[DocumentKey]:
        def run() -> set[DocumentKey]:
            found = helpers.scan(
                self._writer(WRITE_TIMEOUT),
                index=self.alias,
                query={"query": {"match_all": {}}},
                source=["kind", "object_id"],
                size=BATCH * 2,
                scroll="2m",
            )
            return {
                DocumentKey(h["_source"]["kind"], int(h["_source"]["object_id"])) for h in found
            }

        return self._read(run, set)


def _item_index_missing(item: dict) -> bool:
    """Whether a failed bulk item failed because the alias does not exist (`require_alias`)."""
    (result,) = item.values()
    error = result.get("error")
    kind = error.get("type", "") if isinstance(error, dict) else str(error or "")
    return "index_not_found" in kind
