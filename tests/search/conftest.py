"""The search's test world and the engines the behaviour suite runs against: the database
(SQLite or PostgreSQL, whichever the run uses) always, Elasticsearch when ELASTICSEARCH_URL
points at a server."""

import datetime
import os
import uuid

import pytest
from django.utils import timezone

from marketplace.models import OcopSubgroup, Producer
from search.services import search_rebuild
from tests.factories.courses import CourseIndexPageFactory, CoursePageFactory
from tests.factories.marketplace import (
    CommuneFactory,
    ProducerFactory,
    ProductFactory,
    ProvinceFactory,
)
from tests.factories.pages import (
    ArticlePageFactory,
    NewsIndexPageFactory,
    StandardPageFactory,
)
from tests.factories.quizzes import ContestPageFactory

ENGINES = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])

# name: (sub-group, stars, price, stock, province, producer key, description)
PRODUCTS = {
    "Cà phê Robusta rang mộc": ("2.2", 4, 120_000, 10, 86, "dua", "Cà phê hạt xay sẵn."),
    "Cà phê dừa hòa tan": ("2.2", 3, 85_000, 0, 82, "dua", "Bột cốt dừa và cà phê."),
    "Dừa sáp Cầu Kè": ("1.1", 4, 150_000, 5, 86, "dua", "Cơm dẻo như sáp."),
    "Kẹo dừa Bến Tre": ("1.3", 5, 55_000, 20, 86, "keo", "Hộp 400 g."),
    "Mật ong rừng U Minh": ("1.3", 4, 250_000, 3, 82, "ong", "Mật hoa tràm."),
    "Đường thốt nốt An Giang": ("1.3", 3, 60_000, 8, 82, "keo", "Nấu từ nước thốt nốt."),
    "Hạt hướng dương rang": ("1.3", 3, 40_000, 9, 86, "keo", "Gói 250 g."),
    "Rượu nếp Phú Lễ": ("2.1", 4, 320_000, 0, 86, "ruou", "Nếp than, men lá."),
    "Bình gốm đỏ Mang Thít": ("5.3", 3, 650_000, 2, 82, "ruou", "Gốm nung lò bao."),
}
PRODUCERS = {
    "dua": "Hợp tác xã Dừa xiêm Mỏ Cày",
    "keo": "Cơ sở Kẹo truyền thống Tân Thạch",
    "ong": "Hợp tác xã Nuôi ong Tràm Chim",
    "ruou": "Cơ sở Rượu nếp Phú Lễ",
}


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    settings.SEARCH_ENGINE = request.param
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test_{uuid.uuid4().hex[:8]}_"
    yield request.param
    if request.param == "elasticsearch":
        from elasticsearch import Elasticsearch

        client = Elasticsearch(settings.ELASTICSEARCH_URL)
        # Servers refuse wildcard deletes by default: delete each index by name.
        for name in client.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}*"):
            client.indices.delete(index=name)


@pytest.fixture
def world(home, contest_index):
    """Products, producers and pages with the letters that defeat naive folding (đ, ế, ừ, ở),
    plus things nobody may find: a draft product, a pending producer's product, a draft page."""
    provinces = {
        86: ProvinceFactory(code=86, name="Vĩnh Long"),
        82: ProvinceFactory(code=82, name="Đồng Tháp"),
    }
    producers = {}
    for index, (key, name) in enumerate(PRODUCERS.items()):
        province = provinces[86 if index % 2 == 0 else 82]
        producers[key] = ProducerFactory(
            name=name,
            slug=f"nha-san-xuat-{key}",
            commune=CommuneFactory(province=province),
            description="Chủ thể OCOP của tỉnh.",
        )
    now = timezone.now()
    products = {}
    for index, (name, spec) in enumerate(PRODUCTS.items()):
        subgroup, stars, price, stock, province, producer, description = spec
        products[name] = ProductFactory(
            name=name,
            slug=f"san-pham-{index}",
            producer=producers[producer],
            subgroup=OcopSubgroup.objects.get(code=subgroup),
            stars=stars,
            price=price,
            stock=stock,
            province=provinces[province],
            description=description,
            published_at=now - datetime.timedelta(days=index),
        )
    ProductFactory(name="Cà phê bí mật", slug="an-nhap", producer=producers["dua"], status="draft")
    pending = ProducerFactory(
        name="Hợp tác xã Cà phê chưa duyệt", slug="chua-duyet", status=Producer.Status.PENDING
    )
    ProductFactory(name="Cà phê chưa duyệt", slug="an-chua-duyet", producer=pending)
    news = NewsIndexPageFactory(parent=home)
    ArticlePageFactory(
        parent=news,
        title="Chuyển đổi số đưa cà phê và dừa Bến Tre lên sàn thương mại điện tử",
        slug="tin-ca-phe",
        lead="Nông dân bán hàng trực tuyến.",
    )
    ArticlePageFactory(parent=news, title="Bản nháp về cà phê", slug="nhap-ca-phe", live=False)
    courses = CourseIndexPageFactory(parent=home)
    CoursePageFactory(parent=courses, title="Kỹ năng số cơ bản cho cán bộ", slug="ky-nang-so")
    ContestPageFactory(
        parent=contest_index,
        title="Tìm hiểu ứng dụng CNTT trong cải cách hành chính",
        slug="cai-cach-hanh-chinh",
    )
    StandardPageFactory(
        parent=home, title="Hướng dẫn thanh toán chuyển khoản VietQR", slug="huong-dan-vietqr"
    )
    return products


@pytest.fixture
def indexed(world, engine):
    search_rebuild()
    return world
