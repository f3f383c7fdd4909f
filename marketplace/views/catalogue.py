"""The public catalogue: a GET form of filters with counts, sorting, chips and pagination."""

import dataclasses

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.core.money import format_vnd

from ..models import MarketplacePage
from ..selectors.catalogue import (
    FACETS,
    PRICE_BANDS,
    SORT_LABELS,
    SORTS,
    CatalogueQuery,
    CatalogueResult,
    catalogue_search,
    price_band_label,
)

FACET_TITLES = {
    "group": _("OCOP group"),
    "subgroup": _("Sub-group"),
    "stars": _("OCOP stars"),
    "province": _("Province"),
    "price": _("Price"),
    "in_stock": _("Availability"),
}


def _toggled(query: CatalogueQuery, facet: str, value: str, selected: bool) -> CatalogueQuery:
    """The query after clicking `value` of `facet`: selects it, or clears it when selected."""
    if facet == "group":
        return query.replace(group=None if selected else value, subgroup=None)
    if facet == "subgroup":
        return query.replace(subgroup=None if selected else value)
    if facet == "stars":
        stars = set(query.stars) ^ {int(value)}
        return query.replace(stars=tuple(sorted(stars)))
    if facet == "province":
        return query.replace(province=None if selected else int(value))
    if facet == "price":
        low, high = (None, None) if selected else PRICE_BANDS[value]
        return query.replace(price_min=low, price_max=high)
    return query.replace(in_stock=not selected)


def catalogue_facets(query: CatalogueQuery, result: CatalogueResult) -> list[dict]:
    """The result's facets in form order, each value with the link that toggles it."""
    facets = []
    for key in FACETS:
        values = result.facets.get(key)
        if not values:
            continue
        facets.append(
            {
                "key": key,
                "title": FACET_TITLES[key],
                "values": [
                    {
                        "value": v.value,
                        "label": v.label,
                        "count": v.count,
                        "selected": v.selected,
                        "url": _toggled(query, key, v.value, v.selected).querystring(),
                    }
                    for v in values
                ],
            }
        )
    return facets


def catalogue_chips(query: CatalogueQuery, result: CatalogueResult) -> list[dict]:
    """The active filters as removable chips: label and the link without that filter."""
    labels = {(key, v.value): v.label for key, values in result.facets.items() for v in values}
    chips = []
    if query.text:
        chips.append({"label": f"“{query.text}”", "url": query.querystring(text="")})
    if query.group:
        label = labels.get(("group", query.group), query.group)
        chips.append({"label": label, "url": query.querystring(group=None, subgroup=None)})
    if query.subgroup:
        label = labels.get(("subgroup", query.subgroup), query.subgroup)
        chips.append({"label": label, "url": query.querystring(subgroup=None)})
    for star in query.stars:
        chips.append(
            {
                "label": _("%(stars)s stars") % {"stars": star},
                "url": query.querystring(stars=tuple(s for s in query.stars if s != star)),
            }
        )
    if query.province is not None:
        label = labels.get(("province", str(query.province)), str(query.province))
        chips.append({"label": label, "url": query.querystring(province=None)})
    if query.price_min is not None or query.price_max is not None:
        if query.price_band:
            label = labels.get(("price", query.price_band)) or price_band_label(query.price_band)
        elif query.price_max is None:
            label = _("From %(amount)s") % {"amount": format_vnd(query.price_min)}
        elif query.price_min is None:
            label = _("Up to %(amount)s") % {"amount": format_vnd(query.price_max)}
        else:
            label = f"{format_vnd(query.price_min)} – {format_vnd(query.price_max)}"
        chips.append({"label": label, "url": query.querystring(price_min=None, price_max=None)})
    if query.in_stock:
        chips.append({"label": str(_("In stock")), "url": query.querystring(in_stock=False)})
    return chips


def catalogue_page_links(query: CatalogueQuery, result: CatalogueResult) -> list[dict | None]:
    """Page numbers around the current one, first and last always; None marks a gap."""
    if result.num_pages <= 1:
        return []
    wanted = {1, result.num_pages} | set(range(result.page - 2, result.page + 3))
    links, previous = [], 0
    for number in sorted(n for n in wanted if 1 <= n <= result.num_pages):
        if number - previous > 1:
            links.append(None)
        links.append(
            {
                "number": number,
                "url": query.querystring(page=number),
                "current": number == result.page,
            }
        )
        previous = number
    return links


def catalogue_shown_query(query: CatalogueQuery, result: CatalogueResult) -> CatalogueQuery:
    """The query the page links from: the page actually shown, without the codes the engine
    ignored (unknown, or a sub-group of another group)."""
    shown = dataclasses.replace(query, page=result.page)
    for name in ("group", "subgroup") if result.facets else ():
        values = result.facets.get(name, ())
        if getattr(shown, name) and not any(v.selected for v in values):
            shown = dataclasses.replace(shown, **{name: None})
    return shown


@require_safe
def catalogue(request, page=None):
    """The catalogue at its URL, or served by the `MarketplacePage` (`page`) in the page tree;
    either way the page's title and introduction are shown when the page exists."""
    query = CatalogueQuery.from_querydict(request.GET)
    result = catalogue_search(query)
    if page is None:
        page = MarketplacePage.objects.live().first()
    shown = catalogue_shown_query(query, result)
    context = {
        "page": page,
        "catalogue_query": shown,
        "result": result,
        "facets": catalogue_facets(shown, result),
        "chips": catalogue_chips(shown, result),
        "page_links": catalogue_page_links(shown, result),
        "previous_url": shown.querystring(page=result.page - 1) if result.page > 1 else "",
        "next_url": (
            shown.querystring(page=result.page + 1) if result.page < result.num_pages else ""
        ),
        "clear_url": CatalogueQuery(sort=query.sort).querystring(),
        # Relevance means something only when words were typed.
        "sort_choices": [
            (key, SORT_LABELS[key]) for key in SORTS if key != "relevance" or query.text
        ],
    }
    response = TemplateResponse(request, "marketplace/catalogue.html", context)
    if query.has_filters or query.page > 1:
        # Filtered listings are endless combinations: let search engines follow, not index them.
        response["X-Robots-Tag"] = "noindex, follow"
    return response
