"""Admin: the product moderation queue (waiting products first) with approve / reject actions.

Products are written by producers in "My shop": the admin only inspects them, opens the scanned
certificate, and moves them through the flow of marketplace.services.products. The action views
check `marketplace.moderate_product` themselves and answer 403 without it.
"""

from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from portal.core.admin_records import RecordViewSet
from portal.core.money import format_vnd

from ..models import OcopGroup, OcopSubgroup, Product
from ..services.products import (
    MODERATE_PRODUCT,
    product_approve,
    product_moderation_actions,
    product_reject,
)
from .moderation import moderation_page, moderators_only

VIEWSET_NAME = "marketplace_products"

ACTION_LABELS = {"approve": gettext_lazy("Approve"), "reject": gettext_lazy("Reject")}
ACTION_ICONS = {"approve": "success", "reject": "cross"}


def _certificate_url(product: Product) -> str:
    if not product.certificate_file:
        return ""
    return reverse("marketplace:shop_product_certificate", args=[product.pk])


def _product_buttons(product: Product, user) -> list[Button]:
    buttons = []
    if certificate_url := _certificate_url(product):
        buttons.append(
            Button(
                _("Scanned certificate"),
                url=certificate_url,
                icon_name="doc-full",
                priority=20,
                attrs={"target": "_blank", "rel": "noopener"},
            )
        )
    if user.has_perm(MODERATE_PRODUCT):
        buttons += [
            Button(
                ACTION_LABELS[action],
                url=reverse("marketplace_product_moderate", args=[product.pk, action]),
                icon_name=ACTION_ICONS[action],
                priority=30 + index,
            )
            for index, action in enumerate(product_moderation_actions(product=product))
        ]
    return buttons


class ProductViewSet(RecordViewSet):
    model = Product
    icon = "tag"
    menu_label = gettext_lazy("OCOP products")
    url_prefix = "marketplace/products"
    search_fields = ["name", "certificate_number", "producer__name"]
    list_filter = ["status", "stars", "group", "ocop_active"]
    list_display = [
        "name",
        Column("producer", label=gettext_lazy("Producer")),
        Column("stars", label=gettext_lazy("Stars")),
        Column("group", label=gettext_lazy("Group")),
        StatusTagColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            primary=lambda product: product.status == Product.Status.SUBMITTED,
        ),
        DateColumn("submitted_at", label=gettext_lazy("Sent for approval")),
        Column(
            "certificate_expires_on",
            label=gettext_lazy("Valid until"),
            accessor=lambda product: product.certificate_expires_on.strftime("%d/%m/%Y"),
        ),
        BooleanColumn("ocop_active", label=gettext_lazy("OCOP badge")),
    ]
    inspect_view_fields = [
        "name",
        "producer",
        "group",
        "subgroup",
        "stars",
        "potential_five_star",
        "certificate_number",
        "certificate_date",
        "certificate_authority",
        "certificate_expires_on",
        "ocop_active",
        "price",
        "unit",
        "stock",
        "description",
        "origin_commune",
        "province",
        "other_certifications",
        "status",
        "rejection_reason",
        "submitted_at",
        "moderated_at",
        "moderated_by",
        "published_at",
    ]

    def list_queryset(self, queryset):
        # The moderation queue: waiting products first, oldest submission first.
        return (
            queryset.select_related("producer", "group", "province")
            .annotate(
                queue=Case(
                    When(status=Product.Status.SUBMITTED, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                waiting_since=Case(
                    When(status=Product.Status.SUBMITTED, then=F("submitted_at")),
                    default=None,
                ),
            )
            .order_by("queue", "waiting_since", "-updated_at", "-pk")
        )

    def record_buttons(self, instance, user):
        return _product_buttons(instance, user)


class OcopGroupViewSet(ModelViewSet):
    """The groups of Decision 148 are data; superusers (or whoever holds the change
    permission) may correct a name. Groups in use cannot be deleted (PROTECT)."""

    model = OcopGroup
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("OCOP groups")
    url_prefix = "marketplace/ocop-groups"
    form_fields = ["code", "name", "position"]
    list_display = ["code", "name", "position"]
    search_backend_name = None
    copy_view_enabled = False


class OcopSubgroupViewSet(ModelViewSet):
    model = OcopSubgroup
    icon = "folder-inverse"
    menu_label = gettext_lazy("OCOP sub-groups")
    url_prefix = "marketplace/ocop-subgroups"
    form_fields = ["group", "code", "name", "position"]
    list_display = ["code", "name", Column("group", label=gettext_lazy("Group"))]
    list_filter = ["group"]
    search_backend_name = None
    copy_view_enabled = False


viewsets = [
    ProductViewSet(VIEWSET_NAME),
    OcopGroupViewSet("marketplace_ocop_groups"),
    OcopSubgroupViewSet("marketplace_ocop_subgroups"),
]


@moderators_only(MODERATE_PRODUCT)
@require_http_methods(["GET", "POST"])
def product_moderate_view(request, product_id, action: str):
    """Confirmation page and POST for approve / reject (with a reason)."""
    product = get_object_or_404(
        Product.objects.select_related("producer", "group", "subgroup"), pk=product_id
    )

    def perform(reason):
        if action == "approve":
            return product_approve(product_id=product.pk, by=request.user)
        return product_reject(product_id=product.pk, by=request.user, reason=reason)

    return moderation_page(
        request,
        obj=product,
        action_label=ACTION_LABELS[action],
        needs_reason=action == "reject",
        perform=perform,
        index_url_name=f"{VIEWSET_NAME}:index",
        certificate_url=_certificate_url(product),
        summary=[
            (_("Product name"), product.name),
            (_("Producer"), f"{product.producer} ({product.producer.get_status_display()})"),
            (_("OCOP group"), f"{product.group} › {product.subgroup}"),
            (_("OCOP stars"), product.get_stars_display()),
            (_("Decision number"), product.certificate_number),
            (_("Decision date"), product.certificate_date.strftime("%d/%m/%Y")),
            (_("Issuing authority"), product.certificate_authority),
            (_("Valid until"), product.certificate_expires_on.strftime("%d/%m/%Y")),
            (_("Price (VND)"), format_vnd(product.price)),
            (_("Status"), product.get_status_display()),
        ],
    )


@hooks.register("register_admin_urls")
def register_product_moderation_urls():
    return [
        re_path(
            r"^marketplace/products/(?P<product_id>[0-9]+)/(?P<action>approve|reject)/$",
            product_moderate_view,
            name="marketplace_product_moderate",
        ),
    ]
