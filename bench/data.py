"""Makes the news section hold exactly n live articles (the demo seed makes 12)."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from portal.news.models import ArticleCategory, ArticlePage, NewsIndexPage

# Added articles form an archive older than every seeded one (the oldest is dated 2026-09-03).
ARCHIVE_START = datetime.date(2026, 9, 1)


def articles_live():
    return ArticlePage.objects.live().order_by("path")


@transaction.atomic
def articles_set_count(n: int) -> None:
    """Deletes the most recently created articles, or adds archive articles, until n are live."""
    for page in reversed(list(articles_live()[n:])):
        page.delete()
    have = articles_live().count()
    if have < n:
        articles_add(range(have + 1, n + 1))


def articles_add(numbers) -> None:
    """Adds live articles directly (no revisions), reusing the seeded categories and banners."""
    index = NewsIndexPage.objects.get()
    categories = list(ArticleCategory.objects.order_by("pk"))
    images = list(get_image_model().objects.order_by("pk"))
    tz = timezone.get_current_timezone()
    for i in numbers:
        day = ARCHIVE_START - datetime.timedelta(days=i // 3)
        published = datetime.datetime.combine(day, datetime.time(8, i % 60), tzinfo=tz)
        article = ArticlePage(
            title=f"Bài viết thử nghiệm số {i}",
            slug=f"bai-viet-thu-nghiem-so-{i}",
            lead=f"Tin thử nghiệm số {i} về chuyển đổi số, dịch vụ công trực tuyến và kinh tế số.",
            body=[
                ("heading", {"text": "Kết quả triển khai", "level": "h2"}),
                ("paragraph", f"<p>Nội dung bài viết thử nghiệm số {i} về chuyển đổi số.</p>"),
            ],
            category=categories[i % len(categories)] if categories else None,
            featured_image=images[i % len(images)] if images else None,
            publish_date=day,
            author="Ban Biên tập",
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        article.tags.add("thử nghiệm")
        index.add_child(instance=article)


def article_sample() -> ArticlePage:
    """The first seeded article: it is live whatever the article count."""
    return articles_live().first()
