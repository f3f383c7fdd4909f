"""Saving or deleting a product or a producer can move the catalogue's facet counts."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import Producer, Product
from ..services.catalogue_cache import catalogue_changed


@receiver(post_save, sender=Product, dispatch_uid="marketplace_catalogue_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="marketplace_catalogue_product_deleted")
@receiver(post_save, sender=Producer, dispatch_uid="marketplace_catalogue_producer_saved")
@receiver(post_delete, sender=Producer, dispatch_uid="marketplace_catalogue_producer_deleted")
def catalogue_rows_changed(sender, **kwargs):
    catalogue_changed()
