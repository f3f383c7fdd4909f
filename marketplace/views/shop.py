"""The "My shop" home (the producer's dashboard) and the choice of producer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..selectors.shop import SESSION_KEY, producers_for_user, shop_producer
from ..selectors.shop_products import shop_dashboard
from .shop_access import producer_required


@require_safe
@producer_required
def shop_home(request):
    return TemplateResponse(
        request,
        "marketplace/shop/home.html",
        {"dashboard": shop_dashboard(producer=request.producer)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def producer_switch(request):
    """Lists the user's producers; POST `producer` chooses the one "My shop" acts for."""
    producers = producers_for_user(user=request.user)
    if request.method == "POST":
        raw = request.POST.get("producer", "")
        chosen = producers.filter(pk=raw).first() if raw.isdigit() else None
        if chosen is None:
            raise Http404
        request.session[SESSION_KEY] = chosen.pk
        messages.success(request, _("You are now working for %(name)s.") % {"name": chosen.name})
        return redirect("marketplace:shop_home")
    request.producer = shop_producer(user=request.user, session=request.session)
    return TemplateResponse(request, "marketplace/shop/switch.html", {"producers": list(producers)})
