from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel

from portal.core.models import BasePage

from .forms import FeedbackFormBuilder


class FeedbackFormField(AbstractFormField):
    page = ParentalKey("FeedbackFormPage", on_delete=models.CASCADE, related_name="form_fields")


class FeedbackSubmission(AbstractFormSubmission):
    """A stored submission; `emailed_at` makes the notification task safe to run twice."""

    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback submission")


class FeedbackFormPage(BasePage, AbstractEmailForm):
    """Citizens' feedback (góp ý): built with Wagtail's form builder, emailed to the editors."""

    intro = models.TextField(_("introduction"), blank=True)
    thank_you_text = models.TextField(_("thank-you text"), blank=True)

    form_builder = FeedbackFormBuilder

    content_panels = BasePage.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            _("Email"),
        ),
    ]

    subpage_types = []

    class Meta:
        verbose_name = _("feedback form page")

    def get_submission_class(self):
        return FeedbackSubmission

    def serve(self, request, *args, **kwargs):
        from .views import feedback_form_serve

        return feedback_form_serve(self, request, *args, **kwargs)
