"""Forms of the producer's "Sales channels" pages (the admin's channel form is in admin/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ChannelListing, ChannelSyncLog


class ChannelListingForm(forms.Form):
    """Where a product is listed on a file channel, as the producer copies it from the shop."""

    listing_url = forms.URLField(
        label=_("Listing address"),
        max_length=ChannelListing._meta.get_field("listing_url").max_length,
        assume_scheme="https",
        help_text=_("Open the product on the channel and copy the address (https://…)."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    external_sku = forms.CharField(
        label=_("SKU on the channel"),
        required=False,
        max_length=ChannelListing._meta.get_field("external_sku").max_length,
        help_text=_("Optional: the product code the channel shows in its seller portal."),
    )


class ChannelSyncForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (ChannelSyncLog.Action.PUSH, ChannelSyncLog.Action.PUSH.label),
            (ChannelSyncLog.Action.UPDATE, ChannelSyncLog.Action.UPDATE.label),
            (ChannelSyncLog.Action.DELIST, ChannelSyncLog.Action.DELIST.label),
        ]
    )
