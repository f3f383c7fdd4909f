"""Admin screens of shop channels: the channels themselves (superusers configure, moderators
view), and two read-only records: the sync log and the orders channels sent us.

A channel's column mapping is edited as JSON, a list of {"column": …, "field": …}; the model's
clean() refuses unknown fields with the list of known ones. API keys and signing secrets are never
shown back: an empty box keeps the stored value, and the inspect page leaves them out.
"""

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.core.admin_records import RecordViewSet

from ..channels.fields import CHANNEL_FIELDS
from ..channels.presets import CHANNEL_PRESETS, channel_preset_values
from ..models import Channel, ChannelOrder, ChannelSyncLog

CONFIGURE_ACTIONS = {"add", "change", "delete"}


class ChannelPermissionPolicy(ModelPermissionPolicy):
    """Only superusers add, change or delete channels (they hold API keys and secrets); anyone
    with `view_channel` (the marketplace moderators) sees them."""

    def user_has_permission(self, user, action):
        if action in CONFIGURE_ACTIONS:
            return bool(user.is_active and user.is_superuser)
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        others = [action for action in actions if action not in CONFIGURE_ACTIONS]
        if others:
            users = users | super().users_with_any_permission(others)
        return users.distinct()


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records written by the system: viewed, never added, edited or deleted by hand."""

    def user_has_permission(self, user, action):
        if action in CONFIGURE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        others = [action for action in actions if action not in CONFIGURE_ACTIONS]
        if not others:
            from django.contrib.auth import get_user_model

            return get_user_model().objects.none()
        return super().users_with_any_permission(others)


register_permission_policy(Channel, ChannelPermissionPolicy(Channel), exact_class=True)
register_permission_policy(
    ChannelSyncLog, ReadOnlyPermissionPolicy(ChannelSyncLog), exact_class=True
)
register_permission_policy(ChannelOrder, ReadOnlyPermissionPolicy(ChannelOrder), exact_class=True)


class MappingField(forms.JSONField):
    """The column mapping as indented JSON, one column per line, Vietnamese letters as typed."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


def _mapping_help() -> str:
    fields = "; ".join(f"{name} – {field.label}" for name, field in CHANNEL_FIELDS.items())
    return gettext(
        'A JSON list in the order of the file\'s columns, e.g. [{"column": "Tên sản phẩm", '
        '"field": "name"}, {"column": "Giá bán", "field": "price"}]. Name the columns as the '
        "channel's upload template names them. Fields: %(fields)s."
    ) % {"fields": fields}


class ChannelAdminForm(WagtailAdminModelForm):
    preset = forms.ChoiceField(
        label=_("Start from a preset"),
        required=False,
        choices=[("", "—"), *[(slug, preset.name) for slug, preset in CHANNEL_PRESETS.items()]],
        help_text=_(
            "Fills the empty seller portal and column mapping with the preset's values. The "
            "preset's column names follow the seller portal's template as we know it: check them."
        ),
    )
    field_mapping = MappingField(
        label=_("column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "monospace"}),
    )
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    webhook_secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_mapping"].help_text = _mapping_help()
        for name in ("api_key", "webhook_secret"):
            if getattr(self.instance, name, ""):
                self.fields[name].help_text = gettext(
                    "A value is stored. Leave empty to keep it; type a new one to replace it."
                )
            else:
                self.fields[name].help_text = gettext("Only for channels with an API.")

    def _secret(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value and self.instance.pk:
            return getattr(self.instance, name)
        return value

    def clean_api_key(self):
        return self._secret("api_key")

    def clean_webhook_secret(self):
        return self._secret("webhook_secret")

    def clean_field_mapping(self):
        value = self.cleaned_data.get("field_mapping")
        return [] if value is None else value

    def clean(self):
        cleaned = super().clean()
        preset = CHANNEL_PRESETS.get(cleaned.get("preset") or "")
        if preset is not None:
            values = channel_preset_values(preset)
            if not cleaned.get("field_mapping"):
                cleaned["field_mapping"] = values["field_mapping"]
            if not cleaned.get("seller_portal_url"):
                cleaned["seller_portal_url"] = values["seller_portal_url"]
        return cleaned


class ChannelViewSet(ModelViewSet):
    model = Channel
    icon = "site"
    menu_label = _("Shop channels")
    url_prefix = "marketplace/channels"
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["name", "slug"]
    search_backend_name = None
    list_filter = ["kind", "active"]
    list_display = [
        "name",
        Column("kind", label=_("type"), accessor="get_kind_display"),
        Column("seller_portal_url", label=_("seller portal")),
        StatusTagColumn(
            "active",
            label=_("active"),
            accessor=lambda channel: gettext("Active") if channel.active else gettext("Off"),
            primary=lambda channel: channel.active,
        ),
    ]
    # Secrets stay out of the read-only page that moderators see.
    inspect_view_fields = [
        "name",
        "slug",
        "kind",
        "seller_portal_url",
        "field_mapping",
        "api_base_url",
        "timeout_seconds",
        "max_retries",
        "active",
        "position",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("kind"),
                    FieldPanel("seller_portal_url"),
                    FieldPanel("active"),
                    FieldPanel("position"),
                ],
                heading=_("Channel"),
            ),
            MultiFieldPanel(
                [FieldPanel("preset"), FieldPanel("field_mapping")],
                heading=_("Bulk-upload file"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("api_base_url"),
                    FieldPanel("api_key"),
                    FieldPanel("webhook_secret"),
                    FieldPanel("timeout_seconds"),
                    FieldPanel("max_retries"),
                ],
                heading=_("API connector (only for channels with an API)"),
            ),
        ],
        base_form_class=ChannelAdminForm,
    )


class ReadOnlyViewSet(RecordViewSet):
    """Logs: a list only."""

    inspect_view_enabled = False


class ChannelSyncLogViewSet(ReadOnlyViewSet):
    model = ChannelSyncLog
    icon = "history"
    menu_label = _("Channel sync log")
    url_prefix = "marketplace/channel-sync-log"
    list_filter = ["channel", "action", "outcome"]
    search_fields = ["message", "idempotency_key"]
    list_display = [
        DateColumn("created_at", label=_("at")),
        Column("channel", label=_("channel")),
        Column("producer", label=_("producer")),
        Column("product", label=_("product")),
        Column("action", label=_("action"), accessor="get_action_display"),
        Column("attempt", label=_("attempt")),
        Column("outcome", label=_("outcome"), accessor="get_outcome_display"),
        Column("http_status", label=_("HTTP status")),
        Column("message", label=_("message")),
    ]


class ChannelOrderViewSet(ReadOnlyViewSet):
    model = ChannelOrder
    icon = "list-ul"
    menu_label = _("Channel orders")
    url_prefix = "marketplace/channel-orders"
    list_filter = ["channel", "outcome"]
    search_fields = ["external_order_id", "message"]
    list_display = [
        DateColumn("received_at", label=_("received")),
        Column("channel", label=_("channel")),
        Column("external_order_id", label=_("order id on the channel")),
        Column("outcome", label=_("outcome"), accessor="get_outcome_display"),
        Column("message", label=_("message")),
    ]


viewsets = [
    ChannelViewSet("marketplace_channels"),
    ChannelSyncLogViewSet("marketplace_channel_sync_log"),
    ChannelOrderViewSet("marketplace_channel_orders"),
]
