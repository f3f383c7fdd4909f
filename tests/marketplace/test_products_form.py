"""Adding and editing products in "My shop": every bad input is a form error and changes nothing."""

import datetime
import os

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import UploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from wagtail.images import get_image_model

from marketplace.models import Product, ProductPhoto
from marketplace.selectors.shop import SESSION_KEY
from marketplace.services.certificates import add_months, certificate_storage_root
from marketplace.services.photos import PRODUCT_PHOTO_COLLECTION
from marketplace.views.products_shop import shop_product_add_view

from .shop_fixtures import *  # noqa: F403 - the shared fixtures
from .shop_fixtures import (
    PDF_BYTES,
    jpeg_bytes,
    make_product,
    pdf_upload,
    photo_upload,
    png_bytes,
    product_form_data,
    subgroup,
)

ADD = reverse("marketplace:shop_product_add")


def _errors(response) -> dict:
    assert response.status_code == 400
    return response.context["form"].errors


def test_add_product_saves_a_draft(owner_client, producer):
    response = owner_client.post(ADD, product_form_data())
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get()
    assert response["Location"] == reverse("marketplace:shop_product_edit", args=[product.pk])
    assert product.status == Product.Status.DRAFT
    assert product.producer == producer
    assert product.slug == "keo-dua-sap-dac-biet"
    assert product.price == 150_000
    assert product.group == subgroup("1.3").group
    assert product.province_id == producer.province_id
    assert product.certificate_expires_on == add_months(product.certificate_date, 36)
    assert product.ocop_active is False


def test_slugs_of_same_name_differ(owner_client, producer):
    owner_client.post(ADD, product_form_data(name="Đường thốt nốt"))
    owner_client.post(ADD, product_form_data(name="Đường thốt nốt"))
    assert sorted(Product.objects.values_list("slug", flat=True)) == [
        "duong-thot-not",
        "duong-thot-not-2",
    ]


@pytest.mark.parametrize("price", ["150000", "150.000", "1.250.000 ₫"])
def test_price_formats_accepted(owner_client, producer, price):
    assert owner_client.post(ADD, product_form_data(price=price)).status_code == 302
    assert Product.objects.get().price in (150_000, 1_250_000)


@pytest.mark.parametrize(
    "price",
    ["-5", "-150.000", "0", "999", "500.000.001", "99999999999999", "150,5", "150.5", "abc", ""],
)
def test_bad_prices_refused(owner_client, producer, price):
    errors = _errors(owner_client.post(ADD, product_form_data(price=price)))
    assert "price" in errors
    assert not Product.objects.exists()


@pytest.mark.parametrize("stock", ["-1", "abc", "1.5", "1000001"])
def test_bad_stock_refused(owner_client, producer, stock):
    assert "stock" in _errors(owner_client.post(ADD, product_form_data(stock=stock)))
    assert not Product.objects.exists()


def test_future_certificate_date_refused(owner_client, producer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = _errors(
        owner_client.post(ADD, product_form_data(certificate_date=tomorrow.isoformat()))
    )
    assert "certificate_date" in errors
    assert not Product.objects.exists()


def test_certificate_before_2018_refused(owner_client, producer):
    errors = _errors(owner_client.post(ADD, product_form_data(certificate_date="2017-12-31")))
    assert "certificate_date" in errors


def test_certificate_date_in_vietnamese_format_accepted(owner_client, producer):
    assert (
        owner_client.post(ADD, product_form_data(certificate_date="15/03/2024")).status_code == 302
    )
    assert Product.objects.get().certificate_date == datetime.date(2024, 3, 15)
    assert Product.objects.get().certificate_expires_on == datetime.date(2027, 3, 15)


def test_entered_expiry_is_kept_and_must_follow_the_decision(owner_client, producer):
    data = product_form_data(certificate_date="2024-03-15", certificate_expires_on="2024-03-15")
    assert "certificate_expires_on" in _errors(owner_client.post(ADD, data))
    data["certificate_expires_on"] = "2026-12-31"
    assert owner_client.post(ADD, data).status_code == 302
    assert Product.objects.get().certificate_expires_on == datetime.date(2026, 12, 31)


@pytest.mark.parametrize("stars", ["3", "5"])
def test_potential_five_stars_only_with_four(owner_client, producer, stars):
    data = product_form_data(stars=stars, potential_five_star="on")
    assert "potential_five_star" in _errors(owner_client.post(ADD, data))
    assert not Product.objects.exists()


def test_potential_five_stars_with_four(owner_client, producer):
    data = product_form_data(stars="4", potential_five_star="on")
    assert owner_client.post(ADD, data).status_code == 302
    assert Product.objects.get().potential_five_star is True


@pytest.mark.parametrize("stars", ["2", "6", "x"])
def test_stars_outside_3_to_5_refused(owner_client, producer, stars):
    assert "stars" in _errors(owner_client.post(ADD, product_form_data(stars=stars)))


def test_subgroup_of_another_group_refused(owner_client, producer):
    drinks = subgroup("2.1").group
    data = product_form_data(group=drinks.pk)  # sub-group 1.3 is a food
    assert "subgroup" in _errors(owner_client.post(ADD, data))
    assert not Product.objects.exists()


def test_group_comes_from_the_subgroup(owner_client, producer):
    data = product_form_data(subgroup_code="2.2")
    assert owner_client.post(ADD, data).status_code == 302
    product = Product.objects.get()
    assert (product.subgroup.code, product.group.code) == ("2.2", "2")


def test_origin_commune_must_be_in_origin_province(owner_client, producer, other_commune, commune):
    data = product_form_data(origin_province=commune.province_id, origin_commune=other_commune.pk)
    assert "origin_commune" in _errors(owner_client.post(ADD, data))
    assert not Product.objects.exists()


def test_origin_commune_sets_the_province(owner_client, producer, other_commune):
    data = product_form_data(
        origin_province=other_commune.province_id, origin_commune=other_commune.pk
    )
    assert owner_client.post(ADD, data).status_code == 302
    product = Product.objects.get()
    assert product.origin_commune == other_commune
    assert product.province_id == other_commune.province_id != producer.province_id


def test_other_certifications(owner_client, producer):
    data = product_form_data(other_certifications=["haccp", "vietgap"])
    assert owner_client.post(ADD, data).status_code == 302
    assert Product.objects.get().other_certifications == ["vietgap", "haccp"]
    data = product_form_data(other_certifications=["michelin"])
    assert "other_certifications" in _errors(owner_client.post(ADD, data))


# --- The certificate scan ------------------------------------------------------------------------


def test_certificate_pdf_stored_privately(owner_client, producer, settings):
    data = product_form_data(certificate_file=pdf_upload())
    assert owner_client.post(ADD, data).status_code == 302
    product = Product.objects.get()
    assert product.certificate_file.startswith(f"{producer.pk}/")
    path = certificate_storage_root() / product.certificate_file
    assert path.read_bytes() == PDF_BYTES
    assert str(path).startswith(str(settings.PRIVATE_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    "content",
    [png_bytes(), b"<html>%PDF-1.4</html>", b"%PDF-1.4\nno end marker\n", b""],
    ids=["png", "html", "truncated", "empty"],
)
def test_certificate_that_is_not_a_pdf_refused(owner_client, producer, content):
    data = product_form_data(certificate_file=pdf_upload("quyet-dinh.pdf", content))
    assert "certificate_file" in _errors(owner_client.post(ADD, data))
    assert not Product.objects.exists()
    assert not certificate_storage_root().exists() or not any(
        certificate_storage_root().rglob("*.pdf")
    )


def test_certificate_too_large_refused(owner_client, producer, settings):
    settings.MARKETPLACE_CERTIFICATE_MAX_BYTES = 100
    data = product_form_data(certificate_file=pdf_upload())
    assert "certificate_file" in _errors(owner_client.post(ADD, data))
    assert not Product.objects.exists()


# --- Photos ------------------------------------------------------------------------------------


def test_photos_become_wagtail_images_in_the_collection(owner_client, producer):
    photos = [photo_upload("a.png"), photo_upload("b.jpg", jpeg_bytes())]
    assert owner_client.post(ADD, product_form_data(photos=photos)).status_code == 302
    product = Product.objects.get()
    images = [photo.image for photo in product.photos.all()]
    assert [image.collection.name for image in images] == [PRODUCT_PHOTO_COLLECTION] * 2
    # The stored name follows the bytes (JPEG), not the name the browser sent.
    assert images[1].file.name.endswith(".jpg")
    assert images[0].file.name.endswith(".png")
    assert images[0].width == 64 and images[0].file_size > 0
    page = owner_client.get(reverse("marketplace:shop_product_edit", args=[product.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # A rendition, not the original, is shown.
    rendition = product.photos.first().image.renditions.get(filter_spec="fill-240x240")
    assert rendition.url in html
    assert images[0].file.url not in html


def test_non_image_photo_refused(owner_client, producer):
    fake = photo_upload("keo-dua.jpg", content=b"GIF89a but not really" * 5)
    assert "photos" in _errors(owner_client.post(ADD, product_form_data(photos=[fake])))
    assert not Product.objects.exists()
    assert not get_image_model().objects.exists()


def test_pdf_renamed_as_image_refused(owner_client, producer):
    fake = photo_upload("keo-dua.png", content=PDF_BYTES)
    assert "photos" in _errors(owner_client.post(ADD, product_form_data(photos=[fake])))


def test_photo_over_the_limit_refused_through_the_client(owner_client, producer, settings):
    settings.MARKETPLACE_PHOTO_MAX_BYTES = 200
    big = photo_upload("to.png", content=png_bytes(size=(400, 400)))
    assert big.size > 200
    errors = _errors(owner_client.post(ADD, product_form_data(photos=[big])))
    assert "photos" in errors
    assert not Product.objects.exists()


def test_40_megabyte_photo_refused_without_reading_it(producer, owner, tmp_path, home):
    """A 40 MB upload (a sparse file on disk, never read into memory) through the real view."""
    path = tmp_path / "anh-40mb.png"
    with open(path, "wb") as handle:
        handle.write(png_bytes())
        handle.seek(40 * 1024 * 1024 - 1)
        handle.write(b"\0")
    size = os.path.getsize(path)
    assert size == 40 * 1024 * 1024

    request = RequestFactory().post(ADD, product_form_data())
    request.POST  # noqa: B018 - parse the body before the files are replaced
    with open(path, "rb") as handle:
        upload = UploadedFile(handle, name="anh-40mb.png", content_type="image/png", size=size)
        request._files = MultiValueDict({"photos": [upload]})
        request.user = owner
        request.session = SessionStore()
        request.session[SESSION_KEY] = producer.pk
        request._messages = FallbackStorage(request)
        response = shop_product_add_view(request)
        response.render()
        # Only the size was looked at: nothing was read from the file.
        assert handle.tell() == 0
    assert response.status_code == 400
    errors = response.context_data["form"].errors["photos"]
    assert any("40" in error and "10" in error for error in errors)
    assert not Product.objects.exists()
    assert not get_image_model().objects.exists()


def test_too_many_photos_refused(owner_client, producer, settings):
    settings.MARKETPLACE_PHOTOS_PER_PRODUCT = 2
    photos = [photo_upload(f"{n}.png") for n in range(3)]
    assert "photos" in _errors(owner_client.post(ADD, product_form_data(photos=photos)))
    assert not Product.objects.exists()


def test_photos_reordered_and_deleted(owner_client, producer):
    owner_client.post(ADD, product_form_data(photos=[photo_upload(f"{n}.png") for n in range(3)]))
    product = Product.objects.get()
    first, second, third = product.photos.all()
    url = reverse("marketplace:shop_product_photo_move", args=[product.pk, third.pk])
    assert owner_client.post(url, {"direction": "up"}).status_code == 302
    assert list(product.photos.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    url = reverse("marketplace:shop_product_photo_move", args=[product.pk, first.pk])
    owner_client.post(url, {"direction": "up"})  # already first: nothing moves
    assert list(product.photos.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    url = reverse("marketplace:shop_product_photo_delete", args=[product.pk, first.pk])
    assert owner_client.post(url).status_code == 302
    assert list(product.photos.values_list("pk", flat=True)) == [third.pk, second.pk]
    assert not get_image_model().objects.filter(pk=first.image_id).exists()
    assert ProductPhoto.objects.count() == 2


def test_edit_refused_input_changes_nothing(owner_client, producer):
    product = make_product(producer)
    before = Product.objects.values().get(pk=product.pk)
    url = reverse("marketplace:shop_product_edit", args=[product.pk])
    for bad in ({"price": "-1"}, {"price": "0"}, {"stars": "3", "potential_five_star": "on"}):
        assert owner_client.post(url, product_form_data(**bad)).status_code == 400
    assert Product.objects.values().get(pk=product.pk) == before


def test_edit_form_shows_current_values(owner_client, producer):
    product = make_product(producer, price=1_250_000)
    page = owner_client.get(reverse("marketplace:shop_product_edit", args=[product.pk]))
    assert page.status_code == 200
    assert 'value="1.250.000"' in page.content.decode()


def test_dependent_selects_have_their_data(owner_client, producer):
    page = owner_client.get(ADD)
    html = page.content.decode()
    assert 'id="ocop-subgroups"' in html
    assert "data-communes-url" in html
    assert "marketplace/shop.js" in html
