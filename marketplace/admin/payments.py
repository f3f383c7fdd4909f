"""Admin screens: payments. Read-only lists of what the bank-notification service and Stripe told
us, filtered by outcome, with one action: mark a flagged row "sorted out" (or reopen it).

Rows are records of what a provider sent: never added, edited or deleted by hand. Listing needs
the model's view permission; sorting out needs `marketplace.change_banktransaction` (moderators
have it) or `marketplace.change_stripeevent`, and answers 403 without it.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.auth import reject_request
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.widgets.button import Button

from portal.core.admin_access import admin_forbidden
from portal.core.admin_records import RecordViewSet
from portal.core.money import format_vnd

from ..models import BankTransaction, StripeEvent
from ..payments.bank_webhook import bank_transaction_resolve
from ..payments.stripe_webhooks import stripe_event_resolve

BANK_VIEWSET = "marketplace_bank_transactions"
STRIPE_VIEWSET = "marketplace_stripe_events"

# kind -> (model, permission to sort out, resolve service, viewset name)
RESOLVABLE = {
    "bank": (
        BankTransaction,
        "marketplace.change_banktransaction",
        lambda pk, resolved, by: bank_transaction_resolve(
            transaction_id=pk, resolved=resolved, by=by
        ),
        BANK_VIEWSET,
    ),
    "stripe": (
        StripeEvent,
        "marketplace.change_stripeevent",
        lambda pk, resolved, by: stripe_event_resolve(event_id=pk, resolved=resolved, by=by),
        STRIPE_VIEWSET,
    ),
}


def _resolve_button(kind: str, instance, user) -> list[Button]:
    model, permission, _service, _viewset = RESOLVABLE[kind]
    if not user.has_perm(permission):
        return []
    if instance.resolved:
        label, icon = _("Reopen"), "undo"
    elif instance.needs_attention:
        label, icon = _("Mark as sorted out"), "tick"
    else:
        return []
    return [
        Button(
            label,
            url=reverse("marketplace_payment_resolve", args=[kind, instance.pk]),
            icon_name=icon,
            priority=40,
        )
    ]


class _ResolvableViewSet(RecordViewSet):
    resolvable_kind = ""

    def record_buttons(self, instance, user):
        return _resolve_button(self.resolvable_kind, instance, user)


class BankTransactionViewSet(_ResolvableViewSet):
    resolvable_kind = "bank"
    model = BankTransaction

    def list_queryset(self, queryset):
        return queryset.select_related("suborder")

    icon = "doc-full"
    menu_label = gettext_lazy("Bank transfers")
    url_prefix = "marketplace/bank-transactions"
    search_fields = ["transaction_id", "description", "account_number"]
    list_filter = ["outcome", "resolved", "provider"]
    list_display = [
        DateColumn("received_at", label=gettext_lazy("Received at")),
        Column("transaction_id", label=gettext_lazy("Transaction id")),
        Column(
            "amount",
            label=gettext_lazy("Amount"),
            accessor=lambda row: format_vnd(row.amount),
        ),
        Column("description", label=gettext_lazy("Transfer message")),
        Column("suborder", label=gettext_lazy("Sub-order")),
        StatusTagColumn(
            "outcome",
            label=gettext_lazy("Outcome"),
            accessor="get_outcome_display",
            primary=lambda row: row.outcome == BankTransaction.Outcome.MATCHED,
        ),
        BooleanColumn("resolved", label=gettext_lazy("Sorted out")),
    ]
    inspect_view_fields = [
        "provider",
        "transaction_id",
        "amount",
        "description",
        "account_number",
        "transacted_at",
        "received_at",
        "suborder",
        "outcome",
        "resolved",
        "resolved_at",
        "resolved_by",
        "payload",
    ]


class StripeEventViewSet(_ResolvableViewSet):
    resolvable_kind = "stripe"
    model = StripeEvent

    def list_queryset(self, queryset):
        return queryset.select_related("order")

    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Stripe events")
    url_prefix = "marketplace/stripe-events"
    search_fields = ["event_id", "type", "note"]
    list_filter = ["outcome", "resolved", "type"]
    list_display = [
        DateColumn("received_at", label=gettext_lazy("Received at")),
        Column("event_id", label=gettext_lazy("Event id")),
        Column("type", label=gettext_lazy("Event type")),
        Column("order", label=gettext_lazy("Order")),
        StatusTagColumn(
            "outcome",
            label=gettext_lazy("Outcome"),
            accessor="get_outcome_display",
            primary=lambda row: row.outcome != StripeEvent.Outcome.FLAGGED,
        ),
        Column("note", label=gettext_lazy("Note")),
        BooleanColumn("resolved", label=gettext_lazy("Sorted out")),
    ]
    inspect_view_fields = [
        "event_id",
        "type",
        "order",
        "received_at",
        "outcome",
        "note",
        "resolved",
        "resolved_at",
        "resolved_by",
        "payload",
    ]


viewsets = [BankTransactionViewSet(BANK_VIEWSET), StripeEventViewSet(STRIPE_VIEWSET)]


def _payment_managers_only(view):
    # Its own wrapper: the permission depends on the kind named in the URL.
    """403 for users who may not sort out this kind of row; the login page for anonymous."""

    @wraps(view)
    def wrapped(request, kind: str, pk: int):
        if kind not in RESOLVABLE:
            raise Http404
        if not request.user.is_authenticated:
            return reject_request(request)
        if not request.user.has_perm(RESOLVABLE[kind][1]):
            return admin_forbidden(
                request, _("Only marketplace moderators may mark payments as sorted out.")
            )
        return view(request, kind, pk)

    return wrapped


@_payment_managers_only
@require_http_methods(["GET", "POST"])
def payment_resolve_view(request, kind: str, pk: int):
    model, _permission, service, viewset = RESOLVABLE[kind]
    instance = get_object_or_404(model, pk=pk)
    resolved = not instance.resolved
    if request.method == "POST":
        service(instance.pk, resolved, request.user)
        messages.success(
            request,
            _("%(row)s is marked as sorted out.") % {"row": instance}
            if resolved
            else _("%(row)s is open again.") % {"row": instance},
        )
        return redirect(f"{viewset}:index")
    return TemplateResponse(
        request,
        "marketplace/payments/admin_resolve.html",
        {
            "instance": instance,
            "resolved": resolved,
            "kind": kind,
            "index_url": reverse(f"{viewset}:index"),
        },
    )


@hooks.register("register_admin_urls")
def register_payment_admin_urls():
    return [
        path(
            "marketplace/payments/<str:kind>/<int:pk>/resolve/",
            payment_resolve_view,
            name="marketplace_payment_resolve",
        )
    ]
