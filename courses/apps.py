from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from quizzes.services.attempts import attempt_finish_handler_register

        from . import receivers  # noqa: F401 - connects the receivers
        from .services.progress import course_attempt_finished

        attempt_finish_handler_register(course_attempt_finished)
