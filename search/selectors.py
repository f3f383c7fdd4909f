"""Site search over published pages. The engine is Wagtail's configured search backend."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from wagtail.models import Page

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def site_search(*, query: str, page_number=1) -> dict:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return {"query": "", "results": None}
    matches = Page.objects.live().public().specific().search(query)
    paginator = Paginator(matches, PAGE_SIZE)
    try:
        results = paginator.page(page_number)
    except PageNotAnInteger:
        results = paginator.page(1)
    except EmptyPage:
        results = paginator.page(paginator.num_pages)
    return {"query": query, "results": results}
