from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import OrganisationUnit


class ParentUnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.indented_name


class OrganisationUnitForm(WagtailAdminModelForm):
    parent = ParentUnitField(
        queryset=OrganisationUnit.objects.order_by("path"),
        required=False,
        label=_("Parent unit"),
        help_text=_("Leave empty for the top of the tree (the Provincial People's Committee)."),
    )

    class Meta:
        model = OrganisationUnit
        fields = ["parent", "name", "code", "kind", "commune", "headcount", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("parent", self.instance.get_parent())

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if not self.instance.can_be_placed_under(parent):
            raise forms.ValidationError(
                _("A unit cannot be placed under itself or one of its sub-units.")
            )
        return parent

    def unit_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "parent"}
