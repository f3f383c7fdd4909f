"""A visitor searching without accents in a real browser (Debian's Chromium via Playwright):
suggestions under the header's search box while typing, the keyboard to pick one, then the
results page for a typo with its suggestion and its kinds."""

import pytest

from tests.browser import chromium
from tests.factories.marketplace import ProducerFactory, ProductFactory

pytestmark = chromium.MARKS
chromium_browser = chromium.chromium_browser
chromium_page = chromium.chromium_page


@pytest.fixture
def market(live_server, home):
    """Products saved like any other: the index gets them through the queue after commit."""
    chromium.point_site_at(live_server)
    producer = ProducerFactory(name="Hợp tác xã Dừa xiêm Mỏ Cày")
    ProductFactory(name="Cà phê Robusta rang mộc", slug="ca-phe-robusta", producer=producer)
    ProductFactory(name="Cà phê dừa hòa tan", slug="ca-phe-dua", producer=producer, stock=0)
    ProductFactory(name="Mật ong rừng U Minh", slug="mat-ong-rung", producer=producer)
    return live_server.url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_types_without_accents_and_finds(market, chromium_page, tmp_path):
    from playwright.sync_api import expect

    page = chromium_page
    page.goto(market + "/")
    box = page.locator("#site-search")
    box.fill("c")
    expect(page.locator(".search-suggest")).to_be_hidden()  # one character: nothing yet
    box.fill("ca p")
    options = page.locator(".search-suggest [role=option]")
    expect(options).to_have_count(2)
    expect(options.first.locator("mark").first).to_have_text("Cà")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(tmp_path / "suggestions.png"))
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    chosen = options.first.locator("a")
    title = chosen.locator(".search-suggest__title").inner_text()
    assert title in {"Cà phê Robusta rang mộc", "Cà phê dừa hòa tan"}
    href = chosen.get_attribute("href")
    box.press("Enter")
    expect(page).to_have_url(market + href)
    expect(page.locator("h1")).to_have_text(title)

    page.locator("#site-search").fill("mat ong rugn")
    page.locator("#site-search").press("Enter")
    expect(page.locator(".search-suggestion")).to_contain_text("mật ong rừng")
    expect(page.locator(".search-result__title mark").first).to_have_text("Mật")
    page.locator(".search-tabs a", has_text="Sản phẩm OCOP").click()
    expect(page.locator(".search-result")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
    assert (tmp_path / "results.png").stat().st_size > 0
