"""The public feedback form: Wagtail's form builder plus a honeypot and length limits."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

HONEYPOT_FIELD = "website"


class FeedbackBaseForm(BaseForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("Your feedback could not be sent because it looks automated (spam)."),
                code="spam",
            )
        return cleaned


class FeedbackFormBuilder(FormBuilder):
    def create_singleline_field(self, field, options):
        options.setdefault("max_length", 255)
        return super().create_singleline_field(field, options)

    def create_multiline_field(self, field, options):
        options.setdefault("max_length", settings.FEEDBACK_MAX_MESSAGE_LENGTH)
        return super().create_multiline_field(field, options)

    @property
    def formfields(self):
        fields = super().formfields
        # People never see this field; bots fill it in.
        fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        return fields

    def get_form_class(self):
        return type("FeedbackForm", (FeedbackBaseForm,), self.formfields)
