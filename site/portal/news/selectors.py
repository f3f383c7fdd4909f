"""Reads of news articles. Listings cost a constant number of queries, whatever their size."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from .models import ArticleCategory, ArticlePage


def articles_live():
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("featured_image", "category")
        .order_by("-publish_date", "-first_published_at")
    )


def articles_latest(*, limit: int = 6):
    return list(articles_live()[:limit])


def news_index_listing(*, index, category_slug: str = "", tag: str = "", page_number=1) -> dict:
    """One page of an index's articles, optionally by category or tag, with the categories."""
    articles = articles_live().child_of(index)
    category = None
    if category_slug:
        category = ArticleCategory.objects.filter(slug=category_slug).first()
        articles = articles.filter(category=category) if category else articles.none()
    if tag:
        articles = articles.filter(tags__name=tag).distinct()
    paginator = Paginator(articles, index.page_size)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return {
        "articles": page,
        "categories": ArticleCategory.objects.all(),
        "active_category": category,
        "active_tag": tag,
    }
