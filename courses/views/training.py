"""My training: the learner's courses of every year, with due dates and certificates."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from ..selectors.learning import my_training as my_training_rows


@login_required
def my_training(request):
    return TemplateResponse(
        request, "courses/my_training.html", {"rows": my_training_rows(user=request.user)}
    )
