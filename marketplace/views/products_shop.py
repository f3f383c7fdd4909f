""" "My shop" › Products: list, add, edit, the status actions, photos, and the certificate scan.

Every page acts for `request.producer`; a product of another producer is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..forms.products import ProductForm, add_service_errors
from ..models import Product, ProductPhoto
from ..selectors.shop_products import product_certificate_for_user, shop_product, shop_products
from ..services.certificates import certificate_file_path
from ..services.photos import product_photo_delete, product_photo_move
from ..services.products import (
    product_allowed_actions,
    product_create,
    product_delete_draft,
    product_publish,
    product_submit,
    product_unpublish,
    product_update,
)
from .shop_access import producer_required

PER_PAGE = 30


def _own_product(request, pk: int) -> Product:
    product = shop_product(producer=request.producer, pk=pk)
    if product is None:
        raise Http404
    return product


@require_safe
@producer_required
def shop_products_view(request):
    status = request.GET.get("status")
    status = status if status in Product.Status.values else None
    paginator = Paginator(shop_products(producer=request.producer, status=status), PER_PAGE)
    return TemplateResponse(
        request,
        "marketplace/shop/products.html",
        {
            "page_obj": paginator.get_page(request.GET.get("page")),
            "status": status,
            "statuses": Product.Status.choices,
            "extra_query": f"status={status}&" if status else "",
        },
    )


def _form_page(request, form, product=None, status=200):
    return TemplateResponse(
        request,
        "marketplace/shop/product_form.html",
        {
            "form": form,
            "product": product,
            "actions": product_allowed_actions(product=product) if product else [],
            "subgroups_by_group": form.subgroups_by_group(),
        },
        status=400 if form.errors else status,
    )


@require_http_methods(["GET", "POST"])
@producer_required
def shop_product_add_view(request):
    form = ProductForm(request.POST or None, request.FILES or None, producer=request.producer)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_create(
                producer=request.producer,
                by=request.user,
                data=form.product_data(),
                certificate_upload=form.cleaned_data.get("certificate_file"),
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” has been saved as a draft. Send it for approval when it is ready.")
                % {"name": product.name},
            )
            return redirect("marketplace:shop_product_edit", pk=product.pk)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
@producer_required
def shop_product_edit_view(request, pk: int):
    product = _own_product(request, pk)
    form = ProductForm(
        request.POST or None, request.FILES or None, producer=request.producer, product=product
    )
    if request.method == "POST" and form.is_valid():
        status_before = product.status
        try:
            product = product_update(
                producer=request.producer,
                product_id=product.pk,
                by=request.user,
                data=form.product_data(),
                certificate_upload=form.cleaned_data.get("certificate_file"),
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if product.status == Product.Status.SUBMITTED and status_before != product.status:
                messages.warning(
                    request,
                    _(
                        "You changed the OCOP details, so the product waits for a moderator's "
                        "approval again."
                    ),
                )
            else:
                messages.success(request, _("The product has been saved."))
            return redirect("marketplace:shop_product_edit", pk=product.pk)
    return _form_page(request, form, product=product)


def _action(request, pk: int, service, success: str):
    product = _own_product(request, pk)
    try:
        service(producer=request.producer, product_id=product.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"name": product.name})
    return redirect("marketplace:shop_product_edit", pk=product.pk)


@require_POST
@producer_required
def shop_product_submit_view(request, pk: int):
    return _action(
        request, pk, product_submit, _("“%(name)s” has been sent to the moderators for approval.")
    )


@require_POST
@producer_required
def shop_product_publish_view(request, pk: int):
    return _action(request, pk, product_publish, _("“%(name)s” is on sale now."))


@require_POST
@producer_required
def shop_product_unpublish_view(request, pk: int):
    return _action(request, pk, product_unpublish, _("“%(name)s” is hidden from buyers."))


@require_POST
@producer_required
def shop_product_delete_view(request, pk: int):
    product = _own_product(request, pk)
    try:
        product_delete_draft(producer=request.producer, product_id=product.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("marketplace:shop_product_edit", pk=product.pk)
    messages.success(request, _("The draft “%(name)s” has been deleted.") % {"name": product.name})
    return redirect("marketplace:shop_products")


@require_POST
@producer_required
def shop_product_photo_move_view(request, pk: int, photo_id: int):
    product = _own_product(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        product_photo_move(product=product, photo_id=photo_id, offset=offset)
    except ProductPhoto.DoesNotExist as error:
        raise Http404 from error
    return redirect(f"{product_edit_url(product)}#photos")


@require_POST
@producer_required
def shop_product_photo_delete_view(request, pk: int, photo_id: int):
    product = _own_product(request, pk)
    try:
        product_photo_delete(product=product, photo_id=photo_id)
    except ProductPhoto.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The photo has been removed."))
    return redirect(f"{product_edit_url(product)}#photos")


def product_edit_url(product: Product) -> str:
    return reverse("marketplace:shop_product_edit", args=[product.pk])


@require_safe
@login_required
def shop_product_certificate_view(request, pk: int):
    """The scanned decision, to the producer's members and product moderators; 404 otherwise."""
    product = product_certificate_for_user(user=request.user, pk=pk)
    path = certificate_file_path(product.certificate_file) if product else None
    if path is None:
        raise Http404
    response = FileResponse(
        path.open("rb"),
        content_type="application/pdf",
        filename=f"chung-nhan-ocop-{product.slug}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
