"""The search page and autocomplete over HTTP: grouping, paging, bad input, an engine that is
down. Whatever is typed, a normal page."""

import pytest
from django.utils import translation

from search import selectors
from search.engines import EngineUnavailable

pytestmark = pytest.mark.django_db
URL = "/search/"


@pytest.fixture
def database_engine(settings):
    settings.SEARCH_ENGINE = "database"


def html(response):
    return response.content.decode()


def test_results_are_grouped_with_tabs_and_highlights(client, indexed):
    response = client.get(URL, {"q": "ca phe"})
    page = html(response)
    assert response.status_code == 200
    assert 'id="search-group-product"' in page and 'id="search-group-news"' in page
    assert "<mark>Cà</mark> <mark>phê</mark> Robusta rang mộc" in page
    assert "?q=ca%20phe&amp;kind=product" in page
    assert "Cà phê bí mật" not in page


def test_one_kind_is_paged(client, indexed, monkeypatch):
    monkeypatch.setattr(selectors, "PER_PAGE", 1)
    first = html(client.get(URL, {"q": "ca phe", "kind": "product"}))
    second = html(client.get(URL, {"q": "ca phe", "kind": "product", "page": "2"}))
    assert first.count('class="search-result ') == second.count('class="search-result ') == 1
    assert "page=2" in first and 'rel="next"' in first
    assert 'rel="prev"' in second
    assert ("Robusta" in first) != ("Robusta" in second)


def test_the_suggestion_is_offered_and_used(client, indexed):
    with translation.override("vi"):
        page = html(client.get(URL, {"q": "caphe"}))
        assert "<strong>cà phê</strong>" in page
        assert "<mark>Cà</mark> <mark>phê</mark> Robusta rang mộc" in page
        page = html(client.get(URL, {"q": "mat ong rung"}))
    assert "?q=m%E1%BA%ADt%20ong%20r%E1%BB%ABng" in page


BAD_INPUT = [
    {"q": ""},
    {"q": "a" * 10_000},
    {"q": "!!! ??? ..."},
    {"q": "😀🥥🍵"},
    {"q": "'; DROP TABLE search_entry; --"},
    {"q": 'title:(cà AND phê)^3~2 OR "dừa* NEAR/2 sáp" \\ / [1 TO 5] {x}'},
    {"q": "dua", "page": "-1"},
    {"q": "dua", "page": "999999"},
    {"q": "dua", "page": "abc"},
    {"q": "dua", "kind": "product", "page": "999999999999999999999"},
    {"q": "dua", "kind": "<script>"},
    {"q": "\x00\x01 dua"},
]


@pytest.mark.parametrize("params", BAD_INPUT, ids=range(len(BAD_INPUT)))
def test_bad_input_gives_a_normal_page(client, indexed, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<script>" not in html(response).split("</header>", 1)[1].split("<footer", 1)[0]


def test_bad_input_changes_nothing(client, indexed):
    from search.models import SearchEntry

    before = SearchEntry.objects.count()
    client.get(URL, {"q": "'; DELETE FROM search_entry; --"})
    assert SearchEntry.objects.count() == before


@pytest.fixture
def engine_down(monkeypatch):
    class Down:
        name = "down"

        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise EngineUnavailable("connection refused")

            return fail

    monkeypatch.setattr("search.selectors.search_engine", lambda: Down())
    monkeypatch.setattr("search.catalogue.search_engine", lambda: Down())


def test_an_engine_that_is_down_gives_a_polite_page(client, indexed, engine_down):
    with translation.override("vi"):
        response = client.get(URL, {"q": "ca phe"})
        page = html(response)
    assert response.status_code == 503
    assert 'role="alert"' in page and "site-search" in page  # the header and its search box
    assert client.get("/").status_code == 200
    assert client.get("/search/goi-y/", {"q": "ca p"}).json() == {"suggestions": []}


def test_the_catalogue_falls_back_to_the_database_when_the_engine_is_down(
    client, indexed, engine_down
):
    response = client.get("/cho-ocop/", {"q": "Cà phê"})
    assert response.status_code == 200
    page = html(response)
    assert "Cà phê Robusta rang mộc" in page
    assert 'class="notice notice--warning"' in page


def test_autocomplete_returns_json_from_two_characters(client, indexed):
    assert client.get("/search/goi-y/", {"q": "c"}).json() == {"suggestions": []}
    response = client.get("/search/goi-y/", {"q": "mat o"})
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    [suggestion] = response.json()["suggestions"]
    assert suggestion["title"] == "Mật ong rừng U Minh"
    assert suggestion["title_html"] == "<mark>Mật</mark> <mark>ong</mark> rừng U Minh"
    assert suggestion["url"].endswith("/")
    assert client.get("/search/goi-y/", {"q": "😀😀"}).json() == {"suggestions": []}
