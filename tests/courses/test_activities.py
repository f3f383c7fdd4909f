"""Lesson activities follow the lesson's live body: upserted by block id, removed ones kept
but not live, idempotent, and in step on publish and unpublish."""

import json

import pytest
from wagtail.rich_text import RichText

from courses.models import LessonActivity
from courses.services.activities import lesson_activities_sync
from tests.factories.courses import (
    learning_block,
    learning_h5p_content,
    learning_lesson,
    learning_video_document,
)
from tests.factories.quizzes import AssessmentFactory

pytestmark = pytest.mark.django_db


def _blocks(doc, content, assessment):
    return [
        learning_block("paragraph", "<p>Giới thiệu</p>", "p-1"),
        learning_block(
            "video",
            {
                "title": "Video 1",
                "file": doc.pk,
                "poster": None,
                "embed": None,
                "complete_percent": 90,
            },
            "video-1",
        ),
        learning_block(
            "h5p",
            {"content": content.pk, "completion": "passed", "pass_percent": 75, "grading": "last"},
            "h5p-1",
        ),
        learning_block("knowledge_check", {"assessment": assessment.pk, "intro": ""}, "kc-1"),
    ]


def test_publish_creates_one_activity_per_tracked_block(course):
    doc, content = learning_video_document(), learning_h5p_content()
    assessment = AssessmentFactory(questions=3)
    lesson = learning_lesson(course, _blocks(doc, content, assessment))

    activities = {a.block_id: a for a in LessonActivity.objects.filter(lesson=lesson)}
    assert set(activities) == {"video-1", "h5p-1", "kc-1"}
    video, h5p, check = activities["video-1"], activities["h5p-1"], activities["kc-1"]
    assert video.kind == "video" and video.rule == {"complete_percent": 90, "embed": False}
    assert video.title == "Video 1" and video.position == 1
    assert h5p.kind == "h5p" and h5p.h5p_content == content
    assert h5p.rule == {"completion": "passed", "pass_percent": 75, "grading": "last"}
    assert check.kind == "knowledge_check" and check.assessment == assessment
    assert all(a.is_live for a in activities.values())


def test_sync_is_idempotent_and_keeps_ids(course):
    doc, content = learning_video_document(), learning_h5p_content()
    lesson = learning_lesson(course, _blocks(doc, content, AssessmentFactory(questions=3)))
    before = dict(LessonActivity.objects.values_list("block_id", "pk"))

    lesson_activities_sync(lesson=lesson)
    lesson_activities_sync(lesson=lesson)

    assert dict(LessonActivity.objects.values_list("block_id", "pk")) == before
    assert LessonActivity.objects.count() == 3


def test_removed_block_is_kept_not_live_and_changed_rule_is_updated(course):
    doc, content = learning_video_document(), learning_h5p_content()
    blocks = _blocks(doc, content, AssessmentFactory(questions=3))
    lesson = learning_lesson(course, blocks)

    blocks[1]["value"]["complete_percent"] = 50
    del blocks[2]  # the H5P block leaves the body
    lesson.body = json.dumps(blocks)
    lesson.save_revision().publish()

    h5p = LessonActivity.objects.get(block_id="h5p-1")
    assert h5p.is_live is False
    assert LessonActivity.objects.get(block_id="video-1").rule["complete_percent"] == 50

    blocks.insert(
        2,
        learning_block(
            "h5p",
            {
                "content": content.pk,
                "completion": "completed",
                "pass_percent": 0,
                "grading": "highest",
            },
            "h5p-1",
        ),
    )
    lesson.body = json.dumps(blocks)
    lesson.save_revision().publish()
    h5p.refresh_from_db()
    assert h5p.is_live is True and h5p.rule["completion"] == "completed"


def test_draft_changes_do_not_touch_activities(course):
    doc, content = learning_video_document(), learning_h5p_content()
    blocks = _blocks(doc, content, AssessmentFactory(questions=3))
    lesson = learning_lesson(course, blocks)

    draft = lesson.specific
    draft.body = json.dumps(blocks[:1])
    draft.save_revision()  # not published
    lesson_activities_sync(lesson=lesson)

    assert LessonActivity.objects.filter(lesson=lesson, is_live=True).count() == 3


def test_unpublish_marks_activities_not_live(course):
    doc, content = learning_video_document(), learning_h5p_content()
    lesson = learning_lesson(course, _blocks(doc, content, AssessmentFactory(questions=3)))

    lesson.unpublish()

    assert not LessonActivity.objects.filter(lesson=lesson, is_live=True).exists()
    assert LessonActivity.objects.filter(lesson=lesson).count() == 3


def test_text_lesson_has_no_activities(course):
    lesson = course.get_children().first().specific
    lesson.body = [("paragraph", RichText("<p>Chỉ có chữ.</p>"))]
    lesson.save_revision().publish()
    assert lesson_activities_sync(lesson=lesson) == []
    assert not LessonActivity.objects.filter(lesson=lesson).exists()
