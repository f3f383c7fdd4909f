""" "My shop": the producer's pages (registration, profile, members, products)."""

from django.urls import path

from ..views import producers, products_shop, shop

urlpatterns = [
    path("cua-hang/", shop.shop_home, name="shop_home"),
    path("cua-hang/chon/", shop.producer_switch, name="producer_switch"),
    path("cua-hang/dang-ky/", producers.producer_register_view, name="producer_register"),
    path("cua-hang/ho-so/", producers.producer_edit_view, name="producer_edit"),
    path(
        "cua-hang/ho-so/anh/<int:photo_id>/xoa/",
        producers.producer_photo_delete_view,
        name="producer_photo_delete",
    ),
    path("cua-hang/thanh-vien/", producers.producer_members_view, name="producer_members"),
    path(
        "cua-hang/thanh-vien/<int:member_id>/xoa/",
        producers.producer_member_remove_view,
        name="producer_member_remove",
    ),
    path("cua-hang/san-pham/", products_shop.shop_products_view, name="shop_products"),
    path("cua-hang/san-pham/them/", products_shop.shop_product_add_view, name="shop_product_add"),
    path(
        "cua-hang/san-pham/<int:pk>/",
        products_shop.shop_product_edit_view,
        name="shop_product_edit",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/gui-duyet/",
        products_shop.shop_product_submit_view,
        name="shop_product_submit",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/dang-ban/",
        products_shop.shop_product_publish_view,
        name="shop_product_publish",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/an/",
        products_shop.shop_product_unpublish_view,
        name="shop_product_unpublish",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/xoa/",
        products_shop.shop_product_delete_view,
        name="shop_product_delete",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/giay-chung-nhan/",
        products_shop.shop_product_certificate_view,
        name="shop_product_certificate",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/anh/<int:photo_id>/di-chuyen/",
        products_shop.shop_product_photo_move_view,
        name="shop_product_photo_move",
    ),
    path(
        "cua-hang/san-pham/<int:pk>/anh/<int:photo_id>/xoa/",
        products_shop.shop_product_photo_delete_view,
        name="shop_product_photo_delete",
    ),
]
