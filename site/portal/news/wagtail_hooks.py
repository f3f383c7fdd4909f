from wagtail import hooks

from .models import NewsIndexPage
from .services import news_moderation_assign


@hooks.register("after_create_page")
def moderate_new_news_index(request, page):
    if isinstance(page.specific, NewsIndexPage):
        news_moderation_assign(news_index=page)
