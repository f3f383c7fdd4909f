"""The assessment engine: a test configuration, the attempts at it and their answers.

Knows nothing of contests or courses; they own assessments and react to finished attempts.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from .bank import Question, QuestionCategory


class Assessment(ClusterableModel):
    """A test: which questions to draw, how long it lasts, how many attempts, which one counts."""

    class Counting(models.TextChoices):
        BEST = "best", _("Best attempt")
        FIRST = "first", _("First attempt")
        LAST = "last", _("Last attempt")

    title = models.CharField(_("title"), max_length=255)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    grace_seconds = models.PositiveSmallIntegerField(
        _("grace period (seconds)"),
        default=30,
        validators=[MaxValueValidator(120)],
        help_text=_(
            "Answers sent before the deadline but arriving up to this long after it (slow "
            "networks) are still accepted; at most 2 minutes. Time taken never counts it."
        ),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    counting = models.CharField(
        _("attempt that counts"), max_length=10, choices=Counting.choices, default=Counting.BEST
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle answers"), default=True)
    show_review = models.BooleanField(
        _("show review after submitting"),
        default=True,
        help_text=_("Correct answers and explanations are shown once the attempt is submitted."),
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty when the test has no pass mark (contests)."),
    )

    panels = [
        FieldPanel("title"),
        InlinePanel("draw_rules", label=_("Questions to draw"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]),
                FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("counting")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldRowPanel([FieldPanel("show_review"), FieldPanel("pass_percent")]),
            ],
            heading=_("Rules"),
        ),
    ]

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        ordering = ["-id"]

    def __str__(self):
        return self.title

    @property
    def question_count(self) -> int:
        return sum(rule.count for rule in self.draw_rules.all())


class DrawRule(Orderable):
    """Draw `count` active questions, optionally from one category and/or one difficulty."""

    assessment = ParentalKey(Assessment, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        QuestionCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: any category."),
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        null=True,
        blank=True,
        choices=Question.Difficulty.choices,
        help_text=_("Empty: any difficulty."),
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=10, validators=[MinValueValidator(1)]
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("difficulty"), FieldPanel("count")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")


class Attempt(models.Model):
    """One sitting of an assessment by one user: the stored draw, the deadline, the result."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Closed at the deadline")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("test")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("user"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    grace_seconds = models.PositiveSmallIntegerField(_("grace period (seconds)"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # [{"q": question id, "c": [choice ids in the order shown]}, ...] in the order shown.
    draw = models.JSONField(_("drawn questions"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    duration_ms = models.PositiveIntegerField(_("time taken (ms)"), null=True, blank=True)
    prediction = models.BigIntegerField(_("prediction"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "number"], name="quizzes_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["assessment", "user"],
                condition=Q(status="in_progress"),
                name="quizzes_attempt_one_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="quizzes_attempt_due")]

    def __str__(self):
        return f"{self.assessment} · {self.user} · #{self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.IN_PROGRESS

    @property
    def remaining_seconds(self) -> int:
        """Whole seconds left until the deadline by the server's clock (0 when past)."""
        return max(0, int((self.deadline - timezone.now()).total_seconds()))

    @property
    def question_ids(self) -> list[int]:
        return [item["q"] for item in self.draw]


class AttemptAnswer(models.Model):
    """The choices a user has selected for one drawn question; replaced on every save."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice_ids = models.JSONField(default=list)
    saved_at = models.DateTimeField()
    is_correct = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quizzes_answer_once_per_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id}:{self.question_id}"


class AttemptEvent(models.Model):
    """Audit log of what happened to an attempt, with where it came from."""

    class Kind(models.TextChoices):
        START = "start", _("Started")
        RESUME = "resume", _("Resumed")
        SAVE = "save", _("Answer saved")
        SUBMIT = "submit", _("Submitted")
        AUTO_CLOSE = "auto_close", _("Closed automatically")
        REFUSED = "refused", _("Refused")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("attempt event")
        verbose_name_plural = _("attempt events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M:%S}"
