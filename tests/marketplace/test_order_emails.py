"""Order emails: placed (buyer: how to pay; producers: a new sub-order) and one per status
change to buyer and producer, worded per reader, sent once even when the task runs twice."""

import pytest
from django.conf import settings
from django.core import mail

from marketplace.models import Order, SubOrder, SubOrderEvent
from marketplace.services import notifications
from marketplace.services.notifications import order_placed_emails, suborder_event_email
from marketplace.services.order_status import suborder_transition
from marketplace.tasks import order_placed_email_task, suborder_event_email_task
from tests.factories.marketplace import ProducerMemberFactory, ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_with_members():
    """A VietQR order of two producers, each managed by one member."""
    a, b = ProductFactory(name="Bưởi da xanh"), ProductFactory(name="Khô cá lóc")
    members = [
        ProducerMemberFactory(producer=a.producer),
        ProducerMemberFactory(producer=b.producer),
    ]
    buyer = UserFactory(email="nguoimua@example.vn", full_name="Phạm Văn Dũng")
    order = place_order(buyer=buyer, items=[(a, 1), (b, 2)], payment_method="vietqr")
    mail.outbox.clear()
    return order, members


def to(message):
    return set(message.to)


def test_order_placed_emails_buyer_and_each_producer_once(order_with_members):
    order, members = order_with_members
    assert order_placed_emails(order_id=order.pk) == 3
    buyer_mail = next(m for m in mail.outbox if order.buyer.email in m.to)
    assert order.number in buyer_mail.subject
    body = buyer_mail.body
    for suborder in order.suborders.select_related("producer"):
        assert suborder.payment_reference in body
        assert suborder.producer.bank_account_number in body
    assert "Bưởi da xanh" in body and "Khô cá lóc" in body
    html = buyer_mail.alternatives[0][0]
    assert "<html" in html and order.number in html
    for member, suborder in zip(members, order.suborders.order_by("number"), strict=True):
        message = next(m for m in mail.outbox if member.user.email in m.to)
        assert suborder.number in message.subject
        assert member.producer.email in message.to
        assert order.recipient_name in message.body  # they need the address to ship
        # A producer's email tells nothing of the other producer's part.
        other = next(s for s in order.suborders.all() if s.pk != suborder.pk)
        assert other.number not in message.body
    # The task may run again: nothing more is sent.
    assert order_placed_emails(order_id=order.pk) == 0
    order_placed_email_task.delay(order.pk)
    assert len(mail.outbox) == 3


def test_cod_placed_email_asks_for_no_transfer():
    order = place_order()
    suborder = order.suborders.select_related("producer").get()
    order_placed_emails(order_id=order.pk)
    body = next(m for m in mail.outbox if order.buyer.email in m.to).body
    assert suborder.payment_reference not in body
    assert suborder.producer.bank_account_number not in body
    assert order.number in body


def test_failed_send_is_retried_by_the_next_run(order_with_members, monkeypatch):
    order, _members = order_with_members

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(notifications, "_send_buyer_placed", broken)
    with pytest.raises(ConnectionError):
        order_placed_emails(order_id=order.pk)
    assert Order.objects.get(pk=order.pk).buyer_emailed_at is None
    monkeypatch.undo()
    assert order_placed_emails(order_id=order.pk) == 3


def test_status_change_emails_buyer_and_producer_with_different_text(order_with_members):
    order, members = order_with_members
    suborder = order.suborders.order_by("number").first()
    result = suborder_transition(suborder_id=suborder.pk, to_status="paid", role="producer")
    assert suborder_event_email(event_id=result.event.pk) == 2
    buyer_mail = next(m for m in mail.outbox if order.buyer.email in m.to)
    producer_mail = next(m for m in mail.outbox if members[0].user.email in m.to)
    assert suborder.number in buyer_mail.subject and suborder.number in producer_mail.subject
    assert buyer_mail.subject != producer_mail.subject
    assert buyer_mail.body != producer_mail.body
    base = settings.SITE_BASE_URL.rstrip("/")
    assert f"{base}/ca-nhan/don-hang/{order.number}/" in buyer_mail.body
    assert f"{base}/cua-hang/don-hang/{suborder.number}/" in producer_mail.body
    assert members[1].user.email not in to(buyer_mail) | to(producer_mail)
    # Sent once.
    assert suborder_event_email(event_id=result.event.pk) == 0
    suborder_event_email_task.delay(result.event.pk)
    assert len(mail.outbox) == 2
    assert SubOrderEvent.objects.get(pk=result.event.pk).emailed_at is not None


def test_each_status_has_its_own_subject():
    subjects = {"buyer": set(), "producer": set()}
    order = place_order(payment_method="vietqr")
    suborder = order.suborders.get()
    path = [
        ("paid", "gateway"),
        ("shipping", "producer"),
        ("delivered", "producer"),
        ("completed", "buyer"),
    ]
    for status, role in path:
        event = suborder_transition(suborder_id=suborder.pk, to_status=status, role=role).event
        mail.outbox.clear()
        suborder_event_email(event_id=event.pk)
        for message in mail.outbox:
            key = "buyer" if order.buyer.email in message.to else "producer"
            subjects[key].add(message.subject)
    assert len(subjects["buyer"]) == 4


def test_cancel_text_depends_on_who_cancelled():
    bodies = {}
    for role in ("system", "buyer", "producer", "gateway"):
        order = place_order(payment_method="vietqr")
        suborder = order.suborders.get()
        event = suborder_transition(suborder_id=suborder.pk, to_status="cancelled", role=role).event
        mail.outbox.clear()
        suborder_event_email(event_id=event.pk)
        buyer_mail = next(m for m in mail.outbox if order.buyer.email in m.to)
        bodies[role] = buyer_mail.body.replace(suborder.number, "").replace(
            suborder.producer.name, ""
        )
        bodies[role] = bodies[role].split("\n\n")[1]  # the "what happened" paragraph
    assert len(set(bodies.values())) == 4


def test_transition_queues_the_email_after_commit(django_capture_on_commit_callbacks):
    order = place_order()
    suborder = order.suborders.get()
    ProducerMemberFactory(producer=suborder.producer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suborder_transition(suborder_id=suborder.pk, to_status="confirmed", role="producer")
    assert len(mail.outbox) == 2
    assert SubOrder.objects.get(pk=suborder.pk).events.get().emailed_at is not None


def test_no_email_for_unknown_events_or_buyers_without_address():
    assert suborder_event_email(event_id=424242) == 0
    order = place_order(buyer=UserFactory(email=""))
    event = suborder_transition(
        suborder_id=order.suborders.get().pk, to_status="cancelled", role="system"
    ).event
    mail.outbox.clear()
    sent = suborder_event_email(event_id=event.pk)
    assert all(m.to for m in mail.outbox)
    assert sent == len(mail.outbox)
