"""Payment providers' webhooks (no language prefix, no CSRF: each checks its own signature)."""

from django.urls import path

from ..views import payments

urlpatterns = [
    path("webhooks/ngan-hang/", payments.bank_webhook, name="bank_webhook"),
    path("webhooks/stripe/", payments.stripe_webhook, name="stripe_webhook"),
]
