"""The database engine's index, the queue of changes waiting for any engine, and the vocabulary
behind "did you mean"."""

from django.db import models

from .documents import KINDS


class SearchEntry(models.Model):
    """One indexed document. `title` and `text` are as written; PostgreSQL indexes them through
    its unaccent configuration (a generated `document` column, added by a migration), SQLite
    through an FTS5 table over `folded_title`/`folded_text` kept in step by triggers."""

    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS])
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    folded_title = models.CharField(max_length=300)
    folded_text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    meta = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Catalogue fields (products only); names match the products' own.
    group_id = models.PositiveIntegerField(null=True, blank=True)
    subgroup_id = models.PositiveIntegerField(null=True, blank=True)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    province_id = models.PositiveIntegerField(null=True, blank=True)
    province_name = models.CharField(max_length=100, blank=True)
    price = models.PositiveBigIntegerField(null=True, blank=True)
    stock = models.PositiveIntegerField(null=True, blank=True)
    sold_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "search_entry"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_key")
        ]
        indexes = [
            models.Index(fields=["kind", "stars"], name="search_entry_kind_stars"),
            models.Index(fields=["kind", "price"], name="search_entry_kind_price"),
            models.Index(fields=["kind", "published_at"], name="search_entry_kind_published"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"


class PendingChange(models.Model):
    """A document to index again (or remove), written in the transaction that changed it: if the
    broker or the engine is down, the change waits here and nothing is lost."""

    kind = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    queued_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "search_pending_change"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_unique_key")
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"


class SearchTerm(models.Model):
    """A word or a two-word phrase of the indexed titles: its folded form, the spelling people
    see most (accents kept) and how often it occurs."""

    folded = models.CharField(max_length=100, unique=True)
    display = models.CharField(max_length=100)
    frequency = models.PositiveIntegerField(default=1)
    words = models.PositiveSmallIntegerField(default=1)

    class Meta:
        db_table = "search_term"

    def __str__(self):
        return self.display
