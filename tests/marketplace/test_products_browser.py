"""A producer adds a product from a phone in a real browser (Debian's Chromium via Playwright):
the sub-group list follows the group, the origin communes follow the province, an ambiguous price
is refused with nothing saved, then the product is saved with its certificate and two photos and
sent for approval."""

import datetime

import pytest
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext, override

from marketplace.models import OcopSubgroup, ProducerMember, Product
from marketplace.services.certificates import certificate_storage_root
from tests.browser import chromium
from tests.factories.marketplace import (
    CommuneFactory,
    ProducerFactory,
    ProducerMemberFactory,
    ProvinceFactory,
)

from .shop_fixtures import PDF_BYTES, jpeg_bytes, png_bytes

pytestmark = [
    *chromium.MARKS,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
browser = chromium.chromium_browser


@pytest.fixture
def producer_site(live_server, home, tmp_path):
    base_url = chromium.point_site_at(live_server)
    home_province = ProvinceFactory()
    home_commune = CommuneFactory(province=home_province, name="Xã Mỹ Thạnh")
    origin_province = ProvinceFactory(code=83, name="Bến Tre", division_type="tỉnh")
    origin_commune = CommuneFactory(province=origin_province, name="Xã Tân Thành Bình")
    producer = ProducerFactory(commune=home_commune, name="HTX Dừa Mỏ Cày")
    owner = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.OWNER).user
    files = {
        "certificate": tmp_path / "quyet-dinh-ocop.pdf",
        "cover": tmp_path / "keo-dua.jpg",
        "side": tmp_path / "hop-keo.png",
    }
    files["certificate"].write_bytes(PDF_BYTES)
    files["cover"].write_bytes(jpeg_bytes((800, 600)))
    files["side"].write_bytes(png_bytes((600, 600)))
    return {
        "url": base_url,
        "producer": producer,
        "owner": owner,
        "origin_commune": origin_commune,
        "files": files,
    }


def _option_labels(select) -> list[str]:
    return [label.strip() for label in select.locator("option").all_inner_texts()]


def _attach_files(page, files):
    page.set_input_files("input[name=certificate_file]", str(files["certificate"]))
    page.set_input_files("input[name=photos]", [str(files["cover"]), str(files["side"])])


def test_producer_adds_a_product_on_a_phone(browser, producer_site, tmp_path):
    site = producer_site
    sweets = OcopSubgroup.objects.select_related("group").get(code="1.3")
    page = chromium.signed_in_tab(browser, site["url"], site["owner"])
    page.goto(site["url"] + "/cua-hang/san-pham/them/")

    # The sub-group list holds the chosen group's sub-groups only.
    page.select_option("select[name=group]", str(sweets.group_id))
    subgroups = page.locator("select[name=subgroup]")
    expected = [
        f"{sub.code} {sub.name}"
        for sub in OcopSubgroup.objects.filter(group=sweets.group).order_by("position", "code")
    ]
    page.wait_for_function(
        "n => document.querySelectorAll('select[name=subgroup] option').length === n",
        arg=len(expected) + 1,
    )
    assert _option_labels(subgroups)[1:] == expected
    page.select_option("select[name=subgroup]", str(sweets.pk))

    page.fill("input[name=name]", "Kẹo dừa sáp Mỏ Cày")
    page.fill("textarea[name=description]", "Kẹo dừa sáp nấu thủ công từ dừa sáp Cầu Kè.")
    page.fill("input[name=price]", "150,000")  # ambiguous: refused
    page.select_option("select[name=unit]", "hop")
    page.fill("input[name=stock]", "40")
    page.check("input[name=stars][value='4']")
    page.fill("input[name=certificate_number]", "1234/QĐ-UBND")
    decided = timezone.localdate() - datetime.timedelta(days=200)
    page.fill("input[name=certificate_date]", decided.isoformat())
    page.fill("input[name=certificate_authority]", "UBND tỉnh Vĩnh Long")
    # The origin communes follow the origin province (fetched from the locations API).
    page.select_option("select[name=origin_province]", str(site["origin_commune"].province_id))
    page.wait_for_selector(
        f"select[name=origin_commune] option[value='{site['origin_commune'].pk}']", state="attached"
    )
    page.select_option("select[name=origin_commune]", str(site["origin_commune"].pk))
    _attach_files(page, site["files"])
    assert page.locator("[data-preview-for] img").count() == 2
    page.locator("form.shop-form button[type=submit]").click()

    # Refused: the price field says why, nothing is saved, typed values are kept.
    page.wait_for_selector(".alert--error")
    price_field = page.locator(".form__field:has(input[name=price])")
    assert price_field.locator(".form__error").count() == 1
    with override("vi"):
        assert gettext("Please correct the errors below.") in page.content()
    assert Product.objects.count() == 0
    assert page.input_value("input[name=name]") == "Kẹo dừa sáp Mỏ Cày"
    assert page.input_value("select[name=subgroup]") == str(sweets.pk)
    assert page.input_value("select[name=origin_commune]") == str(site["origin_commune"].pk)

    page.fill("input[name=price]", "150.000")
    _attach_files(page, site["files"])  # a browser never keeps chosen files across pages
    page.locator("form.shop-form button[type=submit]").click()
    page.wait_for_url("**/cua-hang/san-pham/*/")
    product = Product.objects.get()
    assert product.producer == site["producer"]
    assert (product.price, product.stock, product.stars) == (150_000, 40, 4)
    assert product.subgroup == sweets
    assert product.origin_commune == site["origin_commune"]
    assert product.status == Product.Status.DRAFT
    assert (certificate_storage_root() / product.certificate_file).read_bytes() == PDF_BYTES
    assert product.photos.count() == 2
    assert page.locator(".shop-photos__item img").count() == 2
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= chromium.PHONE["width"]
    page.screenshot(path=str(tmp_path / "product-draft.png"), full_page=True)

    page.locator(f"form[action$='/san-pham/{product.pk}/gui-duyet/'] button").click()
    page.wait_for_selector(".alert--success")
    product.refresh_from_db()
    assert product.status == Product.Status.SUBMITTED
    page.context.close()
    # Playwright's sync API gives this code its own database connection; close it.
    connections.close_all()
