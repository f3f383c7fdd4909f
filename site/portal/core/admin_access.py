"""Access to the admin's own screens (actions, reports, imports) beyond Wagtail's model permissions.

One way for every app: `admin_access_required(allowed, reason)` sends anonymous visitors to the
admin login, and answers signed-in users whom `allowed(user)` refuses with a 403 page that says
`reason` and changes nothing.
"""

from collections.abc import Callable
from functools import wraps

from django.template.response import TemplateResponse
from wagtail.admin.auth import reject_request

FORBIDDEN_TEMPLATE = "core/admin/forbidden.html"


def admin_forbidden(request, reason: str) -> TemplateResponse:
    """The admin's "access denied" page (403), saying why."""
    return TemplateResponse(request, FORBIDDEN_TEMPLATE, {"reason": reason}, status=403)


def admin_access_required(allowed: Callable, reason: str):
    """Decorator: the login page for anonymous visitors, `admin_forbidden` for users that
    `allowed(user)` refuses, the view otherwise."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return reject_request(request)
            if not allowed(request.user):
                return admin_forbidden(request, reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def admin_permission_required(permission: str, reason: str):
    """`admin_access_required` for one Django permission."""
    return admin_access_required(lambda user: user.has_perm(permission), reason)
