"""Wagtail's user forms expect first/last name fields; ours have full name, phone and unit."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

User = get_user_model()

PROFILE_FIELDS = ["full_name", "phone", "unit", "position"]


class UserProfileFieldsMixin:
    first_name = None
    last_name = None


class PortalUserCreationForm(UserProfileFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = (set(UserCreationForm.Meta.fields) - {"first_name", "last_name"}) | set(
            PROFILE_FIELDS
        )


class PortalUserEditForm(UserProfileFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = (set(UserEditForm.Meta.fields) - {"first_name", "last_name"}) | set(PROFILE_FIELDS)


class AccountNameEmailForm(forms.ModelForm):
    full_name = forms.CharField(required=True, label=_("Full name"), max_length=150)
    email = forms.EmailField(required=True, label=_("Email"))

    def __init__(self, *args, **kwargs):
        from wagtail.admin.views.account import email_management_enabled

        super().__init__(*args, **kwargs)
        if not email_management_enabled():
            del self.fields["email"]

    class Meta:
        model = User
        fields = ["full_name", "email"]
