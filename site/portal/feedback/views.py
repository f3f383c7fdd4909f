from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.core.http import client_address

from .services import feedback_rate_limit_exceeded, feedback_submission_create


def feedback_form_serve(page, request, *args, **kwargs):
    """GET shows the form; POST checks the rate limit, validates, stores and thanks."""
    status = 200
    if request.method == "POST":
        form = page.get_form(request.POST, request.FILES, page=page, user=request.user)
        limited = feedback_rate_limit_exceeded(client_address=client_address(request))
        valid = form.is_valid()
        if limited:
            form.add_error(
                None,
                _("You have sent too much feedback in a short time. Please try again later."),
            )
            status = 429
        elif valid:
            submission = feedback_submission_create(page=page, form=form)
            return page.render_landing_page(request, submission, *args, **kwargs)
        else:
            status = 400
    else:
        form = page.get_form(page=page, user=request.user)
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)
