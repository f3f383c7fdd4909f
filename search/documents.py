"""What the search indexes: one flat document per public thing, whatever the engine."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

# Kinds, in the order the results page shows them.
NEWS = "news"
COURSE = "course"
CONTEST = "contest"
PRODUCT = "product"
PRODUCER = "producer"
PAGE = "page"
KINDS = (NEWS, COURSE, CONTEST, PRODUCT, PRODUCER, PAGE)
KIND_LABELS = {
    NEWS: _("News"),
    COURSE: _("Courses"),
    CONTEST: _("Contests"),
    PRODUCT: _("OCOP products"),
    PRODUCER: _("Producers"),
    PAGE: _("Guides and pages"),
}
# What autocomplete suggests.
AUTOCOMPLETE_KINDS = (PRODUCT, PRODUCER, COURSE)

TITLE_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 20_000


@dataclass(frozen=True)
class DocumentKey:
    kind: str
    object_id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclass
class SearchDocument:
    """`title` and `text` are plain text as written (accents kept); engines fold them.
    Product documents carry the catalogue's filter and sort fields."""

    kind: str
    object_id: int
    title: str
    url: str
    text: str = ""
    published_at: datetime | None = None
    meta: dict = field(default_factory=dict)
    group_id: int | None = None
    subgroup_id: int | None = None
    stars: int | None = None
    province_id: int | None = None
    province_name: str = ""
    price: int | None = None
    stock: int | None = None
    sold_count: int | None = None

    def __post_init__(self):
        self.title = " ".join(self.title.split())[:TITLE_MAX_LENGTH]
        self.text = " ".join(self.text.split())[:TEXT_MAX_LENGTH]

    @property
    def key(self) -> DocumentKey:
        return DocumentKey(self.kind, self.object_id)
