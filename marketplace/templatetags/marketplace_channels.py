"""The "Also on Voso / Postmart" links of a product (marketplace/includes/channel_buttons.html)."""

from django import template

from ..selectors.channels import product_channel_links as _product_channel_links

register = template.Library()


@register.simple_tag
def product_channel_links(product):
    if product is None or getattr(product, "pk", None) is None:
        return []
    return _product_channel_links(product=product)
