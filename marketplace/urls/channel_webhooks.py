"""Order webhooks of shop channels that have an API (HMAC-signed; docs/marketplace-channels.md)."""

from django.urls import path

from ..views.channels import channel_order_webhook

urlpatterns = [
    path(
        "webhooks/kenh-ban/<slug:slug>/don-hang/",
        channel_order_webhook,
        name="channel_order_webhook",
    ),
]
