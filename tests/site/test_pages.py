"""Every page type renders with its Vietnamese content; feeds, sitemap and search answer."""

import re
import xml.etree.ElementTree as ET

import pytest

from search.services import search_rebuild


@pytest.mark.django_db
def test_home_page_renders_hero_and_latest_news(client, home, article):
    home.sections = [("latest_news", {"heading": "Tin tức chuyển đổi số", "count": 6})]
    home.save()
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert '<meta charset="utf-8">' in html
    assert "Chuyển đổi số tỉnh Vĩnh Long" in html
    assert "Tin tức chuyển đổi số" in html
    assert article.title in html
    assert "Chuyển đến nội dung chính" in html


@pytest.mark.django_db
def test_news_index_lists_articles_and_filters_by_category(client, news_index, article):
    other = article.__class__.objects.exclude(pk=article.pk)
    assert not other.exists()
    response = client.get(news_index.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    empty = client.get(news_index.url + "?category=khong-ton-tai")
    assert empty.status_code == 200
    assert article.title not in empty.content.decode()
    assert "Không có bài viết nào." in empty.content.decode()


@pytest.mark.django_db
def test_article_page_shows_lead_body_date_and_author(client, article):
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert article.lead in html
    assert "Tổ công nghệ số cộng đồng hỗ trợ người dân." in html
    assert "20/11/2026" in html
    assert "Ban Biên tập" in html


@pytest.mark.django_db
def test_standard_and_faq_pages_render(client, standard_page, faq_page):
    standard = client.get(standard_page.url)
    assert standard.status_code == 200
    assert "Cổng thông tin điện tử về chuyển đổi số của tỉnh." in standard.content.decode()
    faq = client.get(faq_page.url)
    html = faq.content.decode()
    assert faq.status_code == 200
    assert "Tài khoản định danh điện tử" in html
    assert "<details" in html and "Làm thế nào để kích hoạt tài khoản VNeID mức độ 2?" in html


@pytest.mark.django_db
def test_feedback_page_renders_form_with_honeypot(client, feedback_page):
    response = client.get(feedback_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung góp ý" in html
    assert 'name="website"' in html
    assert "Gửi góp ý" in html


@pytest.mark.django_db
def test_english_prefix_switches_interface_language(client, article):
    response = client.get("/en" + article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    # Content stays as the editors wrote it.
    assert article.title in html


@pytest.mark.django_db
def test_search_finds_published_article(client, article):
    search_rebuild()
    response = client.get("/search/", {"q": "dịch vụ công trực tuyến"})
    html = re.sub("</?mark>", "", response.content.decode())
    assert response.status_code == 200
    assert article.title in html
    nothing = client.get("/search/", {"q": "zzzqqxxy"})
    assert "0 kết quả" in nothing.content.decode()


@pytest.mark.django_db
def test_search_without_query_shows_form_only(client, home):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "kết quả" not in response.content.decode()


@pytest.mark.django_db
def test_sitemap_lists_pages(client, article, faq_page):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(article.url) for loc in locations)
    assert any(loc.endswith(faq_page.url) for loc in locations)


@pytest.mark.django_db
def test_rss_and_atom_feeds_carry_articles(client, article):
    rss = client.get("/feeds/news/rss.xml")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(rss.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == [article.title]
    assert items[0].findtext("link").endswith(article.url)
    atom = client.get("/feeds/news/atom.xml")
    assert atom.status_code == 200
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1


@pytest.mark.django_db
def test_unpublished_article_is_not_served(client, article):
    article.unpublish()
    assert client.get(article.url).status_code == 404
    assert article.title not in client.get("/feeds/news/rss.xml").content.decode()


@pytest.mark.django_db
def test_unknown_page_gives_vietnamese_404(client, home):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
