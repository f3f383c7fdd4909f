"""Public marketplace pages: the catalogue, products, their QR codes, producers, statistics."""

from django.urls import path

from ..views import catalogue, public

urlpatterns = [
    path("cho-ocop/", catalogue.catalogue, name="catalogue"),
    path("cho-ocop/san-pham/<slug:slug>/", public.product, name="product"),
    path("cho-ocop/san-pham/<slug:slug>/qr.svg", public.product_qr, name="product_qr"),
    path("cho-ocop/nha-san-xuat/<slug:slug>/", public.producer, name="producer"),
    path("cho-ocop/thong-ke/", public.statistics, name="statistics"),
]
