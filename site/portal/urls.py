from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal.api import api
from portal.core.views import healthz
from portal.news.feeds import NewsAtomFeed, NewsRssFeed
from portal.users.public_views import PortalLoginView, PortalLogoutView
from quizzes.views import my_contests_view
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("", include("courses.urls.files")),
    path("", include("marketplace.urls.webhooks")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("feeds/news/rss.xml", NewsRssFeed(), name="news_rss"),
    path("feeds/news/atom.xml", NewsAtomFeed(), name="news_atom"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese at /, English at /en/ (interface strings; content stays as the editors wrote it).
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/goi-y/", search_views.suggest, name="search_suggest"),
    path("dang-nhap/", PortalLoginView.as_view(), name="login"),
    path("dang-xuat/", PortalLogoutView.as_view(), name="logout"),
    path("ca-nhan/cuoc-thi/", my_contests_view, name="my_contests"),
    path("", include("portal.users.password_urls")),
    path("", include("courses.urls.pages")),
    path("", include("marketplace.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
