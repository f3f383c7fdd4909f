"""Admin: producers (list with status filter, inspect) and their moderation actions.

Producers are registered and edited by their owners in "My shop", so the admin has no add/edit/
delete screens; moderators (`marketplace.moderate_producer`) verify, reject with a reason, or
suspend. The action views check that permission themselves and answer 403 without it.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.auth import reject_request
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from ..forms.products import ModerationReasonForm
from ..models import Producer
from ..services.producers import (
    MODERATE_PRODUCER,
    producer_allowed_moves,
    producer_reject,
    producer_suspend,
    producer_verify,
)

VIEWSET_NAME = "marketplace_producers"


def moderators_only(permission: str):
    """Refuses (403 page) signed-in admin users without `permission`; nothing is changed."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return reject_request(request)
            if not request.user.has_perm(permission):
                return TemplateResponse(
                    request, "marketplace/admin/moderation_forbidden.html", {}, status=403
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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


class ProducerIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("province", "commune")

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_producer_buttons(instance, self.request.user),
        ]


class ProducerInspectView(InspectView):
    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            *_producer_buttons(self.object, self.request.user),
        ]


class ProducerViewSet(ModelViewSet):
    model = Producer
    icon = "group"
    menu_label = gettext_lazy("Producers")
    url_prefix = "marketplace/producers"
    index_view_class = ProducerIndexView
    inspect_view_class = ProducerInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    search_fields = ["name", "tax_code", "phone", "email"]
    search_backend_name = None
    list_per_page = 50
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
            "ProducerURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )


viewsets = [ProducerViewSet(VIEWSET_NAME)]


SERVICES = {"verify": producer_verify, "reject": producer_reject, "suspend": producer_suspend}


@moderators_only(MODERATE_PRODUCER)
@require_http_methods(["GET", "POST"])
def producer_moderate_view(request, producer_id, action: str):
    """Confirmation page and POST for verify / reject (reason) / suspend (reason)."""
    producer = get_object_or_404(
        Producer.objects.select_related("province", "commune"), pk=producer_id
    )
    needs_reason = action in ("reject", "suspend")
    form = ModerationReasonForm(request.POST or None) if needs_reason else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        kwargs = {"reason": form.cleaned_data["reason"]} if form is not None else {}
        try:
            updated = SERVICES[action](producer_id=producer.pk, by=request.user, **kwargs)
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
            "object": producer,
            "action_label": ACTION_LABELS[action],
            "form": form,
            "error": error,
            "cancel_url": reverse(f"{VIEWSET_NAME}:index"),
            "summary": [
                (_("Name"), producer.name),
                (_("Tax code"), producer.tax_code or "—"),
                (_("Address"), f"{producer.street_address}, {producer.commune}".strip(", ")),
                (_("Phone"), producer.phone),
                (_("Status"), producer.get_status_display()),
            ],
        },
        status=400 if request.method == "POST" else 200,
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
