"""Public pages of the marketplace: product, its traceability QR code, producer, statistics."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..selectors.products import (
    producer_for_viewer,
    producer_public_products,
    product_certificate_expired,
    product_for_viewer,
    product_traceability_url,
    qr_svg,
)
from ..selectors.statistics import ocop_statistics

PRODUCER_PRODUCTS_PER_PAGE = 24
# Geometry of the statistics bar charts (SVG user units): a label line above each bar.
CHART_WIDTH = 480
CHART_BAR_MAX = 400
CHART_ROW_HEIGHT = 54
CHART_LABEL_MAX = 52  # characters; the table beside the chart has the full names


def _private(response):
    """Previews of unpublished objects: never cached, never indexed."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def product(request, slug: str):
    """A public product; members of its producer and moderators may preview any status."""
    viewing = product_for_viewer(slug=slug, user=request.user)
    if viewing is None:
        raise Http404
    item = viewing.obj
    response = TemplateResponse(
        request,
        "marketplace/product.html",
        {
            "product": item,
            "preview": viewing.preview,
            "photos": item.photo_list,
            "certificate_expired": product_certificate_expired(item),
            "traceability_url": product_traceability_url(product=item),
            "can_buy": not viewing.preview and item.stock > 0,
        },
    )
    return _private(response) if viewing.preview else response


@require_safe
def product_qr(request, slug: str):
    """The traceability QR code (SVG) of a product: its absolute public address, to print on
    packaging. Same visibility as the product page."""
    viewing = product_for_viewer(slug=slug, user=request.user, detail=False)
    if viewing is None:
        raise Http404
    url = product_traceability_url(product=viewing.obj)
    title = _("Traceability: %(name)s") % {"name": viewing.obj.name}
    response = HttpResponse(qr_svg(url, title=title), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{viewing.obj.slug}.svg"'
    if viewing.preview:
        return _private(response)
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def producer(request, slug: str):
    """A verified producer's profile and published products (members and moderators may
    preview a producer not verified yet)."""
    viewing = producer_for_viewer(slug=slug, user=request.user)
    if viewing is None:
        raise Http404
    paginator = Paginator(
        producer_public_products(producer=viewing.obj), PRODUCER_PRODUCTS_PER_PAGE
    )
    products = paginator.get_page(request.GET.get("page"))
    response = TemplateResponse(
        request,
        "marketplace/producer.html",
        {
            "producer": viewing.obj,
            "preview": viewing.preview,
            "photos": viewing.obj.photo_list,
            "products": products,
        },
    )
    return _private(response) if viewing.preview else response


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,") + "…"


def chart_geometry(chart) -> dict:
    """Rows of a horizontal bar chart with their SVG positions and bar widths."""
    maximum = chart.maximum or 1
    rows = []
    for index, row in enumerate(chart.rows):
        y = index * CHART_ROW_HEIGHT
        width = round(row.value * CHART_BAR_MAX / maximum)
        rows.append(
            {
                "label": row.label,
                "short_label": _shorten(row.label, CHART_LABEL_MAX),
                "value": row.value,
                "label_y": y + 18,
                "bar_y": y + 26,
                "bar_width": max(width, 2) if row.value else 0,
                "value_x": width + 8,
                "value_y": y + 42,
            }
        )
    return {
        "key": chart.key,
        "title": chart.title,
        "total": chart.total,
        "rows": rows,
        "width": CHART_WIDTH,
        "height": max(1, len(rows)) * CHART_ROW_HEIGHT,
    }


@require_safe
def statistics(request):
    """OCOP statistics as server-drawn bar charts, each with the same numbers as a table."""
    stats = ocop_statistics()
    return TemplateResponse(
        request,
        "marketplace/statistics.html",
        {"stats": stats, "charts": [chart_geometry(chart) for chart in stats.charts]},
    )
