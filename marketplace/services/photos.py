"""Photos of products and producers: Wagtail images in their own collections, with an order.

Each upload is checked by its bytes (Pillow) and its size before an image row is written; the
templates show renditions, never the original.
"""

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection

from ..models import Producer, ProducerPhoto, Product, ProductPhoto
from ..validators import PHOTO_FORMATS, photo_upload_format, photo_upload_problem
from .slugs import vietnamese_slugify

PRODUCT_PHOTO_COLLECTION = "Ảnh sản phẩm OCOP"
PRODUCER_PHOTO_COLLECTION = "Ảnh chủ thể OCOP"
PRODUCER_PHOTOS_MAX = 5


def photo_collection(*, name: str) -> Collection:
    """The collection named `name` under the root, created on first use."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    if existing is not None:
        return existing
    return root.add_child(name=name)


def photo_uploads_check(uploads: Sequence, *, room: int) -> None:
    """Raises ValidationError (all problems at once) when a photo is refused or too many."""
    problems = [
        problem
        for upload in uploads
        if (problem := photo_upload_problem(upload, max_bytes=settings.MARKETPLACE_PHOTO_MAX_BYTES))
    ]
    if len(uploads) > room:
        problems.append(
            _("You can add %(room)s more photo(s); you chose %(count)s.")
            % {"room": max(room, 0), "count": len(uploads)}
        )
    if problems:
        raise ValidationError(problems, code="photo")


def _image_create(*, upload, title: str, collection: Collection, by):
    """Writes one Wagtail image from an already checked upload."""
    image_format = photo_upload_format(upload)
    extension = PHOTO_FORMATS[image_format]
    upload.name = f"{vietnamese_slugify(title)[:60] or 'anh'}-{uuid.uuid4().hex[:8]}.{extension}"
    image = get_image_model()(
        title=title[:255],
        file=upload,
        collection=collection,
        uploaded_by_user=by if getattr(by, "is_authenticated", False) else None,
    )
    image.file_size = upload.size
    image._set_file_hash()
    upload.seek(0)
    image.full_clean(exclude=["file_hash", "file"])
    image.save()
    return image


def _next_position(photos) -> int:
    last = photos.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def product_photos_add(*, product: Product, uploads: Sequence, by) -> list[ProductPhoto]:
    """Adds photos after the existing ones, up to MARKETPLACE_PHOTOS_PER_PRODUCT. Checks every
    upload first: on any refusal nothing is written (ValidationError)."""
    if not uploads:
        return []
    room = settings.MARKETPLACE_PHOTOS_PER_PRODUCT - product.photos.count()
    photo_uploads_check(uploads, room=room)
    collection = photo_collection(name=PRODUCT_PHOTO_COLLECTION)
    position = _next_position(product.photos.all())
    added = []
    for offset, upload in enumerate(uploads):
        image = _image_create(upload=upload, title=product.name, collection=collection, by=by)
        added.append(
            ProductPhoto.objects.create(product=product, image=image, position=position + offset)
        )
    return added


@transaction.atomic
def producer_photos_add(*, producer: Producer, uploads: Sequence, by) -> list[ProducerPhoto]:
    """Adds photos of the producer (farm, workshop), at most PRODUCER_PHOTOS_MAX in all."""
    if not uploads:
        return []
    room = PRODUCER_PHOTOS_MAX - producer.photos.count()
    photo_uploads_check(uploads, room=room)
    collection = photo_collection(name=PRODUCER_PHOTO_COLLECTION)
    position = _next_position(producer.photos.all())
    added = []
    for offset, upload in enumerate(uploads):
        image = _image_create(upload=upload, title=producer.name, collection=collection, by=by)
        added.append(
            ProducerPhoto.objects.create(producer=producer, image=image, position=position + offset)
        )
    return added


def _photo_delete(photo) -> None:
    image = photo.image
    photo.delete()
    # The image belongs to this photo only; its file goes with it.
    image.delete()


@transaction.atomic
def product_photo_delete(*, product: Product, photo_id: int) -> None:
    """Removes one photo of `product` and its image. Raises ProductPhoto.DoesNotExist for a
    photo of another product."""
    photo = ProductPhoto.objects.select_related("image").get(pk=photo_id, product=product)
    _photo_delete(photo)


@transaction.atomic
def producer_photo_delete(*, producer: Producer, photo_id: int) -> None:
    photo = ProducerPhoto.objects.select_related("image").get(pk=photo_id, producer=producer)
    _photo_delete(photo)


@transaction.atomic
def product_photo_move(*, product: Product, photo_id: int, offset: int) -> None:
    """Moves a photo one place earlier (offset -1) or later (+1); the first photo is the cover.
    Positions are renumbered 0..n-1. Moving past either end changes nothing."""
    if offset not in (-1, 1):
        raise ValueError("offset must be -1 or 1")
    photos = list(ProductPhoto.objects.select_for_update().filter(product=product))
    index = next((i for i, photo in enumerate(photos) if photo.pk == photo_id), None)
    if index is None:
        raise ProductPhoto.DoesNotExist
    target = index + offset
    if 0 <= target < len(photos):
        photos[index], photos[target] = photos[target], photos[index]
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
            photo.save(update_fields=["position"])
