"""Reads of the search: the site-wide results page and autocomplete. Whatever a visitor types
ends up as folded words (or none); an engine that fails makes a polite page, never a 500."""

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from .documents import AUTOCOMPLETE_KINDS, KIND_LABELS, KINDS
from .engines import EngineUnavailable, search_engine
from .engines.base import Hit
from .folding import fold, tokens
from .highlight import highlight, snippet
from .spelling import did_you_mean

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
PER_GROUP = 3
PAGE_MAX = 10_000
AUTOCOMPLETE_MIN_CHARS = 2
AUTOCOMPLETE_LIMIT = 8


def _page(value) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 6:
        return 1
    return min(max(1, int(text)), PAGE_MAX)


@dataclass(frozen=True)
class SiteQuery:
    text: str = ""
    kind: str | None = None
    page: int = 1

    @classmethod
    def from_querydict(cls, data: Mapping) -> "SiteQuery":
        """Bad values are ignored: a page of -1 or 999999999 or "abc" is a page in range,
        an unknown kind is "all"."""
        text = " ".join(str(data.get("q") or "").split())[:MAX_QUERY_LENGTH]
        kind = str(data.get("kind") or "")
        return cls(text=text, kind=kind if kind in KINDS else None, page=_page(data.get("page")))


@dataclass(frozen=True)
class ResultHit:
    kind: str
    kind_label: str
    url: str
    title: SafeString
    snippet: SafeString
    meta: dict


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    count: int
    hits: list[ResultHit]


@dataclass
class SiteResults:
    query: SiteQuery
    searched: str = ""  # the words the results are for (the suggestion when it replaced them)
    counts: dict[str, int] = field(default_factory=dict)
    groups: list[KindGroup] = field(default_factory=list)
    hits: list[ResultHit] = field(default_factory=list)  # one kind's page
    page: int = 1
    num_pages: int = 1
    suggestion: str | None = None
    replaced: bool = False  # no result for the query: results are the suggestion's
    unavailable: bool = False
    no_words: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def tabs(self) -> list[KindGroup]:
        return [KindGroup(k, str(KIND_LABELS[k]), self.counts.get(k, 0), []) for k in KINDS]


def _result_hit(hit: Hit, terms: list[str]) -> ResultHit:
    return ResultHit(
        kind=hit.key.kind,
        kind_label=str(KIND_LABELS[hit.key.kind]),
        url=hit.url,
        title=highlight(hit.title, terms),
        snippet=snippet(hit.text, terms),
        meta=hit.meta,
    )


def site_search(query: SiteQuery) -> SiteResults:
    """Results grouped by kind (or one kind's page), with a spelling suggestion; when the
    query finds nothing and the suggestion does, the suggestion's results."""
    results = SiteResults(query=query, page=query.page)
    if not query.text:
        return results
    terms = tokens(query.text)
    if not terms:
        results.no_words = True
        return results
    engine = search_engine()
    try:
        results.suggestion = did_you_mean(query.text)
        counts = engine.counts(terms)
        if not counts and results.suggestion:
            suggested = tokens(results.suggestion)
            suggested_counts = engine.counts(suggested)
            if suggested_counts:
                terms, counts, results.replaced = suggested, suggested_counts, True
        results.searched = results.suggestion if results.replaced else query.text
        results.counts = counts
        if query.kind:
            total = counts.get(query.kind, 0)
            results.num_pages = max(1, math.ceil(total / PER_PAGE))
            results.page = min(query.page, results.num_pages)
            if total:
                hits = engine.search(
                    terms, kind=query.kind, offset=(results.page - 1) * PER_PAGE, limit=PER_PAGE
                )
                results.hits = [_result_hit(h, terms) for h in hits]
        else:
            for kind in KINDS:
                if counts.get(kind):
                    hits = engine.search(terms, kind=kind, offset=0, limit=PER_GROUP)
                    results.groups.append(
                        KindGroup(
                            kind,
                            str(KIND_LABELS[kind]),
                            counts[kind],
                            [_result_hit(h, terms) for h in hits],
                        )
                    )
    except EngineUnavailable:
        logger.warning("search engine unavailable", exc_info=True)
        results.unavailable = True
        results.counts, results.groups, results.hits = {}, [], []
    return results


@dataclass(frozen=True)
class Suggestion:
    kind: str
    kind_label: str
    title: str
    title_html: SafeString
    url: str
    meta: dict


def autocomplete(text: str) -> list[Suggestion]:
    """Products, producers and courses whose titles start words with what was typed (the last
    word a prefix), from 2 characters. An unavailable engine suggests nothing."""
    text = " ".join(str(text or "").split())[:MAX_QUERY_LENGTH]
    terms = tokens(text)
    if not terms or len(fold(text).strip()) < AUTOCOMPLETE_MIN_CHARS:
        return []
    try:
        hits = search_engine().autocomplete(
            terms, kinds=AUTOCOMPLETE_KINDS, limit=AUTOCOMPLETE_LIMIT
        )
    except EngineUnavailable:
        logger.warning("search engine unavailable for autocomplete", exc_info=True)
        return []
    return [
        Suggestion(
            kind=h.key.kind,
            kind_label=str(KIND_LABELS[h.key.kind]),
            title=h.title,
            title_html=highlight(h.title, terms, prefix_last=True),
            url=h.url,
            meta=h.meta,
        )
        for h in hits
    ]
