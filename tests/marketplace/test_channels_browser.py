"""A producer records a product's Voso listing from a phone-sized screen, and the public product
page then shows "Also on Voso" (Debian's Chromium via Playwright)."""

import os

import pytest
from django.db import connections
from django.urls import reverse

from marketplace.models import ChannelListing
from tests.browser import chromium
from tests.factories.marketplace import ChannelFactory, ProducerMemberFactory, ProductFactory

pytestmark = chromium.MARKS
chromium_browser = chromium.chromium_browser
chromium_page = chromium.chromium_page
PASSWORD = "mat-khau-Thu-nghiem-1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_producer_records_a_listing_on_a_phone(live_server, home, chromium_page, tmp_path):
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    member = ProducerMemberFactory()
    product = ProductFactory(producer=member.producer, name="Kẹo dừa sáp Cầu Kè")
    ChannelFactory()

    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username], input[name=email]", member.user.email)
    page.fill("input[type=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(live_server.url + reverse("marketplace:shop_channels"))
    assert page.locator("meta[charset]").count() == 1
    page.get_by_role("link", name="Voso").first.click()
    page.wait_for_url("**/cua-hang/kenh-ban/voso/")
    with page.expect_download() as download:
        page.locator("a[href$='tai-file.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.locator(f"a[href$='/san-pham/{product.pk}/']").click()
    page.fill("input[name=listing_url]", "http://voso.vn/keo-dua")  # refused: not https
    page.locator("form.channel-listing-form button[type=submit]").click()
    assert page.locator(".form__error").count() >= 1
    page.fill("input[name=listing_url]", "https://voso.vn/keo-dua-sap-cau-ke")
    page.fill("input[name=external_sku]", "VS-000123")
    page.locator("form.channel-listing-form button[type=submit]").click()
    page.wait_for_url("**/cua-hang/kenh-ban/voso/")
    if os.environ.get("CHANNELS_SCREENSHOTS"):
        page.screenshot(path=os.environ["CHANNELS_SCREENSHOTS"] + "/channel.png", full_page=True)
    assert page.locator("text=VS-000123").count() == 1
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    listing = ChannelListing.objects.get()
    assert listing.listing_url == "https://voso.vn/keo-dua-sap-cau-ke"

    page.goto(live_server.url + reverse("marketplace:product", kwargs={"slug": product.slug}))
    button = page.locator("a.channel-buttons__link")
    assert button.count() == 1
    assert button.get_attribute("href") == "https://voso.vn/keo-dua-sap-cau-ke"
    assert button.get_attribute("rel") == "external noopener"
    assert "Voso" in button.inner_text()
    if os.environ.get("CHANNELS_SCREENSHOTS"):
        page.screenshot(path=os.environ["CHANNELS_SCREENSHOTS"] + "/product.png", full_page=True)
    # Under Playwright's sync API the ORM runs in its own context, hence its own connection:
    # close it, or the test database cannot be dropped.
    connections.close_all()
