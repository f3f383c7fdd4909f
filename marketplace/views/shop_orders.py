"""My shop → Orders: the producer's sub-orders and the actions the state machine allows."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..forms.orders import CARRIERS, MarkPaidForm, ReasonForm, ShipForm
from ..models import SubOrder
from ..selectors.orders import suborder_for_producer, suborder_status_counts, suborders_for_producer
from ..services.order_status import IllegalTransition
from ..services.orders import (
    OrderActionError,
    suborder_producer_actions,
    suborder_producer_cancel,
    suborder_producer_confirm,
    suborder_producer_delivered,
    suborder_producer_mark_paid,
    suborder_producer_refund,
    suborder_producer_ship,
)
from .shop_access import producer_required

SUBORDERS_PER_PAGE = 30

# Actions that need details from the producer; the others are a single button.
FORMS = {
    "mark_paid": MarkPaidForm,
    "ship": ShipForm,
    "cancel": ReasonForm,
    "refund": ReasonForm,
}


@producer_required(verified=True)
def shop_suborders(request):
    status = request.GET.get("status", "")
    if status not in SubOrder.Status.values:
        status = ""
    suborders = suborders_for_producer(producer=request.producer, status=status or None)
    page = Paginator(suborders, SUBORDERS_PER_PAGE).get_page(request.GET.get("page"))
    counts = suborder_status_counts(producer=request.producer)
    tabs = [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in SubOrder.Status.choices
    ]
    return TemplateResponse(
        request,
        "marketplace/shop/orders.html",
        {
            "suborders": page,
            "status": status,
            "tabs": tabs,
            "total": sum(counts.values()),
            "extra_query": f"status={status}&" if status else "",
        },
    )


def _forms(actions: list[str], *, data=None, action: str = "") -> dict:
    return {
        name: FORMS[name](data if name == action else None, prefix=name)
        for name in actions
        if name in FORMS
    }


@producer_required(verified=True)
def shop_suborder(request, number):
    suborder = suborder_for_producer(producer=request.producer, number=number)
    if suborder is None:
        raise Http404
    actions = suborder_producer_actions(suborder=suborder)
    forms = _forms(actions)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        forms = _forms(actions, data=request.POST, action=action)
        response = _act(request, suborder=suborder, action=action, actions=actions, forms=forms)
        if response is not None:
            return response
        status = 400
    return TemplateResponse(
        request,
        "marketplace/shop/orders_detail.html",
        {
            "suborder": suborder,
            "order": suborder.order,
            "actions": actions,
            "forms": forms,
            "carriers": CARRIERS,
        },
        status=status,
    )


def _act(request, *, suborder, action, actions, forms):
    """Runs one action; a redirect when done or refused by the services, None when its form
    has errors (the page is shown again with them)."""
    back = redirect("marketplace:shop_suborder", number=suborder.number)
    if action not in actions:
        messages.error(
            request,
            _("This action is not possible for a sub-order that is “%(status)s”.")
            % {"status": suborder.get_status_display()},
        )
        return back
    form = forms.get(action)
    if form is not None and not form.is_valid():
        return None
    data = form.cleaned_data if form is not None else {}
    common = {"suborder_id": suborder.pk, "producer": request.producer, "actor": request.user}
    try:
        if action == "confirm":
            suborder_producer_confirm(**common)
        elif action == "mark_paid":
            suborder_producer_mark_paid(**common, amount=data["amount"])
        elif action == "ship":
            suborder_producer_ship(
                **common, carrier=data["carrier"], tracking_number=data["tracking_number"]
            )
        elif action == "delivered":
            suborder_producer_delivered(**common)
        elif action == "cancel":
            suborder_producer_cancel(**common, reason=data["reason"])
        elif action == "refund":
            suborder_producer_refund(**common, reason=data["reason"])
    except OrderActionError as exc:
        if form is None:
            messages.error(request, exc.message)
            return back
        form.add_error(None, exc.message)  # shown with the details the producer typed
        return None
    except IllegalTransition as exc:
        messages.error(request, exc.message)
        return back
    suborder.refresh_from_db(fields=["status"])
    messages.success(
        request,
        _("Sub-order %(number)s is now “%(status)s”.")
        % {"number": suborder.number, "status": suborder.get_status_display()},
    )
    return back
