"""Payments: the buyer's VietQR download and the Stripe Checkout pages."""

from django.urls import path

from ..views import payments

urlpatterns = [
    path(
        "ca-nhan/don-hang/<str:number>/vietqr.svg",
        payments.suborder_vietqr_svg,
        name="suborder_vietqr_svg",
    ),
    path(
        "ca-nhan/don-hang/<str:number>/vietqr.png",
        payments.suborder_vietqr_png,
        name="suborder_vietqr_png",
    ),
    path("thanh-toan/the/hoan-tat/", payments.stripe_return, name="stripe_return"),
    path("thanh-toan/the/da-huy/", payments.stripe_cancel, name="stripe_cancel"),
    path("thanh-toan/the/<str:number>/", payments.stripe_pay, name="stripe_pay"),
]
