"""The interface every search engine implements. Engines take folded terms (see
`search.folding.tokens`), never raw input, and answer with plain data."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..documents import DocumentKey, SearchDocument

if TYPE_CHECKING:  # settings import this package before Django's apps are ready
    from marketplace.selectors.catalogue import CatalogueFilters

# Relevance x stars x stock, the same on every engine: a product with more stars, in stock,
# outranks an equally relevant one, not one that matches better. Pages and producers (no stars,
# no stock) keep their relevance.
STAR_BOOST = {5: 1.2, 4: 1.1}
SOLD_OUT_FACTOR = 0.85


class EngineUnavailable(Exception):
    """The engine is down, too slow or refused the request: callers say so and carry on."""


@dataclass(frozen=True)
class Hit:
    key: DocumentKey
    title: str
    url: str
    text: str = ""
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogueHits:
    """Product ids of the asked page, in order, and the facet numbers in the shape of
    `marketplace.selectors.catalogue.catalogue_counts` (None when not asked for)."""

    ids: list[int]
    numbers: dict | None


Progress = Callable[[int], None]


class SearchEngine(Protocol):
    name: str

    def upsert(self, documents: list[SearchDocument]) -> None: ...

    def delete(self, keys: list[DocumentKey]) -> None: ...

    def rebuild(self, documents: Iterable[SearchDocument], *, progress: Progress) -> int:
        """Indexes `documents` into a fresh index and swaps it in at the end: readers see the
        old index until then. Returns the number indexed."""
        ...

    def counts(self, terms: list[str]) -> dict[str, int]:
        """Number of matches of all `terms` per kind."""
        ...

    def search(self, terms: list[str], *, kind: str, offset: int, limit: int) -> list[Hit]:
        """Matches of one kind, best first."""
        ...

    def autocomplete(self, terms: list[str], *, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        """Titles starting words with `terms` (the last one a prefix), best first."""
        ...

    def catalogue(
        self,
        terms: list[str],
        filters: "CatalogueFilters",
        *,
        sort: str,
        offset: int,
        limit: int,
        counts: bool = True,
    ) -> CatalogueHits:
        """A page of matching products, and with `counts` the facet numbers (a cached set of
        numbers needs only the page)."""
        ...

    def indexed_keys(self) -> set[DocumentKey]: ...
