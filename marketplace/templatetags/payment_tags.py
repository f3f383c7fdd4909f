"""Template tags of the payment includes."""

from django import template

from ..models import SubOrder
from ..payments import vietqr

register = template.Library()


@register.simple_tag
def suborder_vietqr(suborder):
    """`{% suborder_vietqr suborder as qr %}`: the VietQR code of a pending transfer
    sub-order, or None when it cannot (or need not) be paid by transfer now."""
    if suborder is None or suborder.status != SubOrder.Status.PENDING:
        return None
    try:
        return vietqr.suborder_vietqr(suborder=suborder)
    except vietqr.VietQrUnavailable:
        return None
