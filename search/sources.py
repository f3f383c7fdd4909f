"""Documents from the apps: what each public page, product and producer looks like to the
search. Reads go through the apps' selectors and Wagtail's own `search_fields`."""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

from marketplace.models import Producer, Product
from marketplace.selectors.products import producers_public, products_public
from portal.core.money import format_vnd

from .documents import CONTEST, COURSE, NEWS, PAGE, PRODUCER, PRODUCT, DocumentKey, SearchDocument

# Page types that are not documents of their own: the tree's root and lessons (they are read
# inside their course, by enrolled staff).
SKIPPED_PAGE_MODELS = {"wagtailcore.page", "courses.lessonpage", "home.homepage"}
BATCH = 500


def page_kind(page) -> str:
    label = page._meta.label_lower
    return {
        "news.articlepage": NEWS,
        "courses.coursepage": COURSE,
        "quizzes.contestpage": CONTEST,
    }.get(label, PAGE)


def _flatten(value) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, str):
        yield strip_tags(value)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    elif hasattr(value, "all") and callable(value.all):  # tags and other managers
        for item in value.all():
            yield str(item)
    else:
        yield strip_tags(str(value))


def _page_text(page) -> str:
    parts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            parts.extend(_flatten(field.get_value(page)))
    if page.search_description:
        parts.append(page.search_description)
    return " ".join(p for p in parts if p)


def _aware(moment) -> datetime.datetime | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return moment
    return timezone.make_aware(datetime.datetime.combine(moment, datetime.time(7)))


def _page_document(page) -> SearchDocument:
    kind = page_kind(page)
    meta = {}
    published = page.first_published_at
    if kind == NEWS:
        published = _aware(page.publish_date)
    elif kind == COURSE:
        meta["hours"] = str(page.estimated_hours)
        meta["level"] = str(page.get_level_display())
    return SearchDocument(
        kind=kind,
        object_id=page.pk,
        title=page.title,
        url=page.get_url() or page.url_path,
        text=_page_text(page),
        published_at=published,
        meta=meta,
    )


def _pages():
    skipped = [m.lower() for m in SKIPPED_PAGE_MODELS]
    pages = Page.objects.live().public().filter(depth__gt=1)
    for label in skipped:
        app_label, model = label.split(".")
        pages = pages.exclude(content_type__app_label=app_label, content_type__model=model)
    return pages


def _path(name: str, slug: str) -> str:
    """The public address in the site's language (what search results link to)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs={"slug": slug})


def _product_document(product: Product) -> SearchDocument:
    return SearchDocument(
        kind=PRODUCT,
        object_id=product.pk,
        title=product.name,
        url=_path("marketplace:product", product.slug),
        text=" ".join(
            filter(
                None,
                # The description first (snippets are cut around the first match). No OCOP
                # group names: they are filters, and as words they would match every product
                # of a group ("mật ong" is in the name of the processed-food sub-group).
                [
                    product.description,
                    product.producer.name,
                    product.province.name if product.province else "",
                ],
            )
        ),
        published_at=product.published_at,
        meta={
            "price": format_vnd(product.price),
            "stars": product.stars,
            "producer": product.producer.name,
        },
        group_id=product.group_id,
        subgroup_id=product.subgroup_id,
        stars=product.stars,
        province_id=product.province_id,
        province_name=product.province.name if product.province else "",
        price=product.price,
        stock=product.stock,
        sold_count=product.sold_count,
    )


def _products():
    return products_public().select_related("producer", "province")


def _producer_document(producer: Producer) -> SearchDocument:
    place = producer.province.name if producer.province else ""
    return SearchDocument(
        kind=PRODUCER,
        object_id=producer.pk,
        title=producer.name,
        url=_path("marketplace:producer", producer.slug),
        text=" ".join(
            filter(None, [str(producer.get_kind_display()), place, producer.description])
        ),
        published_at=producer.verified_at,
        meta={"place": place, "type": str(producer.get_kind_display())},
    )


def _producers():
    return producers_public().select_related("province")


def documents_count() -> dict[str, int]:
    """How many documents a rebuild indexes, by source (for the progress bar)."""
    return {
        "pages": _pages().count(),
        PRODUCT: _products().count(),
        PRODUCER: _producers().count(),
    }


def documents_all() -> Iterator[SearchDocument]:
    """Every public document, in batches of queries (pages are loaded as their specific type)."""
    for page in _pages().specific().iterator(chunk_size=BATCH):
        yield _page_document(page)
    for product in _products().order_by("pk").iterator(chunk_size=BATCH):
        yield _product_document(product)
    for producer in _producers().order_by("pk").iterator(chunk_size=BATCH):
        yield _producer_document(producer)


def documents_for(keys: Iterable[DocumentKey]) -> tuple[list[SearchDocument], list[DocumentKey]]:
    """The current documents of `keys`, and the keys that are no longer public (to remove)."""
    keys = set(keys)
    by_kind: dict[str, set[int]] = {}
    for key in keys:
        by_kind.setdefault(key.kind, set()).add(key.object_id)
    documents: list[SearchDocument] = []
    page_ids = set().union(
        *(ids for kind, ids in by_kind.items() if kind not in (PRODUCT, PRODUCER))
    )
    if page_ids:
        documents += [_page_document(p) for p in _pages().filter(pk__in=page_ids).specific()]
    if by_kind.get(PRODUCT):
        documents += [_product_document(p) for p in _products().filter(pk__in=by_kind[PRODUCT])]
    if by_kind.get(PRODUCER):
        documents += [_producer_document(p) for p in _producers().filter(pk__in=by_kind[PRODUCER])]
    found = {d.key for d in documents}
    return documents, sorted(keys - found, key=str)
