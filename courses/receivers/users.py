"""Staff joining a unit or changing position get their assigned courses.

The receiver only notices the change and enqueues `user_assignments_sync_task` once the
transaction commits; the rule of who is assigned what lives in courses.services.assignments.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

# Fields whose change can bring a user into an assignment's targets.
TRACKED_FIELDS = ("unit_id", "position_id", "is_active")
_LOADED = "_assignment_fields_loaded"


def _tracked_values(user) -> tuple:
    # A deferred field (e.g. `.only("email")`) is not loaded: read as None, never a query.
    loaded = user.__dict__
    return tuple(loaded.get(name) for name in TRACKED_FIELDS)


@receiver(post_init, sender=get_user_model(), dispatch_uid="courses_user_fields_loaded")
def user_fields_loaded(sender, instance, **kwargs):
    instance.__dict__[_LOADED] = _tracked_values(instance)


@receiver(post_save, sender=get_user_model(), dispatch_uid="courses_user_assignments")
def user_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    # Signing in saves only last_login: nothing that assignments depend on.
    if update_fields is not None and not set(update_fields) & {"unit", "position", "is_active"}:
        return
    current = _tracked_values(instance)
    if not created and current == instance.__dict__.get(_LOADED):
        return
    instance.__dict__[_LOADED] = current
    if not instance.is_active or (instance.unit_id is None and instance.position_id is None):
        return
    from ..tasks import user_assignments_sync_task

    user_id = instance.pk
    transaction.on_commit(lambda: user_assignments_sync_task.delay(user_id))
