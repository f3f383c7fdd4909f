"""The two training roles as Wagtail groups, with the permissions their screens check.

Course managers build courses, upload H5P, assign courses and manage certificates. Unit managers
only reach the admin; what they see (their units' subtrees) comes from their UnitManager rows.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

COURSE_MANAGERS_GROUP = "Course managers"
UNIT_MANAGERS_GROUP = "Unit managers"

# (app label, model, actions) granted to course managers.
COURSE_MANAGER_MODEL_PERMISSIONS = [
    ("courses", "h5pcontent", ("add", "change", "delete", "view")),
    ("courses", "h5plibrary", ("view",)),
    ("courses", "assignment", ("add", "change", "delete", "view")),
    ("courses", "certificate", ("change", "view")),
    ("quizzes", "assessment", ("add", "change", "view")),
    ("quizzes", "question", ("add", "change", "view")),
    ("quizzes", "questioncategory", ("add", "change", "view")),
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
]
COURSE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _permission(app_label: str, codename: str) -> Permission | None:
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def training_roles_ensure() -> tuple[Group, Group]:
    """Creates both groups and grants their model permissions. Idempotent; safe after every
    migrate (permissions of new models are created first)."""
    for label in ("courses", "quizzes", "wagtailimages", "wagtaildocs", "wagtailadmin"):
        create_permissions(apps.get_app_config(label), verbosity=0)
    course_managers, _ = Group.objects.get_or_create(name=COURSE_MANAGERS_GROUP)
    unit_managers, _ = Group.objects.get_or_create(name=UNIT_MANAGERS_GROUP)
    access_admin = _permission("wagtailadmin", "access_admin")
    granted = [access_admin]
    for app_label, model, actions in COURSE_MANAGER_MODEL_PERMISSIONS:
        granted += [_permission(app_label, f"{action}_{model}") for action in actions]
    course_managers.permissions.add(*[p for p in granted if p is not None])
    if access_admin is not None:
        unit_managers.permissions.add(access_admin)
    return course_managers, unit_managers


def course_managers_page_permissions_grant(*, course_index: Page) -> None:
    """Lets course managers add, edit and publish courses and lessons under the index."""
    group = Group.objects.get(name=COURSE_MANAGERS_GROUP)
    for codename in COURSE_PAGE_PERMISSIONS:
        permission = _permission("wagtailcore", codename)
        if permission is not None:
            GroupPagePermission.objects.get_or_create(
                group=group, page=course_index, permission=permission
            )
