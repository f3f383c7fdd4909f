"""OCOP products: create and edit from "My shop", and THE status flow (this module only).

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published ◀──▶ unpublished
      ▲                  │ reject               (producer)         (producer: hide / publish)
      └── rejected ◀─────┘ (also from approved, published, unpublished: a moderator withdraws)
          └─submit──▶ submitted

Producers submit, publish and hide; moderators (`marketplace.moderate_product`) approve and reject
with a reason. Publishing is the producer's explicit step after approval (they choose when the
product goes on sale, e.g. once stock is in), and only a verified producer may publish. Editing
the OCOP facts (group, stars, certificate) of an approved, published or hidden product sends it
back to `submitted`: the badge and the stars are what a moderator vouches for. Price, stock,
description and photos are the producer's business and keep the status.
"""

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.locations.models import Commune

from ..models import OcopGroup, OcopSubgroup, Producer, Product
from .certificates import (
    APPROVED_STATUSES,
    certificate_default_expiry,
    certificate_file_delete,
    certificate_file_store,
    certificate_is_valid,
)
from .channels import channel_listings_product_changed
from .photos import photo_uploads_check, product_photos_add
from .producer_notify import producer_members_email, site_url
from .slugs import unique_slug

logger = logging.getLogger(__name__)

MODERATE_PRODUCT = "marketplace.moderate_product"
# The OCOP programme began with Decision 490/QĐ-TTg of 7 May 2018: no certificate is older.
CERTIFICATE_DATE_MIN = datetime.date(2018, 1, 1)
REASON_MAX = 500
# Changing one of these after approval needs a new approval.
OCOP_FIELDS = (
    "group_id",
    "subgroup_id",
    "stars",
    "potential_five_star",
    "certificate_number",
    "certificate_date",
    "certificate_authority",
    "certificate_expires_on",
    "certificate_file",
)
CERTIFICATE_FIELDS = ("certificate_number", "certificate_date", "certificate_expires_on")


class IllegalProductMove(ValidationError):
    """A status change the flow does not allow from the product's current status."""


@dataclass(frozen=True)
class ProductData:
    name: str
    subgroup: OcopSubgroup
    stars: int
    certificate_number: str
    certificate_date: datetime.date
    certificate_authority: str
    price: int
    unit: str
    stock: int
    potential_five_star: bool = False
    # None: computed from the decision date (OCOP_CERTIFICATE_VALID_MONTHS).
    certificate_expires_on: datetime.date | None = None
    description: str = ""
    origin_commune: Commune | None = None
    other_certifications: tuple[str, ...] = ()
    # When given (the form's group select), the sub-group must belong to it.
    group: OcopGroup | None = None


def product_data_problems(*, data: ProductData, today: datetime.date | None = None) -> dict:
    """Field -> message for every rule of the OCOP facts the data breaks (empty when fine).
    Price and stock bounds are the model's validators, checked by full_clean()."""
    today = today or timezone.localdate()
    problems = {}
    if data.group is not None and data.subgroup.group_id != data.group.pk:
        problems["subgroup"] = _("This sub-group is not part of the chosen group.")
    if data.stars not in Product.Stars.values:
        problems["stars"] = _("Choose 3, 4 or 5 stars.")
    elif data.potential_five_star and data.stars != Product.Stars.FOUR:
        problems["potential_five_star"] = _("“Potential 5 stars” is given only to 4-star products.")
    if data.certificate_date > today:
        problems["certificate_date"] = _("The decision date cannot be in the future.")
    elif data.certificate_date < CERTIFICATE_DATE_MIN:
        problems["certificate_date"] = _(
            "OCOP certificates date from 2018 onwards; check the decision date."
        )
    if (
        data.certificate_expires_on is not None
        and data.certificate_expires_on <= data.certificate_date
    ):
        problems["certificate_expires_on"] = _("The certificate must end after its decision date.")
    unknown = set(data.other_certifications) - set(Product.Certification.values)
    if unknown:
        problems["other_certifications"] = _("Choose certifications from the list.")
    return problems


def _apply(product: Product, data: ProductData, producer: Producer) -> None:
    product.name = " ".join(data.name.split())
    product.subgroup = data.subgroup
    product.group_id = data.subgroup.group_id
    product.stars = data.stars
    product.potential_five_star = bool(data.potential_five_star)
    product.certificate_number = data.certificate_number.strip()
    product.certificate_date = data.certificate_date
    product.certificate_authority = data.certificate_authority.strip()
    product.certificate_expires_on = data.certificate_expires_on or certificate_default_expiry(
        decided_on=data.certificate_date
    )
    product.price = data.price
    product.unit = data.unit
    product.stock = data.stock
    product.description = data.description.strip()
    product.origin_commune = data.origin_commune
    product.province_id = (
        data.origin_commune.province_id if data.origin_commune else producer.province_id
    )
    product.other_certifications = [
        value for value in Product.Certification.values if value in data.other_certifications
    ]


def _snapshot(product: Product, fields) -> tuple:
    return tuple(getattr(product, field) for field in fields)


def _save_with_files(
    *, product: Product, producer: Producer, by, certificate_upload, photos: Sequence
) -> str:
    """Stores the certificate scan, saves the product, adds the photos. Returns the previous
    scan's path when it was replaced (deleted by the caller after commit). On any error the new
    scan is removed and the error raised (the caller's transaction rolls back)."""
    if photos:
        existing = product.photos.count() if product.pk else 0
        room = settings.MARKETPLACE_PHOTOS_PER_PRODUCT - existing
        try:
            photo_uploads_check(photos, room=room)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    previous, stored = product.certificate_file, ""
    if certificate_upload is not None:
        stored = certificate_file_store(producer_id=producer.pk, upload=certificate_upload)
        product.certificate_file = stored
    try:
        product.full_clean()
        product.save()
        product_photos_add(product=product, uploads=photos, by=by)
    except Exception:
        if stored:
            certificate_file_delete(stored)
        raise
    return previous if stored and previous else ""


def product_create(
    *,
    producer: Producer,
    by,
    data: ProductData,
    certificate_upload=None,
    photos: Sequence = (),
) -> Product:
    """A new draft of `producer`. Raises ValidationError (field -> message) and writes nothing
    when the data, the scan or a photo is refused."""
    if problems := product_data_problems(data=data):
        raise ValidationError(problems)
    with transaction.atomic():
        product = Product(
            producer=producer,
            slug=unique_slug(model=Product, text=data.name, fallback="san-pham"),
            status=Product.Status.DRAFT,
        )
        _apply(product, data, producer)
        _save_with_files(
            product=product,
            producer=producer,
            by=by,
            certificate_upload=certificate_upload,
            photos=photos,
        )
    return product


def product_update(
    *,
    producer: Producer,
    product_id: int,
    by,
    data: ProductData,
    certificate_upload=None,
    photos: Sequence = (),
) -> Product:
    """Saves a producer's edit of its own product (Product.DoesNotExist for another producer's).

    Locks the product row. When an OCOP fact changes on an approved, published or hidden product,
    the product goes back to `submitted` and loses its badge until approved again; a new
    certificate also gets a new expiry notice. Other edits keep the status."""
    if problems := product_data_problems(data=data):
        raise ValidationError(problems)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id, producer=producer)
        ocop_before = _snapshot(product, OCOP_FIELDS)
        certificate_before = _snapshot(product, CERTIFICATE_FIELDS)
        _apply(product, data, producer)
        # A new scan is a change of the OCOP facts even if the typed fields are the same.
        new_scan = certificate_upload is not None
        if new_scan or _snapshot(product, CERTIFICATE_FIELDS) != certificate_before:
            product.expiry_notice_sent_on = None
        ocop_changed = new_scan or _snapshot(product, OCOP_FIELDS) != ocop_before
        if ocop_changed and product.status in APPROVED_STATUSES:
            product.status = Product.Status.SUBMITTED
            product.submitted_at = timezone.now()
            product.ocop_active = False
        previous = _save_with_files(
            product=product,
            producer=producer,
            by=by,
            certificate_upload=certificate_upload,
            photos=photos,
        )
        if previous:
            transaction.on_commit(lambda: certificate_file_delete(previous))
        channel_listings_product_changed(product_id=product.pk)
    return product


# --- The status flow -----------------------------------------------------------------------------

# action -> (statuses it may start from, status it leads to)
PRODUCER_ACTIONS = {
    "submit": ({Product.Status.DRAFT, Product.Status.REJECTED}, Product.Status.SUBMITTED),
    "publish": ({Product.Status.APPROVED, Product.Status.UNPUBLISHED}, Product.Status.PUBLISHED),
    "unpublish": ({Product.Status.PUBLISHED}, Product.Status.UNPUBLISHED),
}
MODERATOR_ACTIONS = {
    "approve": ({Product.Status.SUBMITTED}, Product.Status.APPROVED),
    "reject": (
        {
            Product.Status.SUBMITTED,
            Product.Status.APPROVED,
            Product.Status.PUBLISHED,
            Product.Status.UNPUBLISHED,
        },
        Product.Status.REJECTED,
    ),
}


def _illegal_message(action: str, product: Product) -> str:
    status = product.get_status_display()
    messages = {
        "submit": _(
            "Only a draft or a rejected product can be sent for approval; this one is “%(status)s”."
        ),
        "publish": _(
            "Only an approved or hidden product can be published; this one is “%(status)s”."
        ),
        "unpublish": _("Only a published product can be hidden; this one is “%(status)s”."),
        "approve": _(
            "Only a product waiting for approval can be approved; this one is “%(status)s”."
        ),
        "reject": _("This product is “%(status)s”; it cannot be rejected."),
        "delete": _("Only a draft can be deleted; this one is “%(status)s”. Hide it instead."),
    }
    return messages[action] % {"status": status}


def product_allowed_actions(*, product: Product) -> list[str]:
    """The producer's possible actions now (for buttons); the services check again."""
    actions = [
        action for action, (sources, _to) in PRODUCER_ACTIONS.items() if product.status in sources
    ]
    if product.status == Product.Status.DRAFT:
        actions.append("delete")
    return actions


def product_moderation_actions(*, product: Product) -> list[str]:
    return [
        action for action, (sources, _to) in MODERATOR_ACTIONS.items() if product.status in sources
    ]


def _locked(*, product_id: int, producer: Producer | None) -> Product:
    queryset = Product.objects.select_for_update().select_related("producer")
    if producer is not None:
        queryset = queryset.filter(producer=producer)
    return queryset.get(pk=product_id)


@transaction.atomic
def product_submit(*, producer: Producer, product_id: int, by) -> Product:
    """draft/rejected -> submitted. Needs the scanned certificate and a certificate still valid.
    Raises IllegalProductMove, ValidationError, Product.DoesNotExist (another producer's)."""
    product = _locked(product_id=product_id, producer=producer)
    sources, target = PRODUCER_ACTIONS["submit"]
    if product.status not in sources:
        raise IllegalProductMove(_illegal_message("submit", product), code="illegal_move")
    if not product.certificate_file:
        raise ValidationError(
            _("Upload the scanned certificate (PDF) before sending the product for approval."),
            code="certificate_missing",
        )
    if not certificate_is_valid(expires_on=product.certificate_expires_on):
        raise ValidationError(
            _("The certificate expired on %(date)s; enter the renewed certificate first.")
            % {"date": product.certificate_expires_on.strftime("%d/%m/%Y")},
            code="certificate_expired",
        )
    product.status = target
    product.submitted_at = timezone.now()
    product.rejection_reason = ""
    product.save(update_fields=["status", "submitted_at", "rejection_reason", "updated_at"])
    return product


@transaction.atomic
def product_publish(*, producer: Producer, product_id: int, by) -> Product:
    """approved/hidden -> published, for verified producers only."""
    product = _locked(product_id=product_id, producer=producer)
    sources, target = PRODUCER_ACTIONS["publish"]
    if product.status not in sources:
        raise IllegalProductMove(_illegal_message("publish", product), code="illegal_move")
    if not product.producer.is_verified:
        raise ValidationError(
            _("Only products of verified producers can be published."), code="not_verified"
        )
    product.status = target
    product.published_at = product.published_at or timezone.now()
    product.save(update_fields=["status", "published_at", "updated_at"])
    channel_listings_product_changed(product_id=product.pk)
    return product


@transaction.atomic
def product_unpublish(*, producer: Producer, product_id: int, by) -> Product:
    """published -> hidden (the producer takes it off sale; publishing again needs no review)."""
    product = _locked(product_id=product_id, producer=producer)
    sources, target = PRODUCER_ACTIONS["unpublish"]
    if product.status not in sources:
        raise IllegalProductMove(_illegal_message("unpublish", product), code="illegal_move")
    product.status = target
    product.save(update_fields=["status", "updated_at"])
    channel_listings_product_changed(product_id=product.pk)
    return product


def product_delete_draft(*, producer: Producer, product_id: int, by) -> None:
    """Deletes a draft with its photos and scan. Anything past draft is hidden, not deleted
    (orders and channel listings point at it)."""
    with transaction.atomic():
        product = _locked(product_id=product_id, producer=producer)
        if product.status != Product.Status.DRAFT:
            raise IllegalProductMove(_illegal_message("delete", product), code="illegal_move")
        images = [photo.image for photo in product.photos.select_related("image")]
        certificate = product.certificate_file
        product.delete()
        for image in images:
            image.delete()
        if certificate:
            transaction.on_commit(lambda: certificate_file_delete(certificate))


def _moderator_check(by) -> None:
    if not by.has_perm(MODERATE_PRODUCT):
        raise PermissionDenied


def product_approve(*, product_id: int, by) -> Product:
    """submitted -> approved by a moderator. The OCOP badge shows while the certificate is valid.
    Emails the producer's members once committed. Raises PermissionDenied, IllegalProductMove."""
    _moderator_check(by)
    with transaction.atomic():
        product = _locked(product_id=product_id, producer=None)
        sources, target = MODERATOR_ACTIONS["approve"]
        if product.status not in sources:
            raise IllegalProductMove(_illegal_message("approve", product), code="illegal_move")
        product.status = target
        product.ocop_active = certificate_is_valid(expires_on=product.certificate_expires_on)
        product.rejection_reason = ""
        product.moderated_at = timezone.now()
        product.moderated_by = by
        product.save(
            update_fields=[
                "status",
                "ocop_active",
                "rejection_reason",
                "moderated_at",
                "moderated_by",
                "updated_at",
            ]
        )
        _email_on_commit(product=product, template="product_approved")
    return product


def product_reject(*, product_id: int, by, reason: str) -> Product:
    """submitted (or approved, published, hidden) -> rejected, with a reason the producer reads
    in the email and on the product. Raises PermissionDenied, IllegalProductMove,
    ValidationError (no reason)."""
    _moderator_check(by)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the producer will read it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    with transaction.atomic():
        product = _locked(product_id=product_id, producer=None)
        sources, target = MODERATOR_ACTIONS["reject"]
        if product.status not in sources:
            raise IllegalProductMove(_illegal_message("reject", product), code="illegal_move")
        product.status = target
        product.ocop_active = False
        product.rejection_reason = reason
        product.moderated_at = timezone.now()
        product.moderated_by = by
        product.save(
            update_fields=[
                "status",
                "ocop_active",
                "rejection_reason",
                "moderated_at",
                "moderated_by",
                "updated_at",
            ]
        )
        _email_on_commit(product=product, template="product_rejected")
    return product


def _email_on_commit(*, product: Product, template: str) -> None:
    context = {
        "product": product,
        "reason": product.rejection_reason,
        "edit_url": site_url("marketplace:shop_product_edit", product.pk),
    }

    def send():
        try:
            producer_members_email(producer=product.producer, template=template, context=context)
        except Exception:  # noqa: BLE001 - the decision stands even if the mail server is down
            logger.exception("Email %s for product %s failed", template, product.pk)

    transaction.on_commit(send)
