"""OCOP statistics of the public catalogue: products by stars, group and province; producers by
type. Five queries whatever the size of the catalogue."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import OcopGroup, Producer, Product
from .products import products_public


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    rows: list[ChartRow]

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)

    @property
    def maximum(self) -> int:
        return max((row.value for row in self.rows), default=0)


@dataclass(frozen=True)
class OcopStatistics:
    products: int
    producers: int
    five_star: int
    charts: list[Chart]


def ocop_statistics() -> OcopStatistics:
    """Counts of public products (published, verified producer) and of verified producers."""
    public = products_public()
    by_stars = dict(public.values_list("stars").annotate(n=Count("pk")).order_by())
    by_group = dict(public.values_list("group_id").annotate(n=Count("pk")).order_by())
    groups = list(OcopGroup.objects.order_by("position", "code"))
    by_province = list(
        public.values_list("province__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "province__name")
    )
    by_kind = dict(
        Producer.objects.filter(status=Producer.Status.VERIFIED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    charts = [
        Chart(
            "stars",
            str(_("Products by OCOP stars")),
            [
                ChartRow(str(label), by_stars.get(value, 0))
                for value, label in Product.Stars.choices
            ],
        ),
        Chart(
            "group",
            str(_("Products by OCOP group")),
            [ChartRow(g.name, by_group.get(g.pk, 0)) for g in groups],
        ),
        Chart(
            "province",
            str(_("Products by province")),
            [ChartRow(name, n) for name, n in by_province],
        ),
        Chart(
            "producer_kind",
            str(_("Producers by type")),
            [ChartRow(str(label), by_kind.get(value, 0)) for value, label in Producer.Kind.choices],
        ),
    ]
    return OcopStatistics(
        products=sum(by_stars.values()),
        producers=sum(by_kind.values()),
        five_star=by_stars.get(5, 0),
        charts=charts,
    )
