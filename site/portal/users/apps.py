from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(AppConfig):
    default = True
    name = "portal.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self):
        # Wagtail's account page edits first/last name; our users have one full name.
        from wagtail.admin.views import account

        from .forms import AccountNameEmailForm

        account.NameEmailSettingsPanel.form_class = AccountNameEmailForm


class PortalWagtailUsersConfig(WagtailUsersAppConfig):
    """Replaces "wagtail.users" in INSTALLED_APPS so that the admin edits our user fields."""

    user_viewset = "portal.users.views.UserViewSet"
