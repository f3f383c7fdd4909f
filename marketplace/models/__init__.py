"""Producers, OCOP products, orders and payments, shop channels."""

from .channels import Channel, ChannelListing, ChannelOrder, ChannelSyncLog
from .ocop import OcopGroup, OcopSubgroup
from .orders import Order, OrderLine, SubOrder, SubOrderEvent
from .pages import MarketplacePage
from .payments import BankTransaction, StripeEvent
from .producers import Producer, ProducerMember, ProducerPhoto
from .products import Product, ProductPhoto

__all__ = [
    "BankTransaction",
    "Channel",
    "ChannelListing",
    "ChannelOrder",
    "ChannelSyncLog",
    "MarketplacePage",
    "OcopGroup",
    "OcopSubgroup",
    "Order",
    "OrderLine",
    "Producer",
    "ProducerMember",
    "ProducerPhoto",
    "Product",
    "ProductPhoto",
    "StripeEvent",
    "SubOrder",
    "SubOrderEvent",
]
