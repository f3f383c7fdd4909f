"""Shop channels: the producer's "Sales channels" pages in "My shop", and the order webhook that
channels with an API call (no language prefix, no CSRF: it checks its own signature)."""

import json
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..channels.files import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    channel_file_csv,
    channel_file_rows,
    channel_file_xlsx,
)
from ..channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_valid
from ..forms.channels import ChannelListingForm, ChannelSyncForm
from ..models import Channel, ChannelSyncLog, Product
from ..selectors.channels import (
    channel_active_get,
    channel_file_products,
    channel_listing_for,
    shop_channel_product,
    shop_channel_rows,
    shop_channel_summaries,
    shop_channel_sync_log,
)
from ..services.channels import (
    ORDER_HTTP_STATUS,
    ORDER_QUANTITY_MAX,
    channel_listing_record,
    channel_listing_remove,
    channel_order_receive,
    listing_delist_schedule,
    listing_push_schedule,
    listing_update_schedule,
)
from .shop_access import producer_required

logger = logging.getLogger(__name__)

SYNC_LOG_PER_PAGE = 20
FILE_FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
WEBHOOK_MAX_BYTES = 64 * 1024
ORDER_LINES_MAX = 200
TEXT_MAX = 100


def _channel_or_404(slug: str) -> Channel:
    channel = channel_active_get(slug=slug)
    if channel is None:
        raise Http404
    return channel


def _product_or_404(request, product_id: int) -> Product:
    product = shop_channel_product(producer=request.producer, product_id=product_id)
    if product is None:
        raise Http404
    return product


@require_GET
@producer_required(verified=True)
def shop_channels(request):
    return TemplateResponse(
        request,
        "marketplace/shop/channels.html",
        {"summaries": shop_channel_summaries(producer=request.producer)},
    )


@require_GET
@producer_required(verified=True)
def shop_channel(request, slug: str):
    channel = _channel_or_404(slug)
    log = Paginator(
        shop_channel_sync_log(producer=request.producer, channel=channel), SYNC_LOG_PER_PAGE
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "marketplace/shop/channels_detail.html",
        {
            "channel": channel,
            "rows": shop_channel_rows(producer=request.producer, channel=channel),
            "sync_log": log,
            "file_formats": list(FILE_FORMATS),
        },
    )


@require_http_methods(["GET", "POST"])
@producer_required(verified=True)
def shop_channel_listing(request, slug: str, product_id: int):
    channel = _channel_or_404(slug)
    product = _product_or_404(request, product_id)
    if channel.is_api:
        return redirect("marketplace:shop_channel", slug=channel.slug)
    listing = channel_listing_for(channel=channel, product=product)
    initial = (
        {"listing_url": listing.listing_url, "external_sku": listing.external_sku}
        if listing
        else {}
    )
    form = ChannelListingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                channel_listing_record(
                    producer=request.producer,
                    channel=channel,
                    product_id=product.pk,
                    external_sku=form.cleaned_data["external_sku"],
                    listing_url=form.cleaned_data["listing_url"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved: %(product)s on %(channel)s.")
                    % {"product": product.name, "channel": channel.name},
                )
                return redirect("marketplace:shop_channel", slug=channel.slug)
        status = 400
    return TemplateResponse(
        request,
        "marketplace/shop/channels_listing.html",
        {"channel": channel, "product": product, "listing": listing, "form": form},
        status=status,
    )


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@producer_required(verified=True)
def shop_channel_listing_remove(request, slug: str, product_id: int):
    channel = _channel_or_404(slug)
    product = _product_or_404(request, product_id)
    try:
        removed = channel_listing_remove(
            producer=request.producer, channel=channel, product_id=product.pk
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if removed:
            messages.success(
                request,
                _("Removed: %(product)s on %(channel)s.")
                % {"product": product.name, "channel": channel.name},
            )
    return redirect("marketplace:shop_channel", slug=channel.slug)


@require_POST
@producer_required(verified=True)
def shop_channel_sync(request, slug: str, product_id: int):
    channel = _channel_or_404(slug)
    product = _product_or_404(request, product_id)
    form = ChannelSyncForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose push, update or delist."))
        return redirect("marketplace:shop_channel", slug=channel.slug)
    action = form.cleaned_data["action"]
    schedule = {
        ChannelSyncLog.Action.PUSH: listing_push_schedule,
        ChannelSyncLog.Action.UPDATE: listing_update_schedule,
        ChannelSyncLog.Action.DELIST: listing_delist_schedule,
    }[action]
    try:
        schedule(producer=request.producer, channel=channel, product_id=product.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Queued: %(action)s – %(product)s. The result appears in the log below.")
            % {"action": ChannelSyncLog.Action(action).label, "product": product.name},
        )
    return redirect("marketplace:shop_channel", slug=channel.slug)


@require_GET
@producer_required(verified=True)
def shop_channel_file(request, slug: str, file_format: str):
    channel = _channel_or_404(slug)
    if file_format not in FILE_FORMATS:
        raise Http404
    rows = channel_file_rows(
        mapping=channel.field_mapping, products=channel_file_products(producer=request.producer)
    )
    build = channel_file_csv if file_format == "csv" else channel_file_xlsx
    response = HttpResponse(
        build(mapping=channel.field_mapping, rows=rows), content_type=FILE_FORMATS[file_format]
    )
    filename = f"{channel.slug}-{request.producer.slug}-{timezone.localdate():%Y%m%d}.{file_format}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    return response


# ----------------------------------------------------------------------------------------------
# Order webhook


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"status": "error", "message": message}, status=status)


def _order_lines(data) -> tuple[str, list[tuple[str, int]]] | None:
    """(order id, [(sku, quantity)]) of a well-formed order, else None."""
    if not isinstance(data, dict):
        return None
    order_id, lines = data.get("order_id"), data.get("lines")
    if not isinstance(order_id, str) or not 0 < len(order_id.strip()) <= TEXT_MAX:
        return None
    if not isinstance(lines, list) or not 0 < len(lines) <= ORDER_LINES_MAX:
        return None
    parsed = []
    for line in lines:
        if not isinstance(line, dict):
            return None
        sku, quantity = line.get("sku"), line.get("quantity")
        if not isinstance(sku, str) or not 0 < len(sku.strip()) <= TEXT_MAX:
            return None
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 0 < quantity <= ORDER_QUANTITY_MAX
        ):
            return None
        parsed.append((sku.strip(), quantity))
    return order_id.strip(), parsed


@csrf_exempt
@require_POST
def channel_order_webhook(request, slug: str):
    """An order sold on a channel: takes our stock for it, once per order id.

    413 above 64 KB; 404 for a channel that is unknown, inactive or has no signing secret; 401
    for a bad or stale signature; 400 for a malformed body; then 200 (accepted, or a replay),
    409 (out of stock, not on sale) or 422 (unknown SKU) — a refusal takes nothing."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > WEBHOOK_MAX_BYTES:
        return _json_error("body too large", 413)
    body = request.read(WEBHOOK_MAX_BYTES + 1)
    if len(body) > WEBHOOK_MAX_BYTES:
        return _json_error("body too large", 413)
    channel = Channel.objects.filter(slug=slug, active=True).exclude(webhook_secret="").first()
    if channel is None:
        return _json_error("unknown channel", 404)
    if not signature_valid(
        secret=channel.webhook_secret,
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        body=body,
    ):
        return _json_error("bad signature", 401)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _json_error("body is not JSON", 400)
    parsed = _order_lines(data)
    if parsed is None:
        return _json_error(
            'expected {"order_id": "…", "lines": [{"sku": "…", "quantity": 1}, …]}', 400
        )
    order_id, lines = parsed
    result = channel_order_receive(
        channel=channel, external_order_id=order_id, lines=lines, payload=data
    )
    order = result.order
    return JsonResponse(
        {
            "status": order.outcome,
            "order_id": order.external_order_id,
            "duplicate": result.result == "duplicate",
            "message": order.message,
        },
        status=ORDER_HTTP_STATUS[result.result],
    )
