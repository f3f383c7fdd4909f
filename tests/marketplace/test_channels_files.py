"""A channel's bulk-upload file: exact CSV bytes (BOM, column order), XLSX typed cells, the
formula guard, and that a producer's file holds only its own published products."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail_factories import ImageFactory

from marketplace.channels.fields import field_mapping_errors, product_sku
from marketplace.channels.files import channel_file_csv, channel_file_rows, channel_file_xlsx
from marketplace.channels.presets import CHANNEL_PRESETS
from marketplace.models import Product, ProductPhoto
from tests.factories.marketplace import (
    ChannelFactory,
    ProducerFactory,
    ProducerMemberFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

MAPPING = [
    {"column": "Mã SKU", "field": "sku"},
    {"column": "Tên sản phẩm", "field": "name"},
    {"column": "Giá bán", "field": "price"},
    {"column": "Tồn kho", "field": "stock"},
    {"column": "Sao", "field": "stars"},
    {"column": "Hạn chứng nhận", "field": "certificate_expires_on"},
    {"column": "Ảnh", "field": "image_url"},
]


@pytest.fixture
def shop(client, settings):
    settings.SITE_BASE_URL = "https://cho-ocop.example.vn"
    member = ProducerMemberFactory()
    producer = member.producer
    channel = ChannelFactory(field_mapping=MAPPING)
    client.force_login(member.user)
    return producer, channel, client


def _file_url(channel, fmt):
    return reverse("marketplace:shop_channel_file", args=[channel.slug, fmt])


def test_csv_has_bom_and_channel_columns_in_order(shop):
    producer, channel, client = shop
    product = ProductFactory(
        producer=producer,
        name="Bưởi da xanh Chợ Lách",
        price=85_000,
        stock=40,
        stars=4,
        certificate_expires_on=datetime.date(2027, 3, 9),
    )
    response = client.get(_file_url(channel, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"voso-{producer.slug}-" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [
        "Mã SKU",
        "Tên sản phẩm",
        "Giá bán",
        "Tồn kho",
        "Sao",
        "Hạn chứng nhận",
        "Ảnh",
    ]
    assert rows[1] == [
        f"{producer.slug}-{product.pk}",
        "Bưởi da xanh Chợ Lách",
        "85000",
        "40",
        "4",
        "09/03/2027",
        "",
    ]
    assert len(rows) == 2
    # Exact bytes of the header line: comma separated, CRLF line ends.
    assert (
        body.split(b"\r\n")[0]
        == "\ufeffMã SKU,Tên sản phẩm,Giá bán,Tồn kho,Sao,Hạn chứng nhận,Ảnh".encode()
    )


def test_xlsx_bold_header_typed_cells_and_image_url(shop):
    producer, channel, client = shop
    product = ProductFactory(producer=producer, price=150_000, stock=7, stars=5)
    ProductPhoto.objects.create(product=product, image=ImageFactory(), position=0)
    response = client.get(_file_url(channel, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == [item["column"] for item in MAPPING]
    assert all(cell.font.bold for cell in sheet[1])
    row = sheet[2]
    assert row[0].value == product_sku(product)
    assert row[2].value == 150_000 and row[2].data_type == "n"
    assert row[3].value == 7 and row[3].data_type == "n"
    assert row[4].value == 5 and isinstance(row[4].value, int)
    assert row[5].is_date and row[5].value.date() == product.certificate_expires_on
    assert row[6].value.startswith("https://cho-ocop.example.vn/media/")
    assert row[6].value.endswith(".jpg")


def test_formula_guard_in_csv_and_xlsx():
    mapping = [{"column": "=Tên", "field": "name"}, {"column": "Mô tả", "field": "description"}]
    product = ProductFactory(name='=HYPERLINK("http://evil.example","Bấm")', description="@SUM(A1)")
    rows = channel_file_rows(mapping=mapping, products=[product])
    text = channel_file_csv(mapping=mapping, rows=rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0][0] == "'=Tên"
    assert parsed[1] == ['\'=HYPERLINK("http://evil.example","Bấm")', "'@SUM(A1)"]
    for start in ("+1", "-1", "\tx"):
        product.description = start + "abc"
        rows = channel_file_rows(mapping=mapping, products=[product])
        text = channel_file_csv(mapping=mapping, rows=rows).decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text)))[1][1] == "'" + start + "abc"

    product.description = "+84 912 345 678"
    rows = channel_file_rows(mapping=mapping, products=[product])
    sheet = openpyxl.load_workbook(io.BytesIO(channel_file_xlsx(mapping=mapping, rows=rows))).active
    name_cell, description_cell = sheet[2][0], sheet[2][1]
    # Stored as text (not a formula), with Excel's quote prefix keeping it text when edited.
    assert name_cell.data_type == "s"
    assert name_cell.value == product.name
    assert name_cell.quotePrefix
    assert description_cell.data_type == "s" and description_cell.quotePrefix
    assert sheet[1][0].data_type == "s" and sheet[1][0].value == "=Tên"


def test_ordinary_text_is_not_altered():
    mapping = [{"column": "Tên", "field": "name"}]
    product = ProductFactory(name="Kẹo dừa Bến Tre – loại 1")
    rows = channel_file_rows(mapping=mapping, products=[product])
    text = channel_file_csv(mapping=mapping, rows=rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["Kẹo dừa Bến Tre – loại 1"]
    sheet = openpyxl.load_workbook(io.BytesIO(channel_file_xlsx(mapping=mapping, rows=rows))).active
    assert not sheet[2][0].quotePrefix


def test_file_holds_only_the_producers_own_published_products(shop):
    producer, channel, client = shop
    own = ProductFactory(producer=producer, name="Mật ong hoa nhãn")
    ProductFactory(producer=producer, name="Nháp chưa duyệt", status=Product.Status.DRAFT)
    ProductFactory(producer=producer, name="Đang chờ duyệt", status=Product.Status.SUBMITTED)
    ProductFactory(name="Chả lụa của người khác")
    text = client.get(_file_url(channel, "csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[1] for row in rows[1:]] == ["Mật ong hoa nhãn"]
    assert rows[1][0] == product_sku(own)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(_file_url(channel, "xlsx")).content)
    ).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["Mật ong hoa nhãn"]


def test_file_with_no_products_has_the_header_only(shop):
    _producer, channel, client = shop
    text = client.get(_file_url(channel, "csv")).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [[item["column"] for item in MAPPING]]


def test_unknown_format_and_inactive_or_unknown_channel_are_404(shop):
    _producer, channel, client = shop
    assert client.get(_file_url(channel, "pdf")).status_code == 404
    assert (
        client.get(reverse("marketplace:shop_channel_file", args=["khong-co", "csv"])).status_code
        == 404
    )
    channel.active = False
    channel.save()
    assert client.get(_file_url(channel, "csv")).status_code == 404


def test_anonymous_users_go_to_login_and_unverified_producers_are_sent_back(client):
    channel = ChannelFactory()
    url = _file_url(channel, "csv")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    member = ProducerMemberFactory(producer=ProducerFactory(status="pending", verified_at=None))
    ProductFactory(producer=member.producer)
    client.force_login(member.user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:shop_home")


def test_user_without_producer_is_sent_to_registration(client):
    from tests.factories.users import UserFactory

    client.force_login(UserFactory())
    response = client.get(_file_url(ChannelFactory(), "xlsx"))
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:producer_register")


def test_every_field_can_be_written(shop):
    """Each of CHANNEL_FIELDS has a value getter; the presets use only known fields."""
    from marketplace.channels.fields import CHANNEL_FIELDS

    producer, _channel, _client = shop
    product = ProductFactory(producer=producer, other_certifications=["vietgap"])
    mapping = [{"column": name, "field": name} for name in CHANNEL_FIELDS]
    rows = channel_file_rows(mapping=mapping, products=[product])
    values = dict(zip(CHANNEL_FIELDS, rows[0], strict=True))
    assert values["producer"] == producer.name
    assert values["certifications"] == "VietGAP"
    assert values["unit"]
    assert values["origin"].endswith(product.province.name)
    channel_file_xlsx(mapping=mapping, rows=rows)  # every type is writable
    for preset in CHANNEL_PRESETS.values():
        assert field_mapping_errors(preset.field_mapping) == []
