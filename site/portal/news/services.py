"""Writes for the news section."""

import logging

from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from .workflow import EDITORS_GROUP, MODERATORS_GROUP, NEWS_WORKFLOW_NAME

logger = logging.getLogger(__name__)


@transaction.atomic
def news_moderation_assign(*, news_index) -> Workflow | None:
    """Puts a news index (and so every article under it) under the two-step workflow.

    Idempotent. Returns None, and changes nothing, when the workflow was deleted or disabled.
    """
    workflow = Workflow.objects.filter(name=NEWS_WORKFLOW_NAME, active=True).first()
    if workflow is None:
        logger.warning(
            "Workflow %r is missing or inactive; news stays unmoderated.", NEWS_WORKFLOW_NAME
        )
        return None
    WorkflowPage.objects.update_or_create(page=news_index, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def editorial_permissions_scope(*, site_root) -> None:
    """Moves the Editors' and Moderators' page permissions from the tree root to the site's home.

    Wagtail grants them on the root page, so the editors' page explorer opened at "Root", where
    new pages are unreachable. Idempotent.
    """
    root = site_root.get_parent()
    for permission in GroupPagePermission.objects.filter(
        group__name__in=[EDITORS_GROUP, MODERATORS_GROUP], page=root
    ):
        GroupPagePermission.objects.get_or_create(
            group=permission.group, page=site_root, permission=permission.permission
        )
        permission.delete()
