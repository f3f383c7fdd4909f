"""Checkout: delivery address and payment method, then one order for the whole cart."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..forms.orders import CheckoutForm
from ..models import Order, Product, SubOrderEvent
from ..services.cart import cart_clear, cart_summary
from ..services.checkout import (
    CheckoutError,
    OutOfStock,
    checkout_payment_methods,
    checkout_place_order,
)
from ..services.orders import order_cancel_unpaid

# The checkout form's one-time token: a second post of the same form finds the first order.
TOKEN_SESSION_KEY = "marketplace_checkout_token"  # noqa: S105 - a session key


def _token(request, *, renew: bool = False) -> str:
    token = request.session.get(TOKEN_SESSION_KEY)
    if renew or not token:
        token = secrets.token_urlsafe(24)
        request.session[TOKEN_SESSION_KEY] = token
    return token


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _out_of_stock_message(exc: OutOfStock) -> str:
    product = Product.objects.filter(pk=exc.product_id).only("name", "unit").first()
    name = product.name if product else _("A product")
    if exc.available > 0:
        return _(
            "Only %(available)s %(unit)s of “%(name)s” are left. "
            "Lower the quantity in your cart and try again."
        ) % {
            "available": exc.available,
            "unit": product.get_unit_display() if product else "",
            "name": name,
        }
    return _("“%(name)s” has just sold out. Remove it from your cart and try again.") % {
        "name": name
    }


def stripe_start(request, order: Order) -> tuple[str | None, str]:
    """(Stripe Checkout URL, "") for `order`, or (None, why not) when Stripe refuses."""
    try:
        from ..payments.stripe_api import PaymentUnavailable, stripe_checkout_start
    except ImportError:
        return None, _("Card payment is not available.")
    try:
        return stripe_checkout_start(order_id=order.pk, base_url=_base_url(request)), ""
    except PaymentUnavailable as exc:
        return None, getattr(exc, "message", "") or _("Card payment is not available.")


@login_required
def checkout(request):
    token = _token(request)
    if request.method == "POST":
        posted = request.POST.get("checkout_token", "")
        # The same form posted again (double click, back button): show the order it made.
        done = (
            Order.objects.filter(buyer=request.user, checkout_token=posted).first()
            if posted
            else None
        )
        if done is not None:
            return redirect("marketplace:order_detail", number=done.number)

    summary = cart_summary(session=request.session)
    for notice in summary.notices:
        messages.warning(request, notice)
    if summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("marketplace:cart")
    methods = checkout_payment_methods(producers=[group.producer for group in summary.groups])
    form = CheckoutForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        methods=methods,
        checkout_token=token,
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["checkout_token"] != token:
            form.add_error(
                None,
                _("This form has expired. Check your cart and place the order again."),
            )
        elif not summary.notices:  # a changed cart is shown again before it is ordered
            response = _place(request, form=form, summary=summary, token=token)
            if response is not None:
                return response
    if request.method == "POST" and not form.errors and summary.notices:
        messages.warning(request, _("Your cart changed. Check it and place the order again."))
    return TemplateResponse(
        request,
        "marketplace/checkout.html",
        {
            "form": form,
            "cart": summary,
            "methods": methods,
            "timeouts": settings.MARKETPLACE_PAYMENT_TIMEOUT_MINUTES,
        },
        status=400 if form.errors else 200,
    )


def _place(request, *, form, summary, token):
    method = form.cleaned_data["payment_method"]
    try:
        order = checkout_place_order(
            buyer=request.user,
            lines=summary.checkout_lines(),
            delivery=form.delivery(),
            payment_method=method,
            checkout_token=token,
        )
    except OutOfStock as exc:
        form.add_error(None, _out_of_stock_message(exc))
        return None
    except CheckoutError as exc:
        form.add_error(None, exc.message)
        return None
    _token(request, renew=True)
    if getattr(order, "is_duplicate_submission", False):
        return redirect("marketplace:order_detail", number=order.number)
    if method == Order.PaymentMethod.STRIPE:
        url, message = stripe_start(request, order)
        if url is None:
            order_cancel_unpaid(order_id=order.pk, role=SubOrderEvent.Role.GATEWAY, reason=message)
            messages.error(request, message)
            # The cart is kept: the buyer can choose another payment method.
            return redirect("marketplace:checkout")
        cart_clear(session=request.session)
        return redirect(url)
    cart_clear(session=request.session)
    messages.success(
        request, _("Thank you! Your order %(number)s was placed.") % {"number": order.number}
    )
    return redirect("marketplace:order_detail", number=order.number)
