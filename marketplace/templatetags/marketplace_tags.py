"""Display helpers of the marketplace's public pages: stars, OCOP badge, numbers, links."""

from django import template

from ..selectors.products import product_certification_labels

register = template.Library()


@register.inclusion_tag("marketplace/includes/stars.html")
def ocop_stars(stars, *, small: bool = False):
    """OCOP stars as ★ (screen readers hear "4 stars")."""
    try:
        count = max(0, min(5, int(stars)))
    except (TypeError, ValueError):
        count = 0
    return {"stars": count, "filled": "★" * count, "empty": "☆" * (5 - count), "small": small}


@register.inclusion_tag("marketplace/includes/ocop_badge.html")
def ocop_badge(product):
    """The OCOP badge, only while the product's certificate is valid (`ocop_active`)."""
    return {"product": product, "show": bool(getattr(product, "ocop_active", False))}


@register.filter
def vn_number(value):
    """12345 -> "12.345" (Vietnamese digit grouping), whatever the interface language."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


@register.filter
def vn_percent(value, total):
    """Share of `total` as "12,5 %" (decimal comma); "0 %" when the total is 0."""
    try:
        value, total = int(value), int(total)
    except (TypeError, ValueError):
        return ""
    if total <= 0:
        return "0\u00a0%"
    share = round(value * 100 / total, 1)
    text = f"{share:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}\u00a0%"


@register.filter
def first_photo(product):
    """The product's first photo (photos prefetched as `photo_list`), or None."""
    photos = getattr(product, "photo_list", None)
    if photos is None:
        photos = list(product.photos.all())
    return photos[0] if photos else None


@register.filter
def certification_labels(product):
    return product_certification_labels(product)


@register.simple_tag
def catalogue_link(query, **changes):
    """ "?…" query string of the catalogue `query` with `changes` (page resets unless given)."""
    return query.querystring(**changes)
