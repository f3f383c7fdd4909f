"""Public product and producer pages, the traceability QR code, and who may preview what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail_factories import ImageFactory

from marketplace.models import Producer, Product, ProductPhoto
from marketplace.selectors import products as product_selectors
from marketplace.selectors.products import product_traceability_url
from marketplace.services.roles import MARKETPLACE_MODERATORS_GROUP, marketplace_roles_ensure
from tests.factories.marketplace import (
    ProducerFactory,
    ProducerMemberFactory,
    ProductFactory,
)
from tests.factories.users import UserFactory


@pytest.fixture
def product(home):
    item = ProductFactory(
        name="Bưởi da xanh Chợ Lách",
        slug="buoi-da-xanh",
        price=75_000,
        unit=Product.Unit.FRUIT,
        stars=4,
        stock=12,
        certificate_number="1234/QĐ-UBND",
        certificate_authority="Ủy ban nhân dân tỉnh Vĩnh Long",
        other_certifications=["vietgap", "geographical_indication", "unknown-code"],
    )
    for position in range(2):
        ProductPhoto.objects.create(product=item, image=ImageFactory(), position=position)
    return item


@pytest.fixture
def moderator(db):
    user = UserFactory()
    user.groups.add(marketplace_roles_ensure())
    return user


def page(client, slug):
    return client.get(reverse("marketplace:product", kwargs={"slug": slug}))


@translation.override("vi")
def test_url_names():
    assert reverse("marketplace:product", kwargs={"slug": "a"}) == "/cho-ocop/san-pham/a/"
    assert reverse("marketplace:product_qr", kwargs={"slug": "a"}) == "/cho-ocop/san-pham/a/qr.svg"
    assert reverse("marketplace:producer", kwargs={"slug": "b"}) == "/cho-ocop/nha-san-xuat/b/"
    assert reverse("marketplace:statistics") == "/cho-ocop/thong-ke/"


def test_product_page_shows_what_a_buyer_needs(client, product):
    response = page(client, "buoi-da-xanh")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="product__name">Bưởi da xanh Chợ Lách</h1>' in html
    assert "75.000 ₫" in html
    assert 'class="ocop-badge"' in html and "OCOP 4★" in html
    assert "1234/QĐ-UBND" in html and "Ủy ban nhân dân tỉnh Vĩnh Long" in html
    assert product.certificate_expires_on.strftime("%d/%m/%Y") in html
    assert "VietGAP" in html and "unknown-code" not in html
    assert product.group.name in html and product.subgroup.name in html
    assert product.producer.name in html
    assert reverse("marketplace:producer", kwargs={"slug": product.producer.slug}) in html
    assert html.count('class="product__thumbs"') == 1
    assert "preview-banner" not in html
    assert 'src="/cho-ocop/san-pham/buoi-da-xanh/qr.svg"' in html
    assert "Trace the origin" in html or "Truy xuất nguồn gốc" in html


def test_add_to_cart_form_posts_product_and_quantity_with_csrf(client, product):
    cart_add = reverse("marketplace:cart_add")
    html = page(client, "buoi-da-xanh").content.decode()
    form = html[html.index('<form class="add-to-cart"') :]
    form = form[: form.index("</form>")]
    assert f'action="{cart_add}"' in form and 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    assert f'name="product" value="{product.pk}"' in form
    assert 'name="quantity"' in form and 'max="12"' in form


def test_out_of_stock_product_has_no_cart_form(client, product):
    Product.objects.filter(pk=product.pk).update(stock=0)
    html = page(client, "buoi-da-xanh").content.decode()
    assert "stock-state--out" in html
    assert 'class="add-to-cart"' not in html


def test_expired_certificate_loses_the_badge_and_says_so(client, product):
    expired = timezone.localdate() - datetime.timedelta(days=3)
    Product.objects.filter(pk=product.pk).update(ocop_active=False, certificate_expires_on=expired)
    html = page(client, "buoi-da-xanh").content.decode()
    assert 'class="ocop-badge"' not in html
    assert "notice--warning" in html and expired.strftime("%d/%m/%Y") in html
    assert "tag--expired" in html


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "rejected", "unpublished"])
def test_unpublished_products_are_404_for_the_public(client, product, status):
    Product.objects.filter(pk=product.pk).update(status=status)
    assert page(client, "buoi-da-xanh").status_code == 404
    client.force_login(UserFactory())
    assert page(client, "buoi-da-xanh").status_code == 404
    qr = reverse("marketplace:product_qr", kwargs={"slug": "buoi-da-xanh"})
    assert client.get(qr).status_code == 404


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_products_of_unverified_producers_are_404(client, product, status):
    Producer.objects.filter(pk=product.producer_id).update(status=status)
    assert page(client, "buoi-da-xanh").status_code == 404
    producer_url = reverse("marketplace:producer", kwargs={"slug": product.producer.slug})
    assert client.get(producer_url).status_code == 404


def test_unknown_slug_is_404(client, home):
    assert page(client, "khong-co").status_code == 404
    assert client.get("/cho-ocop/san-pham/khong-co/qr.svg").status_code == 404
    assert client.get("/cho-ocop/nha-san-xuat/khong-co/").status_code == 404


def test_members_and_moderators_preview_with_a_banner(client, product, moderator):
    Product.objects.filter(pk=product.pk).update(status="submitted")
    member = ProducerMemberFactory(producer=product.producer).user
    for user in (member, moderator):
        client.force_login(user)
        response = page(client, "buoi-da-xanh")
        assert response.status_code == 200
        html = response.content.decode()
        assert "preview-banner" in html
        assert 'class="add-to-cart"' not in html
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        qr = client.get(reverse("marketplace:product_qr", kwargs={"slug": "buoi-da-xanh"}))
        assert qr.status_code == 200 and "private" in qr["Cache-Control"]
    # A member of another producer is the public.
    client.force_login(ProducerMemberFactory().user)
    assert page(client, "buoi-da-xanh").status_code == 404


def test_moderators_group_has_the_preview_permission(moderator):
    assert moderator.groups.filter(name=MARKETPLACE_MODERATORS_GROUP).exists()
    assert moderator.has_perm("marketplace.moderate_product")


def test_traceability_url_is_absolute_and_in_the_site_language(settings, product, client):
    settings.SITE_BASE_URL = "https://cho.vinhlong.example/"
    expected = "https://cho.vinhlong.example/cho-ocop/san-pham/buoi-da-xanh/"
    assert product_traceability_url(product=product) == expected
    # Viewed in English, the code still points at the default (Vietnamese) address.
    with translation.override("en"):
        html = client.get("/en/cho-ocop/san-pham/buoi-da-xanh/").content.decode()
    assert expected in html


def test_qr_code_is_an_svg_of_the_public_address(client, product, settings, monkeypatch):
    settings.SITE_BASE_URL = "https://cho.vinhlong.example"
    payloads = []
    real_make = product_selectors.segno.make

    def spy(payload, **kwargs):
        payloads.append(payload)
        return real_make(payload, **kwargs)

    monkeypatch.setattr(product_selectors.segno, "make", spy)
    response = client.get(reverse("marketplace:product_qr", kwargs={"slug": "buoi-da-xanh"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]
    assert payloads == ["https://cho.vinhlong.example/cho-ocop/san-pham/buoi-da-xanh/"]
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body and "<path" in body
    assert "Bưởi da xanh Chợ Lách" in body  # the SVG's <title>
    assert "Content-Disposition" not in response


def test_qr_code_download(client, product):
    url = reverse("marketplace:product_qr", kwargs={"slug": "buoi-da-xanh"})
    response = client.get(url, {"download": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="qr-buoi-da-xanh.svg"'


def test_post_is_refused(client, product):
    assert page(client, "buoi-da-xanh").status_code == 200
    url = reverse("marketplace:product", kwargs={"slug": "buoi-da-xanh"})
    assert client.post(url).status_code == 405


def test_producer_page_shows_profile_and_published_products(client, product):
    producer = product.producer
    ProductFactory(producer=producer, name="Mứt vỏ bưởi", slug="mut-vo-buoi")
    ProductFactory(producer=producer, name="Bưởi sấy dẻo nháp", status="draft")
    ProductFactory(name="Sản phẩm của người khác")
    response = client.get(reverse("marketplace:producer", kwargs={"slug": producer.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert producer.name in html and producer.commune.name in html
    assert producer.street_address in html and f'href="tel:{producer.phone}"' in html
    assert "Bưởi da xanh Chợ Lách" in html and "Mứt vỏ bưởi" in html
    assert "nháp" not in html and "người khác" not in html
    assert "preview-banner" not in html


def test_producer_page_paginates_and_survives_bad_pages(client, home):
    producer = ProducerFactory()
    for n in range(30):
        ProductFactory(producer=producer, name=f"Kẹo dừa {n:02d}")
    url = reverse("marketplace:producer", kwargs={"slug": producer.slug})
    for bad in ("-1", "abc", "999"):
        assert client.get(url, {"page": bad}).status_code == 200
    assert client.get(url, {"page": "2"}).content.decode().count("product-card__name") == 6


def test_pending_producer_previewed_by_its_member(client, home):
    producer = ProducerFactory(status=Producer.Status.PENDING)
    url = reverse("marketplace:producer", kwargs={"slug": producer.slug})
    assert client.get(url).status_code == 404
    client.force_login(ProducerMemberFactory(producer=producer).user)
    response = client.get(url)
    assert response.status_code == 200 and "preview-banner" in response.content.decode()
