"""Who takes which course, and how far they are: enrolments, lesson and activity progress, H5P
attempts and the xAPI statements behind them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Enrolment(models.Model):
    """A learner in a course for one yearly cycle. A new cycle is a new enrolment; the old one
    stays as the record of that year."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("enrolment status", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("enrolment status", "In progress")
        COMPLETED = "completed", pgettext_lazy("enrolment status", "Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("course"),
    )
    cycle = models.PositiveSmallIntegerField(_("year"))
    assignment = models.ForeignKey(
        "courses.Assignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
        verbose_name=_("assignment"),
        help_text=_("Empty when the learner enrolled on their own."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last lesson opened"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-cycle", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "cycle"], name="courses_enrolment_once_per_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["course", "cycle", "status"], name="courses_enrolment_stats"),
            models.Index(
                fields=["status", "due_date"],
                name="courses_enrolment_due",
                condition=Q(assignment__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.course} · {self.cycle}"


class LessonActivity(models.Model):
    """A tracked block of a published lesson (video, H5P, knowledge check), kept in step with the
    lesson's live body when it is published. The block id is stable across revisions."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        H5P = "h5p", _("H5P activity")
        KNOWLEDGE_CHECK = "knowledge_check", _("Knowledge check")

    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="activities"
    )
    block_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    h5p_content = models.ForeignKey(
        "courses.H5PContent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    assessment = models.ForeignKey(
        "quizzes.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lesson_activities",
    )
    # The block's rule: complete_percent (video); completion, pass_percent, grading (H5P).
    rule = models.JSONField(default=dict)
    # False once the block has left the published body; progress on it is kept.
    is_live = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("lesson activity")
        verbose_name_plural = _("lesson activities")
        ordering = ["lesson", "position"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "block_id"], name="courses_activity_once")
        ]

    def __str__(self):
        return f"{self.lesson} · {self.get_kind_display()} · {self.title}"


class LessonProgress(models.Model):
    """A learner's lesson: opened when, completed when (all its live activities complete)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lessons")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField()
    last_viewed_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="courses_lesson_progress_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}:{self.lesson_id}"


class ActivityProgress(models.Model):
    """A learner's state on one activity: how much of a video, the graded H5P score, passed."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="activities")
    activity = models.ForeignKey(LessonActivity, on_delete=models.CASCADE, related_name="progress")
    watched_percent = models.PositiveSmallIntegerField(default=0)
    # Seconds of a video actually played, as a bitmap string of "0"/"1" per second.
    watched_seconds = models.TextField(blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "activity"], name="courses_activity_progress_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}:{self.activity_id}"


class H5PAttempt(models.Model):
    """One go at an H5P activity, closed by its `answered`/`completed` statement with a score."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="h5p_attempts")
    activity = models.ForeignKey(
        LessonActivity, on_delete=models.CASCADE, related_name="h5p_attempts"
    )
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    success = models.BooleanField(null=True)
    completion = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("H5P attempt")
        verbose_name_plural = _("H5P attempts")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "activity", "number"], name="courses_h5p_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "activity"],
                condition=Q(finished_at__isnull=True),
                name="courses_h5p_attempt_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.activity} #{self.number}"


class XapiStatement(models.Model):
    """An xAPI statement as the player sent it, with what the server made of it."""

    statement_id = models.UUIDField(default=uuid.uuid4, unique=True)
    attempt = models.ForeignKey(H5PAttempt, on_delete=models.CASCADE, related_name="statements")
    verb = models.CharField(max_length=255)
    object_id = models.CharField(max_length=500)
    # Score as recomputed by the server: scaled = raw / max, clamped to [0, 1].
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    success = models.BooleanField(null=True)
    completion = models.BooleanField(null=True)
    received_at = models.DateTimeField()
    raw = models.JSONField()

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.verb} · {self.object_id}"
