"""Wagtail's own search backend (the admin's page and snippet search), accent-insensitive.

- Elasticsearch (`URLS` given): modelsearch's Elasticsearch 9 backend with folding analyzers
  (`INDEX_SETTINGS`, see es_documents.wagtail_index_settings) and queries folded here, since
  its autocomplete fields search with the standard analyzer, which keeps accents.
- PostgreSQL: modelsearch's backend with the `cds_vietnamese` configuration (unaccent + simple)
  for search and autocomplete alike.
- SQLite: modelsearch's FTS5 backend with the index folded by the `cds_fold` SQL function in its
  triggers (migration 0003) and queries folded by `search.folding.fold` here."""

import copy

from django.db import connection
from modelsearch.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

from .folding import fold

SEARCH_CONFIG = "cds_vietnamese"


def fold_query(query):
    """A copy of a modelsearch query (or query string) with every string folded."""
    if isinstance(query, str):
        return fold(query)
    if isinstance(query, PlainText | Phrase | Fuzzy):
        folded = copy.copy(query)
        folded.query_string = fold(query.query_string)
        return folded
    if isinstance(query, And | Or):
        return type(query)([fold_query(q) for q in query.subqueries])
    if isinstance(query, Not):
        return Not(fold_query(query.subquery))
    if isinstance(query, Boost):
        return Boost(fold_query(query.subquery), query.boost)
    return query


def _folding(backend_class, search_compiler, autocomplete_compiler):
    """`backend_class` with both query compilers folding the query first."""

    class FoldingQueryCompiler(search_compiler):
        def __init__(self, queryset, query, *args, **kwargs):
            super().__init__(queryset, fold_query(query), *args, **kwargs)

    class FoldingAutocompleteCompiler(autocomplete_compiler):
        def __init__(self, queryset, query, *args, **kwargs):
            super().__init__(queryset, fold_query(query), *args, **kwargs)

    return type(
        f"Folding{backend_class.__name__}",
        (backend_class,),
        {
            "query_compiler_class": FoldingQueryCompiler,
            "autocomplete_query_compiler_class": FoldingAutocompleteCompiler,
        },
    )


def _postgres(params):
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    class FoldingPostgresSearchBackend(PostgresSearchBackend):
        def __init__(self, params):
            super().__init__({"SEARCH_CONFIG": SEARCH_CONFIG, **params})
            self.autocomplete_config = self.config

    return FoldingPostgresSearchBackend(params)


def _sqlite(params):
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )

    backend = _folding(
        SQLiteSearchBackend, SQLiteSearchQueryCompiler, SQLiteAutocompleteQueryCompiler
    )
    return backend(params)


def _elasticsearch(params):
    from modelsearch.backends.elasticsearch9 import (
        Elasticsearch9AutocompleteQueryCompiler,
        Elasticsearch9SearchBackend,
        Elasticsearch9SearchQueryCompiler,
    )

    backend = _folding(
        Elasticsearch9SearchBackend,
        Elasticsearch9SearchQueryCompiler,
        Elasticsearch9AutocompleteQueryCompiler,
    )
    return backend(params)


def SearchBackend(params):  # noqa: N802 - the name modelsearch looks up in a backend module
    if params.get("URLS"):
        return _elasticsearch(params)
    if connection.vendor == "postgresql":
        return _postgres(params)
    if connection.vendor == "sqlite":
        return _sqlite(params)
    from modelsearch.backends.database import SearchBackend as database_backend

    return database_backend(params)
