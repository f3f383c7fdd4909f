"""The public catalogue: filters, disjunctive facet counts, sorting and pagination.

Views ask `catalogue_search(query)`; the engine is named by `settings.MARKETPLACE_CATALOGUE_ENGINE`
so that the search app can plug in its own (Elasticsearch) behind the same `CatalogueEngine`
protocol. `DatabaseCatalogue` answers from the database with a fixed number of queries per page.
"""

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from typing import Protocol

from django.conf import settings
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.core.money import format_vnd
from portal.locations.models import Province

from ..models import OcopGroup, OcopSubgroup
from ..services.catalogue_cache import catalogue_cached
from .products import products_for_cards, products_public

SORTS = ("newest", "price_asc", "price_desc", "stars", "bestselling", "relevance")
SORT_LABELS = {
    "newest": _("Newest"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
    "stars": _("Most stars"),
    "bestselling": _("Best-selling"),
    "relevance": _("Most relevant"),
}
STARS = (3, 4, 5)
PER_PAGE_CHOICES = (12, 24, 48)
TEXT_MAX_LENGTH = 100
# Far beyond any real page; keeps OFFSET arithmetic small whatever a visitor types.
PAGE_MAX = 100_000
PRICE_LIMIT = 10**12

# Price bands of the price facet, inclusive integer VND bounds (None: open).
PRICE_BANDS: dict[str, tuple[int | None, int | None]] = {
    "under-100k": (None, 99_999),
    "100k-300k": (100_000, 299_999),
    "300k-500k": (300_000, 499_999),
    "500k-up": (500_000, None),
}

# Facet keys, in the order the filter form shows them.
FACETS = ("group", "subgroup", "stars", "province", "price", "in_stock")

_CODE = re.compile(r"^[0-9A-Za-z.]{1,8}$")
_TRUE = {"1", "true", "on", "yes"}


def _int(value, *, minimum: int, maximum: int, money: bool = False) -> int | None:
    """A whole number from a query parameter, else None; with `money`, Vietnamese grouping and
    the currency sign are allowed ("150.000 ₫")."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if money:
        text = re.sub(r"[\s.,₫đ]|vnd", "", text)
    if not text or not re.fullmatch(r"-?\d{1,15}", text):
        return None
    number = int(text)
    if number < minimum:
        return None
    return min(number, maximum)


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    group: str | None = None
    subgroup: str | None = None
    stars: tuple[int, ...] = ()
    province: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    sort: str = "newest"
    page: int = 1
    per_page: int = 24

    @classmethod
    def from_querydict(cls, data: Mapping) -> "CatalogueQuery":
        """Parses the catalogue's GET parameters. Bad values are ignored, never raised: a page
        of "-1" or "abc" is 1, unknown stars are dropped, a reversed price range is swapped."""
        getlist = data.getlist if hasattr(data, "getlist") else lambda k: [data.get(k)]
        text = " ".join(str(data.get("q") or "").split())[:TEXT_MAX_LENGTH]
        group = str(data.get("group") or "").strip()
        subgroup = str(data.get("subgroup") or "").strip()
        stars = set()
        for value in getlist("stars"):
            number = _int(value, minimum=0, maximum=10)
            if number in STARS:
                stars.add(number)
        price_min = _int(data.get("price_min"), minimum=0, maximum=PRICE_LIMIT, money=True)
        price_max = _int(data.get("price_max"), minimum=0, maximum=PRICE_LIMIT, money=True)
        if price_min is not None and price_max is not None and price_min > price_max:
            price_min, price_max = price_max, price_min
        sort = str(data.get("sort") or "")
        per_page = _int(data.get("per_page"), minimum=1, maximum=1000)
        return cls(
            text=text,
            group=group if _CODE.match(group) else None,
            subgroup=subgroup if _CODE.match(subgroup) else None,
            stars=tuple(sorted(stars)),
            province=_int(data.get("province"), minimum=1, maximum=99_999),
            price_min=price_min,
            price_max=price_max,
            in_stock=str(data.get("in_stock") or "").strip().lower() in _TRUE,
            sort=sort if sort in SORTS else ("relevance" if text else "newest"),
            page=_int(data.get("page"), minimum=1, maximum=PAGE_MAX) or 1,
            per_page=per_page if per_page in PER_PAGE_CHOICES else 24,
        )

    def to_querydict(self) -> QueryDict:
        """The GET parameters of this query (defaults left out): `from_querydict` round-trips."""
        data = QueryDict(mutable=True)
        if self.text:
            data["q"] = self.text
        for name in ("group", "subgroup", "province", "price_min", "price_max"):
            value = getattr(self, name)
            if value is not None:
                data[name] = str(value)
        if self.stars:
            data.setlist("stars", [str(s) for s in self.stars])
        if self.in_stock:
            data["in_stock"] = "1"
        if self.sort != ("relevance" if self.text else "newest"):
            data["sort"] = self.sort
        if self.per_page != 24:
            data["per_page"] = str(self.per_page)
        if self.page != 1:
            data["page"] = str(self.page)
        return data

    def replace(self, **changes) -> "CatalogueQuery":
        """A copy with `changes`; any change but `page` itself goes back to the first page."""
        changes.setdefault("page", 1)
        if not changes.get("text", self.text) and changes.get("sort", self.sort) == "relevance":
            changes["sort"] = "newest"  # relevance needs words
        return dataclasses.replace(self, **changes)

    def querystring(self, **changes) -> str:
        """ "?…" for a link to this query with `changes` (see `replace`)."""
        encoded = self.replace(**changes).to_querydict().urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def has_filters(self) -> bool:
        return bool(
            self.text
            or self.group
            or self.subgroup
            or self.stars
            or self.province is not None
            or self.price_min is not None
            or self.price_max is not None
            or self.in_stock
        )

    @property
    def price_band(self) -> str | None:
        """The key of the price band this query's range is exactly, if any."""
        for key, bounds in PRICE_BANDS.items():
            if bounds == (self.price_min, self.price_max):
                return key
        return None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class CatalogueResult:
    products: list
    total: int
    page: int
    num_pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Set when the text search engine could not answer and the page is the database's.
    notice: str = ""


class CatalogueEngine(Protocol):
    def search(self, query: CatalogueQuery) -> CatalogueResult: ...


def price_band_label(key: str) -> str:
    low, high = PRICE_BANDS[key]
    if low is None:
        return str(_("Under %(amount)s")) % {"amount": format_vnd(high + 1)}
    if high is None:
        return str(_("From %(amount)s")) % {"amount": format_vnd(low)}
    return f"{format_vnd(low)} – {format_vnd(high + 1)}"


def _price_q(low: int | None, high: int | None) -> Q:
    q = Q()
    if low is not None:
        q &= Q(price__gte=low)
    if high is not None:
        q &= Q(price__lte=high)
    return q


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition) if condition else Count("pk")


ORDERINGS = {
    "newest": ("-published_at", "-id"),
    "relevance": ("-published_at", "-id"),  # the database engine has no relevance of its own
    "price_asc": ("price", "id"),
    "price_desc": ("-price", "-id"),
    "stars": ("-stars", "-published_at", "-id"),
    "bestselling": ("-sold_count", "-published_at", "-id"),
}


@dataclass(frozen=True)
class CatalogueFilters:
    """A query's filters resolved against the OCOP classification: unknown codes are dropped,
    like any bad parameter, and so is a sub-group of another group (the form kept the sub-group
    of the group the visitor has just left). `facet_group_id` is the group whose sub-groups
    are counted. Engines that are not the database read these fields."""

    group_id: int | None = None
    subgroup_id: int | None = None
    stars: tuple[int, ...] = ()
    province: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    facet_group_id: int | None = None

    def conditions(self) -> dict[str, Q]:
        """Each active filter as a condition on product fields, keyed by facet."""
        conditions: dict[str, Q] = {}
        if self.group_id is not None:
            conditions["group"] = Q(group_id=self.group_id)
        if self.subgroup_id is not None:
            conditions["subgroup"] = Q(subgroup_id=self.subgroup_id)
        if self.stars:
            conditions["stars"] = Q(stars__in=self.stars)
        if self.province is not None:
            conditions["province"] = Q(province_id=self.province)
        if self.price_min is not None or self.price_max is not None:
            conditions["price"] = _price_q(self.price_min, self.price_max)
        if self.in_stock:
            conditions["in_stock"] = Q(stock__gt=0)
        return conditions

    def others(self, *excluded: str) -> Q:
        """Every condition but those of the `excluded` facets, and-ed."""
        kept = [q for key, q in self.conditions().items() if key not in excluded]
        return reduce(and_, kept, Q())


@dataclass(frozen=True)
class Classification:
    groups: list
    subgroups: list


def catalogue_classification() -> Classification:
    """OCOP groups and sub-groups in the order the filters show them (two queries)."""
    return Classification(
        groups=list(OcopGroup.objects.order_by("position", "code")),
        subgroups=list(OcopSubgroup.objects.order_by("group__position", "position", "code")),
    )


def catalogue_filters(query: CatalogueQuery, classification: Classification) -> CatalogueFilters:
    group_ids = {g.code: g.pk for g in classification.groups}
    subgroups = {s.code: s for s in classification.subgroups}
    group_id = group_ids.get(query.group or "")
    chosen = subgroups.get(query.subgroup or "")
    if chosen is not None and group_id is not None and chosen.group_id != group_id:
        chosen = None
    facet_group_id = group_id
    if facet_group_id is None and chosen is not None:
        facet_group_id = chosen.group_id
    return CatalogueFilters(
        group_id=group_id,
        subgroup_id=chosen.pk if chosen is not None else None,
        stars=query.stars,
        province=query.province,
        price_min=query.price_min,
        price_max=query.price_max,
        in_stock=query.in_stock,
        facet_group_id=facet_group_id,
    )


def catalogue_facets(
    query: CatalogueQuery,
    filters: CatalogueFilters,
    classification: Classification,
    numbers: dict,
) -> dict[str, list[FacetValue]]:
    """The filter form's values with their counts (`numbers` as `catalogue_counts` makes them,
    whichever engine counted). One query more only when the chosen province has no product."""
    counts = numbers["aggregates"]
    group_counts = numbers["groups"]
    subgroup_counts = numbers["subgroups"]
    facets: dict[str, list[FacetValue]] = {
        "group": [
            FacetValue(g.code, g.name, group_counts.get(g.pk, 0), g.code == query.group)
            for g in classification.groups
        ]
    }
    if filters.facet_group_id is not None:
        facets["subgroup"] = [
            FacetValue(s.code, s.name, subgroup_counts.get(s.pk, 0), s.pk == filters.subgroup_id)
            for s in classification.subgroups
            if s.group_id == filters.facet_group_id
        ]
    facets["stars"] = [
        FacetValue(
            str(star),
            str(_("%(stars)s stars")) % {"stars": star},
            counts[f"stars_{star}"],
            star in query.stars,
        )
        for star in STARS
    ]
    provinces = [
        FacetValue(str(code), name, n, code == query.province)
        for code, name, n in numbers["provinces"]
    ]
    if query.province is not None and not any(p.selected for p in provinces):
        name = Province.objects.filter(code=query.province).values_list("name", flat=True)
        provinces.append(
            FacetValue(str(query.province), name.first() or str(query.province), 0, True)
        )
    facets["province"] = provinces
    band = query.price_band
    facets["price"] = [
        FacetValue(key, price_band_label(key), counts[f"price_{index}"], key == band)
        for index, key in enumerate(PRICE_BANDS)
    ]
    facets["in_stock"] = [FacetValue("1", str(_("In stock")), counts["in_stock"], query.in_stock)]
    return facets


def catalogue_cache_key(text: str, filters: CatalogueFilters) -> tuple:
    return (text, *dataclasses.astuple(filters))


def catalogue_page_number(query: CatalogueQuery, total: int) -> tuple[int, int]:
    """(page, number of pages): a page past the end is the last one."""
    num_pages = max(1, math.ceil(total / query.per_page))
    return min(max(1, query.page), num_pages), num_pages


class DatabaseCatalogue:
    """Filters, counts and sorts public products in the database; text matches names.

    Queries per page, whatever the number of products: OCOP groups, sub-groups, one aggregate
    (total, stars, in stock, price bands), group counts, province counts, sub-group counts when a
    group is chosen, a province name when the chosen one has no product, and the page of products
    with their photos and renditions (3). The counts are cached per filter set until the next
    product change (services.catalogue_cache): a repeated filter set costs only the groups, the
    sub-groups and the page."""

    def search(self, query: CatalogueQuery) -> CatalogueResult:
        classification = catalogue_classification()
        filters = catalogue_filters(query, classification)
        base = products_public()
        if query.text:
            base = base.filter(name__icontains=query.text)
        numbers = catalogue_cached(
            catalogue_cache_key(query.text, filters), lambda: catalogue_counts(base, filters)
        )
        total = numbers["aggregates"]["total"]
        page, num_pages = catalogue_page_number(query, total)
        products = []
        if total:
            offset = (page - 1) * query.per_page
            products = list(
                products_for_cards(base.filter(filters.others())).order_by(*ORDERINGS[query.sort])[
                    offset : offset + query.per_page
                ]
            )
        return CatalogueResult(
            products=products,
            total=total,
            page=page,
            num_pages=num_pages,
            facets=catalogue_facets(query, filters, classification, numbers),
        )


def catalogue_counts(
    base, filters: CatalogueFilters, *, province_name: str = "province__name"
) -> dict:
    """Every count the facets show, as plain data (cacheable), over `base` (products, or any
    queryset with the products' field names; `province_name` names the province's name).
    Disjunctive: each facet counts with every other filter applied, not its own."""
    others = filters.others
    # One pass for the total and the facets with fixed values.
    aggregates = {"total": _count(others())}
    for star in STARS:
        aggregates[f"stars_{star}"] = _count(others("stars") & Q(stars=star))
    aggregates["in_stock"] = _count(others("in_stock") & Q(stock__gt=0))
    for index, (low, high) in enumerate(PRICE_BANDS.values()):
        aggregates[f"price_{index}"] = _count(others("price") & _price_q(low, high))
    subgroups = {}
    if filters.facet_group_id is not None:
        subgroups = dict(
            base.filter(others("subgroup") & Q(group_id=filters.facet_group_id))
            .values_list("subgroup_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return {
        "aggregates": base.aggregate(**aggregates),
        "groups": dict(
            base.filter(others("group", "subgroup"))
            .values_list("group_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "provinces": list(
            base.filter(others("province"))
            .values_list("province_id", province_name)
            .annotate(n=Count("pk"))
            .order_by(province_name)
        ),
        "subgroups": subgroups,
    }


def catalogue_engine() -> CatalogueEngine:
    """The engine named by `settings.MARKETPLACE_CATALOGUE_ENGINE` (a class or a factory)."""
    return import_string(settings.MARKETPLACE_CATALOGUE_ENGINE)()


def catalogue_search(query: CatalogueQuery) -> CatalogueResult:
    """The public catalogue's page for `query` from the configured engine."""
    return catalogue_engine().search(query)
