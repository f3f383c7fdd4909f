"""Signals the marketplace sends for other apps (the search keeps its index by them)."""

from django.dispatch import Signal

# Sent with `product_ids` when services change products in bulk, where no post_save is sent
# (stock taken at checkout, given back on cancellation).
products_changed = Signal()
