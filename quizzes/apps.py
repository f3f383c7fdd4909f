from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Contests and tests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .services.attempts import attempt_finish_handler_register
        from .services.standings import standing_refresh

        attempt_finish_handler_register(standing_refresh)
