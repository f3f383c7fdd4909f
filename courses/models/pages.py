"""Course pages: an index of courses, a course, and its lessons. Pages only declare."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from portal.core.models import BasePage

from ..blocks import LessonBodyBlock


class CourseIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course index page")

    def get_context(self, request, *args, **kwargs):
        from ..selectors.catalogue import course_catalogue

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_catalogue(index=self, user=request.user)
        return context


class CoursePage(RoutablePageMixin, BasePage):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    summary = models.TextField(_("summary"))
    objectives = RichTextField(
        _("objectives"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BASIC)
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
        help_text=_("Courses a learner must complete before enrolling in this one."),
    )
    final_test = models.OneToOneField(
        "quizzes.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course",
        verbose_name=_("final test"),
        help_text=_("Server-graded test drawn from the question bank; required to complete."),
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Score needed in the final test."),
    )
    certificate_enabled = models.BooleanField(_("issue a certificate"), default=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    self_enrolment = models.BooleanField(
        _("open to self-enrolment"),
        default=True,
        help_text=_("Staff may enrol themselves; assigned staff are always enrolled."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("estimated_hours"), FieldPanel("level")]),
                FieldPanel("prerequisites"),
                FieldPanel("self_enrolment"),
            ],
            heading=_("Who and how long"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("final_test"),
                FieldRowPanel([FieldPanel("pass_percent"), FieldPanel("certificate_enabled")]),
            ],
            heading=_("Final test and certificate"),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("audience"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @path("")
    def detail(self, request):
        from ..views.course import course_detail

        return course_detail(request, self)

    @path("dang-ky/")
    def enrol(self, request):
        from ..views.course import course_enrol

        return course_enrol(request, self)

    @path("bai-kiem-tra/bat-dau/")
    def test_start(self, request):
        from ..views.tests import course_test_start

        return course_test_start(request, self)

    @path("bai-kiem-tra/<uuid:public_id>/")
    def test_attempt(self, request, public_id):
        from ..views.tests import course_test_attempt

        return course_test_attempt(request, self, public_id)

    @path("bai-kiem-tra/<uuid:public_id>/ket-qua/")
    def test_result(self, request, public_id):
        from ..views.tests import course_test_result

        return course_test_result(request, self, public_id)

    @path("kiem-tra/<int:activity_id>/bat-dau/")
    def knowledge_check_start(self, request, activity_id):
        from ..views.tests import knowledge_check_start

        return knowledge_check_start(request, self, activity_id)


class LessonPage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=15, validators=[MinValueValidator(1)]
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from ..views.lesson import lesson_serve

        return lesson_serve(request, self)

    def get_preview_context(self, request, mode_name):
        from ..views.lesson import lesson_context

        return lesson_context(request, self, None)
