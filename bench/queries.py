"""SQL queries per page. `python -m bench.queries <n>` sets n articles and prints JSON counts."""

import json
import sys
from urllib.parse import urlencode

SEARCH_QUERY = "chuyển đổi số"
PAGES = {
    "home": "/",
    "news index": "/tin-tuc/",
    "article": None,  # a seeded article, looked up in the database
    "RSS feed": "/feeds/news/rss.xml",
    "sitemap": "/sitemap.xml",
    "search": "/search/?" + urlencode({"q": SEARCH_QUERY}),
}


def queries_count(client, url: str) -> tuple[int, bytes]:
    """Queries of the second GET of url, and its body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request fills caches (settings, site root paths, renditions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    return len(captured.captured_queries), response.content


def main(n: int) -> dict:
    import django

    django.setup()
    from django.test import Client

    from bench.data import article_sample, articles_live, articles_set_count

    articles_set_count(n)
    pages = {**PAGES, "article": article_sample().get_url()}
    client = Client(HTTP_HOST="localhost")
    measured = {label: queries_count(client, url) for label, url in pages.items()}
    return {
        "articles": articles_live().count(),
        "urls": pages,
        "queries": {label: count for label, (count, _) in measured.items()},
        "sitemap_urls": measured["sitemap"][1].count(b"<url>"),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
