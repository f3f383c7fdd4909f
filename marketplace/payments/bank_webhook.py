"""Bank-transaction notifications: signed JSON from a bank-notification service (Casso/SePay style)
telling us a transfer arrived, matched to a sub-order by the payment reference in its message.

Signature: `X-Timestamp: <unix seconds>` and `X-Signature: sha256=<hex>`, the HMAC-SHA256 of
`"<timestamp>.<raw body>"` with BANK_WEBHOOK_SECRET, within 5 minutes of our clock (the scheme and
how to put a real provider in front of it are in docs/marketplace-payments.md).

Every transaction id is stored once per provider; a replay answers as the first delivery did and
changes nothing. Only an exact transfer to a pending VietQR sub-order pays it without a flag;
everything else is stored with its outcome and flagged for a person (see `_plan`).
"""

import hashlib
import hmac
import json
import re
import time
import unicodedata
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..models import BankTransaction, Order, StripeEvent, SubOrder
from ..services.order_status import suborder_transition

MAX_BODY_BYTES = 64 * 1024
TOLERANCE_SECONDS = 5 * 60
MAX_TRANSACTIONS_PER_REQUEST = 100
# A transfer larger than this is a typo or an attack, not an OCOP order (10 billion VND).
MAX_AMOUNT_VND = 10_000_000_000
DEFAULT_PROVIDER = "bank"
# Bank-notification services report times in Vietnam's time when they give no offset.
BANK_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

S = SubOrder.Status
O = BankTransaction.Outcome  # noqa: E741 - short alias of the outcome choices
PAID_STATUSES = {S.PAID, S.SHIPPING, S.DELIVERED, S.COMPLETED}


class BankWebhookError(Exception):
    """A notification refused as a whole: `status` is the HTTP answer, `message` is for people.
    Nothing was stored."""

    def __init__(self, status: int, message: str):
        super().__init__(status, message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class BankNotice:
    """One credit transaction, validated."""

    provider: str
    transaction_id: str
    amount: int
    description: str
    account_number: str
    transacted_at: object = None
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BankRecordResult:
    transaction: BankTransaction
    replay: bool


# --- Signature ---------------------------------------------------------------------------------


def bank_signature(*, body: bytes, timestamp: str, secret: str) -> str:
    """The `X-Signature` value of `body` sent at `timestamp`: "sha256=" + hex HMAC-SHA256 of
    "<timestamp>.<body>" keyed with `secret`."""
    signed = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def bank_signature_verify(
    *, body: bytes, timestamp: str | None, signature: str | None, secret: str, now=None
) -> None:
    """Raises BankWebhookError(401) unless `signature` signs `body` at `timestamp` with `secret`
    and `timestamp` is within 5 minutes of now. The comparison takes constant time."""
    refused = BankWebhookError(401, _("The signature of this notification is not valid."))
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        raise refused
    if abs((time.time() if now is None else now) - int(timestamp)) > TOLERANCE_SECONDS:
        raise BankWebhookError(401, _("This notification is too old or its clock is wrong."))
    expected = bank_signature(body=body, timestamp=timestamp, secret=secret)
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip().lower().encode()):
        raise refused


# --- Parsing -----------------------------------------------------------------------------------


def _first(item: dict, *names: str):
    for name in names:
        if name in item:
            return item[name]
    return None


def _notice(item) -> BankNotice:
    if not isinstance(item, dict):
        raise BankWebhookError(400, _("Each transaction must be a JSON object."))
    missing = [
        label
        for label, names in (
            ("id", ("id", "transaction_id")),
            ("amount", ("amount",)),
            ("description", ("description", "content")),
            ("account_number", ("account_number",)),
        )
        if _first(item, *names) is None
    ]
    if missing:
        raise BankWebhookError(
            400, _("Missing fields: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    transaction_id = _first(item, "id", "transaction_id")
    if isinstance(transaction_id, bool) or not isinstance(transaction_id, (str, int)):
        raise BankWebhookError(400, _("The transaction id must be text or a number."))
    transaction_id = str(transaction_id).strip()
    if not transaction_id or len(transaction_id) > 100:
        raise BankWebhookError(400, _("The transaction id must have 1 to 100 characters."))
    amount = item["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise BankWebhookError(400, _("The amount must be a whole number of đồng."))
    if amount <= 0 or amount > MAX_AMOUNT_VND:
        raise BankWebhookError(400, _("The amount must be a positive number of đồng."))
    description = _first(item, "description", "content")
    if not isinstance(description, str):
        raise BankWebhookError(400, _("The transfer message must be text."))
    account_number = item["account_number"]
    if isinstance(account_number, bool) or not isinstance(account_number, (str, int)):
        raise BankWebhookError(400, _("The account number must be text."))
    account_number = re.sub(r"[\s.-]", "", str(account_number))
    if not account_number or len(account_number) > 30:
        raise BankWebhookError(400, _("The account number must have 1 to 30 characters."))
    provider = item.get("provider") or DEFAULT_PROVIDER
    if not isinstance(provider, str) or len(provider.strip()) > 40 or not provider.strip():
        raise BankWebhookError(400, _("The provider must be a name of at most 40 characters."))
    transacted_at = None
    when = _first(item, "when", "transaction_date")
    if when not in (None, ""):
        try:
            transacted_at = parse_datetime(when) if isinstance(when, str) else None
        except ValueError:
            transacted_at = None
        if transacted_at is None:
            raise BankWebhookError(400, _("The transaction time is not a date and time."))
        if timezone.is_naive(transacted_at):
            transacted_at = timezone.make_aware(transacted_at, BANK_TIME_ZONE)
    return BankNotice(
        provider=provider.strip().lower(),
        transaction_id=transaction_id,
        amount=amount,
        description=description[:2000],
        account_number=account_number,
        transacted_at=transacted_at,
        payload=item,
    )


def bank_notices_parse(body: bytes) -> list[BankNotice]:
    """The transactions of a notification: one JSON object, or `{"data": [objects]}` as
    services that batch send. Raises BankWebhookError(400) on anything malformed."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BankWebhookError(400, _("The body is not valid JSON.")) from None
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        items = document["data"]
        if not items:
            raise BankWebhookError(400, _("The notification holds no transaction."))
        if len(items) > MAX_TRANSACTIONS_PER_REQUEST:
            raise BankWebhookError(400, _("Too many transactions in one notification."))
    else:
        items = [document]
    return [_notice(item) for item in items]


# --- Matching and recording --------------------------------------------------------------------


def transfer_message_normalize(message: str) -> str:
    """ "ck don CDS-4k7 q2m9x" -> "CKDONCDS4K7Q2M9X": capitals, ASCII letters and digits only,
    as banks rewrite messages (they drop punctuation, diacritics and sometimes spaces)."""
    folded = unicodedata.normalize("NFKD", message.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^0-9A-Z]", "", folded.upper())


def suborder_id_for_message(message: str) -> int | None:
    """The sub-order whose payment reference appears in the transfer message (case and spaces
    ignored); the longest reference wins; None when there is none or two different ones fit."""
    text = transfer_message_normalize(message)
    if len(text) < 4:
        return None
    found = list(
        SubOrder.objects.alias(message=Value(text, output_field=TextField()))
        .filter(message__contains=Upper("payment_reference"))
        .exclude(payment_reference="")
        .values_list("pk", "payment_reference")[:20]
    )
    if not found:
        return None
    longest = max(len(reference) for _pk, reference in found)
    best = [pk for pk, reference in found if len(reference) == longest]
    return best[0] if len(best) == 1 else None


@dataclass(frozen=True)
class _Plan:
    outcome: str
    pay: bool = False
    paid_amount: int | None = None
    flag: str | None = None


def _plan(*, suborder: SubOrder | None, notice: BankNotice) -> _Plan:
    """What a transfer does to the (locked) sub-order its message names.

    Pending VietQR sub-order: the transfers received so far add up; exactly the subtotal pays it
    (a partial flag clears), less flags it partial and waits for the rest, more pays it and
    flags it overpaid (the difference is to be refunded). A paid sub-order is flagged duplicate;
    a cancelled or refunded one late; a COD or card sub-order duplicate (the buyer pays it
    another way too). Money sent to another account changes nothing."""
    if suborder is None:
        return _Plan(O.UNKNOWN_REFERENCE)
    received = suborder.paid_amount + notice.amount
    if notice.account_number != suborder.producer.bank_account_number:
        return _Plan(O.WRONG_ACCOUNT)
    if suborder.status == S.PENDING and suborder.order.payment_method == Order.PaymentMethod.VIETQR:
        if received < suborder.subtotal:
            return _Plan(O.PARTIAL, paid_amount=received, flag=SubOrder.PaymentFlag.PARTIAL)
        if received == suborder.subtotal:
            return _Plan(O.MATCHED, pay=True, paid_amount=received, flag=SubOrder.PaymentFlag.NONE)
        return _Plan(O.OVERPAID, pay=True, paid_amount=received, flag=SubOrder.PaymentFlag.OVERPAID)
    if suborder.status in PAID_STATUSES:
        return _Plan(O.ALREADY_PAID, paid_amount=received, flag=SubOrder.PaymentFlag.DUPLICATE)
    if suborder.status in (S.CANCELLED, S.REFUNDED):
        return _Plan(O.NOT_PAYABLE, paid_amount=received, flag=SubOrder.PaymentFlag.LATE)
    return _Plan(O.NOT_PAYABLE, paid_amount=received, flag=SubOrder.PaymentFlag.DUPLICATE)


def bank_transaction_record(*, notice: BankNotice) -> BankRecordResult:
    """Stores one transaction and applies it to its sub-order, in one transaction under the
    sub-order's row lock. The transaction row is inserted before anything changes: a second
    delivery (even a concurrent one, which waits for the lock and then meets the unique
    constraint) finds it and returns it with `replay=True`, having changed nothing."""
    existing = BankTransaction.objects.filter(
        provider=notice.provider, transaction_id=notice.transaction_id
    ).first()
    if existing is not None:
        return BankRecordResult(transaction=existing, replay=True)
    suborder_id = suborder_id_for_message(notice.description)
    with transaction.atomic():
        suborder = None
        if suborder_id is not None:
            suborder = (
                SubOrder.objects.select_for_update()
                .select_related("order", "producer")
                .get(pk=suborder_id)
            )
        plan = _plan(suborder=suborder, notice=notice)
        record = BankTransaction(
            provider=notice.provider,
            transaction_id=notice.transaction_id,
            amount=notice.amount,
            description=notice.description,
            account_number=notice.account_number,
            transacted_at=notice.transacted_at,
            payload=notice.payload,
            suborder=suborder,
            outcome=plan.outcome,
        )
        record.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # A concurrent delivery of the same transaction committed first.
            record = BankTransaction.objects.get(
                provider=notice.provider, transaction_id=notice.transaction_id
            )
            return BankRecordResult(transaction=record, replay=True)
        if suborder is not None:
            _apply(suborder=suborder, record=record, plan=plan)
    return BankRecordResult(transaction=record, replay=False)


def _apply(*, suborder: SubOrder, record: BankTransaction, plan: _Plan) -> None:
    now = timezone.now()
    if plan.pay:
        suborder_transition(
            suborder_id=suborder.pk,
            to_status=S.PAID,
            role="gateway",
            note=_("Bank transfer %(id)s received.") % {"id": record.transaction_id},
        )
        if plan.outcome == O.MATCHED:
            # The earlier partial transfers are settled by this one.
            BankTransaction.objects.filter(
                suborder=suborder, outcome=O.PARTIAL, resolved=False
            ).update(resolved=True, resolved_at=now)
    changes = {}
    if plan.paid_amount is not None:
        changes["paid_amount"] = plan.paid_amount
    if plan.flag is not None:
        changes["payment_flag"] = plan.flag
    if changes:
        SubOrder.objects.filter(pk=suborder.pk).update(**changes, updated_at=now)


def bank_webhook_receive(
    *, body: bytes, timestamp: str | None, signature: str | None
) -> list[BankRecordResult]:
    """Checks a notification (secret configured, size, signature, fields) and records each of
    its transactions. Raises BankWebhookError (503, 413, 401 or 400) having stored nothing."""
    secret = settings.BANK_WEBHOOK_SECRET
    if not secret:
        raise BankWebhookError(503, _("Bank notifications are not set up on this site."))
    if len(body) > MAX_BODY_BYTES:
        raise BankWebhookError(413, _("The notification is too large."))
    bank_signature_verify(body=body, timestamp=timestamp, signature=signature, secret=secret)
    notices = bank_notices_parse(body)
    return [bank_transaction_record(notice=notice) for notice in notices]


# --- Sorting out -------------------------------------------------------------------------------


def bank_transaction_resolve(*, transaction_id: int, resolved: bool, by) -> BankTransaction:
    """Marks a flagged transaction sorted out (or reopens it), under its row lock. When the last
    unresolved problem of its sub-order is sorted out, the sub-order's payment flag is cleared;
    reopening leaves the sub-order as it is."""
    with transaction.atomic():
        record = BankTransaction.objects.select_for_update().get(pk=transaction_id)
        record.resolved = resolved
        record.resolved_at = timezone.now() if resolved else None
        record.resolved_by = by if resolved and getattr(by, "is_authenticated", False) else None
        record.save(update_fields=["resolved", "resolved_at", "resolved_by"])
        if resolved and record.suborder_id:
            suborder_payment_flag_settle(suborder_id=record.suborder_id)
    return record


def suborder_payment_flag_settle(*, suborder_id: int) -> bool:
    """Clears a sub-order's payment flag when no bank transaction or Stripe event about it is
    still waiting to be sorted out. Returns True when it cleared it."""
    suborder = SubOrder.objects.select_for_update().get(pk=suborder_id)
    if not suborder.payment_flag:
        return False
    waiting_bank = (
        BankTransaction.objects.filter(suborder_id=suborder_id, resolved=False)
        .exclude(outcome=O.MATCHED)
        .exists()
    )
    waiting_stripe = StripeEvent.objects.filter(
        order_id=suborder.order_id, outcome=StripeEvent.Outcome.FLAGGED, resolved=False
    ).exists()
    if waiting_bank or waiting_stripe:
        return False
    SubOrder.objects.filter(pk=suborder_id).update(
        payment_flag=SubOrder.PaymentFlag.NONE, updated_at=timezone.now()
    )
    return True
