"""Writes for the news section."""

import logging

from django.db import transaction
from wagtail.models import Workflow, WorkflowPage

from .workflow import NEWS_WORKFLOW_NAME

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
