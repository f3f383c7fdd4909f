"""Marketplace pages under the language prefix. Each area keeps its own module."""

from . import catalogue, channels, orders, payments, shop

app_name = "marketplace"

urlpatterns = [
    *catalogue.urlpatterns,
    *shop.urlpatterns,
    *orders.urlpatterns,
    *payments.urlpatterns,
    *channels.urlpatterns,
]
