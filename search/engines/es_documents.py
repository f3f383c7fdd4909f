"""The Elasticsearch index: one document per `SearchDocument`, all kinds in one index, read and
written through the alias `<prefix>site` over concrete indices `<prefix>site-<timestamp>`.

Text is folded by `asciifolding` after `lowercase` (đ -> d, ế -> e), the same keys as
`search.folding.fold`. Nothing here reads Django settings: the settings module imports
`wagtail_index_settings` while it is being loaded."""

from datetime import UTC, datetime

from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    MetaField,
    Object,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

ALIAS_SUFFIX = "site"
# Filters of every analyzer that folds: lower case first, then strip marks (no original kept).
FOLDING_FILTERS = ("lowercase", "asciifolding")

vi_folding = analyzer("vi_folding", tokenizer="standard", filter=list(FOLDING_FILTERS))
# Word pairs and triples of titles, so that names of several words rank as a whole.
vi_shingles = token_filter(
    "vi_shingles", "shingle", min_shingle_size=2, max_shingle_size=3, output_unigrams=False
)
vi_shingle = analyzer("vi_shingle", tokenizer="standard", filter=[*FOLDING_FILTERS, vi_shingles])

INDEX_SETTINGS = {
    # One shard: a small index, and term statistics (hence scores) over every document.
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",
}


class SiteDocument(Document):
    kind = Keyword()
    object_id = Long()
    title = Text(
        analyzer=vi_folding,
        fields={
            "autocomplete": SearchAsYouType(analyzer=vi_folding),
            "shingle": Text(analyzer=vi_shingle),
        },
    )
    text = Text(analyzer=vi_folding)
    url = Keyword(index=False)
    meta = Object(enabled=False)
    published_at = Date()
    group_id = Integer()
    subgroup_id = Integer()
    stars = Integer()
    province_id = Integer()
    province_name = Keyword()
    price = Long()
    stock = Integer()
    sold_count = Integer()

    class Meta:
        dynamic = MetaField("strict")


SOURCE_FIELDS = (
    "kind",
    "object_id",
    "title",
    "text",
    "url",
    "meta",
    "published_at",
    "group_id",
    "subgroup_id",
    "stars",
    "province_id",
    "province_name",
    "price",
    "stock",
    "sold_count",
)


def alias_name(prefix: str) -> str:
    return f"{prefix}{ALIAS_SUFFIX}"


def new_index_name(prefix: str, now: datetime | None = None) -> str:
    """A concrete index name, `<prefix>site-<UTC timestamp to the microsecond>`."""
    now = now or datetime.now(UTC)
    return f"{alias_name(prefix)}-{now.strftime('%Y%m%d%H%M%S%f')}"


def index_body(name: str) -> dict:
    """The settings (analysis included) and mappings of a new concrete index `name`."""
    index = Index(name)
    index.settings(**INDEX_SETTINGS)
    index.document(SiteDocument)
    return index.to_dict()


def document_id(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def document_source(document) -> dict:
    """The `_source` of a `SearchDocument` (text as written; the analyzers fold it)."""
    return {name: getattr(document, name) for name in SOURCE_FIELDS}


# Wagtail's own search on Elasticsearch --------------------------------------------------------

_WAGTAIL_ANALYZERS = {
    "ngram_analyzer": [*FOLDING_FILTERS, "ngram"],
    "edgengram_analyzer": [*FOLDING_FILTERS, "edgengram"],
    # Every text field without an analyzer of its own (modelsearch's search fields).
    "default": list(FOLDING_FILTERS),
}


def wagtail_index_settings() -> dict:
    """`INDEX_SETTINGS` for `modelsearch.backends.elasticsearch9`: its analyzers fold like ours.

    modelsearch deep-merges this into its class `settings` (`modelsearch.utils.deep_update`):
    dictionaries merge key by key, lists replace. So each analyzer's `filter` list below replaces
    the default one whole, the `ngram`/`edgengram` token filters it names stay modelsearch's,
    and `default` is added."""
    analyzers = {
        name: {"type": "custom", "tokenizer": "standard", "filter": list(filters)}
        for name, filters in _WAGTAIL_ANALYZERS.items()
    }
    return {"settings": {"analysis": {"analyzer": analyzers}}}
