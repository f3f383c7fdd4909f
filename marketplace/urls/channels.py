"""The producer's "Sales channels" pages in "My shop"."""

from django.urls import path

from ..views import channels as views

urlpatterns = [
    path("cua-hang/kenh-ban/", views.shop_channels, name="shop_channels"),
    path("cua-hang/kenh-ban/<slug:slug>/", views.shop_channel, name="shop_channel"),
    path(
        "cua-hang/kenh-ban/<slug:slug>/tai-file.<str:file_format>",
        views.shop_channel_file,
        name="shop_channel_file",
    ),
    path(
        "cua-hang/kenh-ban/<slug:slug>/san-pham/<int:product_id>/",
        views.shop_channel_listing,
        name="shop_channel_listing",
    ),
    path(
        "cua-hang/kenh-ban/<slug:slug>/san-pham/<int:product_id>/xoa/",
        views.shop_channel_listing_remove,
        name="shop_channel_listing_remove",
    ),
    path(
        "cua-hang/kenh-ban/<slug:slug>/san-pham/<int:product_id>/dong-bo/",
        views.shop_channel_sync,
        name="shop_channel_sync",
    ),
]
