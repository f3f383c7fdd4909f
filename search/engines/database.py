"""The database engine: the `search_entry` table, matched through PostgreSQL's full text
(`cds_vietnamese`: unaccent + simple) and pg_trgm, or through SQLite's FTS5 over folded text.

Everything but matching and ranking is the same SQL on both; the two dialects below hold the
difference."""

from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Count, FloatField, Q
from django.db.models.expressions import RawSQL

from marketplace.selectors.catalogue import CatalogueFilters, catalogue_counts

from ..documents import PRODUCT, DocumentKey, SearchDocument
from ..folding import fold
from ..models import SearchEntry
from .base import (
    SOLD_OUT_FACTOR,
    STAR_BOOST,
    CatalogueHits,
    EngineUnavailable,
    Hit,
    Progress,
)

BATCH = 500
# Longest time a search statement may take on PostgreSQL before the page says it is busy.
STATEMENT_TIMEOUT_MS = 3000

# STAR_BOOST and SOLD_OUT_FACTOR in SQL (search_entry's own columns).
BOOST_SQL = (
    "(CASE search_entry.stars "
    + " ".join(f"WHEN {stars} THEN {factor}" for stars, factor in STAR_BOOST.items())
    + f" ELSE 1.0 END) * (CASE WHEN search_entry.stock = 0 THEN {SOLD_OUT_FACTOR} ELSE 1.0 END)"
)
ORDERINGS = {
    "newest": ("-published_at", "-object_id"),
    "price_asc": ("price", "object_id"),
    "price_desc": ("-price", "-object_id"),
    "stars": ("-stars", "-published_at", "-object_id"),
    "bestselling": ("-sold_count", "-published_at", "-object_id"),
}


class PostgresDialect:
    """`document` is a generated tsvector (title weight A, text B) under `cds_vietnamese`;
    the folded terms go through the same configuration, so either side may carry accents."""

    MATCH = "search_entry.document @@ plainto_tsquery('cds_vietnamese', %s)"

    def match(self, queryset, terms: list[str]):
        match = RawSQL(self.MATCH, [" ".join(terms)], output_field=BooleanField())  # noqa: S611
        return queryset.filter(match)

    def scored(self, queryset, terms: list[str]):
        """Matches with `score`: ts_rank_cd (title weighs more, close words more), boosted."""
        text = " ".join(terms)
        rank = RawSQL(  # noqa: S611 - constant SQL, the terms are a parameter
            "ts_rank_cd(search_entry.document, plainto_tsquery('cds_vietnamese', %s), 1) * "
            + BOOST_SQL,
            [text],
            output_field=FloatField(),
        )
        return self.match(queryset, terms).annotate(score=rank)

    def prefix(self, queryset, terms: list[str]):
        """Titles holding every term, the last as a word prefix, by trigram closeness."""
        *whole, last = terms
        query = " & ".join([f"'{t}':A" for t in whole] + [f"'{last}':*A"])
        matched = RawSQL(
            "search_entry.document @@ to_tsquery('cds_vietnamese', %s)",
            [query],
            output_field=BooleanField(),
        )
        similarity = RawSQL(
            "similarity(search_entry.folded_title, %s)",
            [" ".join(terms)],
            output_field=FloatField(),
        )
        return queryset.filter(matched).annotate(score=similarity)

    def guard(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")


class SqliteDialect:
    """`search_entry_fts` (FTS5) holds the folded title and text; terms are quoted so no query
    syntax reaches FTS5. bm25 is negative, lower is better: the score is its opposite."""

    @staticmethod
    def _expression(terms: list[str], *, prefix_last: bool = False) -> str:
        quoted = [f'"{t}"' for t in terms]
        if prefix_last:
            quoted[-1] += "*"
            return "folded_title : (" + " ".join(quoted) + ")"
        return " ".join(quoted)

    def match(self, queryset, terms: list[str]):
        return queryset.filter(
            id__in=RawSQL(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s",
                [self._expression(terms)],
            )
        )

    def _joined(self, queryset, expression: str):
        return queryset.extra(  # noqa: S610 - constant SQL; the expression is a parameter
            tables=["search_entry_fts"],
            where=["search_entry_fts.rowid = search_entry.id", "search_entry_fts MATCH %s"],
            params=[expression],
            select={"score": "-bm25(search_entry_fts, 10.0, 1.0) * " + BOOST_SQL},
        )

    def scored(self, queryset, terms: list[str]):
        return self._joined(queryset, self._expression(terms))

    def prefix(self, queryset, terms: list[str]):
        return self._joined(queryset, self._expression(terms, prefix_last=True))

    def guard(self):
        pass


UPSERT_FIELDS = [
    f.name
    for f in SearchEntry._meta.concrete_fields
    if not f.primary_key and f.name not in ("kind", "object_id")
]


def _entry(document: SearchDocument) -> SearchEntry:
    return SearchEntry(
        kind=document.kind,
        object_id=document.object_id,
        title=document.title,
        text=document.text,
        folded_title=fold(document.title),
        folded_text=fold(document.text),
        url=document.url,
        meta=document.meta,
        published_at=document.published_at,
        group_id=document.group_id,
        subgroup_id=document.subgroup_id,
        stars=document.stars,
        province_id=document.province_id,
        province_name=document.province_name,
        price=document.price,
        stock=document.stock,
        sold_count=document.sold_count,
    )


def _hit(entry: SearchEntry, *, with_text: bool = True) -> Hit:
    return Hit(
        key=DocumentKey(entry.kind, entry.object_id),
        title=entry.title,
        url=entry.url,
        text=entry.text if with_text else "",
        meta=entry.meta,
    )


def _keys_q(keys: Iterable[DocumentKey]) -> Q:
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        by_kind.setdefault(key.kind, []).append(key.object_id)
    q = Q(pk__in=[])
    for kind, ids in by_kind.items():
        q |= Q(kind=kind, object_id__in=ids)
    return q


class DatabaseEngine:
    name = "database"

    def __init__(self):
        self.dialect = PostgresDialect() if connection.vendor == "postgresql" else SqliteDialect()

    def _read(self, run):
        """Runs a read under the statement timeout (in a transaction of its own; inside the
        caller's, SET LOCAL would outlive the read); a failure is the engine being unavailable."""
        try:
            outer = connection.in_atomic_block
            with transaction.atomic():
                if not outer:
                    self.dialect.guard()
                return run()
        except DatabaseError as error:
            raise EngineUnavailable(str(error)) from error

    # Writes -------------------------------------------------------------------------------

    def upsert(self, documents: list[SearchDocument]) -> None:
        """Inserts or replaces the entries of `documents` in one statement per batch (INSERT …
        ON CONFLICT DO UPDATE): safe when two workers index the same change at once. FTS5's
        triggers see the update."""
        if not documents:
            return
        SearchEntry.objects.bulk_create(
            [_entry(d) for d in documents],
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=UPSERT_FIELDS,
        )

    def delete(self, keys: list[DocumentKey]) -> None:
        if keys:
            SearchEntry.objects.filter(_keys_q(keys)).delete()

    def rebuild(self, documents: Iterable[SearchDocument], *, progress: Progress) -> int:
        """Empties and refills the index in one transaction: readers see the old entries until
        it commits (PostgreSQL's MVCC; SQLite's WAL or its one writer)."""
        count = 0
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            batch: list[SearchEntry] = []
            for document in documents:
                batch.append(_entry(document))
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    count += len(batch)
                    progress(count)
                    batch = []
            if batch:
                SearchEntry.objects.bulk_create(batch)
                count += len(batch)
                progress(count)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
        return count

    def indexed_keys(self) -> set[DocumentKey]:
        return {DocumentKey(k, i) for k, i in SearchEntry.objects.values_list("kind", "object_id")}

    # Reads --------------------------------------------------------------------------------

    def counts(self, terms: list[str]) -> dict[str, int]:
        def run():
            rows = (
                self.dialect.match(SearchEntry.objects.all(), terms)
                .values_list("kind")
                .annotate(n=Count("pk"))
                .order_by()
            )
            return dict(rows)

        return self._read(run)

    def search(self, terms: list[str], *, kind: str, offset: int, limit: int) -> list[Hit]:
        def run():
            entries = self.dialect.scored(SearchEntry.objects.filter(kind=kind), terms)
            return [
                _hit(e)
                for e in entries.order_by("-score", "-published_at", "-object_id")[
                    offset : offset + limit
                ]
            ]

        return self._read(run)

    def autocomplete(self, terms: list[str], *, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        def run():
            entries = self.dialect.prefix(SearchEntry.objects.filter(kind__in=kinds), terms)
            entries = entries.only("kind", "object_id", "title", "url", "meta")
            return [_hit(e, with_text=False) for e in entries.order_by("-score", "title")[:limit]]

        return self._read(run)

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
        def run():
            base = SearchEntry.objects.filter(kind=PRODUCT)
            if terms:
                base = self.dialect.match(base, terms)
            numbers = None
            if counts:
                numbers = catalogue_counts(base.order_by(), filters, province_name="province_name")
            entries = base.filter(filters.others())
            if sort == "relevance" and terms:
                entries = self.dialect.scored(
                    SearchEntry.objects.filter(kind=PRODUCT).filter(filters.others()), terms
                ).order_by("-score", "-published_at", "-object_id")
            elif sort == "relevance":
                entries = entries.order_by("-stars", "-published_at", "-object_id")
            else:
                entries = entries.order_by(*ORDERINGS.get(sort, ORDERINGS["newest"]))
            ids = list(entries.values_list("object_id", flat=True)[offset : offset + limit])
            return CatalogueHits(ids=ids, numbers=numbers)

        return self._read(run)
