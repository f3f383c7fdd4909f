"""Administrative units come from the maintained `vietnam-provinces` package, never typed in."""

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as SourceProvince
from vietnam_provinces import Ward as SourceWard

from .models import Commune, Province


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    communes: int


@transaction.atomic
def administrative_units_load() -> LoadResult:
    """Creates or updates every province and commune; running it again changes nothing."""
    provinces = [
        Province(
            code=int(p.code),
            name=p.name,
            division_type=p.division_type.value,
            codename=p.codename,
        )
        for p in SourceProvince.iter_all()
    ]
    Province.objects.bulk_create(
        provinces,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "division_type", "codename"],
    )
    communes = [
        Commune(
            code=int(w.code),
            name=w.name,
            division_type=w.division_type.value,
            codename=w.codename,
            province_id=int(w.province_code),
        )
        for w in SourceWard.iter_all()
    ]
    Commune.objects.bulk_create(
        communes,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "division_type", "codename", "province"],
    )
    return LoadResult(provinces=len(provinces), communes=len(communes))
