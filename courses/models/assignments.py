"""Mandatory training: a course assigned to units and/or positions, due once or every year."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class Assignment(ClusterableModel):
    """Who must complete a course by when.

    Targets: staff of `units` (and of their sub-units when `include_subunits`), narrowed to
    `positions` when any are chosen; with no units, every staff member holding those positions.
    A yearly assignment opens a new cycle each year with the same day and month as `due_date`.
    """

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("course"),
    )
    units = ParentalManyToManyField(
        "organisations.OrganisationUnit",
        blank=True,
        related_name="course_assignments",
        verbose_name=_("organisation units"),
    )
    include_subunits = models.BooleanField(_("include sub-units"), default=True)
    positions = ParentalManyToManyField(
        "organisations.Position",
        blank=True,
        related_name="course_assignments",
        verbose_name=_("positions"),
        help_text=_("Empty: every position."),
    )
    due_date = models.DateField(_("due date"))
    yearly = models.BooleanField(
        _("every year"),
        default=True,
        help_text=_("Re-opens the course for everyone each year, keeping past years' records."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before the due date"), default=7, validators=[MaxValueValidator(90)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("course"),
        MultiFieldPanel(
            [FieldPanel("units"), FieldPanel("include_subunits"), FieldPanel("positions")],
            heading=_("Who"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("due_date"), FieldPanel("yearly")]),
                FieldRowPanel([FieldPanel("remind_days_before"), FieldPanel("is_active")]),
            ],
            heading=_("When"),
        ),
    ]

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course} · {self.due_date:%d/%m/%Y}"

    @property
    def first_cycle(self) -> int:
        return self.due_date.year

    def due_date_in(self, cycle: int) -> datetime.date:
        """The due date of a cycle (29 February falls back to the 28th)."""
        try:
            return self.due_date.replace(year=cycle)
        except ValueError:
            return self.due_date.replace(year=cycle, day=28)


class ReminderLog(models.Model):
    """A reminder email sent to a person on a day: at most one per person per day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    enrolment_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = _("training reminder")
        verbose_name_plural = _("training reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="courses_reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.user} · {self.sent_on}"
