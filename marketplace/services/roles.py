"""The marketplace moderators' Wagtail group and the permissions its screens check.

Producers are not a group: a user manages a shop through ProducerMember rows, outside the admin.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

MARKETPLACE_MODERATORS_GROUP = "Marketplace moderators"

# (model, codenames) granted to moderators.
MODERATOR_PERMISSIONS = [
    ("producer", ("view_producer", "change_producer", "moderate_producer")),
    ("product", ("view_product", "change_product", "moderate_product")),
    ("order", ("view_order",)),
    ("suborder", ("view_suborder", "change_suborder")),
    ("banktransaction", ("view_banktransaction", "change_banktransaction")),
    ("stripeevent", ("view_stripeevent", "change_stripeevent")),
    ("channel", ("view_channel",)),
    ("channelsynclog", ("view_channelsynclog",)),
    ("channelorder", ("view_channelorder",)),
    ("ocopgroup", ("view_ocopgroup",)),
    ("ocopsubgroup", ("view_ocopsubgroup",)),
]


@transaction.atomic
def marketplace_roles_ensure() -> Group:
    """Creates the group and grants its permissions. Idempotent; safe after every migrate."""
    for label in ("marketplace", "wagtailadmin"):
        create_permissions(apps.get_app_config(label), verbosity=0)
    group, _ = Group.objects.get_or_create(name=MARKETPLACE_MODERATORS_GROUP)
    wanted = [("wagtailadmin", "access_admin")] + [
        ("marketplace", codename)
        for _model, codenames in MODERATOR_PERMISSIONS
        for codename in codenames
    ]
    for app_label, codename in wanted:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    return group
