"""Payment pages and endpoints: the buyer's VietQR download, the bank and Stripe webhooks, and
the pages Stripe Checkout sends the buyer back to. Thin: parse, check, call one function."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from ..models import Order, SubOrder
from ..payments.bank_webhook import MAX_BODY_BYTES, BankWebhookError, bank_webhook_receive
from ..payments.selectors import buyer_order, buyer_suborder, order_payment_state
from ..payments.stripe_api import PaymentUnavailable, stripe_checkout_start
from ..payments.stripe_webhooks import StripeWebhookError, stripe_webhook_receive
from ..payments.vietqr import VietQrUnavailable, suborder_vietqr, vietqr_render

# --- VietQR download ---------------------------------------------------------------------------

QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}


def _vietqr_download(request, number: str, kind: str):
    """The buyer's own pending VietQR sub-order only; 404 for anyone else (the number's
    existence is not revealed)."""
    suborder = buyer_suborder(number=number, user=request.user)
    if suborder is None or suborder.status != SubOrder.Status.PENDING:
        raise Http404
    try:
        qr = suborder_vietqr(suborder=suborder)
    except VietQrUnavailable:
        raise Http404 from None
    response = HttpResponse(vietqr_render(payload=qr.payload, kind=kind), QR_KINDS[kind])
    response["Content-Disposition"] = f'attachment; filename="vietqr-{suborder.number}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


@require_safe
@login_required
def suborder_vietqr_svg(request, number: str):
    return _vietqr_download(request, number, "svg")


@require_safe
@login_required
def suborder_vietqr_png(request, number: str):
    return _vietqr_download(request, number, "png")


# --- Webhooks ----------------------------------------------------------------------------------


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return False


@csrf_exempt
@require_POST
def bank_webhook(request):
    """A bank-notification service reports transfers (see payments/bank_webhook.py)."""
    if _too_large(request):
        return JsonResponse({"ok": False, "error": _("The notification is too large.")}, status=413)
    try:
        results = bank_webhook_receive(
            body=request.body,
            timestamp=request.headers.get("X-Timestamp"),
            signature=request.headers.get("X-Signature"),
        )
    except RequestDataTooBig:
        return JsonResponse({"ok": False, "error": _("The notification is too large.")}, status=413)
    except BankWebhookError as error:
        return JsonResponse({"ok": False, "error": error.message}, status=error.status)
    return JsonResponse(
        {
            "ok": True,
            "results": [
                {
                    "transaction_id": result.transaction.transaction_id,
                    "outcome": result.transaction.outcome,
                    "replay": result.replay,
                }
                for result in results
            ],
        }
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe reports Checkout Sessions and refunds (see payments/stripe_webhooks.py)."""
    try:
        result = stripe_webhook_receive(
            payload=request.body, sig_header=request.headers.get("Stripe-Signature")
        )
    except RequestDataTooBig:
        return JsonResponse({"ok": False, "error": _("The event is too large.")}, status=413)
    except StripeWebhookError as error:
        return JsonResponse({"ok": False, "error": error.message}, status=error.status)
    return JsonResponse({"ok": True, "outcome": result.event.outcome, "replay": result.replay})


# --- Stripe Checkout return pages --------------------------------------------------------------


def _order_url(order: Order) -> str:
    try:
        return reverse("marketplace:order_detail", args=[order.number])
    except NoReverseMatch:
        return reverse("marketplace:stripe_cancel") + f"?order={order.number}"


def _buyer_card_order(request) -> Order:
    order = buyer_order(number=request.GET.get("order", ""), user=request.user)
    if order is None or order.payment_method != Order.PaymentMethod.STRIPE:
        raise Http404
    return order


@require_safe
@login_required
def stripe_return(request):
    """Where Stripe sends the buyer after paying. The order is NOT marked paid here (anyone can
    open this address): the page says the payment is being confirmed and reloads itself until
    the signed webhook has done it."""
    order = _buyer_card_order(request)
    state = order_payment_state(order=order)
    response = TemplateResponse(
        request,
        "marketplace/payments/stripe_return.html",
        {"order": order, "state": state, "order_url": _order_url(order)},
    )
    add_never_cache_headers(response)
    return response


@require_safe
@login_required
def stripe_cancel(request):
    """Where Stripe sends the buyer who left the payment page: the order waits until its
    deadline, and the buyer may try again."""
    order = _buyer_card_order(request)
    state = order_payment_state(order=order)
    response = TemplateResponse(
        request,
        "marketplace/payments/stripe_cancel.html",
        {"order": order, "state": state, "order_url": _order_url(order)},
    )
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def stripe_pay(request, number: str):
    """The buyer (again) starts paying an unpaid card order: off to Stripe Checkout."""
    order = buyer_order(number=number, user=request.user)
    if order is None or order.payment_method != Order.PaymentMethod.STRIPE:
        raise Http404
    try:
        url = stripe_checkout_start(
            order_id=order.pk, base_url=f"{request.scheme}://{request.get_host()}"
        )
    except PaymentUnavailable as error:
        messages.error(request, error.message)
        return redirect(_order_url(order))
    return redirect(url)
