"""Contests: one user of the assessment engine, with registration, rounds and rankings."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from portal.core.models import BasePage

from ..ranking_keys import DEFAULT_RANKING_KEYS, ranking_keys_validator
from .assessments import Assessment, Attempt

DEFAULT_CONSENT_TEXT = (
    "Tôi đồng ý để Ban Tổ chức xử lý dữ liệu cá nhân tôi khai báo (họ tên, ngày sinh, số "
    "điện thoại, email, số CCCD, địa chỉ, đơn vị) cho mục đích tổ chức cuộc thi, xét và trao "
    "giải, theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân."
)


class ContestIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["quizzes.ContestPage"]
    max_count = 1

    class Meta:
        verbose_name = _("contest index page")


class ContestPage(RoutablePageMixin, BasePage):
    class Access(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may take part")
        UNITS = "units", _("Restricted to staff of the chosen units")

    intro = models.TextField(_("introduction"), blank=True)
    banner = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("banner"),
    )
    rules = RichTextField(_("rules"), blank=True)
    prizes = RichTextField(_("prizes"), blank=True)
    access = models.CharField(
        _("who may take part"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    allowed_units = ParentalManyToManyField(
        "organisations.OrganisationUnit",
        blank=True,
        related_name="+",
        verbose_name=_("units allowed"),
        help_text=_("For a restricted contest: staff of these units and of units under them."),
    )
    separate_staff = models.BooleanField(
        _("separate question sets and prizes for staff and citizens"), default=False
    )
    ask_birth_date = models.BooleanField(_("ask date of birth"), default=True)
    ask_phone = models.BooleanField(_("ask phone number"), default=True)
    ask_citizen_id = models.BooleanField(_("ask citizen ID (CCCD)"), default=True)
    ask_address = models.BooleanField(_("ask address (province, commune)"), default=True)
    ask_unit = models.BooleanField(_("ask organisation unit"), default=True)
    consent_text = models.TextField(
        _("consent to personal data processing"), default=DEFAULT_CONSENT_TEXT
    )
    ranking_keys = models.CharField(
        _("ranking order"),
        max_length=100,
        default=DEFAULT_RANKING_KEYS,
        validators=[ranking_keys_validator],
        help_text=_(
            "Keys in order, separated by commas: score (higher first), prediction (closer "
            "first), duration (faster first), submitted (earlier first)."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("banner"),
        FieldPanel("rules"),
        FieldPanel("prizes"),
        InlinePanel("rounds", label=_("Rounds"), min_num=1),
    ]
    settings_tab_panels = [
        MultiFieldPanel(
            [FieldPanel("access"), FieldPanel("allowed_units"), FieldPanel("separate_staff")],
            heading=_("Participants"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("ask_birth_date"), FieldPanel("ask_phone")]),
                FieldRowPanel([FieldPanel("ask_citizen_id"), FieldPanel("ask_address")]),
                FieldPanel("ask_unit"),
                FieldPanel("consent_text"),
            ],
            heading=_("Registration form"),
        ),
        MultiFieldPanel(
            [FieldPanel("ranking_keys"), InlinePanel("participation_bands", label=_("Bands"))],
            heading=_("Rankings and group prizes"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(settings_tab_panels, heading=_("Contest settings")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("rules"),
    ]
    parent_page_types = ["quizzes.ContestIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("contest")

    # Routes only dispatch; the views live in quizzes/views.py.
    @path("")
    def index_route(self, request):
        from ..views import contest_detail

        return contest_detail(request, self)

    @path("dang-ky/", name="register")
    def register_route(self, request):
        from ..views import contest_register

        return contest_register(request, self)

    @path("vong/<int:round_id>/bat-dau/", name="round_start")
    def round_start_route(self, request, round_id):
        from ..views import round_start

        return round_start(request, self, round_id)

    @path("bai-thi/<uuid:public_id>/", name="attempt")
    def attempt_route(self, request, public_id):
        from ..views import attempt_take

        return attempt_take(request, self, public_id)

    @path("bai-thi/<uuid:public_id>/ket-qua/", name="attempt_result")
    def attempt_result_route(self, request, public_id):
        from ..views import attempt_result

        return attempt_result(request, self, public_id)

    @path("xep-hang/", name="leaderboard")
    @path("xep-hang/<int:round_id>/", name="round_leaderboard")
    def leaderboard_route(self, request, round_id=None):
        from ..views import leaderboard

        return leaderboard(request, self, round_id)

    @property
    def ranking_key_list(self) -> list[str]:
        return [key.strip() for key in self.ranking_keys.split(",") if key.strip()]


class ParticipationBand(Orderable):
    """Group prizes: a unit with this headcount must reach this participation rate to be ranked."""

    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="participation_bands")
    min_headcount = models.PositiveIntegerField(_("headcount from"), default=0)
    max_headcount = models.PositiveIntegerField(
        _("headcount up to"), null=True, blank=True, help_text=_("Empty: no upper bound.")
    )
    min_rate_percent = models.PositiveSmallIntegerField(
        _("minimum participation (%)"), validators=[MaxValueValidator(100)]
    )

    panels = [
        FieldRowPanel(
            [
                FieldPanel("min_headcount"),
                FieldPanel("max_headcount"),
                FieldPanel("min_rate_percent"),
            ]
        )
    ]

    def covers(self, headcount: int) -> bool:
        return headcount >= self.min_headcount and (
            self.max_headcount is None or headcount <= self.max_headcount
        )


class Round(Orderable):
    """A week of the contest (đợt/tuần thi): its own test, window and prediction question."""

    class PredictionTarget(models.TextChoices):
        PARTICIPANTS = "participants", _("Number of contestants in the round")
        FULL_MARKS = "full_marks", _("Number of contestants with full marks")

    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=255)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.PROTECT,
        related_name="contest_round",
        verbose_name=_("test"),
        help_text=_("The test everyone takes, or citizens when staff get their own."),
    )
    staff_assessment = models.OneToOneField(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_contest_round",
        verbose_name=_("test for staff"),
        help_text=_("Used when the contest separates staff and citizens."),
    )
    prediction_prompt = models.CharField(
        _("prediction question"),
        max_length=500,
        blank=True,
        help_text=_("Empty: this round has no prediction question."),
    )
    prediction_target = models.CharField(
        _("prediction compared with"),
        max_length=20,
        choices=PredictionTarget.choices,
        default=PredictionTarget.FULL_MARKS,
    )
    prediction_actual = models.BigIntegerField(_("actual value"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("ranking fixed at"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("assessment"), FieldPanel("staff_assessment")]),
        FieldRowPanel([FieldPanel("prediction_prompt"), FieldPanel("prediction_target")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        indexes = [models.Index(fields=["ranked_at", "closes_at"], name="quizzes_round_due")]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A round must close after it opens.")})
        if self.staff_assessment_id and self.staff_assessment_id == self.assessment_id:
            raise ValidationError({"staff_assessment": _("Choose a different test for staff.")})
        # A test belongs to one round: attempts, their limit and the standings follow it.
        tests = [pk for pk in (self.assessment_id, self.staff_assessment_id) if pk]
        taken = Round.objects.filter(
            models.Q(assessment_id__in=tests) | models.Q(staff_assessment_id__in=tests)
        ).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {"assessment": _("This test is already used by another round; make a new one.")}
            )

    def state(self, now=None) -> str:
        """ "upcoming", "open" or "closed" by the server's clock."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    def is_open(self, now=None) -> bool:
        return self.state(now) == "open"

    def assessment_for(self, audience: str) -> Assessment:
        if audience == Registration.Audience.STAFF and self.staff_assessment_id:
            return self.staff_assessment
        return self.assessment


class Registration(models.Model):
    """A contestant (thí sinh): one person's registration for one contest."""

    class Audience(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Staff member")

    contest = models.ForeignKey(
        ContestPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("contest"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contest_registrations",
        verbose_name=_("user"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    email = models.EmailField(_("email"))
    # Decree 13/2023: a keyed hash for the one-registration check, an encrypted copy for organisers.
    citizen_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    citizen_id_encrypted = models.TextField(blank=True, editable=False)
    citizen_id_last4 = models.CharField(max_length=4, blank=True, editable=False)
    province = models.ForeignKey(
        "locations.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "locations.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
    )
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_registrations",
        verbose_name=_("organisation unit"),
        help_text=_("Empty: a citizen (người dân)."),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consented at"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        permissions = [
            ("export_contest_results", _("Can see contest statistics and export full results")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="quizzes_registration_user"),
            models.UniqueConstraint(fields=["contest", "email"], name="quizzes_registration_email"),
            models.UniqueConstraint(
                fields=["contest", "phone"],
                condition=~Q(phone=""),
                name="quizzes_registration_phone",
            ),
            models.UniqueConstraint(
                fields=["contest", "citizen_id_hash"],
                condition=~Q(citizen_id_hash=""),
                name="quizzes_registration_citizen_id",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} · {self.contest}"


class Standing(models.Model):
    """A contestant's counted attempt in a round, kept in step with attempts for rankings.

    Derived data: `rebuild_standings` recomputes every row from the attempts.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="standings")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="standings"
    )
    audience = models.CharField(max_length=10, choices=Registration.Audience.choices)
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    attempts_count = models.PositiveSmallIntegerField(default=1)
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    prediction = models.BigIntegerField(null=True, blank=True)
    prediction_error = models.BigIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "registration"], name="quizzes_standing_once")
        ]
        indexes = [
            models.Index(
                "round",
                "audience",
                models.F("score").desc(),
                "duration_ms",
                "submitted_at",
                name="quizzes_standing_live",
            ),
            models.Index(
                "round",
                models.F("score").desc(),
                "duration_ms",
                "submitted_at",
                name="quizzes_standing_live_all",
            ),
            models.Index(fields=["round", "audience", "rank"], name="quizzes_standing_rank"),
            models.Index(fields=["round", "rank"], name="quizzes_standing_rank_all"),
            models.Index(fields=["round", "unit"], name="quizzes_standing_unit"),
        ]

    def __str__(self):
        return f"{self.round} · {self.registration.full_name}"
