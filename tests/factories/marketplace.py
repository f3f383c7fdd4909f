"""Factories of the marketplace's producers and products (orders come from the checkout service)."""

import datetime

import factory
from django.utils import timezone

from marketplace.models import (
    Channel,
    OcopSubgroup,
    Producer,
    ProducerMember,
    Product,
)
from portal.locations.models import Commune, Province
from tests.factories.users import UserFactory


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = 86
    name = "Vĩnh Long"
    division_type = "tỉnh"
    codename = factory.LazyAttribute(lambda o: f"province_{o.code}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: 29000 + n)
    name = factory.Sequence(lambda n: f"Xã Long Hồ {n}")
    division_type = "xã"
    codename = factory.LazyAttribute(lambda o: f"commune_{o.code}")
    province = factory.SubFactory(ProvinceFactory)


class ProducerFactory(factory.django.DjangoModelFactory):
    """A verified producer with a VietQR account."""

    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Bưởi Da Xanh {n}")
    slug = factory.Sequence(lambda n: f"htx-buoi-da-xanh-{n}")
    kind = Producer.Kind.COOPERATIVE
    commune = factory.SubFactory(CommuneFactory)
    province = factory.LazyAttribute(lambda o: o.commune.province)
    street_address = "Ấp Phú Thạnh"
    phone = "0912345678"
    email = factory.Sequence(lambda n: f"htx{n}@example.vn")
    description = "Hợp tác xã trồng bưởi da xanh đạt chuẩn VietGAP."
    bank_bin = "970436"  # Vietcombank
    bank_account_number = factory.Sequence(lambda n: f"10{n:08d}")
    bank_account_name = "HTX BUOI DA XANH"
    status = Producer.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class ProducerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProducerMember

    producer = factory.SubFactory(ProducerFactory)
    user = factory.SubFactory(UserFactory)
    role = ProducerMember.Role.OWNER


def _subgroup(code: str = "1.3") -> OcopSubgroup:
    return OcopSubgroup.objects.select_related("group").get(code=code)


class ProductFactory(factory.django.DjangoModelFactory):
    """A published 4-star product with a valid certificate and 100 units in stock."""

    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Kẹo dừa sáp {n}")
    slug = factory.Sequence(lambda n: f"keo-dua-sap-{n}")
    subgroup = factory.LazyFunction(_subgroup)
    group = factory.LazyAttribute(lambda o: o.subgroup.group)
    stars = 4
    certificate_number = factory.Sequence(lambda n: f"{1000 + n}/QĐ-UBND")
    certificate_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=100)
    )
    certificate_authority = "UBND tỉnh Vĩnh Long"
    certificate_expires_on = factory.LazyAttribute(
        lambda o: o.certificate_date + datetime.timedelta(days=3 * 365)
    )
    ocop_active = True
    price = 150_000
    unit = Product.Unit.BOX
    stock = 100
    description = "Kẹo dừa truyền thống, ít đường."
    province = factory.LazyAttribute(lambda o: o.producer.province)
    status = Product.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("slug",)

    name = "Voso"
    slug = "voso"
    kind = Channel.Kind.FILE
    seller_portal_url = "https://seller.voso.vn/"
    field_mapping = factory.LazyFunction(
        lambda: [
            {"column": "Tên sản phẩm", "field": "name"},
            {"column": "Giá bán", "field": "price"},
            {"column": "Tồn kho", "field": "stock"},
        ]
    )
