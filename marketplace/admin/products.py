"""Admin: the product moderation queue (waiting products first) with approve / reject actions.

Products are written by producers in "My shop": the admin only inspects them, opens the scanned
certificate, and moves them through the flow of marketplace.services.products. The action views
check `marketplace.moderate_product` themselves and answer 403 without it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from portal.core.money import format_vnd

from ..forms.products import ModerationReasonForm
from ..models import OcopGroup, OcopSubgroup, Product
from ..services.products import (
    MODERATE_PRODUCT,
    product_approve,
    product_moderation_actions,
    product_reject,
)
from .producers import moderators_only

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


class ProductIndexView(IndexView):
    def get_base_queryset(self):
        # The moderation queue: waiting products first, oldest submission first.
        return (
            super()
            .get_base_queryset()
            .select_related("producer", "group", "province")
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

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_product_buttons(instance, self.request.user),
        ]


class ProductInspectView(InspectView):
    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            *_product_buttons(self.object, self.request.user),
        ]


class ProductViewSet(ModelViewSet):
    model = Product
    icon = "tag"
    menu_label = gettext_lazy("OCOP products")
    url_prefix = "marketplace/products"
    index_view_class = ProductIndexView
    inspect_view_class = ProductInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    search_fields = ["name", "certificate_number", "producer__name"]
    search_backend_name = None
    list_per_page = 50
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

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self):
        removed = {"add", "edit", "delete", "copy"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in removed]

    @property
    def url_finder_class(self):
        return type(
            "ProductURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )


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
    form = ModerationReasonForm(request.POST or None) if action == "reject" else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == "approve":
                updated = product_approve(product_id=product.pk, by=request.user)
            else:
                updated = product_reject(
                    product_id=product.pk, by=request.user, reason=form.cleaned_data["reason"]
                )
        except PermissionDenied:
            return TemplateResponse(
                request, "marketplace/admin/moderation_forbidden.html", {}, status=403
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s is now “%(status)s”.")
                % {"name": updated.name, "status": updated.get_status_display()},
            )
            return redirect(f"{VIEWSET_NAME}:index")
    return TemplateResponse(
        request,
        "marketplace/admin/moderate.html",
        {
            "object": product,
            "action_label": ACTION_LABELS[action],
            "form": form,
            "error": error,
            "cancel_url": reverse(f"{VIEWSET_NAME}:index"),
            "certificate_url": _certificate_url(product),
            "summary": [
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
        },
        status=400 if request.method == "POST" else 200,
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
