"""The moderation action page shared by producers and products: a summary of the row, a reason
when the action needs one, POST runs the service; refused moves show the service's message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.admin_access import admin_forbidden, admin_permission_required

from ..forms.products import ModerationReasonForm

MODERATORS_ONLY = gettext_lazy(
    "Only marketplace moderators may verify producers and approve products."
)


def moderators_only(permission: str):
    """Login page for anonymous visitors, 403 for users without `permission`."""
    return admin_permission_required(permission, MODERATORS_ONLY)


def moderation_page(
    request,
    *,
    obj,
    action_label,
    needs_reason: bool,
    perform: Callable,
    index_url_name: str,
    summary: list[tuple[str, str]],
    certificate_url: str = "",
):
    """GET: the confirmation page. POST: `perform(reason)` (reason is None when the action takes
    none) returns the updated row; the list follows with a message naming its new status."""
    form = ModerationReasonForm(request.POST or None) if needs_reason else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            updated = perform(form.cleaned_data["reason"] if form is not None else None)
        except PermissionDenied:
            return admin_forbidden(request, MODERATORS_ONLY)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s is now “%(status)s”.")
                % {"name": updated.name, "status": updated.get_status_display()},
            )
            return redirect(index_url_name)
    return TemplateResponse(
        request,
        "marketplace/admin/moderate.html",
        {
            "object": obj,
            "action_label": action_label,
            "form": form,
            "error": error,
            "cancel_url": reverse(index_url_name),
            "certificate_url": certificate_url,
            "summary": summary,
        },
        status=400 if request.method == "POST" else 200,
    )
