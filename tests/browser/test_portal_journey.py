"""A citizen's journey through the portal in a real browser (Debian's Chromium via Playwright).

Home page in Vietnamese, the news through the main menu, an article, the same article in English
through the language switcher, then the feedback form filled in and sent like a person would.
"""

import re
import time

import pytest
from django.core import mail
from django.db import connections
from wagtail.models import Site

from portal.core.models import MainMenu, MainMenuItem, SiteContact
from portal.feedback.models import FeedbackSubmission
from tests.browser import chromium
from tests.factories.pages import ArticlePageFactory

# Skipped before any database or live server is set up when the browser is missing.
pytestmark = chromium.MARKS
chromium_browser = chromium.chromium_browser
chromium_page = chromium.chromium_page

ORGANISATION = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
ARTICLE_TITLE = "Ra mắt ứng dụng Công dân số Vĩnh Long trên điện thoại"
MESSAGE = "Đề nghị bổ sung hướng dẫn cài đặt ứng dụng cho người cao tuổi ở xã Long Hồ."


@pytest.fixture
def portal(live_server, home, news_index, feedback_page):
    """The default site served by the live server, with a contact, a main menu and an article."""
    chromium.point_site_at(live_server)
    site = Site.objects.get(is_default_site=True)
    SiteContact.objects.update_or_create(site=site, defaults={"organisation_name": ORGANISATION})
    menu = MainMenu.for_site(site)
    menu.items.add(MainMenuItem(page=news_index, sort_order=0))
    menu.items.add(MainMenuItem(page=feedback_page, sort_order=1))
    menu.save()

    article = ArticlePageFactory(parent=news_index, title=ARTICLE_TITLE)
    return {"base_url": live_server.url, "article": article, "feedback_page": feedback_page}


def _screenshot(page, directory, name):
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0, f"empty screenshot {path}"
    return path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_citizen_reads_news_switches_language_and_sends_feedback(portal, chromium_page, tmp_path):
    from playwright.sync_api import expect

    page = chromium_page
    base_url = portal["base_url"]
    article = portal["article"]
    feedback_page = portal["feedback_page"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    started = time.monotonic()

    # 1. The home page, in Vietnamese.
    response = page.goto(base_url + "/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("a.skip-link")).to_have_text("Chuyển đến nội dung chính")
    expect(page).to_have_title(re.compile(re.escape(ORGANISATION)))
    _screenshot(page, shots, "1-home-vi")

    # 2. News through the main menu, then the article.
    menu = page.get_by_role("navigation", name="Menu chính")
    menu.get_by_role("link", name="Tin tức", exact=True).click()
    expect(page).to_have_url(base_url + "/tin-tuc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin tức")
    _screenshot(page, shots, "2a-news-index-vi")

    page.get_by_role("main").get_by_role("link", name=ARTICLE_TITLE, exact=True).click()
    expect(page).to_have_url(base_url + article.url)
    assert article.url == f"/tin-tuc/{article.slug}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE)
    _screenshot(page, shots, "2b-article-vi")

    # 3. The same article in English: interface strings change, the content does not.
    page.get_by_role("navigation", name="Ngôn ngữ").get_by_role("link", name="English").click()
    expect(page).to_have_url(base_url + f"/en/tin-tuc/{article.slug}/")
    assert page.url.removeprefix(base_url).startswith("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("a.skip-link")).to_have_text("Skip to main content")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE)
    _screenshot(page, shots, "3-article-en")

    # 4. The feedback form through the (English) main menu.
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name=feedback_page.title, exact=True
    ).click()
    expect(page).to_have_url(base_url + f"/en/{feedback_page.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(feedback_page.title)

    form = page.locator("main form")
    honeypot = form.locator("input[name='website']")
    expect(honeypot).to_have_count(1)
    box = honeypot.bounding_box()
    viewport = page.viewport_size
    off_screen = box is None or (
        box["x"] + box["width"] <= 0
        or box["y"] + box["height"] <= 0
        or box["x"] >= viewport["width"]
    )
    assert off_screen or not honeypot.is_visible(), f"honeypot is visible at {box}"

    form.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    form.get_by_label("Email").fill("an.nguyen@example.vn")
    form.get_by_label("Nội dung góp ý").fill(MESSAGE)
    _screenshot(page, shots, "4a-feedback-filled-en")
    form.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_role("status")).to_have_text(feedback_page.thank_you_text)
    _screenshot(page, shots, "4b-feedback-thanks-en")

    submission = FeedbackSubmission.objects.get()
    assert submission.page_id == feedback_page.pk
    assert submission.form_data["noi_dung_gop_y"] == MESSAGE
    assert submission.form_data["ho_va_ten"] == "Nguyễn Văn An"
    assert "website" not in submission.form_data
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bientap@example.vn"]
    assert MESSAGE in mail.outbox[0].body
    # Under Playwright's sync API this code runs with its own context, hence its own database
    # connection (Django keys connections by context); close it or the test DB cannot be dropped.
    connections.close_all()

    # 5. Every step left a non-empty screenshot.
    files = sorted(shots.glob("*.png"))
    assert len(files) == 6
    assert all(f.stat().st_size > 0 for f in files)
    print(f"journey took {time.monotonic() - started:.1f}s; screenshots in {shots}")
