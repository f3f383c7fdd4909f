"""The bank-transaction webhook: HMAC-signed notices of transfers, each stored once, matched to a
sub-order by its payment reference; only an exact transfer pays without a flag."""

import datetime
import json
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from marketplace.models import BankTransaction, SubOrder, SubOrderEvent
from marketplace.payments.bank_webhook import (
    bank_signature,
    suborder_id_for_message,
    transfer_message_normalize,
)
from marketplace.services.roles import MARKETPLACE_MODERATORS_GROUP, marketplace_roles_ensure
from tests.factories.marketplace import ProducerMemberFactory, ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "bank-webhook-secret-for-tests"
URL = "/webhooks/ngan-hang/"
S = SubOrder.Status
O = BankTransaction.Outcome  # noqa: E741


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.BANK_WEBHOOK_SECRET = SECRET


@pytest.fixture
def suborder():
    order = place_order(items=[(ProductFactory(price=150_000), 1)], payment_method="vietqr")
    return order.suborders.select_related("order", "producer").get()


def notice(suborder, **overrides):
    data = {
        "id": "FT2405010001",
        "amount": suborder.subtotal,
        "description": f"MBVCB.5521.{suborder.payment_reference}.CT tu 0123 NGUYEN THI BUOI",
        "account_number": suborder.producer.bank_account_number,
        "when": "2024-05-01 10:15:00",
    }
    data.update(overrides)
    return data


def post(client, data, *, secret=SECRET, timestamp=None, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(data).encode()
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    if signature is None:
        signature = bank_signature(body=body, timestamp=timestamp, secret=secret)
    headers = {}
    if timestamp != "":
        headers["HTTP_X_TIMESTAMP"] = timestamp
    if signature != "":
        headers["HTTP_X_SIGNATURE"] = signature
    return client.post(URL, body, content_type="application/json", **headers)


def fresh(suborder) -> SubOrder:
    return SubOrder.objects.get(pk=suborder.pk)


def test_url_name():
    assert reverse("marketplace_webhooks:bank_webhook") == URL


def test_exact_transfer_pays_the_sub_order(client, suborder):
    response = post(client, notice(suborder))
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"transaction_id": "FT2405010001", "outcome": "matched", "replay": False}
    ]
    paid = fresh(suborder)
    assert paid.status == S.PAID
    assert paid.paid_amount == 150_000
    assert paid.paid_at is not None
    assert paid.payment_flag == ""
    event = SubOrderEvent.objects.get(suborder=suborder)
    assert (event.from_status, event.to_status, event.role) == ("pending", "paid", "gateway")
    record = BankTransaction.objects.get()
    assert record.suborder_id == suborder.pk
    assert record.provider == "bank"
    assert record.transacted_at == datetime.datetime(2024, 5, 1, 3, 15, tzinfo=datetime.UTC)


def test_replay_changes_nothing(client, suborder):
    assert post(client, notice(suborder)).status_code == 200
    response = post(client, notice(suborder, amount=999))  # same id, even with other content
    assert response.status_code == 200
    assert response.json()["results"][0]["replay"] is True
    assert response.json()["results"][0]["outcome"] == "matched"
    assert BankTransaction.objects.count() == 1
    assert SubOrderEvent.objects.filter(suborder=suborder).count() == 1
    assert fresh(suborder).paid_amount == 150_000


def test_same_id_from_another_provider_is_another_transaction(client, suborder):
    post(client, notice(suborder, amount=100_000))
    post(client, notice(suborder, amount=50_000, provider="sepay"))
    assert BankTransaction.objects.count() == 2
    assert fresh(suborder).status == S.PAID


# --- Refused deliveries: nothing stored ------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": "another-secret"},
        {"signature": "sha256=" + "0" * 64},
        {"signature": ""},
        {"timestamp": ""},
        {"timestamp": "abc"},
        {"timestamp_offset": -301},
        {"timestamp_offset": 301},
    ],
    ids=[
        "wrong secret",
        "forged",
        "no signature",
        "no timestamp",
        "bad timestamp",
        "old",
        "future",
    ],
)
def test_bad_signature_is_refused(client, suborder, kwargs):
    if "timestamp_offset" in kwargs:
        kwargs = {"timestamp": str(int(time.time()) + kwargs["timestamp_offset"])}
    response = post(client, notice(suborder), **kwargs)
    assert response.status_code == 401
    assert "error" in response.json()
    assert not BankTransaction.objects.exists()
    assert fresh(suborder).status == S.PENDING


def test_body_changed_after_signing_is_refused(client, suborder):
    body = json.dumps(notice(suborder)).encode()
    timestamp = str(int(time.time()))
    signature = bank_signature(body=body, timestamp=timestamp, secret=SECRET)
    tampered = body.replace(b"150000", b"150001")
    response = post(client, None, raw=tampered, timestamp=timestamp, signature=signature)
    assert response.status_code == 401
    assert not BankTransaction.objects.exists()


def test_signature_of_another_timestamp_is_refused(client, suborder):
    body = json.dumps(notice(suborder)).encode()
    old = str(int(time.time()) - 10)
    signature = bank_signature(body=body, timestamp=old, secret=SECRET)
    response = post(client, None, raw=body, timestamp=str(int(time.time())), signature=signature)
    assert response.status_code == 401


def test_not_configured_answers_503(client, suborder, settings):
    settings.BANK_WEBHOOK_SECRET = ""
    response = post(client, notice(suborder), secret="")
    assert response.status_code == 503
    assert not BankTransaction.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 150000.0},
        {"amount": "150000"},
        {"amount": -150000},
        {"amount": 0},
        {"amount": True},
        {"amount": 10**15},
        {"amount": None},
        {"id": None},
        {"id": ""},
        {"id": ["x"]},
        {"description": None},
        {"description": 12},
        {"account_number": None},
        {"when": "hôm qua"},
        {"provider": "x" * 41},
    ],
    ids=lambda change: f"{next(iter(change))}={next(iter(change.values()))!r}"[:40],
)
def test_malformed_transactions_are_refused(client, suborder, change):
    data = {key: value for key, value in notice(suborder, **change).items() if value is not None}
    response = post(client, data)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert not BankTransaction.objects.exists()
    assert fresh(suborder).status == S.PENDING


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[]", b'"text"', b'{"data": []}'])
def test_malformed_json_is_refused(client, raw):
    response = post(client, None, raw=raw)
    assert response.status_code == 400
    assert not BankTransaction.objects.exists()


def test_one_bad_transaction_in_a_batch_refuses_the_batch(client, suborder):
    batch = {"data": [notice(suborder), notice(suborder, id="FT2", amount=-1)]}
    assert post(client, batch).status_code == 400
    assert not BankTransaction.objects.exists()
    assert fresh(suborder).status == S.PENDING


def test_oversized_body_is_refused(client, suborder):
    data = notice(suborder, description="x" * (65 * 1024))
    response = post(client, data)
    assert response.status_code == 413
    assert not BankTransaction.objects.exists()


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


# --- Outcomes --------------------------------------------------------------------------------


def test_partial_transfers_are_flagged_and_add_up(client, suborder):
    response = post(client, notice(suborder, id="T1", amount=100_000))
    assert response.json()["results"][0]["outcome"] == "partial"
    waiting = fresh(suborder)
    assert waiting.status == S.PENDING
    assert waiting.payment_flag == SubOrder.PaymentFlag.PARTIAL
    assert waiting.paid_amount == 100_000
    first = BankTransaction.objects.get(transaction_id="T1")
    assert first.needs_attention

    response = post(client, notice(suborder, id="T2", amount=50_000))
    assert response.json()["results"][0]["outcome"] == "matched"
    paid = fresh(suborder)
    assert paid.status == S.PAID
    assert paid.paid_amount == 150_000
    assert paid.payment_flag == ""
    first.refresh_from_db()
    assert first.resolved  # settled by the second transfer


def test_overpayment_pays_and_is_flagged(client, suborder):
    response = post(client, notice(suborder, amount=200_000))
    assert response.json()["results"][0]["outcome"] == "overpaid"
    paid = fresh(suborder)
    assert paid.status == S.PAID
    assert paid.payment_flag == SubOrder.PaymentFlag.OVERPAID
    assert paid.paid_amount == 200_000
    assert BankTransaction.objects.get().needs_attention


def test_second_payment_of_a_paid_sub_order_is_flagged_duplicate(client, suborder):
    post(client, notice(suborder, id="T1"))
    response = post(client, notice(suborder, id="T2"))
    assert response.json()["results"][0]["outcome"] == "already_paid"
    paid = fresh(suborder)
    assert paid.status == S.PAID
    assert paid.payment_flag == SubOrder.PaymentFlag.DUPLICATE
    assert paid.paid_amount == 300_000
    assert SubOrderEvent.objects.filter(suborder=suborder).count() == 1


def test_transfer_after_cancellation_is_flagged_late(client, suborder):
    SubOrder.objects.filter(pk=suborder.pk).update(status=S.CANCELLED)
    response = post(client, notice(suborder))
    assert response.json()["results"][0]["outcome"] == "not_payable"
    late = fresh(suborder)
    assert late.status == S.CANCELLED
    assert late.payment_flag == SubOrder.PaymentFlag.LATE
    assert late.paid_amount == 150_000


def test_transfer_for_a_cod_order_is_not_accepted(client):
    cod = place_order(items=[(ProductFactory(), 1)], payment_method="cod").suborders.get()
    response = post(client, notice(cod))
    assert response.json()["results"][0]["outcome"] == "not_payable"
    cod.refresh_from_db()
    assert cod.status == S.PENDING
    assert cod.payment_flag == SubOrder.PaymentFlag.DUPLICATE


def test_unknown_reference_is_stored_and_answered_200(client, suborder):
    response = post(client, notice(suborder, description="CK tien hang CDSZZZZZZZZ"))
    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "unknown_reference"
    record = BankTransaction.objects.get()
    assert record.suborder is None
    assert record.needs_attention
    assert fresh(suborder).status == S.PENDING


def test_money_into_another_account_changes_nothing(client, suborder):
    response = post(client, notice(suborder, account_number="999999999"))
    assert response.json()["results"][0]["outcome"] == "wrong_account"
    assert fresh(suborder).status == S.PENDING
    assert fresh(suborder).paid_amount == 0


def test_batch_of_transactions(client, suborder):
    other = place_order(
        items=[(ProductFactory(price=40_000), 2)], payment_method="vietqr"
    ).suborders.get()
    batch = {"data": [notice(suborder, id="A"), notice(other, id="B")]}
    response = post(client, batch)
    assert [r["outcome"] for r in response.json()["results"]] == ["matched", "matched"]
    assert fresh(other).status == S.PAID


# --- Matching the reference ------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "{ref}",
        "{lower}",
        "thanh toan {spaced} cam on",
        "MBVCB.3278614.{ref}.CT tu 0071000 NGUYEN VAN A toi 1012",
        "IBFT {ref}-don hang bưởi",
    ],
)
def test_reference_found_in_the_free_text(suborder, template):
    ref = suborder.payment_reference
    message = template.format(ref=ref, lower=ref.lower(), spaced=f"{ref[:4]} {ref[4:]}")
    assert suborder_id_for_message(message) == suborder.pk


def test_no_reference_in_the_message(suborder):
    assert suborder_id_for_message("") is None
    assert suborder_id_for_message("chuyen tien") is None
    assert suborder_id_for_message(suborder.payment_reference[:-1]) is None


def test_normalize():
    assert transfer_message_normalize("ck đơn CDS-4k7 q2m9x") == "CKDONCDS4K7Q2M9X"


# --- Admin: moderators sort flagged transfers out --------------------------------------------


@pytest.fixture
def moderator(db):
    marketplace_roles_ensure()
    return UserFactory(groups=[Group.objects.get(name=MARKETPLACE_MODERATORS_GROUP)])


def test_moderator_lists_and_filters_transactions(client, suborder, moderator):
    post(client, notice(suborder, id="T1", amount=100_000))
    post(client, notice(suborder, id="T9", description="khong ro"))
    client.force_login(moderator)
    index = reverse("marketplace_bank_transactions:index")
    response = client.get(index)
    assert response.status_code == 200
    assert "T1" in response.content.decode() and "T9" in response.content.decode()
    response = client.get(index, {"outcome": "unknown_reference"})
    assert response.status_code == 200
    assert "T9" in response.content.decode()
    assert ">T1<" not in response.content.decode()
    record = BankTransaction.objects.get(transaction_id="T1")
    inspect = reverse("marketplace_bank_transactions:inspect", args=[record.pk])
    assert client.get(inspect).status_code == 200


def test_moderator_marks_a_transaction_sorted_out(client, suborder, moderator):
    post(client, notice(suborder, id="T1", amount=200_000))
    record = BankTransaction.objects.get()
    url = reverse("marketplace_payment_resolve", args=["bank", record.pk])
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.resolved and record.resolved_by == moderator
    assert fresh(suborder).payment_flag == ""  # nothing else waits for this sub-order
    client.post(url)  # reopen
    record.refresh_from_db()
    assert not record.resolved


def test_producer_and_anonymous_cannot_sort_out(client, suborder):
    post(client, notice(suborder, amount=1_000))
    record = BankTransaction.objects.get()
    url = reverse("marketplace_payment_resolve", args=["bank", record.pk])
    assert client.post(url).status_code == 302  # to the admin login
    client.force_login(ProducerMemberFactory(producer=suborder.producer).user)
    client.post(url)
    record.refresh_from_db()
    assert not record.resolved


def test_admin_user_without_permission_gets_403(client, suborder):
    post(client, notice(suborder, amount=1_000))
    record = BankTransaction.objects.get()
    editor = UserFactory()
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    url = reverse("marketplace_payment_resolve", args=["bank", record.pk])
    assert client.post(url).status_code == 403
    record.refresh_from_db()
    assert not record.resolved
    assert client.post(reverse("marketplace_payment_resolve", args=["nope", 1])).status_code == 404


def test_timestamps_in_vietnam_time_or_with_offset(client, suborder):
    post(client, notice(suborder, id="A", amount=1, when="2024-05-01T10:15:00+07:00"))
    post(client, notice(suborder, id="B", amount=1, transaction_date="2024-05-01 10:15:00"))
    times = set(BankTransaction.objects.values_list("transacted_at", flat=True))
    assert times == {timezone.make_aware(datetime.datetime(2024, 5, 1, 3, 15), datetime.UTC)}
