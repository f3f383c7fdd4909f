"""The contest page's admin form: checks across its rounds that one round cannot see alone."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ContestPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        rounds = self.formsets.get("rounds")
        if rounds is None or not rounds.is_valid():
            return cleaned
        seen = set()
        for form in rounds.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            for test in (data.get("assessment"), data.get("staff_assessment")):
                if test is None:
                    continue
                if test.pk in seen:
                    raise forms.ValidationError(
                        _("Each round needs its own test: “%(test)s” is used twice."),
                        params={"test": test},
                    )
                seen.add(test.pk)
        return cleaned
