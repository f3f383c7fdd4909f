"""URL slugs from Vietnamese names: "Kẹo dừa Bến Tre" -> "keo-dua-ben-tre", unique per model."""

from django.db.models import Model
from django.utils.text import slugify

from ..validators import fold_vietnamese


def vietnamese_slugify(text: str) -> str:
    """Folds diacritics (đ -> d included, which Unicode does not decompose) before slugifying."""
    return slugify(fold_vietnamese(text))


def unique_slug(*, model: type[Model], text: str, max_length: int = 200, fallback: str = "") -> str:
    """A slug of `text` not used by any row of `model`: "keo-dua", then "keo-dua-2", …

    Not locked: the slug column is unique, so a rare race ends in an IntegrityError, not a
    duplicate."""
    base = vietnamese_slugify(text)[:max_length].strip("-") or fallback or "san-pham"
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug
