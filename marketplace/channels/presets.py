"""Starting points for the two shops Vietnamese provinces list OCOP products on. Both are run by
the postal groups (Voso.vn by Viettel Post, Postmart.vn by VNPost) and publish no seller API:
sellers work in a seller portal and upload product files, so both presets are file channels.

The column headers below are named as the seller portal's upload template names them, as far as
we know — they were not checked against the live portals: adjust them in the admin
(Marketplace → Shop channels) to the template the portal currently hands out.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChannelPreset:
    name: str
    slug: str
    seller_portal_url: str
    field_mapping: list[dict] = field(default_factory=list)
    position: int = 0


VOSO = ChannelPreset(
    name="Voso",
    slug="voso",
    seller_portal_url="https://seller.voso.vn/",
    position=10,
    field_mapping=[
        {"column": "Mã SKU", "field": "sku"},
        {"column": "Tên sản phẩm", "field": "name"},
        {"column": "Mô tả sản phẩm", "field": "description"},
        {"column": "Giá bán (VNĐ)", "field": "price"},
        {"column": "Số lượng tồn kho", "field": "stock"},
        {"column": "Đơn vị tính", "field": "unit"},
        {"column": "Danh mục", "field": "subgroup"},
        {"column": "Xuất xứ", "field": "origin"},
        {"column": "Hạng sao OCOP", "field": "stars"},
        {"column": "Số quyết định OCOP", "field": "certificate_number"},
        {"column": "Hiệu lực chứng nhận đến", "field": "certificate_expires_on"},
        {"column": "Link ảnh sản phẩm", "field": "image_url"},
    ],
)

POSTMART = ChannelPreset(
    name="Postmart",
    slug="postmart",
    seller_portal_url="https://seller.postmart.vn/",
    position=20,
    field_mapping=[
        {"column": "Mã sản phẩm", "field": "sku"},
        {"column": "Tên sản phẩm", "field": "name"},
        {"column": "Giá", "field": "price"},
        {"column": "Tồn kho", "field": "stock"},
        {"column": "Đơn vị", "field": "unit"},
        {"column": "Ngành hàng", "field": "group"},
        {"column": "Nhóm sản phẩm", "field": "subgroup"},
        {"column": "Mô tả", "field": "description"},
        {"column": "Nơi sản xuất", "field": "origin"},
        {"column": "Nhà cung cấp", "field": "producer"},
        {"column": "Sao OCOP", "field": "stars"},
        {"column": "Chứng nhận khác", "field": "certifications"},
        {"column": "Ảnh đại diện", "field": "image_url"},
        {"column": "Link sản phẩm gốc", "field": "product_url"},
    ],
)

CHANNEL_PRESETS: dict[str, ChannelPreset] = {preset.slug: preset for preset in (VOSO, POSTMART)}


def channel_preset_values(preset: ChannelPreset) -> dict:
    """Field values of a Channel made from `preset` (a file channel, active)."""
    return {
        "name": preset.name,
        "kind": "file",
        "seller_portal_url": preset.seller_portal_url,
        "field_mapping": [dict(item) for item in preset.field_mapping],
        "position": preset.position,
        "active": True,
    }
