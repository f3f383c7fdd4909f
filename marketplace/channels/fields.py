"""The product fields a channel's bulk-upload file may carry, the check of a channel's settings
(column mapping, API address), and a product's values for those fields."""

import datetime
import ipaddress
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

TEXT, INTEGER, DATE = "text", "integer", "date"

COLUMN_MAX_LENGTH = 100
MAPPING_MAX_COLUMNS = 60
# The rendition of the first photo that a file links to: large enough for a shop's gallery.
IMAGE_RENDITION = "max-1200x1200|format-jpeg"
HTTP_LOOPBACK_HOSTS = {"localhost"}


@dataclass(frozen=True)
class ChannelField:
    label: str
    kind: str = TEXT


# Product fields a channel's file may carry, in the order the admin's help lists them.
CHANNEL_FIELDS: dict[str, ChannelField] = {
    "sku": ChannelField(_("Our SKU (producer slug and product number, stable)")),
    "name": ChannelField(_("Product name")),
    "description": ChannelField(_("Description")),
    "price": ChannelField(_("Price (VND)"), INTEGER),
    "stock": ChannelField(_("Stock"), INTEGER),
    "unit": ChannelField(_("Unit")),
    "group": ChannelField(_("OCOP group")),
    "subgroup": ChannelField(_("OCOP sub-group")),
    "stars": ChannelField(_("OCOP stars"), INTEGER),
    "certificate_number": ChannelField(_("OCOP decision number")),
    "certificate_expires_on": ChannelField(_("Certificate valid until"), DATE),
    "origin": ChannelField(_("Origin (commune, province)")),
    "producer": ChannelField(_("Producer")),
    "producer_phone": ChannelField(_("Producer's phone")),
    "product_url": ChannelField(_("Address of the product on this site")),
    "image_url": ChannelField(_("Address of the first photo")),
    "certifications": ChannelField(_("Other certifications")),
}


def channel_fields_help() -> str:
    """One line per field, for the admin's help text."""
    return "; ".join(f"{name} ({field.label})" for name, field in CHANNEL_FIELDS.items())


def field_mapping_errors(value) -> list[str]:
    """What is wrong with a column mapping: a JSON list of {"column": ..., "field": ...} objects,
    each column named once, each field one of CHANNEL_FIELDS."""
    if not isinstance(value, list):
        return [gettext('The column mapping must be a JSON list of {"column": …, "field": …}.')]
    if len(value) > MAPPING_MAX_COLUMNS:
        return [
            gettext("At most %(limit)s columns.") % {"limit": MAPPING_MAX_COLUMNS},
        ]
    errors = []
    seen = set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"column", "field"}:
            errors.append(
                gettext('Row %(row)s: write exactly {"column": "…", "field": "…"}.')
                % {"row": number}
            )
            continue
        column, field = item["column"], item["field"]
        if not isinstance(column, str) or not column.strip():
            errors.append(gettext("Row %(row)s: the column name is empty.") % {"row": number})
        elif len(column) > COLUMN_MAX_LENGTH:
            errors.append(
                gettext("Row %(row)s: the column name is longer than %(limit)s characters.")
                % {"row": number, "limit": COLUMN_MAX_LENGTH}
            )
        elif column.strip().casefold() in seen:
            errors.append(
                gettext("Row %(row)s: the column “%(column)s” appears more than once.")
                % {"row": number, "column": column.strip()}
            )
        else:
            seen.add(column.strip().casefold())
        if not isinstance(field, str) or field not in CHANNEL_FIELDS:
            errors.append(
                gettext("Row %(row)s: unknown field “%(field)s”. Known fields: %(fields)s.")
                % {"row": number, "field": field, "fields": ", ".join(CHANNEL_FIELDS)}
            )
    return errors


def _is_loopback(host: str) -> bool:
    if host in HTTP_LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_base_url_error(url: str) -> str | None:
    """API keys travel in headers: HTTPS only, except to this machine (development, tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return None
    return gettext("The API address must start with https:// (http:// only for this machine).")


def channel_settings_errors(channel) -> dict[str, list[str]]:
    """Field -> messages for a channel's settings; empty when they are usable."""
    errors: dict[str, list[str]] = {}
    mapping_errors = field_mapping_errors(channel.field_mapping)
    if mapping_errors:
        errors["field_mapping"] = mapping_errors
    elif channel.kind == channel.Kind.FILE and not channel.field_mapping:
        errors["field_mapping"] = [gettext("A file channel needs at least one column.")]
    if channel.kind == channel.Kind.API:
        required = {
            "api_base_url": gettext("An API channel needs the API address."),
            "api_key": gettext("An API channel needs its API key."),
            "webhook_secret": gettext("An API channel needs a signing secret."),
        }
        for name, message in required.items():
            if not getattr(channel, name):
                errors.setdefault(name, []).append(message)
    if channel.api_base_url:
        error = api_base_url_error(channel.api_base_url)
        if error:
            errors.setdefault("api_base_url", []).append(error)
    if not 1 <= channel.timeout_seconds <= 120:
        errors.setdefault("timeout_seconds", []).append(gettext("Between 1 and 120 seconds."))
    if channel.max_retries > 10:
        errors.setdefault("max_retries", []).append(gettext("At most 10 retries."))
    return errors


# ----------------------------------------------------------------------------------------------
# A product's values


def product_sku(product) -> str:
    """Our SKU: the producer's slug and the product's number. Stable: neither changes when the
    product is renamed, and the order webhook finds the product by it."""
    return f"{product.producer.slug}-{product.pk}"


def product_id_from_sku(sku: str) -> tuple[str, int] | None:
    """(producer slug, product id) of one of our SKUs, or None if it is not shaped like one."""
    slug, _sep, number = sku.strip().rpartition("-")
    if not slug or not number.isdigit() or len(number) > 18:
        return None
    return slug, int(number)


def absolute_url(path: str) -> str:
    if not path:
        return ""
    return urljoin(settings.SITE_BASE_URL.rstrip("/") + "/", path)


def product_public_url(product) -> str:
    """The public product page, absolute, in the site's language (a shop links to it whoever
    generated the file); empty if the catalogue's page is missing."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("marketplace:product", kwargs={"slug": product.slug})
    except NoReverseMatch:
        return ""
    return absolute_url(path)


def product_image_url(product) -> str:
    """Absolute address of a rendition of the product's first photo; empty without photos.
    Uses prefetched `photos` when the caller prefetched them."""
    photos = list(product.photos.all())
    if not photos:
        return ""
    photo = min(photos, key=lambda p: (p.position, p.pk))
    try:
        rendition = photo.image.get_rendition(IMAGE_RENDITION)
    except Exception:  # a missing or unreadable original: the file still lists the product
        return ""
    return absolute_url(rendition.url)


def _origin(product) -> str:
    parts = []
    if product.origin_commune_id:
        parts.append(product.origin_commune.name)
    if product.province_id:
        parts.append(product.province.name)
    return ", ".join(parts)


def _certifications(product) -> str:
    labels = dict(product.Certification.choices)
    return ", ".join(str(labels.get(code, code)) for code in product.other_certifications or [])


def product_field_value(product, field: str):
    """The value of one of CHANNEL_FIELDS: int for integer fields, a date for dates, else text."""
    getters = {
        "sku": lambda: product_sku(product),
        "name": lambda: product.name,
        "description": lambda: product.description,
        "price": lambda: int(product.price),
        "stock": lambda: int(product.stock),
        "unit": lambda: str(product.get_unit_display()),
        "group": lambda: product.group.name,
        "subgroup": lambda: product.subgroup.name,
        "stars": lambda: int(product.stars),
        "certificate_number": lambda: product.certificate_number,
        "certificate_expires_on": lambda: product.certificate_expires_on,
        "origin": lambda: _origin(product),
        "producer": lambda: product.producer.name,
        "producer_phone": lambda: product.producer.phone,
        "product_url": lambda: product_public_url(product),
        "image_url": lambda: product_image_url(product),
        "certifications": lambda: _certifications(product),
    }
    value = getters[field]()
    if CHANNEL_FIELDS[field].kind == DATE and not isinstance(value, datetime.date):
        return None
    return value


def product_listing_payload(product) -> dict:
    """What the connector sends to push a listing: every field, dates as ISO text."""
    payload = {}
    for field in CHANNEL_FIELDS:
        value = product_field_value(product, field)
        payload[field] = value.isoformat() if isinstance(value, datetime.date) else value
    return payload


def mapping_columns(mapping: list[dict]) -> list[str]:
    return [item["column"].strip() for item in mapping]


def mapping_fields(mapping: list[dict]) -> list[str]:
    return [item["field"] for item in mapping]


def field_label(field: str) -> str:
    return str(CHANNEL_FIELDS[field].label) if field in CHANNEL_FIELDS else field
