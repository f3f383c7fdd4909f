"""The marketplace's demo data: idempotent, 30+ published OCOP products of several producers of
the demo province, certificate cases for the expiry task, and working demo accounts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from vietnam_qr_pay import BanksObject
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from marketplace.demo import ACCOUNTS, COLLECTION_NAME, PAGE_SLUG, marketplace_demo_seed
from marketplace.models import (
    MarketplacePage,
    Order,
    Producer,
    ProducerMember,
    ProducerPhoto,
    Product,
    ProductPhoto,
    SubOrder,
    SubOrderEvent,
)
from marketplace.services.roles import MARKETPLACE_MODERATORS_GROUP
from marketplace.validators import (
    bank_account_name_problem,
    bank_account_number_problem,
    tax_code_problem,
    vietqr_bank,
)
from portal.core.demo.seed import demo_seed
from portal.core.models import MainMenu


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "images": get_image_model().objects.count(),
        "producers": Producer.objects.count(),
        "members": ProducerMember.objects.count(),
        "products": Product.objects.count(),
        "product photos": ProductPhoto.objects.count(),
        "producer photos": ProducerPhoto.objects.count(),
        "menu items": MainMenu.for_site(Site.objects.get(is_default_site=True)).items.count(),
        "orders": Order.objects.count(),
        "sub-orders": SubOrder.objects.count(),
        "sub-order events": SubOrderEvent.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_marketplace(client, settings):
    """One seeding for every check (the 2025 units and 80 pictures take a while)."""
    report = demo_seed()
    marketplace_demo_seed(report=report)
    first = counts()
    again = demo_seed()
    marketplace_demo_seed(report=again)
    assert counts() == first
    assert again.created.get("products", 0) == again.created.get("producers", 0) == 0
    assert again.created.get("images", 0) == 0

    check_published_products_of_verified_producers_of_the_demo_province(settings)
    check_certificate_cases_for_the_expiry_task()
    check_products_for_the_moderator_and_the_producer()
    check_producers_have_vietqr_accounts_from_the_bank_list()
    check_demo_accounts_log_in_with_their_roles(client, report)
    check_market_page_is_in_the_menu_and_lists_products(client)
    check_buyer_and_producer_see_orders_at_several_stages(client)


def check_published_products_of_verified_producers_of_the_demo_province(settings):
    public = Product.objects.filter(status="published", producer__status="verified")
    assert public.count() >= 30
    local = Producer.objects.filter(status="verified", province_id=settings.PORTAL_PROVINCE_CODE)
    assert local.count() >= 6
    assert public.filter(producer__in=local).count() >= 30
    assert set(public.values_list("stars", flat=True)) == {3, 4, 5}
    assert public.values("group").distinct().count() >= 4
    assert public.filter(stock=0).count() >= 2
    assert public.filter(ocop_active=True).count() == public.count() - 1
    names = " ".join(public.values_list("name", flat=True)).lower()
    for word in ("bưởi da xanh", "kẹo dừa", "chả lụa", "mật ong", "gạo thơm", "nước mắm"):
        assert word in names, word
    # Each product has a photo made with Pillow, in the marketplace's collection.
    assert not public.filter(photos__isnull=True).exists()
    image = ProductPhoto.objects.first().image
    assert image.collection.name == COLLECTION_NAME and image.width == 800


def check_certificate_cases_for_the_expiry_task():
    today = timezone.localdate()
    published = Product.objects.filter(status="published")
    expiring = published.filter(
        ocop_active=True,
        certificate_expires_on__gte=today,
        certificate_expires_on__lte=today + datetime.timedelta(days=30),
    )
    assert expiring.count() == 1
    expired = published.filter(certificate_expires_on__lt=today)
    assert expired.count() == 1 and not expired.get().ocop_active
    for product in published:
        assert product.certificate_date <= today
        assert product.price == int(product.price) and product.price >= 1_000


def check_products_for_the_moderator_and_the_producer():
    assert Product.objects.filter(status="submitted").count() == 1
    assert Product.objects.filter(status="draft").count() == 1


def check_producers_have_vietqr_accounts_from_the_bank_list():
    """The demo passes the checks a producer's own profile form makes."""
    bins = {bank.bin for bank in BanksObject.values()}
    for producer in Producer.objects.all():
        assert producer.bank_bin in bins and vietqr_bank(producer.bank_bin), producer
        assert producer.accepts_vietqr
        assert bank_account_number_problem(producer.bank_account_number) is None
        assert bank_account_name_problem(producer.bank_account_name) is None
        assert producer.commune.province_id == producer.province_id
        assert not producer.tax_code or tax_code_problem(producer.tax_code) is None, producer
        producer.full_clean()


def check_demo_accounts_log_in_with_their_roles(client, report):
    reported = {email: password for email, password, _role in report.accounts}
    assert set(reported) == {email for email, *_rest in ACCOUNTS}
    for email, password in reported.items():
        assert client.login(email=email, password=password), email
        client.logout()
    user_model = get_user_model()
    owner = user_model.objects.get(email=ACCOUNTS[0][0])
    assert ProducerMember.objects.get(user=owner).producer.slug == "htx-buoi-da-xanh-cho-lach"
    moderator = user_model.objects.get(email=ACCOUNTS[1][0])
    assert moderator.groups.filter(name=MARKETPLACE_MODERATORS_GROUP).exists()
    assert moderator.has_perm("marketplace.moderate_product")
    buyer = user_model.objects.get(email=ACCOUNTS[2][0])
    assert not buyer.producer_memberships.exists() and not buyer.groups.exists()


def check_market_page_is_in_the_menu_and_lists_products(client):
    page = MarketplacePage.objects.get()
    assert page.slug == PAGE_SLUG and page.live
    site = Site.objects.get(is_default_site=True)
    assert MainMenu.for_site(site).items.filter(page=page).count() == 1
    response = client.get("/cho-ocop/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chợ OCOP" in html and "Bưởi da xanh Chợ Lách loại 1" in html
    product = Product.objects.filter(status="published").first()
    assert client.get(f"/cho-ocop/san-pham/{product.slug}/").status_code == 200
    assert client.get("/cho-ocop/thong-ke/").status_code == 200


def check_buyer_and_producer_see_orders_at_several_stages(client):
    buyer = get_user_model().objects.get(email=ACCOUNTS[2][0])
    orders = Order.objects.filter(buyer=buyer)
    assert orders.count() == 4
    assert len({order.created_at.date() for order in orders}) == 4  # placed on different days
    for order in orders:  # numbers carry the day the order was placed, as real ones do
        assert order.number[2:8] == f"{timezone.localtime(order.created_at):%y%m%d}"
        for suborder in order.suborders.all():
            assert suborder.number.startswith(order.number + "-")
            assert suborder.created_at.date() == order.created_at.date()
    statuses = set(SubOrder.objects.filter(order__buyer=buyer).values_list("status", flat=True))
    assert statuses == {"completed", "cancelled", "shipping", "pending"}
    # The order waiting for its transfer shows one VietQR code per producer.
    waiting = orders.filter(payment_method="vietqr", suborders__status="pending").distinct().get()
    assert waiting.suborders.count() == 2
    client.force_login(buyer)
    assert client.get("/ca-nhan/don-hang/").status_code == 200
    page = client.get(f"/ca-nhan/don-hang/{waiting.number}/").content.decode()
    assert page.count("<svg") >= 2
    for suborder in waiting.suborders.all():
        assert suborder.payment_reference in page
    producer = get_user_model().objects.get(email=ACCOUNTS[0][0])
    client.force_login(producer)
    response = client.get("/cua-hang/don-hang/")
    assert response.status_code == 200
    shipped = SubOrder.objects.get(order__buyer=buyer, status="shipping")
    assert shipped.number in response.content.decode()
    assert shipped.carrier == "Viettel Post"
