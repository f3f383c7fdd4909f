"""The checkout page: sign-in, address, payment methods, double submission, stock races, Stripe."""

import sys
import types

import pytest
from django.urls import reverse

from marketplace.models import Order, Product, SubOrder
from marketplace.services import checkout as checkout_service
from marketplace.services.cart import SESSION_KEY
from marketplace.views.checkout import TOKEN_SESSION_KEY
from tests.factories.marketplace import CommuneFactory, ProductFactory, ProvinceFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-Thu-nghiem-1"


@pytest.fixture
def buyer(client, home):
    user = UserFactory(full_name="Lê Thị Cúc", phone="0911222333")
    client.force_login(user)
    return user


@pytest.fixture
def commune(db):
    return CommuneFactory()


@pytest.fixture
def vietqr_include(settings, tmp_path):
    """A stand-in for the payments area's VietQR include, so this page is tested on its own."""
    folder = tmp_path / "templates" / "marketplace" / "includes"
    folder.mkdir(parents=True)
    (folder / "vietqr_payment.html").write_text(
        '<div class="test-vietqr" data-reference="{{ suborder.payment_reference }}">'
        "{{ suborder.subtotal }}</div>"
    )
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def fake_stripe(monkeypatch, *, url="https://checkout.stripe.test/c/pay/cs_1", error=None):
    module = types.ModuleType("marketplace.payments.stripe_api")

    class PaymentUnavailable(Exception):
        def __init__(self, message):
            super().__init__(message)
            self.message = message

    calls = []

    def stripe_checkout_start(*, order_id, base_url):
        calls.append((order_id, base_url))
        if error:
            raise PaymentUnavailable(error)
        return url

    module.PaymentUnavailable = PaymentUnavailable
    module.stripe_enabled = lambda: True
    module.stripe_checkout_start = stripe_checkout_start
    module.calls = calls
    monkeypatch.setitem(sys.modules, "marketplace.payments.stripe_api", module)
    return module


def add(client, product, quantity=1):
    client.post(reverse("marketplace:cart_add"), {"product": product.pk, "quantity": quantity})


def form_data(client, place, **overrides):
    page = client.get(reverse("marketplace:checkout"))
    assert page.status_code == 200
    data = {
        "recipient_name": "Lê Thị Cúc",
        "phone": "0911 222 333",
        "province": place.province_id,
        "commune": place.pk,
        "street_address": "45 ấp Phước Yên",
        "note": "Giao giờ hành chính",
        "payment_method": "cod",
        "checkout_token": client.session[TOKEN_SESSION_KEY],
    }
    data.update(overrides)
    return data


def test_anonymous_users_are_sent_to_sign_in_and_back(client, home):
    response = client.get(reverse("marketplace:checkout"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert "next=" + reverse("marketplace:checkout") in response["Location"].replace("%2F", "/")


def test_empty_cart_goes_back_to_the_cart(client, buyer):
    response = client.get(reverse("marketplace:checkout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:cart")


def test_page_prefills_the_buyer_and_lists_methods(client, buyer, commune):
    add(client, ProductFactory())
    response = client.get(reverse("marketplace:checkout"))
    content = response.content.decode()
    assert 'value="Lê Thị Cúc"' in content
    assert 'value="0911222333"' in content
    assert 'value="cod"' in content and 'value="vietqr"' in content
    assert 'value="stripe"' not in content  # Stripe not configured in tests
    assert "data-communes-url" in content


def test_vietqr_not_offered_when_a_producer_has_no_account(client, buyer, commune):
    add(client, ProductFactory())
    add(client, ProductFactory(producer__bank_account_number="", producer__name="HTX Sen Hồng"))
    response = client.get(reverse("marketplace:checkout"))
    content = response.content.decode()
    assert 'value="vietqr"' not in content
    assert "HTX Sen Hồng" in content
    data = form_data(client, commune, payment_method="vietqr")
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_cod_checkout_places_the_order_and_empties_the_cart(client, buyer, commune):
    a = ProductFactory(stock=5, price=120_000)
    add(client, a, 2)
    response = client.post(reverse("marketplace:checkout"), form_data(client, commune))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:order_detail", args=[order.number])
    assert order.buyer == buyer
    assert order.phone == "0911222333"  # normalised
    assert (order.province_id, order.commune_id) == (commune.province_id, commune.pk)
    assert order.total == 240_000
    assert Product.objects.get(pk=a.pk).stock == 3
    assert not client.session.get(SESSION_KEY)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert order.number in page.content.decode()


def test_double_submission_makes_one_order(client, buyer, commune):
    a = ProductFactory(stock=5)
    add(client, a, 2)
    data = form_data(client, commune)
    first = client.post(reverse("marketplace:checkout"), data)
    second = client.post(reverse("marketplace:checkout"), data)
    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert Product.objects.get(pk=a.pk).stock == 3
    # After an order a fresh token is issued for the next one.
    assert client.session[TOKEN_SESSION_KEY] != data["checkout_token"]


def test_double_submission_with_the_cart_still_full(client, buyer, commune, monkeypatch):
    """The second post arrives before the first emptied the cart: the service finds the order."""
    a = ProductFactory(stock=5)
    add(client, a, 2)
    data = form_data(client, commune)
    client.post(reverse("marketplace:checkout"), data)
    add(client, a, 2)  # the cart as the twin request still saw it
    session = client.session
    session[TOKEN_SESSION_KEY] = data["checkout_token"]
    session.save()
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 302
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=a.pk).stock == 3


def test_forged_or_old_token_is_refused(client, buyer, commune):
    add(client, ProductFactory())
    data = form_data(client, commune, checkout_token="not-the-session-token")
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 400
    assert not Order.objects.exists()
    data.pop("checkout_token")
    assert client.post(reverse("marketplace:checkout"), data).status_code == 400
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"phone": "12345"},
        {"recipient_name": ""},
        {"street_address": ""},
        {"commune": ""},
        {"province": "abc"},
        {"payment_method": "bitcoin"},
        {"note": "x" * 501},
    ],
)
def test_bad_input_is_a_form_error_and_nothing_changes(client, buyer, commune, overrides):
    a = ProductFactory(stock=5)
    add(client, a, 1)
    response = client.post(reverse("marketplace:checkout"), form_data(client, commune, **overrides))
    assert response.status_code == 400
    assert "form__error" in response.content.decode() or "alert--error" in response.content.decode()
    assert not Order.objects.exists()
    assert Product.objects.get(pk=a.pk).stock == 5
    assert client.session[SESSION_KEY] == {str(a.pk): 1}


def test_commune_of_another_province_is_refused(client, buyer, commune):
    add(client, ProductFactory())
    elsewhere = CommuneFactory(province=ProvinceFactory(code=79, name="TP Hồ Chí Minh"))
    data = form_data(client, commune, commune=elsewhere.pk)
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_stock_taken_by_someone_else_meanwhile_changes_nothing(client, buyer, commune, monkeypatch):
    """Between the cart check and the order another buyer takes the units: a form error names
    the product and what is left; no order, stock and cart as they were."""
    a = ProductFactory(stock=10, name="Gạo thơm ST25")
    b = ProductFactory(stock=5, name="Mật ong rừng U Minh")
    add(client, a, 4)
    add(client, b, 4)
    data = form_data(client, commune)
    real_take = checkout_service.stock_take

    def racing_take(*, product_id, quantity):
        if product_id == b.pk:
            Product.objects.filter(pk=b.pk).update(stock=3)  # the other buyer's order
        return real_take(product_id=product_id, quantity=quantity)

    monkeypatch.setattr(checkout_service, "stock_take", racing_take)
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mật ong rừng U Minh" in content
    assert "3" in content
    assert not Order.objects.exists()
    assert Product.objects.get(pk=a.pk).stock == 10
    assert client.session[SESSION_KEY] == {str(a.pk): 4, str(b.pk): 4}


def test_cart_changed_since_it_was_shown_is_shown_again(client, buyer, commune):
    a = ProductFactory(stock=10)
    add(client, a, 6)
    data = form_data(client, commune)
    Product.objects.filter(pk=a.pk).update(stock=2)
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 200
    assert not Order.objects.exists()
    assert client.session[SESSION_KEY] == {str(a.pk): 2}
    response = client.post(reverse("marketplace:checkout"), data)
    assert response.status_code == 302
    assert Order.objects.get().total == 2 * a.price


def test_vietqr_order_page_shows_each_suborders_qr(client, buyer, commune, vietqr_include):
    a, b = ProductFactory(price=100_000), ProductFactory(price=50_000)
    add(client, a)
    add(client, b, 3)
    response = client.post(
        reverse("marketplace:checkout"), form_data(client, commune, payment_method="vietqr")
    )
    order = Order.objects.get()
    assert order.payment_due_at is not None
    page = client.get(response["Location"]).content.decode()
    for suborder in order.suborders.all():
        assert f'data-reference="{suborder.payment_reference}"' in page
    assert page.count('class="test-vietqr"') == 2


def test_stripe_checkout_redirects_to_the_session(client, buyer, commune, monkeypatch):
    stripe = fake_stripe(monkeypatch)
    a = ProductFactory(stock=3)
    add(client, a, 1)
    page = client.get(reverse("marketplace:checkout")).content.decode()
    assert 'value="stripe"' in page
    response = client.post(
        reverse("marketplace:checkout"), form_data(client, commune, payment_method="stripe")
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_1"
    assert stripe.calls == [(order.pk, "http://testserver")]
    assert not client.session.get(SESSION_KEY)
    assert Product.objects.get(pk=a.pk).stock == 2


def test_stripe_unavailable_cancels_the_order_and_keeps_the_cart(
    client, buyer, commune, monkeypatch
):
    fake_stripe(monkeypatch, error="Stripe đang bảo trì.")
    a = ProductFactory(stock=3)
    add(client, a, 2)
    response = client.post(
        reverse("marketplace:checkout"),
        form_data(client, commune, payment_method="stripe"),
        follow=True,
    )
    assert "Stripe đang bảo trì." in response.content.decode()
    suborder = SubOrder.objects.get()
    assert suborder.status == SubOrder.Status.CANCELLED
    assert Product.objects.get(pk=a.pk).stock == 3  # given back
    assert client.session[SESSION_KEY] == {str(a.pk): 2}
    # The buyer can now choose cash on delivery with a fresh form.
    client.post(reverse("marketplace:checkout"), form_data(client, commune))
    assert Order.objects.count() == 2


def test_checkout_page_queries_do_not_grow_with_communes(
    client, buyer, commune, django_assert_max_num_queries
):
    for _ in range(40):
        CommuneFactory(province=commune.province)
    add(client, ProductFactory())
    add(client, ProductFactory())
    client.get(reverse("marketplace:checkout"))  # the site's settings rows are made once
    with django_assert_max_num_queries(15):
        response = client.get(reverse("marketplace:checkout"))
    assert response.content.decode().count("<option") >= 41 + 1
