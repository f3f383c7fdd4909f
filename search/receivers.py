"""What changes reach the index: published, unpublished, moved or deleted pages; saved or
deleted products and producers; stock moved by the marketplace. Each receiver only queues."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from marketplace.models import Producer, Product
from marketplace.signals import products_changed

from .documents import PRODUCER, PRODUCT, DocumentKey
from .services import index_changed
from .sources import page_kind


def _page_keys(pages):
    return [DocumentKey(page_kind(p), p.pk) for p in pages]


@receiver(page_published, dispatch_uid="search_page_published")
@receiver(page_unpublished, dispatch_uid="search_page_unpublished")
def page_changed(sender, instance, **kwargs):
    index_changed(keys=_page_keys([instance.specific_deferred]))


@receiver(post_page_move, dispatch_uid="search_page_moved")
def page_moved(sender, instance, **kwargs):
    pages = Page.objects.descendant_of(instance, inclusive=True).specific(defer=True)
    index_changed(keys=_page_keys(pages))


@receiver(post_delete, dispatch_uid="search_page_deleted")
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        index_changed(keys=_page_keys([instance]))


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
def restriction_changed(sender, instance, **kwargs):
    pages = Page.objects.descendant_of(instance.page_id and instance.page, inclusive=True)
    index_changed(keys=_page_keys(pages.specific(defer=True)))


@receiver(post_save, sender=Product, dispatch_uid="search_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="search_product_deleted")
def product_changed(sender, instance, **kwargs):
    index_changed(keys=[DocumentKey(PRODUCT, instance.pk)])


@receiver(products_changed, dispatch_uid="search_products_changed")
def products_moved(sender, product_ids, **kwargs):
    index_changed(keys=[DocumentKey(PRODUCT, pk) for pk in product_ids])


@receiver(post_save, sender=Producer, dispatch_uid="search_producer_saved")
@receiver(post_delete, sender=Producer, dispatch_uid="search_producer_deleted")
def producer_changed(sender, instance, **kwargs):
    """A producer's name and status are part of its products' documents."""
    product_ids = Product.objects.filter(producer_id=instance.pk).values_list("pk", flat=True)
    index_changed(
        keys=[DocumentKey(PRODUCER, instance.pk)] + [DocumentKey(PRODUCT, pk) for pk in product_ids]
    )
