import pytest
from wagtail.models import Page, Site

from tests.factories.pages import (
    ArticlePageFactory,
    FaqPageFactory,
    FeedbackFormPageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    StandardPageFactory,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.hostname = "testserver"
    site.save()
    return home


@pytest.fixture
def news_index(home):
    return NewsIndexPageFactory(parent=home)


@pytest.fixture
def article(news_index):
    return ArticlePageFactory(parent=news_index)


@pytest.fixture
def standard_page(home):
    return StandardPageFactory(parent=home)


@pytest.fixture
def faq_page(home):
    return FaqPageFactory(parent=home)


@pytest.fixture
def feedback_page(home):
    return FeedbackFormPageFactory(parent=home)


@pytest.fixture
def contest_index(home):
    from tests.factories.quizzes import ContestIndexPageFactory

    return ContestIndexPageFactory(parent=home)


@pytest.fixture
def question_bank(db):
    """30 single-choice questions in one category, the first answer of each correct."""
    from tests.factories.quizzes import QuestionFactory

    return QuestionFactory.create_batch(30)


@pytest.fixture
def contest(contest_index, question_bank):
    """A public contest with one open round drawing 10 questions."""
    from tests.factories.quizzes import ContestPageFactory, RoundFactory

    page = ContestPageFactory(parent=contest_index)
    RoundFactory(contest=page, assessment__questions=10)
    return page
