"""The daily OCOP certificate run: badges come off after expiry, producers hear once before."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.models import ProducerMember, Product
from marketplace.services.certificates import add_months, certificates_expiry_run
from marketplace.services.products import ProductData, product_update
from marketplace.tasks import certificates_expiry_task
from tests.factories.marketplace import ProducerFactory, ProducerMemberFactory

from .shop_fixtures import *  # noqa: F403 - the shared fixtures
from .shop_fixtures import make_product

TODAY = datetime.date(2026, 6, 15)
S = Product.Status


def _product(producer, *, expires_on, **kwargs):
    kwargs.setdefault("status", S.PUBLISHED)
    kwargs.setdefault("ocop_active", True)
    return make_product(
        producer,
        certificate_date=add_months(expires_on, -36),
        certificate_expires_on=expires_on,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2023, 3, 15), 36, datetime.date(2026, 3, 15)),
        (datetime.date(2024, 2, 29), 36, datetime.date(2027, 2, 28)),
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 6, 15), -36, datetime.date(2023, 6, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_expired_badge_removed_and_members_told_once(producer, owner):
    staff = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.STAFF).user
    expired = _product(producer, expires_on=TODAY - datetime.timedelta(days=1), name="Chả lụa")
    last_day = _product(producer, expires_on=TODAY, name="Bánh pía")

    result = certificates_expiry_run(today=TODAY)

    expired.refresh_from_db()
    last_day.refresh_from_db()
    assert expired.ocop_active is False
    assert expired.status == S.PUBLISHED  # still on sale, without the badge
    assert last_day.ocop_active is True  # valid through its last day
    assert result.expired == 1
    expired_mails = [m for m in mail.outbox if "Chả lụa" in m.body]
    assert sorted(m.to[0] for m in expired_mails) == sorted([owner.email, staff.email])
    assert "14/06/2026" in expired_mails[0].body
    assert reverse("marketplace:shop_product_edit", args=[expired.pk]) in expired_mails[0].body

    mail.outbox.clear()
    again = certificates_expiry_run(today=TODAY)
    assert (again.expired, again.emails) == (0, 0)
    assert mail.outbox == []


def test_notice_sent_once_within_the_notice_window(producer, owner, settings):
    settings.OCOP_EXPIRY_NOTICE_DAYS = 30
    soon = _product(producer, expires_on=TODAY + datetime.timedelta(days=30), name="Kẹo dừa")
    later = _product(producer, expires_on=TODAY + datetime.timedelta(days=31), name="Mật ong")

    result = certificates_expiry_run(today=TODAY)
    assert (result.noticed, result.expired) == (1, 0)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.expiry_notice_sent_on == TODAY
    assert later.expiry_notice_sent_on is None
    assert soon.ocop_active is True
    assert len(mail.outbox) == 1
    assert "Kẹo dừa" in mail.outbox[0].body and "Mật ong" not in mail.outbox[0].body
    assert "15/07/2026" in mail.outbox[0].body

    mail.outbox.clear()
    for day in range(1, 5):
        certificates_expiry_run(today=TODAY + datetime.timedelta(days=day))
    # Mật ong enters the window the next day and is told once; Kẹo dừa is not told again.
    assert [m.body.count("Mật ong") for m in mail.outbox] == [1]
    assert all("Kẹo dừa" not in m.body for m in mail.outbox)


def test_one_email_per_producer_lists_all_its_products(producer, owner):
    for name in ("Bưởi da xanh", "Gạo thơm", "Mắm cá linh"):
        _product(producer, expires_on=TODAY + datetime.timedelta(days=10), name=name)
    certificates_expiry_run(today=TODAY)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert all(name in body for name in ("Bưởi da xanh", "Gạo thơm", "Mắm cá linh"))


def test_producers_hear_only_of_their_own_products(producer, owner, commune):
    other = ProducerFactory(commune=commune, email="")
    other_owner = ProducerMemberFactory(producer=other).user
    _product(producer, expires_on=TODAY - datetime.timedelta(days=3), name="Của mình")
    _product(other, expires_on=TODAY - datetime.timedelta(days=3), name="Của người khác")
    certificates_expiry_run(today=TODAY)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "Của người khác" not in by_address[owner.email]
    assert "Của mình" not in by_address[other_owner.email]


def test_products_without_badge_or_not_approved_are_left_alone(producer):
    draft = _product(
        producer, expires_on=TODAY + datetime.timedelta(days=5), status=S.DRAFT, ocop_active=False
    )
    rejected = _product(
        producer,
        expires_on=TODAY - datetime.timedelta(days=5),
        status=S.REJECTED,
        ocop_active=False,
    )
    result = certificates_expiry_run(today=TODAY)
    assert (result.expired, result.noticed, result.emails) == (0, 0, 0)
    draft.refresh_from_db()
    assert draft.expiry_notice_sent_on is None
    assert rejected.ocop_active is False


def test_renewed_certificate_gets_its_own_notice(producer, owner):
    product = _product(producer, expires_on=TODAY + datetime.timedelta(days=10))
    certificates_expiry_run(today=TODAY)
    product.refresh_from_db()
    assert product.expiry_notice_sent_on == TODAY
    renewed = ProductData(
        name=product.name,
        subgroup=product.subgroup,
        stars=product.stars,
        certificate_number="2222/QĐ-UBND",
        certificate_date=datetime.date(2026, 6, 1),
        certificate_authority=product.certificate_authority,
        price=product.price,
        unit=product.unit,
        stock=product.stock,
    )
    product_update(producer=producer, product_id=product.pk, by=owner, data=renewed)
    product.refresh_from_db()
    assert product.expiry_notice_sent_on is None
    assert product.certificate_expires_on == datetime.date(2029, 6, 1)
    assert product.status == S.SUBMITTED  # the moderator checks the new certificate


def test_the_beat_task_runs_the_service(producer, owner):
    from django.utils import timezone

    today = timezone.localdate()
    product = _product(producer, expires_on=today - datetime.timedelta(days=1))
    outcome = certificates_expiry_task.delay().get()
    assert outcome["expired"] == 1 and outcome["emails"] == 1
    product.refresh_from_db()
    assert product.ocop_active is False
    assert certificates_expiry_task.name == "marketplace.tasks.certificates_expiry_task"
    assert certificates_expiry_task.delay().get() == {"expired": 0, "noticed": 0, "emails": 0}


def test_a_failing_mail_server_does_not_stop_the_run(producer, owner, monkeypatch, commune):
    from marketplace.services import certificates

    calls = []

    def broken(**kwargs):
        calls.append(kwargs["producer"].pk)
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(certificates, "producer_members_email", broken)
    other = ProducerFactory(commune=commune)
    first = _product(producer, expires_on=TODAY - datetime.timedelta(days=1))
    second = _product(other, expires_on=TODAY - datetime.timedelta(days=1))
    result = certificates_expiry_run(today=TODAY)
    assert result.expired == 2 and len(calls) == 2
    assert not Product.objects.filter(pk__in=[first.pk, second.pk], ocop_active=True).exists()


def test_dashboard_shows_expiring_and_expired(owner_client, producer):
    from django.utils import timezone

    today = timezone.localdate()
    _product(producer, expires_on=today + datetime.timedelta(days=7), name="Sắp hết hạn")
    _product(
        producer,
        expires_on=today - datetime.timedelta(days=2),
        name="Đã hết hạn",
        ocop_active=False,
    )
    _product(producer, expires_on=today + datetime.timedelta(days=400), name="Còn lâu")
    response = owner_client.get(reverse("marketplace:shop_home"))
    dashboard = response.context["dashboard"]
    assert [p.name for p in dashboard.expiring] == ["Sắp hết hạn"]
    assert [p.name for p in dashboard.expired] == ["Đã hết hạn"]
    html = response.content.decode()
    assert "Sắp hết hạn" in html and "Đã hết hạn" in html and "Còn lâu" not in html
