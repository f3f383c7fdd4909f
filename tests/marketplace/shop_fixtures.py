"""Shared fixtures of the "My shop" tests (producers, products, certificates).

Imported by tests/marketplace/test_producers_*.py, test_products_*.py and
test_certificates_expiry.py; pytest registers imported fixtures in the importing module.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from marketplace.models import OcopSubgroup, Producer, ProducerMember
from marketplace.services.roles import MARKETPLACE_MODERATORS_GROUP, marketplace_roles_ensure
from tests.factories.marketplace import (
    CommuneFactory,
    ProducerFactory,
    ProducerMemberFactory,
    ProductFactory,
    ProvinceFactory,
)
from tests.factories.users import UserFactory

PASSWORD = "mat-khau-Thu-nghiem-1"
# Real tax codes of well-known enterprises (public registers): the checksum must accept them.
VALID_TAX_CODES = ["0300588569", "0100109106", "0101248141"]


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def photo_upload(name="buoi.png", content=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or png_bytes(), content_type="image/png")


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="quyet-dinh.pdf", content=PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def commune(province):
    return CommuneFactory(province=province, name="Xã Mỹ Thạnh")


@pytest.fixture
def other_province(db):
    return ProvinceFactory(code=79, name="Hồ Chí Minh", division_type="thành phố")


@pytest.fixture
def other_commune(other_province):
    return CommuneFactory(province=other_province, name="Phường Sài Gòn")


@pytest.fixture
def owner(db):
    return UserFactory(email="chu.htx@example.vn", full_name="Trần Thị Bưởi")


@pytest.fixture
def producer(owner, commune):
    """A verified producer whose owner is `owner`."""
    producer = ProducerFactory(commune=commune, email="")
    ProducerMemberFactory(producer=producer, user=owner, role=ProducerMember.Role.OWNER)
    return producer


@pytest.fixture
def pending_producer(owner, commune):
    producer = ProducerFactory(commune=commune, status=Producer.Status.PENDING, verified_at=None)
    ProducerMemberFactory(producer=producer, user=owner, role=ProducerMember.Role.OWNER)
    return producer


@pytest.fixture
def owner_client(client, owner, home):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_producer(db, commune):
    """Another producer with its own owner (to check that producers are kept apart)."""
    producer = ProducerFactory(commune=commune, name="HTX Kẹo Dừa Khác", email="")
    member = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.OWNER)
    return producer, member.user


@pytest.fixture
def moderator(db):
    marketplace_roles_ensure()
    user = UserFactory(email="kiemduyet@example.vn", full_name="Lê Kiểm Duyệt")
    user.groups.add(Group.objects.get(name=MARKETPLACE_MODERATORS_GROUP))
    return user


def subgroup(code="1.3") -> OcopSubgroup:
    return OcopSubgroup.objects.select_related("group").get(code=code)


def product_form_data(**overrides) -> dict:
    """A valid POST of the product form (a 4-star sweet of group 1.3)."""
    sub = subgroup(overrides.pop("subgroup_code", "1.3"))
    data = {
        "name": "Kẹo dừa sáp Đặc biệt",
        "group": sub.group_id,
        "subgroup": sub.pk,
        "stars": "4",
        "certificate_number": "1234/QĐ-UBND",
        "certificate_date": (timezone.localdate() - datetime.timedelta(days=200)).isoformat(),
        "certificate_authority": "UBND tỉnh Vĩnh Long",
        "certificate_expires_on": "",
        "price": "150.000",
        "unit": "hop",
        "stock": "40",
        "description": "Kẹo dừa truyền thống Bến Tre.",
        "origin_province": "",
        "origin_commune": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_product(producer, **kwargs):
    return ProductFactory(producer=producer, province=producer.province, **kwargs)
