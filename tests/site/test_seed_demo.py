"""`seed_demo` builds the demo province and is idempotent."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, Site, WorkflowPage

from portal.core.demo import content
from portal.home.models import HomePage
from portal.locations.models import Commune, Province
from portal.news.models import ArticlePage, NewsIndexPage
from portal.news.workflow import EDITORS_GROUP, NEWS_WORKFLOW_NAME
from portal.organisations.models import OrganisationUnit


def counts():
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "units": OrganisationUnit.objects.count(),
        "users": get_user_model().objects.count(),
        "images": get_image_model().objects.count(),
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "sites": Site.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_counts(client):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first

    assert first["articles"] == len(content.ARTICLES) >= 10
    assert first["provinces"] == 34
    assert first["communes"] == 3321
    kinds = OrganisationUnit.objects.values_list("kind", flat=True)
    assert list(kinds).count(OrganisationUnit.Kind.DEPARTMENT) == 18
    assert list(kinds).count(OrganisationUnit.Kind.AREA) == 8
    assert list(kinds).count(OrganisationUnit.Kind.COMMUNE) == content.COMMUNE_SAMPLE_SIZE
    for spec in content.DEMO_USERS:
        assert client.login(email=spec["email"], password=spec["password"]), spec["email"]
        client.logout()

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    editor_pages = GroupPagePermission.objects.filter(group__name=EDITORS_GROUP)
    assert set(editor_pages.values_list("page_id", flat=True)) == {home.pk}
    news_index = NewsIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=news_index).workflow.name == NEWS_WORKFLOW_NAME

    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert content.HOME_PAGE["hero_title"] in html
    assert content.ARTICLES[0]["title"] in html or content.ARTICLES[1]["title"] in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_demo_sends_no_email(settings):
    """The demo orders go through the real flows (committed, tasks run in-process), whose emails
    must not leave: an SMTP server that refuses every connection would fail the seeding."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    held = re.search(r"(\d+) email\(s\) of the demo flows were not sent", out.getvalue())
    assert held is not None and int(held.group(1)) >= 8, out.getvalue()[-500:]
