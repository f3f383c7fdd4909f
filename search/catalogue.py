"""The OCOP catalogue through the search engine: text matched accent-insensitively, relevance
boosted by stars and stock, counts from the engine's own index (aggregations on
Elasticsearch). Browsing without words reads the database directly (always current); when the
engine cannot answer, the database's catalogue answers instead, with a notice."""

import dataclasses
import logging

from django.utils.translation import gettext as _

from marketplace.selectors.catalogue import (
    CatalogueQuery,
    CatalogueResult,
    DatabaseCatalogue,
    catalogue_cache_key,
    catalogue_classification,
    catalogue_facets,
    catalogue_filters,
    catalogue_page_number,
)
from marketplace.selectors.products import products_for_cards, products_public
from marketplace.services.catalogue_cache import catalogue_cached

from .engines import EngineUnavailable, search_engine
from .folding import tokens

logger = logging.getLogger(__name__)


class SearchCatalogue:
    def search(self, query: CatalogueQuery) -> CatalogueResult:
        terms = tokens(query.text)
        if not terms:
            if query.sort == "relevance":
                query = query.replace(sort="stars", page=query.page)
            return DatabaseCatalogue().search(query.replace(text="", page=query.page))
        try:
            return self._search(query, terms)
        except EngineUnavailable:
            logger.warning("search engine unavailable for the catalogue", exc_info=True)
            result = DatabaseCatalogue().search(query)
            notice = _("Search is busy at the moment: these results match the exact words typed.")
            return dataclasses.replace(result, notice=notice)

    def _search(self, query: CatalogueQuery, terms: list[str]) -> CatalogueResult:
        classification = catalogue_classification()
        filters = catalogue_filters(query, classification)
        engine = search_engine()
        holder = {}

        def first_page():
            hits = engine.catalogue(
                terms,
                filters,
                sort=query.sort,
                offset=(query.page - 1) * query.per_page,
                limit=query.per_page,
            )
            holder["hits"] = hits
            return hits.numbers

        numbers = catalogue_cached(
            ("search", engine.name, *catalogue_cache_key(" ".join(terms), filters)), first_page
        )
        total = numbers["aggregates"]["total"]
        page, num_pages = catalogue_page_number(query, total)
        hits = holder.get("hits")
        if hits is None or page != query.page:  # numbers from the cache: only the page
            hits = engine.catalogue(
                terms,
                filters,
                sort=query.sort,
                offset=(page - 1) * query.per_page,
                limit=query.per_page,
                counts=False,
            )
        # The index may lag a moment behind: show only products that are public now.
        found = products_for_cards(products_public().filter(pk__in=hits.ids)).in_bulk()
        products = [found[pk] for pk in hits.ids if pk in found]
        return CatalogueResult(
            products=products,
            total=total,
            page=page,
            num_pages=num_pages,
            facets=catalogue_facets(query, filters, classification, numbers),
        )
