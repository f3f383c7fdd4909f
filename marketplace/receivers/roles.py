"""After migrate, the marketplace moderators' group exists with its permissions."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="marketplace_roles")
def marketplace_roles_after_migrate(sender, app_config=None, **kwargs):
    if app_config is None or app_config.label != "marketplace":
        return
    from ..services.roles import marketplace_roles_ensure

    marketplace_roles_ensure()
