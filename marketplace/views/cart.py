"""The cart page and its two forms (add a product, change quantities)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..services.cart import CartError, cart_remove, cart_set, cart_summary
from ..services.cart import cart_add as cart_add_product


def _back(request):
    """Where the add-to-cart form came from (same site only), else the cart."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(candidate)
    return redirect("marketplace:cart")


@require_GET
def cart(request):
    summary = cart_summary(session=request.session)
    for notice in summary.notices:
        messages.warning(request, notice)
    return TemplateResponse(request, "marketplace/cart.html", {"cart": summary})


@require_POST
def cart_add(request):
    try:
        product, quantity = cart_add_product(
            session=request.session,
            product_id=request.POST.get("product", ""),
            quantity=request.POST.get("quantity", "1") or "1",
        )
    except CartError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(name)s” is in your cart (%(quantity)s).")
            % {"name": product.name, "quantity": quantity},
        )
    return _back(request)


@require_POST
def cart_update(request):
    remove = request.POST.get("remove")
    if remove:
        if cart_remove(session=request.session, product_id=remove):
            messages.success(request, _("The product was removed from your cart."))
        return redirect("marketplace:cart")
    problems = []
    changed = False
    for key, value in request.POST.items():
        if not key.startswith("quantity-"):
            continue
        try:
            cart_set(
                session=request.session, product_id=key.removeprefix("quantity-"), quantity=value
            )
        except CartError as exc:
            problems.append(exc.message)
        else:
            changed = True
    for problem in problems:
        messages.error(request, problem)
    if changed and not problems:
        messages.success(request, _("Your cart was updated."))
    return redirect("marketplace:cart")
