"""Editors search the Wagtail admin without accents and find pages written with them."""

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.factories.pages import ArticlePageFactory, NewsIndexPageFactory, StandardPageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def pages(home):
    news = NewsIndexPageFactory(parent=home)
    ArticlePageFactory(parent=news, title="Cà phê dừa lên sàn thương mại điện tử", slug="ca-phe")
    ArticlePageFactory(parent=news, title="Đường thốt nốt vào siêu thị", slug="duong")
    StandardPageFactory(parent=home, title="Hướng dẫn cho cơ sở sản xuất ở Bến Tre", slug="hd")
    call_command("update_index", verbosity=0)


@pytest.mark.parametrize(
    "query,title",
    [
        ("ca phe", "Cà phê dừa lên sàn thương mại điện tử"),
        ("duong thot not", "Đường thốt nốt vào siêu thị"),
        ("ĐƯỜNG", "Đường thốt nốt vào siêu thị"),
        ("ben tre", "Hướng dẫn cho cơ sở sản xuất ở Bến Tre"),
        ("co so", "Hướng dẫn cho cơ sở sản xuất ở Bến Tre"),
        ("cà phê", "Cà phê dừa lên sàn thương mại điện tử"),
    ],
)
def test_admin_page_search_is_accent_insensitive(editor_client, pages, query, title):
    with translation.override("vi"):
        response = editor_client.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200
    assert title in response.content.decode()


def test_admin_search_does_not_find_other_words(editor_client, pages):
    response = editor_client.get("/admin/pages/search/", {"q": "ca phe"})
    assert "Đường thốt nốt vào siêu thị" not in response.content.decode()


def test_a_page_saved_in_the_admin_is_found_without_a_rebuild(editor_client, home):
    news = NewsIndexPageFactory(parent=home)
    ArticlePageFactory(parent=news, title="Mật ong rừng U Minh", slug="mat-ong")
    response = editor_client.get("/admin/pages/search/", {"q": "mat ong rung"})
    assert "Mật ong rừng U Minh" in response.content.decode()
