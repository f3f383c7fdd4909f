"""Lesson activities: the tracked blocks of a lesson's live body, kept in step on publish."""

from django.db import transaction

from ..blocks import TRACKED_BLOCK_TYPES
from ..models import LessonActivity, LessonPage


def _activity_fields(block) -> dict | None:
    """What the activity row records of a block; None when the block tracks nothing (its
    snippet was deleted)."""
    value = block.value
    if block.block_type == "video":
        embed = bool(value.get("embed"))
        return {
            "kind": LessonActivity.Kind.VIDEO,
            "title": value.get("title") or "",
            "h5p_content": None,
            "assessment": None,
            "rule": {"complete_percent": int(value.get("complete_percent") or 80), "embed": embed},
        }
    if block.block_type == "h5p":
        content = value.get("content")
        if content is None:
            return None
        return {
            "kind": LessonActivity.Kind.H5P,
            "title": content.title,
            "h5p_content": content,
            "assessment": None,
            "rule": {
                "completion": value.get("completion") or "passed",
                "pass_percent": int(value.get("pass_percent") or 0),
                "grading": value.get("grading") or "highest",
            },
        }
    if block.block_type == "knowledge_check":
        assessment = value.get("assessment")
        if assessment is None:
            return None
        return {
            "kind": LessonActivity.Kind.KNOWLEDGE_CHECK,
            "title": assessment.title,
            "h5p_content": None,
            "assessment": assessment,
            "rule": {"assessment": assessment.pk},
        }
    return None


def lesson_activities_sync(*, lesson: LessonPage) -> list[LessonActivity]:
    """Upserts one LessonActivity per tracked block (video, H5P, knowledge check) of the
    lesson's LIVE body, keyed by the block's stable id, and marks the others not live.

    Reads the body from the database row (the live content), not from a draft. A lesson that
    is not live has no live activity. Progress on activities that left the body is kept.
    Idempotent: a second run changes nothing. Returns the live activities in body order.
    """
    with transaction.atomic():
        live = LessonPage.objects.filter(pk=lesson.pk).first()
        seen: list[LessonActivity] = []
        if live is not None and live.live:
            for position, block in enumerate(live.body):
                if block.block_type not in TRACKED_BLOCK_TYPES or not block.id:
                    continue
                fields = _activity_fields(block)
                if fields is None:
                    continue
                activity, _created = LessonActivity.objects.update_or_create(
                    lesson_id=lesson.pk,
                    block_id=block.id,
                    defaults={**fields, "position": position, "is_live": True},
                )
                seen.append(activity)
        (
            LessonActivity.objects.filter(lesson_id=lesson.pk, is_live=True)
            .exclude(pk__in=[a.pk for a in seen])
            .update(is_live=False)
        )
    return seen
