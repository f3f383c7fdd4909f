"""Cart, checkout and orders: the buyer's pages and the producer's sub-order pages."""

from django.urls import path

from ..views import cart, checkout, orders, shop_orders

urlpatterns = [
    path("gio-hang/", cart.cart, name="cart"),
    path("gio-hang/them/", cart.cart_add, name="cart_add"),
    path("gio-hang/cap-nhat/", cart.cart_update, name="cart_update"),
    path("thanh-toan/", checkout.checkout, name="checkout"),
    path("ca-nhan/don-hang/", orders.my_orders, name="my_orders"),
    path("ca-nhan/don-hang/<str:number>/", orders.order_detail, name="order_detail"),
    path("cua-hang/don-hang/", shop_orders.shop_suborders, name="shop_suborders"),
    path("cua-hang/don-hang/<str:number>/", shop_orders.shop_suborder, name="shop_suborder"),
]
