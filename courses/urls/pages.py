"""Learner pages outside the page tree: my training, certificates."""

from django.urls import path

from ..views import certificates, training

urlpatterns = [
    path("ca-nhan/dao-tao/", training.my_training, name="my_training"),
    path(
        "ca-nhan/chung-chi/<str:serial>.pdf",
        certificates.certificate_download,
        name="certificate_download",
    ),
    path("chung-chi/<str:serial>/", certificates.certificate_verify, name="certificate_verify"),
]
