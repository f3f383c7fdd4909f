"""The Elasticsearch engine as the server sees it: the requests the real client sends (through
its own serialisation) to a local stand-in server, and the reading of canned answers. No
Elasticsearch runs here; tests/search/test_behaviour.py runs against one when
ELASTICSEARCH_URL is set."""

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import override_settings

from marketplace.selectors.catalogue import PRICE_BANDS, CatalogueFilters
from search.documents import PRODUCT, DocumentKey, SearchDocument
from search.engines.base import CatalogueHits, EngineUnavailable, Hit
from search.engines.elasticsearch import ElasticsearchEngine, wagtail_index_settings

from .es_server import (
    FakeElasticsearch,
    Router,
    bulk_reply,
    closed_port_url,
    index_not_found,
)

ALIAS = "test_site"
CONCRETE = r"/test_site-\d{20}"
ACK = (200, {"acknowledged": True})


def engine_for(url: str) -> ElasticsearchEngine:
    with override_settings(
        ELASTICSEARCH_URL=url, ELASTICSEARCH_INDEX_PREFIX="test_", ELASTICSEARCH_TIMEOUT=2
    ):
        return ElasticsearchEngine.from_settings()


@pytest.fixture
def router():
    return Router()


@pytest.fixture
def server(router):
    with FakeElasticsearch(router) as fake:
        yield fake
    assert not fake.errors


@pytest.fixture
def engine(server):
    return engine_for(server.url)


def search_answer(sources: list[dict], *, total: int | None = None, aggregations=None) -> tuple:
    answer = {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": len(sources) if total is None else total, "relation": "eq"},
            "hits": [{"_index": "test_site-1", "_score": 1.0, "_source": s} for s in sources],
        },
    }
    if aggregations is not None:
        answer["aggregations"] = aggregations
    return 200, answer


def product(object_id: int, title: str, **fields) -> SearchDocument:
    return SearchDocument(
        kind=PRODUCT, object_id=object_id, title=title, url=f"/p/{object_id}/", **fields
    )


# Rebuild ---------------------------------------------------------------------------------------


def rebuild_routes(router: Router, *, old: list[str]) -> Router:
    aliases = {name: {"aliases": {ALIAS: {}}} for name in old}
    return (
        router.add("PUT", CONCRETE, ACK)
        .add("PUT", "/_bulk", bulk_reply)
        .add("POST", "/_bulk", bulk_reply)
        .add("POST", CONCRETE + "/_refresh", (200, {"_shards": {"total": 1, "successful": 1}}))
        .add("GET", f"/_alias/{ALIAS}", (200, aliases) if old else index_not_found(ALIAS))
        .add("POST", "/_aliases", ACK)
        .add("DELETE", "/.*", ACK)
    )


def test_rebuild_creates_the_index_with_folding_analyzers_and_typed_fields(router, server, engine):
    rebuild_routes(router, old=[])
    engine.rebuild([product(1, "Trà Shan tuyết")], progress=lambda n: None)

    (created,) = server.find("PUT", CONCRETE)
    body = created.json()
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["vi_folding"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }
    assert analysis["analyzer"]["vi_shingle"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding", "vi_shingles"],
    }
    assert analysis["filter"]["vi_shingles"] == {
        "type": "shingle",
        "min_shingle_size": 2,
        "max_shingle_size": 3,
        "output_unigrams": False,
    }
    assert body["settings"]["number_of_shards"] == 1
    mappings = body["mappings"]
    assert mappings["dynamic"] == "strict"
    fields = mappings["properties"]
    assert fields["title"] == {
        "type": "text",
        "analyzer": "vi_folding",
        "fields": {
            "autocomplete": {"type": "search_as_you_type", "analyzer": "vi_folding"},
            "shingle": {"type": "text", "analyzer": "vi_shingle"},
        },
    }
    assert fields["text"] == {"type": "text", "analyzer": "vi_folding"}
    assert fields["url"] == {"type": "keyword", "index": False}
    assert fields["meta"] == {"type": "object", "enabled": False}
    assert fields["published_at"] == {"type": "date"}
    assert {name: f["type"] for name, f in fields.items() if name not in {"title", "text"}} == {
        "kind": "keyword",
        "object_id": "long",
        "url": "keyword",
        "meta": "object",
        "published_at": "date",
        "group_id": "integer",
        "subgroup_id": "integer",
        "stars": "integer",
        "province_id": "integer",
        "province_name": "keyword",
        "price": "long",
        "stock": "integer",
        "sold_count": "integer",
    }
    # No alias yet: the new index gets it in the one `_aliases` call; nothing to delete.
    assert "aliases" not in body
    (switch,) = server.find("POST", "/_aliases")
    assert switch.json()["actions"] == [{"add": {"index": created.path[1:], "alias": ALIAS}}]
    assert not server.find("DELETE", ".*")


def test_rebuild_loads_in_chunks_then_switches_the_alias_and_deletes_the_old_indices(
    router, server, engine
):
    rebuild_routes(router, old=["test_site-old1", "test_site-old2"])
    published = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
    documents = [
        product(
            1,
            "Cà phê Đắk Lắk rang xay",
            text="Đặc sản Tây Nguyên",
            published_at=published,
            meta={"producer": "HTX Ê Đê"},
            group_id=2,
            subgroup_id=7,
            stars=5,
            province_id=66,
            province_name="Đắk Lắk",
            price=150_000,
            stock=3,
            sold_count=10,
        ),
        *(product(i, f"Sản phẩm {i}") for i in range(2, 1202)),
    ]
    seen = []

    count = engine.rebuild(iter(documents), progress=seen.append)

    assert count == 1201
    assert seen == [500, 1000, 1201]
    methods = [
        (r.method, r.path.split("-")[0] if r.path.startswith("/test_site-") else r.path)
        for r in server.requests
    ]
    assert methods == [
        ("PUT", "/test_site"),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("POST", "/test_site"),
        ("GET", "/_alias/test_site"),
        ("POST", "/_aliases"),
        ("DELETE", "/test_site"),
    ]
    new_index = server.requests[0].path[1:]
    assert server.requests[4].path == f"/{new_index}/_refresh"

    bulks = server.find("PUT", "/_bulk")
    lines = bulks[0].ndjson()
    assert len(lines) == 1000 and len(bulks[2].ndjson()) == 2 * 201
    assert lines[0] == {"index": {"_index": new_index, "_id": "product:1"}}
    assert lines[1] == {
        "kind": "product",
        "object_id": 1,
        "title": "Cà phê Đắk Lắk rang xay",
        "text": "Đặc sản Tây Nguyên",
        "url": "/p/1/",
        "meta": {"producer": "HTX Ê Đê"},
        "published_at": "2025-03-01T08:30:00+00:00",
        "group_id": 2,
        "subgroup_id": 7,
        "stars": 5,
        "province_id": 66,
        "province_name": "Đắk Lắk",
        "price": 150_000,
        "stock": 3,
        "sold_count": 10,
    }
    # UTF-8 on the wire, not \u escapes.
    assert "Cà phê Đắk Lắk rang xay".encode() in bulks[0].body
    assert lines[2] == {"index": {"_index": new_index, "_id": "product:2"}}

    (switch,) = server.find("POST", "/_aliases")
    assert switch.json() == {
        "actions": [
            {"remove": {"index": "test_site-old1", "alias": ALIAS}},
            {"remove": {"index": "test_site-old2", "alias": ALIAS}},
            {"add": {"index": new_index, "alias": ALIAS}},
        ]
    }
    (deleted,) = server.find("DELETE", ".*")
    assert deleted.path == "/test_site-old1,test_site-old2"


def test_a_failed_rebuild_deletes_its_new_index_and_keeps_the_alias(router, server, engine):
    rebuild_routes(router, old=["test_site-old"])
    router.add("PUT", "/_bulk", (503, {"error": "unavailable", "status": 503}))

    with pytest.raises(EngineUnavailable):
        engine.rebuild([product(1, "Mật ong")], progress=lambda n: None)

    assert not server.find("POST", "/_aliases")
    (deleted,) = server.find("DELETE", ".*")
    assert deleted.path == server.find("PUT", CONCRETE)[0].path


# Writes ----------------------------------------------------------------------------------------


def test_upsert_writes_through_the_alias_and_delete_ignores_missing_documents(
    router, server, engine
):
    router.add("PUT", "/_bulk", bulk_reply)

    def deleted(body):
        (line,) = body
        item = {"_index": "test_site-1", "_id": line["delete"]["_id"], "status": 404}
        return 200, {"errors": True, "items": [{"delete": {**item, "result": "not_found"}}]}

    engine.upsert([product(3, "Nước mắm Phú Quốc")])
    router.add("PUT", "/_bulk", deleted)
    engine.delete([DocumentKey(PRODUCT, 3)])

    upsert, delete = server.requests
    assert upsert.query == {"require_alias": ["true"]}
    assert upsert.ndjson()[0] == {"index": {"_index": ALIAS, "_id": "product:3"}}
    assert delete.ndjson() == [{"delete": {"_index": ALIAS, "_id": "product:3"}}]
    assert delete.query == {"require_alias": ["true"]}


def test_upsert_without_any_index_creates_one_behind_the_alias(router, server, engine):
    def missing_alias(body):
        item = {"_index": ALIAS, "_id": "product:3", "status": 404}
        item["error"] = {"type": "index_not_found_exception", "reason": "no such index"}
        return 200, {"errors": True, "items": [{"index": item}]}

    def created(body):
        router.add("PUT", "/_bulk", bulk_reply)  # the alias exists from now on
        return ACK

    router.add("PUT", "/_bulk", missing_alias).add("PUT", CONCRETE, created)

    engine.upsert([product(3, "Nước mắm Phú Quốc")])

    assert [r.method for r in server.requests] == ["PUT", "PUT", "PUT"]
    created = server.requests[1].json()
    assert created["aliases"] == {ALIAS: {"is_write_index": True}}
    assert "vi_folding" in created["settings"]["analysis"]["analyzer"]
    assert server.requests[2].path == "/_bulk"


# Reads -----------------------------------------------------------------------------------------


def test_search_sends_a_fuzzy_all_terms_query_boosted_by_stars_and_stock(router, server, engine):
    published = "2025-01-02T03:04:05+00:00"
    router.add(
        "POST",
        f"/{ALIAS}/_search",
        search_answer(
            [
                {
                    "kind": "product",
                    "object_id": 12,
                    "title": "Cà phê Buôn Ma Thuột",
                    "url": "/p/12/",
                    "text": "Rang mộc",
                    "meta": {"price": "120.000 ₫"},
                    "published_at": published,
                },
                {"kind": "product", "object_id": 5, "title": "Cà phê sữa", "url": "/p/5/"},
            ]
        ),
    )

    hits = engine.search(["ca", "phe"], kind=PRODUCT, offset=20, limit=10)

    assert hits == [
        Hit(
            key=DocumentKey(PRODUCT, 12),
            title="Cà phê Buôn Ma Thuột",
            url="/p/12/",
            text="Rang mộc",
            meta={"price": "120.000 ₫"},
        ),
        Hit(key=DocumentKey(PRODUCT, 5), title="Cà phê sữa", url="/p/5/"),
    ]
    (request,) = server.requests
    body = request.json()
    assert (body["from"], body["size"]) == (20, 10)
    assert body["sort"] == [
        {"_score": {"order": "desc"}},
        {"published_at": {"order": "desc"}},
        {"object_id": {"order": "desc"}},
    ]
    scored = body["query"]["function_score"]
    assert scored["functions"] == [
        {"filter": {"term": {"stars": 5}}, "weight": 1.2},
        {"filter": {"term": {"stars": 4}}, "weight": 1.1},
        {"filter": {"term": {"stock": 0}}, "weight": 0.85},
    ]
    assert (scored["score_mode"], scored["boost_mode"]) == ("multiply", "multiply")
    query = scored["query"]["bool"]
    assert query["filter"] == [{"term": {"kind": "product"}}]
    (text,) = query["must"]
    assert [clause["multi_match"] for clause in text["bool"]["must"]] == [
        {
            "query": term,
            "fields": ["title^3", "text"],
            "type": "best_fields",
            "operator": "and",
            "fuzziness": "AUTO",
            "prefix_length": 1,
        }
        for term in ("ca", "phe")
    ]
    assert text["bool"]["should"] == [
        {"match_phrase": {"title": {"query": "ca phe", "boost": 2.0}}},
        {"match": {"title.shingle": {"query": "ca phe", "boost": 1.5}}},
    ]


def test_counts_aggregates_kinds(router, server, engine):
    buckets = [{"key": "product", "doc_count": 4}, {"key": "news", "doc_count": 2}]
    answer = search_answer([], total=6, aggregations={"kinds": {"buckets": buckets}})
    router.add("POST", f"/{ALIAS}/_search", answer)

    assert engine.counts(["mat", "ong"]) == {"product": 4, "news": 2}
    body = server.requests[0].json()
    assert body["size"] == 0
    assert body["aggs"] == {"kinds": {"terms": {"field": "kind", "size": 50}}}
    assert len(body["query"]["bool"]["must"]) == 2


def test_autocomplete_sends_bool_prefix_over_the_title_subfields(router, server, engine):
    source = {"kind": "producer", "object_id": 8, "title": "HTX Trà Tân Cương", "url": "/h/8/"}
    router.add("POST", f"/{ALIAS}/_search", search_answer([source]))

    hits = engine.autocomplete(["tra", "tan", "cu"], kinds=("product", "producer"), limit=7)

    assert hits == [Hit(key=DocumentKey("producer", 8), title="HTX Trà Tân Cương", url="/h/8/")]
    (request,) = server.requests
    assert request.query == {"_source_excludes": ["text"]}
    body = request.json()
    assert body["size"] == 7
    assert body["query"] == {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": "tra tan cu",
                        "type": "bool_prefix",
                        "operator": "and",
                        "fields": [
                            "title.autocomplete",
                            "title.autocomplete._2gram",
                            "title.autocomplete._3gram",
                        ],
                    }
                }
            ],
            "filter": [{"terms": {"kind": ["product", "producer"]}}],
        }
    }


# The catalogue ---------------------------------------------------------------------------------

ALL_FILTERS = CatalogueFilters(
    group_id=1,
    subgroup_id=11,
    stars=(4, 5),
    province=79,
    price_min=100_000,
    price_max=299_999,
    in_stock=True,
    facet_group_id=1,
)
CLAUSES = {
    "group": {"term": {"group_id": 1}},
    "subgroup": {"term": {"subgroup_id": 11}},
    "stars": {"terms": {"stars": [4, 5]}},
    "province": {"term": {"province_id": 79}},
    "price": {"range": {"price": {"gte": 100_000, "lte": 299_999}}},
    "in_stock": {"range": {"stock": {"gt": 0}}},
}


def others(*excluded: str) -> list[dict]:
    return [clause for key, clause in CLAUSES.items() if key not in excluded]


def catalogue_aggregations() -> dict:
    """A canned answer to the catalogue's aggregations."""
    return {
        "stars": {
            "doc_count": 9,
            "stars": {
                "buckets": {
                    "stars_3": {"doc_count": 2},
                    "stars_4": {"doc_count": 3},
                    "stars_5": {"doc_count": 4},
                }
            },
        },
        "in_stock": {"doc_count": 6},
        "price": {
            "doc_count": 8,
            "bands": {
                "buckets": {
                    "price_0": {"to": 100000.0, "doc_count": 1},
                    "price_1": {"from": 100000.0, "to": 300000.0, "doc_count": 5},
                    "price_2": {"from": 300000.0, "to": 500000.0, "doc_count": 0},
                    "price_3": {"from": 500000.0, "doc_count": 2},
                }
            },
        },
        "groups": {
            "doc_count": 12,
            "groups": {"buckets": [{"key": 1, "doc_count": 7}, {"key": 3, "doc_count": 5}]},
        },
        "provinces": {
            "doc_count": 7,
            "provinces": {
                "buckets": [
                    {
                        "key": 79,
                        "doc_count": 4,
                        "name": {"buckets": [{"key": "Thành phố Hồ Chí Minh", "doc_count": 4}]},
                    },
                    {
                        "key": 1,
                        "doc_count": 2,
                        "name": {"buckets": [{"key": "Thành phố Hà Nội", "doc_count": 2}]},
                    },
                    {
                        "key": 66,
                        "doc_count": 1,
                        "name": {"buckets": [{"key": "Đắk Lắk", "doc_count": 1}]},
                    },
                ]
            },
        },
        "subgroups": {
            "doc_count": 5,
            "subgroups": {"buckets": [{"key": 11, "doc_count": 3}, {"key": 12, "doc_count": 2}]},
        },
    }


def test_catalogue_puts_filters_in_post_filter_and_excludes_each_facet_from_its_count(
    router, server, engine
):
    router.add(
        "POST",
        f"/{ALIAS}/_search",
        search_answer(
            [{"object_id": 31}, {"object_id": 30}],
            total=4,
            aggregations=catalogue_aggregations(),
        ),
    )

    result = engine.catalogue(["tra"], ALL_FILTERS, sort="price_asc", offset=24, limit=24)

    assert result.ids == [31, 30]
    (request,) = server.requests
    assert request.path == f"/{ALIAS}/_search"
    body = request.json()
    assert body["post_filter"] == {"bool": {"filter": list(CLAUSES.values())}}
    assert body["track_total_hits"] is True
    assert body["_source"] == ["object_id"]
    assert (body["from"], body["size"]) == (24, 24)
    assert body["sort"] == [{"price": {"order": "asc"}}, {"object_id": {"order": "asc"}}]
    # The text (and the kind) in `query`, so that every facet counts over it; no scoring.
    query = body["query"]["bool"]
    assert query["filter"][0] == {"term": {"kind": "product"}}
    assert query["filter"][1]["bool"]["must"][0]["multi_match"]["query"] == "tra"
    assert "must" not in query

    aggs = body["aggs"]
    assert aggs["stars"] == {
        "filter": {"bool": {"filter": others("stars")}},
        "aggs": {
            "stars": {
                "filters": {"filters": {f"stars_{s}": {"term": {"stars": s}} for s in (3, 4, 5)}}
            }
        },
    }
    assert aggs["in_stock"] == {
        "filter": {"bool": {"filter": [*others("in_stock"), {"range": {"stock": {"gt": 0}}}]}}
    }
    assert aggs["price"]["filter"] == {"bool": {"filter": others("price")}}
    assert aggs["price"]["aggs"]["bands"]["range"] == {
        "field": "price",
        "keyed": True,
        "ranges": [
            {"key": "price_0", "to": 100_000},
            {"key": "price_1", "from": 100_000, "to": 300_000},
            {"key": "price_2", "from": 300_000, "to": 500_000},
            {"key": "price_3", "from": 500_000},
        ],
    }
    # The bands are PRICE_BANDS, with the inclusive high bound made exclusive.
    ranges = aggs["price"]["aggs"]["bands"]["range"]["ranges"]
    assert [(r.get("from"), r.get("to")) for r in ranges] == [
        (low, None if high is None else high + 1) for low, high in PRICE_BANDS.values()
    ]
    assert aggs["groups"] == {
        "filter": {"bool": {"filter": others("group", "subgroup")}},
        "aggs": {"groups": {"terms": {"field": "group_id", "size": 100}}},
    }
    assert aggs["provinces"]["filter"] == {"bool": {"filter": others("province")}}
    assert aggs["provinces"]["aggs"]["provinces"] == {
        "terms": {"field": "province_id", "size": 100},
        "aggs": {"name": {"terms": {"field": "province_name", "size": 1}}},
    }
    assert aggs["subgroups"] == {
        "filter": {"bool": {"filter": [*others("subgroup"), {"term": {"group_id": 1}}]}},
        "aggs": {"subgroups": {"terms": {"field": "subgroup_id", "size": 100}}},
    }


def test_catalogue_reads_aggregations_in_the_shape_of_catalogue_counts(router, server, engine):
    answer = search_answer(
        [{"object_id": 31}, {"object_id": 30}], total=4, aggregations=catalogue_aggregations()
    )
    router.add("POST", f"/{ALIAS}/_search", answer)

    result = engine.catalogue(["tra"], ALL_FILTERS, sort="newest", offset=0, limit=24)

    assert result == CatalogueHits(
        ids=[31, 30],
        numbers={
            "aggregates": {
                "total": 4,
                "stars_3": 2,
                "stars_4": 3,
                "stars_5": 4,
                "in_stock": 6,
                "price_0": 1,
                "price_1": 5,
                "price_2": 0,
                "price_3": 2,
            },
            "groups": {1: 7, 3: 5},
            "provinces": [
                (1, "Thành phố Hà Nội", 2),
                (79, "Thành phố Hồ Chí Minh", 4),
                (66, "Đắk Lắk", 1),
            ],
            "subgroups": {11: 3, 12: 2},
        },
    )
    assert list(result.numbers["aggregates"]) == [
        "total",
        "stars_3",
        "stars_4",
        "stars_5",
        "in_stock",
        "price_0",
        "price_1",
        "price_2",
        "price_3",
    ]


def test_catalogue_without_filters_or_text(router, server, engine):
    aggregations = catalogue_aggregations()
    del aggregations["subgroups"]
    router.add("POST", f"/{ALIAS}/_search", search_answer([], total=0, aggregations=aggregations))

    result = engine.catalogue([], CatalogueFilters(), sort="relevance", offset=0, limit=12)

    assert result.numbers["subgroups"] == {}
    body = server.requests[0].json()
    assert "post_filter" not in body
    assert body["query"] == {"bool": {"filter": [{"term": {"kind": "product"}}]}}
    assert body["aggs"]["stars"]["filter"] == {"match_all": {}}
    assert "subgroups" not in body["aggs"]
    # Relevance without text: stars first, as the database engine.
    assert body["sort"][0] == {"stars": {"order": "desc"}}


def test_catalogue_relevance_scores_with_the_boosts(router, server, engine):
    router.add(
        "POST",
        f"/{ALIAS}/_search",
        search_answer([], total=0, aggregations=catalogue_aggregations()),
    )

    engine.catalogue(["mat", "ong"], ALL_FILTERS, sort="relevance", offset=0, limit=12)

    body = server.requests[0].json()
    scored = body["query"]["function_score"]
    assert [f["weight"] for f in scored["functions"]] == [1.2, 1.1, 0.85]
    assert len(scored["query"]["bool"]["must"][0]["bool"]["must"]) == 2
    assert body["sort"][0] == {"_score": {"order": "desc"}}


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("newest", {"published_at": {"order": "desc"}}),
        ("price_desc", {"price": {"order": "desc"}}),
        ("stars", {"stars": {"order": "desc"}}),
        ("bestselling", {"sold_count": {"order": "desc"}}),
        ("no-such-sort", {"published_at": {"order": "desc"}}),
    ],
)
def test_catalogue_sorts(router, server, engine, sort, first):
    answer = search_answer([], total=0, aggregations=catalogue_aggregations())
    router.add("POST", f"/{ALIAS}/_search", answer)

    engine.catalogue([], CatalogueFilters(), sort=sort, offset=0, limit=12)

    order = server.requests[0].json()["sort"]
    assert order[0] == first
    assert order[-1]["object_id"]["order"] in {"asc", "desc"}


# Failures --------------------------------------------------------------------------------------


def test_an_overloaded_server_is_unavailable(router, server, engine):
    router.add("POST", f"/{ALIAS}/_search", (503, {"error": "overloaded", "status": 503}))

    with pytest.raises(EngineUnavailable):
        engine.counts(["tra"])


def test_a_closed_port_is_unavailable():
    engine = engine_for(closed_port_url())

    with pytest.raises(EngineUnavailable):
        engine.search(["tra"], kind=PRODUCT, offset=0, limit=10)
    with pytest.raises(EngineUnavailable):
        engine.upsert([product(1, "Trà")])


def test_a_bad_request_is_unavailable(router, server, engine):
    error = {"type": "search_phase_execution_exception", "reason": "all shards failed"}
    router.add("POST", f"/{ALIAS}/_search", (400, {"error": error, "status": 400}))

    with pytest.raises(EngineUnavailable):
        engine.search(["tra"], kind=PRODUCT, offset=0, limit=10)


def test_reads_before_any_rebuild_find_nothing(router, server, engine):
    router.add("POST", f"/{ALIAS}/_search", index_not_found(ALIAS))

    assert engine.counts(["tra"]) == {}
    assert engine.search(["tra"], kind=PRODUCT, offset=0, limit=10) == []
    assert engine.autocomplete(["tra"], kinds=(PRODUCT,), limit=5) == []
    empty = engine.catalogue(["tra"], ALL_FILTERS, sort="newest", offset=0, limit=24)
    assert empty.ids == []
    assert empty.numbers["aggregates"] == dict.fromkeys(
        ["total", "stars_3", "stars_4", "stars_5", "in_stock"] + [f"price_{i}" for i in range(4)],
        0,
    )
    assert (empty.numbers["groups"], empty.numbers["provinces"]) == ({}, [])
    assert engine.indexed_keys() == set()


def test_a_404_that_is_not_a_missing_index_is_unavailable(router, server, engine):
    router.add("POST", f"/{ALIAS}/_search", (404, {"error": "no handler found", "status": 404}))

    with pytest.raises(EngineUnavailable):
        engine.counts(["tra"])


def test_indexed_keys_scrolls_the_alias(router, server, engine):
    page = search_answer([{"kind": "product", "object_id": 1}, {"kind": "news", "object_id": 2}])[1]
    page["_scroll_id"] = "scroll-1"
    page["_shards"] = {"total": 1, "successful": 1, "skipped": 0}
    done = {**search_answer([])[1], "_scroll_id": "scroll-1", "_shards": page["_shards"]}
    router.add("POST", f"/{ALIAS}/_search", (200, page))
    router.add("POST", "/_search/scroll", (200, done))
    router.add("DELETE", "/_search/scroll", (200, {"succeeded": True}))

    assert engine.indexed_keys() == {DocumentKey("product", 1), DocumentKey("news", 2)}
    first = server.requests[0]
    assert first.query["scroll"] == ["2m"]
    assert first.json()["_source"] == ["kind", "object_id"]


# Wagtail's search ------------------------------------------------------------------------------


def test_wagtail_index_settings_fold_accents_in_every_analyzer():
    from modelsearch.backends.elasticsearch9 import SearchBackend

    analyzers = wagtail_index_settings()["settings"]["analysis"]["analyzer"]
    assert set(analyzers) == {"ngram_analyzer", "edgengram_analyzer", "default"}
    for analyzer in analyzers.values():
        assert analyzer["tokenizer"] == "standard"
        assert analyzer["filter"][:2] == ["lowercase", "asciifolding"]

    # As modelsearch merges them into its own: the lists replace its defaults, the rest stays.
    backend = SearchBackend(
        {"URLS": [closed_port_url()], "INDEX_SETTINGS": wagtail_index_settings()}
    )
    analysis = backend.settings["settings"]["analysis"]
    assert analysis["analyzer"]["ngram_analyzer"]["filter"] == [
        "lowercase",
        "asciifolding",
        "ngram",
    ]
    assert analysis["analyzer"]["edgengram_analyzer"]["filter"] == [
        "lowercase",
        "asciifolding",
        "edgengram",
    ]
    assert analysis["analyzer"]["default"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }
    assert analysis["filter"]["ngram"] == {"type": "ngram", "min_gram": 3, "max_gram": 15}
    assert backend.settings["settings"]["index"] == {"max_ngram_diff": 12}
    # A second backend gets the defaults again: the merge did not touch the class's settings.
    assert SearchBackend.settings["settings"]["analysis"]["analyzer"].keys() == {
        "ngram_analyzer",
        "edgengram_analyzer",
    }


def test_the_index_definitions_import_without_django_settings():
    root = Path(__file__).resolve().parents[2]
    code = (
        "from search.engines.es_documents import wagtail_index_settings;"
        "print(sorted(wagtail_index_settings()['settings']['analysis']['analyzer']))"
    )
    env = {"PATH": "", "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default', 'edgengram_analyzer', 'ngram_analyzer']"
