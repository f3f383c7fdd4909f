"""Producer registration, profile and members ("My shop" › Profile)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.producers import MemberAddForm, ProducerForm
from ..forms.products import add_service_errors
from ..models import ProducerMember, ProducerPhoto
from ..selectors.shop import SESSION_KEY, shop_producer
from ..selectors.shop_products import producer_members
from ..services.photos import producer_photo_delete
from ..services.producers import (
    producer_is_owner,
    producer_member_add,
    producer_member_remove,
    producer_register,
    producer_update,
)
from .shop_access import producer_required


@require_http_methods(["GET", "POST"])
@login_required
def producer_register_view(request):
    """Any signed-in user registers a producer; they become its owner."""
    request.producer = shop_producer(user=request.user, session=request.session)
    form = ProducerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            producer = producer_register(
                user=request.user,
                data=form.producer_data(),
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[SESSION_KEY] = producer.pk
            messages.success(
                request,
                _(
                    "Your producer profile has been sent to the moderators. You can add "
                    "products while you wait."
                ),
            )
            return redirect("marketplace:shop_home")
    return TemplateResponse(
        request,
        "marketplace/shop/producer_form.html",
        {"form": form, "registering": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@producer_required
def producer_edit_view(request):
    """Owners edit the profile; other members see it read-only (a POST from them is refused)."""
    producer = request.producer
    is_owner = producer_is_owner(producer=producer, user=request.user)
    if request.method == "POST" and not is_owner:
        raise PermissionDenied
    form = ProducerForm(
        request.POST or None, request.FILES or None, producer=producer, read_only=not is_owner
    )
    if request.method == "POST" and form.is_valid():
        try:
            producer_update(
                producer_id=producer.pk,
                by=request.user,
                data=form.producer_data(),
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("marketplace:producer_edit")
    return TemplateResponse(
        request,
        "marketplace/shop/producer_form.html",
        {
            "form": form,
            "registering": False,
            "is_owner": is_owner,
            "photos": producer.photos.select_related("image"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@producer_required
def producer_photo_delete_view(request, photo_id: int):
    if not producer_is_owner(producer=request.producer, user=request.user):
        raise PermissionDenied
    try:
        producer_photo_delete(producer=request.producer, photo_id=photo_id)
    except ProducerPhoto.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The photo has been removed."))
    return redirect("marketplace:producer_edit")


@require_http_methods(["GET", "POST"])
@producer_required
def producer_members_view(request):
    """Who manages the shop; owners add existing accounts by email and remove members."""
    producer = request.producer
    is_owner = producer_is_owner(producer=producer, user=request.user)
    form = MemberAddForm(request.POST or None) if is_owner else None
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                member = producer_member_add(
                    producer_id=producer.pk,
                    by=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s can now manage the shop.") % {"name": member.user},
                )
                return redirect("marketplace:producer_members")
    return TemplateResponse(
        request,
        "marketplace/shop/members.html",
        {"members": producer_members(producer=producer), "form": form, "is_owner": is_owner},
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@producer_required
def producer_member_remove_view(request, member_id: int):
    try:
        producer_member_remove(
            producer_id=request.producer.pk, by=request.user, member_id=member_id
        )
    except ProducerMember.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member has been removed."))
        if not producer_members(producer=request.producer).filter(user=request.user).exists():
            request.session.pop(SESSION_KEY, None)
            return redirect("marketplace:shop_home")
    return redirect("marketplace:producer_members")
