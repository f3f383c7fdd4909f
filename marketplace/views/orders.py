"""The buyer's orders: the list, and one order with its sub-orders, payment and actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms.orders import BuyerCancelForm
from ..models import Order, SubOrder
from ..selectors.orders import order_for_buyer, orders_for_buyer
from ..services.checkout import stripe_available
from ..services.order_status import IllegalTransition
from ..services.orders import (
    suborder_buyer_actions,
    suborder_buyer_cancel,
    suborder_buyer_received,
)
from .checkout import stripe_start

ORDERS_PER_PAGE = 20


@login_required
def my_orders(request):
    page = Paginator(orders_for_buyer(user=request.user), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "marketplace/my_orders.html", {"orders": page})


def _card_payment_open(order: Order) -> bool:
    """A card order still waiting for its payment, before its payment time is over."""
    return (
        order.payment_method == Order.PaymentMethod.STRIPE
        and order.payment_due_at is not None
        and order.payment_due_at > timezone.now()
        and any(s.status == SubOrder.Status.PENDING for s in order.suborders.all())
    )


@login_required
def order_detail(request, number):
    order = order_for_buyer(user=request.user, number=number)
    if order is None:
        raise Http404
    if request.method == "POST":
        return _act(request, order)
    rows = [
        {
            "suborder": suborder,
            "actions": suborder_buyer_actions(suborder=suborder),
            "show_vietqr": order.payment_method == Order.PaymentMethod.VIETQR
            and suborder.status == SubOrder.Status.PENDING,
        }
        for suborder in order.suborders.all()
    ]
    return TemplateResponse(
        request,
        "marketplace/order_detail.html",
        {
            "order": order,
            "rows": rows,
            "can_pay_card": _card_payment_open(order) and stripe_available(),
            "cancel_form": BuyerCancelForm(),
        },
    )


def _act(request, order: Order):
    action = request.POST.get("action", "")
    if action == "pay_card":
        if not (_card_payment_open(order) and stripe_available()):
            messages.error(request, _("This order cannot be paid by card any more."))
            return redirect("marketplace:order_detail", number=order.number)
        url, message = stripe_start(request, order)
        if url is None:
            messages.error(request, message)
            return redirect("marketplace:order_detail", number=order.number)
        return redirect(url)
    suborder = next(
        (s for s in order.suborders.all() if str(s.pk) == request.POST.get("suborder", "")),
        None,
    )
    if suborder is None:
        raise Http404
    try:
        if action == "cancel":
            form = BuyerCancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            suborder_buyer_cancel(suborder_id=suborder.pk, user=request.user, reason=reason)
            messages.success(
                request,
                _("Sub-order %(number)s was cancelled.") % {"number": suborder.number},
            )
        elif action in ("received", "complete"):
            suborder_buyer_received(suborder_id=suborder.pk, user=request.user)
            messages.success(request, _("Thank you for confirming."))
        else:
            messages.error(request, _("Unknown action."))
    except IllegalTransition as exc:
        messages.error(request, exc.message)
    return redirect("marketplace:order_detail", number=order.number)
