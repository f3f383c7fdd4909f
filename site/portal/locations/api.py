"""Communes of a province, for address forms that change province without reloading."""

from ninja import Router, Schema

from .models import Commune

router = Router(tags=["locations"])


class CommuneOut(Schema):
    code: int
    name: str


@router.get("/provinces/{code}/communes", response=list[CommuneOut], url_name="communes")
def communes(request, code: int):
    return list(Commune.objects.filter(province_id=code).order_by("name").values("code", "name"))
