"""An editor submits an article, moderators approve both steps and it appears; a rejected one
does not. Everything goes through the Wagtail admin over HTTP, as people do it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.news.models import ArticlePage
from portal.news.services import news_moderation_assign
from portal.news.workflow import EDITORS_GROUP, MODERATORS_GROUP, NEWS_WORKFLOW_NAME
from tests.factories.users import UserFactory


@pytest.fixture
def editor(db):
    return UserFactory(
        email="bientap@example.vn", is_staff=False, groups=[Group.objects.get(name=EDITORS_GROUP)]
    )


@pytest.fixture
def moderator(db):
    return UserFactory(
        email="kiemduyet@example.vn", groups=[Group.objects.get(name=MODERATORS_GROUP)]
    )


@pytest.fixture
def moderated_news(news_index):
    news_moderation_assign(news_index=news_index)
    return news_index


def submit_article(client, news_index, title, slug):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Tỉnh đẩy mạnh thanh toán trực tuyến nghĩa vụ tài chính.",
            "featured_image": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung bài viết.</p>"))]),
            "publish_date": "20/11/2026",
            "author": "Minh Thư",
            "category": "",
            "tags": "",
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "social_image": "",
            "action-submit": "Gửi duyệt",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", news_index.pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ArticlePage.objects.get(slug=slug)


def act(client, page, action, comment=""):
    state = WorkflowState.objects.get(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    response = client.post(url, {"comment": comment})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    return task_state


@pytest.mark.django_db
def test_data_migration_created_groups_and_two_step_workflow():
    workflow = Workflow.objects.get(name=NEWS_WORKFLOW_NAME)
    tasks = [wt.task.specific for wt in workflow.workflow_tasks.order_by("sort_order")]
    assert len(tasks) == 2
    for task in tasks:
        assert list(task.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]
    assert Group.objects.filter(name=EDITORS_GROUP).exists()


@pytest.mark.django_db
def test_editor_submits_moderator_approves_and_article_appears(
    client, moderated_news, editor, moderator
):
    client.force_login(editor)
    article = submit_article(client, moderated_news, "Bài viết chờ duyệt", "bai-cho-duyet")
    assert not article.live
    assert client.get("/tin-tuc/bai-cho-duyet/").status_code == 404
    # An editor cannot approve their own article.
    state = WorkflowState.objects.get(object_id=str(article.pk))
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(article.pk, "approve", state.current_task_state.pk),
    )
    assert client.post(approve_url, {"comment": ""}).status_code in (302, 403)
    article.refresh_from_db()
    assert not article.live

    client.force_login(moderator)
    act(client, article, "approve", "Nội dung chính xác.")
    article.refresh_from_db()
    assert not article.live, "one approval must not publish a two-step workflow"
    act(client, article, "approve")
    article.refresh_from_db()
    assert article.live

    client.logout()
    response = client.get("/tin-tuc/bai-cho-duyet/")
    assert response.status_code == 200
    assert "Bài viết chờ duyệt" in response.content.decode()
    assert "Bài viết chờ duyệt" in client.get("/feeds/news/rss.xml").content.decode()


@pytest.mark.django_db
def test_rejected_article_does_not_appear(client, moderated_news, editor, moderator):
    client.force_login(editor)
    article = submit_article(client, moderated_news, "Bài viết bị từ chối", "bai-tu-choi")
    client.force_login(moderator)
    act(client, article, "reject", "Cần bổ sung nguồn tin.")
    article.refresh_from_db()
    assert not article.live
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.logout()
    assert client.get("/tin-tuc/bai-tu-choi/").status_code == 404
    assert "Bài viết bị từ chối" not in client.get("/tin-tuc/").content.decode()
