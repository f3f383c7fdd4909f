"""Admin: producers (list with status filter, inspect) and their moderation actions.

Producers are registered and edited by their owners in "My shop", so the admin has no add/edit/
delete screens; moderators (`marketplace.moderate_producer`) verify, reject with a reason, or
suspend. The action views check that permission themselves and answer 403 without it.
"""

from django.shortcuts import get_object_or_404
from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.widgets.button import Button

from portal.core.admin_records import RecordViewSet

from ..models import Producer
from ..services.producers import (
    MODERATE_PRODUCER,
    producer_allowed_moves,
    producer_reject,
    producer_suspend,
    producer_verify,
)
from .moderation import moderation_page, moderators_only

VIEWSET_NAME = "marketplace_producers"


ACTION_LABELS = {
    "verify": gettext_lazy("Verify"),
    "reject": gettext_lazy("Reject"),
    "suspend": gettext_lazy("Suspend"),
}
ACTION_ICONS = {"verify": "success", "reject": "cross", "suspend": "warning"}


def _producer_buttons(producer: Producer, user) -> list[Button]:
    if not user.has_perm(MODERATE_PRODUCER):
        return []
    return [
        Button(
            ACTION_LABELS[action],
            url=reverse("marketplace_producer_moderate", args=[producer.pk, action]),
            icon_name=ACTION_ICONS[action],
            priority=30 + index,
        )
        for index, action in enumerate(producer_allowed_moves(producer=producer))
    ]


class ProducerViewSet(RecordViewSet):
    model = Producer
    icon = "group"
    menu_label = gettext_lazy("Producers")
    url_prefix = "marketplace/producers"
    search_fields = ["name", "tax_code", "phone", "email"]
    list_filter = ["status", "kind", "province"]
    list_display = [
        "name",
        Column("kind", label=gettext_lazy("Type"), accessor="get_kind_display"),
        Column("tax_code", label=gettext_lazy("Tax code")),
        Column("province", label=gettext_lazy("Province")),
        StatusTagColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            primary=lambda producer: producer.status == Producer.Status.VERIFIED,
        ),
        DateColumn("created_at", label=gettext_lazy("Registered at")),
    ]
    inspect_view_fields = [
        "name",
        "kind",
        "tax_code",
        "province",
        "commune",
        "street_address",
        "phone",
        "email",
        "description",
        "bank_bin",
        "bank_account_number",
        "bank_account_name",
        "status",
        "rejection_reason",
        "verified_at",
        "verified_by",
        "created_by",
        "created_at",
    ]

    def list_queryset(self, queryset):
        return queryset.select_related("province", "commune")

    def record_buttons(self, instance, user):
        return _producer_buttons(instance, user)


viewsets = [ProducerViewSet(VIEWSET_NAME)]


SERVICES = {"verify": producer_verify, "reject": producer_reject, "suspend": producer_suspend}


@moderators_only(MODERATE_PRODUCER)
@require_http_methods(["GET", "POST"])
def producer_moderate_view(request, producer_id, action: str):
    """Confirmation page and POST for verify / reject (reason) / suspend (reason)."""
    producer = get_object_or_404(
        Producer.objects.select_related("province", "commune"), pk=producer_id
    )

    def perform(reason):
        kwargs = {"reason": reason} if reason is not None else {}
        return SERVICES[action](producer_id=producer.pk, by=request.user, **kwargs)

    return moderation_page(
        request,
        obj=producer,
        action_label=ACTION_LABELS[action],
        needs_reason=action in ("reject", "suspend"),
        perform=perform,
        index_url_name=f"{VIEWSET_NAME}:index",
        summary=[
            (_("Name"), producer.name),
            (_("Tax code"), producer.tax_code or "—"),
            (_("Address"), f"{producer.street_address}, {producer.commune}".strip(", ")),
            (_("Phone"), producer.phone),
            (_("Status"), producer.get_status_display()),
        ],
    )


@hooks.register("register_admin_urls")
def register_producer_moderation_urls():
    return [
        re_path(
            r"^marketplace/producers/(?P<producer_id>[0-9]+)/(?P<action>verify|reject|suspend)/$",
            producer_moderate_view,
            name="marketplace_producer_moderate",
        ),
    ]
