"""VietQR codes: the NAPAS EMVCo payload (built with `vietnam-qr-pay`, CRC included) that banking
apps read to fill in the producer's account, the exact amount and the transfer message, drawn as
an SVG (or PNG) with `segno`.

The transfer message is the sub-order's payment reference and nothing else: banks strip
punctuation and cut long messages, and the bank webhook finds the sub-order by that reference.
"""

import io
from dataclasses import dataclass

import segno
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from vietnam_qr_pay import QRPay

from ..models import Order, SubOrder
from ..validators import vietqr_bank


class VietQrUnavailable(Exception):
    """No VietQR code can be made for this sub-order; `message` is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VietQrCode:
    payload: str
    # Inline <svg> markup drawn by segno from an ASCII payload we built: safe to embed as is.
    svg: SafeString
    bank_name: str
    bank_bin: str
    account_number: str
    account_name: str
    amount: int
    message: str


def vietqr_payload(*, bank_bin: str, account_number: str, amount: int, message: str) -> str:
    """The EMVCo string (with its CRC) of a transfer of `amount` VND to one account."""
    return QRPay.init_viet_qr(
        bank_bin=bank_bin,
        bank_number=account_number,
        amount=str(amount),
        purpose=message,
    ).build()


def vietqr_render(*, payload: str, kind: str = "svg", scale: int = 8) -> bytes:
    """The QR code of `payload` as an SVG document or a PNG image (error correction M, as
    banking apps expect)."""
    qr = segno.make(payload, error="m", micro=False)
    out = io.BytesIO()
    if kind == "png":
        qr.save(out, kind="png", scale=scale, border=4)
    else:
        qr.save(out, kind="svg", scale=scale, border=4, title="VietQR", xmldecl=True)
    return out.getvalue()


def suborder_amount_due(*, suborder: SubOrder) -> int:
    """What is still to be transferred: the subtotal less what partial transfers brought."""
    return max(0, suborder.subtotal - suborder.paid_amount)


def suborder_vietqr(*, suborder: SubOrder) -> VietQrCode:
    """The VietQR code paying this sub-order to its producer's account: the amount still due
    (the subtotal unless a partial transfer arrived) and the payment reference as message.

    Raises VietQrUnavailable when the order is not paid by transfer, nothing is due, or the
    producer has no receiving account."""
    order = suborder.order
    producer = suborder.producer
    if order.payment_method != Order.PaymentMethod.VIETQR:
        raise VietQrUnavailable(_("This order is not paid by bank transfer."))
    if not producer.accepts_vietqr:
        raise VietQrUnavailable(
            _("%(producer)s has not set up a bank account for transfers yet.")
            % {"producer": producer.name}
        )
    amount = suborder_amount_due(suborder=suborder)
    if amount <= 0:
        raise VietQrUnavailable(_("Nothing is left to pay on this order."))
    message = suborder.payment_reference
    payload = vietqr_payload(
        bank_bin=producer.bank_bin,
        account_number=producer.bank_account_number,
        amount=amount,
        message=message,
    )
    qr = segno.make(payload, error="m", micro=False)
    svg = qr.svg_inline(
        scale=4,
        border=4,
        omitsize=True,
        svgclass="vietqr__svg",
        lineclass=None,
        title=_("VietQR code to pay %(reference)s") % {"reference": message},
    )
    bank = vietqr_bank(producer.bank_bin)
    return VietQrCode(
        payload=payload,
        svg=mark_safe(svg),  # noqa: S308 - segno's markup of our own ASCII payload
        bank_name=bank.short_name if bank else producer.bank_bin,
        bank_bin=producer.bank_bin,
        account_number=producer.bank_account_number,
        account_name=producer.bank_account_name,
        amount=amount,
        message=message,
    )
