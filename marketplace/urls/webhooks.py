"""Machine-to-machine endpoints (no language prefix, no CSRF: each checks its own signature)."""

from . import channel_webhooks, payment_webhooks

app_name = "marketplace_webhooks"

urlpatterns = [*payment_webhooks.urlpatterns, *channel_webhooks.urlpatterns]
