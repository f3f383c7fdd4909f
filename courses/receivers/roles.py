"""After migrate, the training groups exist with their permissions."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="courses_training_roles")
def training_roles_after_migrate(sender, app_config=None, **kwargs):
    if app_config is None or app_config.label != "courses":
        return
    from ..services.roles import training_roles_ensure

    training_roles_ensure()
