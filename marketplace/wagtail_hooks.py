"""Admin screens of the marketplace, grouped under one menu item; each module lists its viewsets."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin import channels, orders, payments, producers, products


class MarketplaceAdminGroup(ViewSetGroup):
    menu_label = _("OCOP marketplace")
    menu_icon = "tag"
    menu_order = 250
    items = [
        *producers.viewsets,
        *products.viewsets,
        *orders.viewsets,
        *payments.viewsets,
        *channels.viewsets,
    ]


@hooks.register("register_admin_viewset")
def register_marketplace_admin():
    return MarketplaceAdminGroup()
