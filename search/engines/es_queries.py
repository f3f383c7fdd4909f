"""The request bodies of the Elasticsearch engine, as keyword arguments of `Elasticsearch.search`,
and the reading of its answers. Plain data in, plain data out: no client here.

Same semantics as the database engine: every term must match (title or text), ranking is
relevance x stars x stock (`BOOST_SQL` in database.py), and the catalogue's facet counts are
disjunctive like `catalogue_counts`."""

from marketplace.selectors.catalogue import PRICE_BANDS, STARS

from ..documents import PRODUCT, DocumentKey
from .base import SOLD_OUT_FACTOR, STAR_BOOST, Hit

# Elasticsearch's `index.max_result_window`: from + size beyond it is refused.
MAX_WINDOW = 10_000
TEXT_FIELDS = ["title^3", "text"]
AUTOCOMPLETE_FIELDS = [
    "title.autocomplete",
    "title.autocomplete._2gram",
    "title.autocomplete._3gram",
]
# Relevance x stars x stock (STAR_BOOST, SOLD_OUT_FACTOR): a document no function matches keeps
# its score.
BOOST_FUNCTIONS = [
    *({"filter": {"term": {"stars": s}}, "weight": w} for s, w in STAR_BOOST.items()),
    {"filter": {"term": {"stock": 0}}, "weight": SOLD_OUT_FACTOR},
]
IN_STOCK = {"range": {"stock": {"gt": 0}}}
# Enough buckets for every OCOP group, sub-group and province.
FACET_SIZE = 100


def _desc(field: str) -> dict:
    return {field: {"order": "desc"}}


def _asc(field: str) -> dict:
    return {field: {"order": "asc"}}


NEWEST = [_desc("published_at"), _desc("object_id")]
BY_SCORE = [_desc("_score"), *NEWEST]
SORTS = {
    "newest": NEWEST,
    "price_asc": [_asc("price"), _asc("object_id")],
    "price_desc": [_desc("price"), _desc("object_id")],
    "stars": [_desc("stars"), *NEWEST],
    "bestselling": [_desc("sold_count"), *NEWEST],
}


def window(offset: int, limit: int) -> dict:
    """`from`/`size` kept inside the result window (a page past it is empty, not an error)."""
    start = min(max(offset, 0), MAX_WINDOW)
    return {"from_": start, "size": max(0, min(limit, MAX_WINDOW - start))}


def text_query(terms: list[str]) -> dict:
    """Every term in the title or the text (fuzzily, the first letter exact); phrases and word
    pairs of the title rank higher."""
    if not terms:
        return {"match_all": {}}
    text = " ".join(terms)
    return {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": term,
                        "fields": TEXT_FIELDS,
                        "type": "best_fields",
                        "operator": "and",
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                    }
                }
                for term in terms
            ],
            "should": [
                {"match_phrase": {"title": {"query": text, "boost": 2.0}}},
                {"match": {"title.shingle": {"query": text, "boost": 1.5}}},
            ],
        }
    }


def boosted(query: dict) -> dict:
    return {
        "function_score": {
            "query": query,
            "functions": BOOST_FUNCTIONS,
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }


def counts_request(terms: list[str]) -> dict:
    return {
        "query": text_query(terms),
        "size": 0,
        "aggs": {"kinds": {"terms": {"field": "kind", "size": 50}}},
    }


def search_request(terms: list[str], *, kind: str, offset: int, limit: int) -> dict:
    query = {"bool": {"must": [text_query(terms)], "filter": [{"term": {"kind": kind}}]}}
    return {"query": boosted(query), "sort": BY_SCORE, **window(offset, limit)}


def autocomplete_request(terms: list[str], *, kinds: tuple[str, ...], limit: int) -> dict:
    """Titles holding every term, the last as a word prefix (`bool_prefix`)."""
    match = {
        "multi_match": {
            "query": " ".join(terms),
            "type": "bool_prefix",
            "operator": "and",
            "fields": AUTOCOMPLETE_FIELDS,
        }
    }
    return {
        "query": {"bool": {"must": [match], "filter": [{"terms": {"kind": list(kinds)}}]}},
        "size": limit,
        "source_excludes": ["text"],
    }


# The catalogue --------------------------------------------------------------------------------


def filter_clauses(filters) -> dict[str, dict]:
    """Each active filter as a query clause, keyed by facet (`CatalogueFilters.conditions`)."""
    clauses: dict[str, dict] = {}
    if filters.group_id is not None:
        clauses["group"] = {"term": {"group_id": filters.group_id}}
    if filters.subgroup_id is not None:
        clauses["subgroup"] = {"term": {"subgroup_id": filters.subgroup_id}}
    if filters.stars:
        clauses["stars"] = {"terms": {"stars": list(filters.stars)}}
    if filters.province is not None:
        clauses["province"] = {"term": {"province_id": filters.province}}
    if filters.price_min is not None or filters.price_max is not None:
        bounds = {}
        if filters.price_min is not None:
            bounds["gte"] = filters.price_min
        if filters.price_max is not None:
            bounds["lte"] = filters.price_max
        clauses["price"] = {"range": {"price": bounds}}
    if filters.in_stock:
        clauses["in_stock"] = IN_STOCK
    return clauses


def _all_of(clauses: list[dict]) -> dict:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def price_ranges() -> list[dict]:
    """PRICE_BANDS as `range` aggregation ranges: `to` is exclusive, the bands' high inclusive."""
    ranges = []
    for index, (low, high) in enumerate(PRICE_BANDS.values()):
        band: dict = {"key": f"price_{index}"}
        if low is not None:
            band["from"] = low
        if high is not None:
            band["to"] = high + 1
        ranges.append(band)
    return ranges


def catalogue_aggregations(filters, clauses: dict[str, dict]) -> dict:
    """One `filter` aggregation per facet holding every active filter but the facet's own."""

    def others(*excluded: str) -> list[dict]:
        return [clause for key, clause in clauses.items() if key not in excluded]

    stars = {f"stars_{star}": {"term": {"stars": star}} for star in STARS}
    aggs = {
        "stars": {
            "filter": _all_of(others("stars")),
            "aggs": {"stars": {"filters": {"filters": stars}}},
        },
        "in_stock": {"filter": _all_of([*others("in_stock"), IN_STOCK])},
        "price": {
            "filter": _all_of(others("price")),
            "aggs": {
                "bands": {"range": {"field": "price", "keyed": True, "ranges": price_ranges()}}
            },
        },
        "groups": {
            "filter": _all_of(others("group", "subgroup")),
            "aggs": {"groups": {"terms": {"field": "group_id", "size": FACET_SIZE}}},
        },
        "provinces": {
            "filter": _all_of(others("province")),
            "aggs": {
                "provinces": {
                    "terms": {"field": "province_id", "size": FACET_SIZE},
                    "aggs": {"name": {"terms": {"field": "province_name", "size": 1}}},
                }
            },
        },
    }
    if filters.facet_group_id is not None:
        group = {"term": {"group_id": filters.facet_group_id}}
        aggs["subgroups"] = {
            "filter": _all_of([*others("subgroup"), group]),
            "aggs": {"subgroups": {"terms": {"field": "subgroup_id", "size": FACET_SIZE}}},
        }
    return aggs


def catalogue_request(
    terms: list[str], filters, *, sort: str, offset: int, limit: int, counts: bool = True
) -> dict:
    """Products matching `terms` in `query` (what every facet counts over), the active filters
    in `post_filter` (what the page and the total show); without `counts`, no aggregations."""
    clauses = filter_clauses(filters)
    query: dict = {"bool": {"filter": [{"term": {"kind": PRODUCT}}]}}
    if sort == "relevance" and terms:
        query["bool"]["must"] = [text_query(terms)]
        query, order = boosted(query), BY_SCORE
    else:
        if terms:
            query["bool"]["filter"].append(text_query(terms))
        order = SORTS["stars"] if sort == "relevance" else SORTS.get(sort, SORTS["newest"])
    request = {
        "query": query,
        "sort": order,
        "source": ["object_id"],
        "track_total_hits": counts,
        **window(offset, limit),
    }
    if counts:
        request["aggs"] = catalogue_aggregations(filters, clauses)
    if clauses:
        request["post_filter"] = _all_of(list(clauses.values()))
    return request


# Answers ---------------------------------------------------------------------------------------


def total_hits(response: dict) -> int:
    total = response["hits"]["total"]
    return total["value"] if isinstance(total, dict) else int(total)


def hit(source: dict) -> Hit:
    return Hit(
        key=DocumentKey(source["kind"], int(source["object_id"])),
        title=source.get("title") or "",
        url=source.get("url") or "",
        text=source.get("text") or "",
        meta=source.get("meta") or {},
    )


def hits(response: dict) -> list[Hit]:
    return [hit(h["_source"]) for h in response["hits"]["hits"]]


def kind_counts(response: dict) -> dict[str, int]:
    buckets = response.get("aggregations", {}).get("kinds", {}).get("buckets", [])
    return {b["key"]: b["doc_count"] for b in buckets if b["doc_count"]}


def empty_numbers() -> dict:
    aggregates = {"total": 0, **{f"stars_{star}": 0 for star in STARS}, "in_stock": 0}
    aggregates.update({f"price_{index}": 0 for index in range(len(PRICE_BANDS))})
    return {"aggregates": aggregates, "groups": {}, "provinces": [], "subgroups": {}}


def _buckets(aggs: dict, facet: str) -> list[dict]:
    return aggs.get(facet, {}).get(facet, {}).get("buckets", [])


def catalogue_numbers(response: dict) -> dict:
    """The aggregations of `catalogue_request` in the shape of `catalogue_counts`."""
    numbers = empty_numbers()
    aggs = response.get("aggregations", {})
    aggregates = numbers["aggregates"]
    aggregates["total"] = total_hits(response)
    star_buckets = aggs["stars"]["stars"]["buckets"]
    for star in STARS:
        aggregates[f"stars_{star}"] = star_buckets.get(f"stars_{star}", {}).get("doc_count", 0)
    aggregates["in_stock"] = aggs["in_stock"]["doc_count"]
    bands = aggs["price"]["bands"]["buckets"]
    for index in range(len(PRICE_BANDS)):
        aggregates[f"price_{index}"] = bands.get(f"price_{index}", {}).get("doc_count", 0)
    numbers["groups"] = {int(b["key"]): b["doc_count"] for b in _buckets(aggs, "groups")}
    provinces = []
    for bucket in _buckets(aggs, "provinces"):
        names = bucket.get("name", {}).get("buckets", [])
        name = names[0]["key"] if names else ""
        provinces.append((int(bucket["key"]), name, bucket["doc_count"]))
    numbers["provinces"] = sorted(provinces, key=lambda p: (p[1], p[0]))
    numbers["subgroups"] = {int(b["key"]): b["doc_count"] for b in _buckets(aggs, "subgroups")}
    return numbers


def catalogue_ids(response: dict) -> list[int]:
    return [int(h["_source"]["object_id"]) for h in response["hits"]["hits"]]
