from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index


class QuestionCategory(models.Model):
    """A topic of the question bank (e.g. "Dịch vụ công trực tuyến"); draws pick from these."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Short code used in import files, e.g. dvc."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("description")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(index.Indexed, ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True / false")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("Easy")
        MEDIUM = 2, _("Medium")
        HARD = 3, _("Hard")

    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown in the review after submitting.")
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active questions are drawn.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("category"),
        FieldPanel("kind"),
        FieldPanel("text"),
        InlinePanel("choices", label=_("Choices"), min_num=2, max_num=8),
        FieldPanel("explanation"),
        FieldPanel("difficulty"),
        FieldPanel("is_active"),
    ]
    search_fields = [
        index.SearchField("text"),
        index.AutocompleteField("text"),
        index.FilterField("category"),
        index.FilterField("kind"),
        index.FilterField("difficulty"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__name", "id"]
        indexes = [models.Index(fields=["category", "difficulty", "is_active"])]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=1000)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text
