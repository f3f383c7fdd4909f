"""Demo OCOP market for `seed_demo`: the "Chợ OCOP" page in the main menu, cooperatives and
household businesses of the demo province (Vĩnh Long after the 2025 merger with Bến Tre and Trà
Vinh) and two neighbours, 40+ published OCOP products with Pillow-drawn photos, a product waiting
for approval and a draft, and three accounts: a producer, a marketplace moderator and a buyer.

Every object is found by a natural key (slug, email, image title) before it is created, so a
second run creates nothing and leaves what people changed alone. The shop channels
(channels/demo.py) and the buyer's orders at several stages (demo_orders.py) come last.
"""

import calendar
import datetime
import io
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, Site

from portal.core.demo.content import DEMO_USERS
from portal.core.demo.seed import _font, _lighten, _wrap
from portal.core.models import MainMenu, MainMenuItem
from portal.locations.models import Commune

from .channels.demo import channels_demo_seed
from .demo_orders import marketplace_demo_orders_seed
from .models import (
    MarketplacePage,
    OcopGroup,
    OcopSubgroup,
    Producer,
    ProducerMember,
    ProducerPhoto,
    Product,
    ProductPhoto,
)
from .services.roles import marketplace_roles_ensure

COLLECTION_NAME = "Chợ OCOP"
PAGE_SLUG = "cho-ocop"
DOMAIN = "cds-vinhlong.example"
# (email, password, full name, phone, role); the moderator is the portal's demo moderator.
ACCOUNTS = [
    (f"nongsan@{DOMAIN}", "NongSan@2026", "Nguyễn Văn Tư", "0912000011", "producer"),
    (f"kiemduyet@{DOMAIN}", "KiemDuyet@2026", "Trần Văn Hùng", "0912000003", "moderator"),
    (f"nguoimua@{DOMAIN}", "NguoiMua@2026", "Trần Thị Mỹ Linh", "0912000012", "buyer"),
]
ROLE_LABELS = {
    "producer": "OCOP producer (HTX Bưởi da xanh Chợ Lách)",
    "moderator": "marketplace moderator",
    "buyer": "buyer",
}

# Bank BINs from the VietQR bank list (vietnam-qr-pay); the account numbers are made up.
AGRIBANK, VIETCOMBANK, BIDV, VIETINBANK = "970405", "970436", "970418", "970415"
SACOMBANK, MBBANK, ACB, TECHCOMBANK = "970403", "970422", "970416", "970407"

C = Producer.Kind
# Province 86 is the demo province; `former` is the province before the 2025 merger, whose
# People's Committee signed the older certificates.
PRODUCERS = [
    {
        "slug": "htx-buoi-da-xanh-cho-lach",
        "name": "Hợp tác xã Bưởi da xanh Chợ Lách",
        "kind": C.COOPERATIVE,
        "province": 86,
        "commune": "Xã Chợ Lách",
        "former": "Bến Tre",
        "street": "Ấp Phú Hiệp",
        "phone": "0913456781",
        "tax_code": "1300521005",
        "bank": (AGRIBANK, "7301205123456", "HTX BUOI DA XANH CHO LACH"),
        "color": "#2e7d32",
        "description": (
            "Hợp tác xã gồm 48 thành viên trồng bưởi da xanh trên 65 ha đất phù sa ven sông Cổ "
            "Chiên, canh tác theo tiêu chuẩn VietGAP. Bưởi được tuyển chọn, đóng thùng ngay tại "
            "vườn và giao trong ngày."
        ),
    },
    {
        "slug": "co-so-keo-dua-thanh-long",
        "name": "Cơ sở kẹo dừa Thanh Long",
        "kind": C.HOUSEHOLD,
        "province": 86,
        "commune": "Xã Mỏ Cày",
        "former": "Bến Tre",
        "street": "Ấp Tân Lợi",
        "phone": "0918234567",
        "tax_code": "",
        "bank": (VIETCOMBANK, "1023456789", "NGUYEN THI THANH LONG"),
        "color": "#8d5524",
        "description": (
            "Cơ sở gia đình ba thế hệ nấu kẹo dừa thủ công từ nước cốt dừa tươi, mạch nha và "
            "đường, không chất bảo quản. Kẹo được gói bằng giấy bóng kính và bánh tráng mỏng."
        ),
    },
    {
        "slug": "htx-gao-thom-tra-vinh",
        "name": "Hợp tác xã Gạo thơm Trà Vinh",
        "kind": C.COOPERATIVE,
        "province": 86,
        "commune": "Xã Châu Thành",
        "former": "Trà Vinh",
        "street": "Ấp Đa Hòa Bắc",
        "phone": "0919345678",
        "tax_code": "2100381017",
        "bank": (BIDV, "74510000123456", "HTX GAO THOM TRA VINH"),
        "color": "#b08d2a",
        "description": (
            "Liên kết 120 hộ trồng lúa thơm ST25 và lúa hữu cơ trên cánh đồng lớn, sấy và xay xát "
            "tại chỗ, đóng túi hút chân không để giữ hương thơm."
        ),
    },
    {
        "slug": "co-so-cha-lua-ut-hien",
        "name": "Cơ sở chả lụa Út Hiền",
        "kind": C.HOUSEHOLD,
        "province": 86,
        "commune": "Phường Cái Vồn",
        "former": "Vĩnh Long",
        "street": "Số 27 đường Nguyễn Văn Thảnh",
        "phone": "0917456123",
        "tax_code": "",
        "bank": (VIETINBANK, "108876543210", "LE THI UT HIEN"),
        "color": "#a63d40",
        "description": (
            "Chả lụa Cái Vồn giã tay theo công thức gia truyền từ thịt heo nạc đùi, nước mắm "
            "ngon, gói lá chuối và luộc chín trong ngày."
        ),
    },
    {
        "slug": "htx-mat-ong-thanh-phu",
        "name": "Hợp tác xã Mật ong Thạnh Phú",
        "kind": C.COOPERATIVE,
        "province": 86,
        "commune": "Xã Thạnh Phú",
        "former": "Bến Tre",
        "street": "Ấp Thạnh Hòa",
        "phone": "0916567234",
        "tax_code": "1300611001",
        "bank": (SACOMBANK, "050123456789", "HTX MAT ONG THANH PHU"),
        "color": "#d4a017",
        "description": (
            "Đàn ong nuôi dưới tán rừng đước, rừng bần ven biển và vườn dừa; mật được quay, lọc "
            "và hạ thủy phần tự nhiên, không pha đường."
        ),
    },
    {
        "slug": "cong-ty-nuoc-mam-ba-tri",
        "name": "Công ty TNHH Nước mắm Ba Tri",
        "kind": C.ENTERPRISE,
        "province": 86,
        "commune": "Xã Ba Tri",
        "former": "Bến Tre",
        "street": "Ấp An Thạnh",
        "phone": "0915678345",
        "tax_code": "1300871017",
        "bank": (MBBANK, "0901234567890", "CONG TY TNHH NUOC MAM BA TRI"),
        "color": "#6d4c41",
        "description": (
            "Nước mắm cá cơm ủ chượp trong thùng gỗ từ 12 đến 18 tháng, rút nhĩ tự nhiên; sản "
            "phẩm khô từ tôm, cá của vùng biển Ba Tri."
        ),
    },
    {
        "slug": "tht-banh-trang-my-long",
        "name": "Tổ hợp tác Bánh tráng Mỹ Lồng",
        "kind": C.COOPERATIVE_GROUP,
        "province": 86,
        "commune": "Xã Giồng Trôm",
        "former": "Bến Tre",
        "street": "Ấp Mỹ Lồng",
        "phone": "0914789456",
        "tax_code": "",
        "bank": (ACB, "24681357", "TO HOP TAC BANH TRANG MY LONG"),
        "color": "#c68b59",
        "description": (
            "Mười hai hộ làng nghề Mỹ Lồng, Sơn Đốc tráng bánh bằng bột gạo, nước cốt dừa và mè "
            "rang, phơi nắng trên giàn tre."
        ),
    },
    {
        "slug": "htx-dua-sap-cau-ke",
        "name": "Hợp tác xã Dừa sáp Cầu Kè",
        "kind": C.COOPERATIVE,
        "province": 86,
        "commune": "Xã Cầu Kè",
        "former": "Trà Vinh",
        "street": "Ấp Ô Tưng",
        "phone": "0913890567",
        "tax_code": "2100451017",
        "bank": (TECHCOMBANK, "19034567891011", "HTX DUA SAP CAU KE"),
        "color": "#558b2f",
        "description": (
            "Vùng trồng dừa sáp được công nhận chỉ dẫn địa lý Cầu Kè; dừa được chọn từng trái, "
            "lắc thử cơm sáp trước khi giao."
        ),
    },
    {
        "slug": "co-so-ruou-nep-phu-le",
        "name": "Cơ sở rượu nếp Phú Lễ",
        "kind": C.HOUSEHOLD,
        "province": 86,
        "commune": "Xã Tân Xuân",
        "former": "Bến Tre",
        "street": "Ấp Phú Khương",
        "phone": "0912901678",
        "tax_code": "",
        "bank": (AGRIBANK, "7302205987654", "TRAN VAN LE"),
        "color": "#5d4037",
        "description": (
            "Rượu nếp nấu bằng men lá truyền thống, chưng cất trong nồi đồng và hạ thổ trong chum "
            "sành ít nhất sáu tháng."
        ),
    },
    {
        "slug": "co-so-gom-do-mang-thit",
        "name": "Cơ sở gốm đỏ Mang Thít",
        "kind": C.HOUSEHOLD,
        "province": 86,
        "commune": "Xã Nhơn Phú",
        "former": "Vĩnh Long",
        "street": "Ấp Phú Thạnh",
        "phone": "0919012789",
        "tax_code": "",
        "bank": (VIETCOMBANK, "1029876543", "PHAM VAN GOM"),
        "color": "#bf360c",
        "description": (
            "Lò gốm đỏ bên dòng kênh Thầy Cai, nặn tay và nung bằng lò bao truyền thống của "
            "vương quốc gạch gốm Mang Thít."
        ),
    },
    {
        "slug": "htx-du-lich-cu-lao-an-binh",
        "name": "Hợp tác xã Du lịch cộng đồng cù lao An Bình",
        "kind": C.COOPERATIVE,
        "province": 86,
        "commune": "Xã An Bình",
        "former": "Vĩnh Long",
        "street": "Ấp Bình Hòa",
        "phone": "0918123890",
        "tax_code": "1500411017",
        "bank": (BIDV, "74610000654321", "HTX DU LICH CU LAO AN BINH"),
        "color": "#00796b",
        "description": (
            "Các nhà vườn trên cù lao An Bình đón khách trải nghiệm miệt vườn: hái trái cây, tát "
            "mương bắt cá, làm bánh dân gian và nghỉ homestay."
        ),
    },
    {
        "slug": "htx-xoai-cat-hoa-loc-cai-be",
        "name": "Hợp tác xã Xoài cát Hòa Lộc Cái Bè",
        "kind": C.COOPERATIVE,
        "province": 82,
        "commune": "Xã Cái Bè",
        "former": "Tiền Giang",
        "street": "Ấp Hòa Lộc",
        "phone": "0917234901",
        "tax_code": "1400561001",
        "bank": (AGRIBANK, "7400205112233", "HTX XOAI CAT HOA LOC CAI BE"),
        "color": "#f9a825",
        "description": "Xoài cát Hòa Lộc trồng theo VietGAP, bao trái từ khi còn nhỏ.",
    },
    {
        "slug": "co-so-banh-pia-huong-sen",
        "name": "Cơ sở bánh pía Hương Sen",
        "kind": C.HOUSEHOLD,
        "province": 92,
        "commune": "Phường Sóc Trăng",
        "former": "Sóc Trăng",
        "street": "Số 15 đường Phú Lợi",
        "phone": "0916345012",
        "tax_code": "",
        "bank": (SACOMBANK, "060987654321", "LAM THI HUONG SEN"),
        "color": "#ef6c00",
        "description": "Bánh pía nhân sầu riêng, đậu xanh, trứng muối nướng lò than mỗi ngày.",
    },
]

U = Product.Unit
CERT = Product.Certification
# Products by producer slug: name, sub-group, stars, price (VND), unit, stock, sold, other
# certifications and a description. "cert" marks the certificate cases the demo shows:
# "expiring" (valid for 20 more days) and "expired" (badge off).
PRODUCTS = {
    "htx-buoi-da-xanh-cho-lach": [
        ("Bưởi da xanh Chợ Lách loại 1", "1.1", 4, 75_000, U.FRUIT, 320, 1250,
         [CERT.VIETGAP, CERT.GI], "Trái 1,5–2 kg, múi hồng, ráo nước, vị ngọt thanh."),
        ("Hộp quà bưởi da xanh 2 trái", "1.1", 4, 220_000, U.BOX, 80, 310,
         [CERT.VIETGAP], "Hai trái bưởi chọn lọc trong hộp giấy kraft, kèm thiệp chúc."),
        ("Mứt vỏ bưởi Chợ Lách", "1.3", 3, 45_000, U.BOX, 150, 420, [],
         "Vỏ bưởi ngâm bỏ đắng, sên đường phèn, dẻo thơm."),
        ("Tinh dầu vỏ bưởi nguyên chất 50 ml", "3.3", 3, 95_000, U.BOTTLE, 60, 185, [],
         "Chưng cất từ vỏ bưởi da xanh tươi, dùng xông phòng, dưỡng tóc."),
    ],
    "co-so-keo-dua-thanh-long": [
        ("Kẹo dừa sáp Thanh Long", "1.3", 4, 55_000, U.BOX, 400, 2100, [CERT.HACCP],
         "Kẹo dừa làm từ cơm dừa sáp, béo mềm, hộp 400 g."),
        ("Kẹo dừa sầu riêng", "1.3", 4, 52_000, U.BOX, 260, 980, [],
         "Kẹo dừa truyền thống thêm cơm sầu riêng Ri6, hộp 400 g."),
        ("Kẹo dừa lá dứa ít đường", "1.3", 3, 48_000, U.BOX, 190, 530, [],
         "Giảm 30 % đường, thơm mùi lá dứa tươi."),
        ("Bánh phồng sữa dừa", "1.3", 3, 35_000, U.GRAM_PACK, 220, 640, [],
         "Gói 10 bánh, nướng than hoặc chiên đều ngon."),
        ("Hộp quà kẹo dừa đặc sản Bến Tre", "1.3", 4, 185_000, U.BOX, 70, 215, [CERT.HACCP],
         "Bốn vị kẹo dừa trong hộp tre đan, thích hợp làm quà biếu."),
        ("Cà phê dừa hòa tan 3 trong 1", "2.2", 4, 85_000, U.BOX, 210, 690, [],
         "Cà phê Robusta rang mộc phối bột cốt dừa, hộp 12 gói."),
    ],
    "htx-gao-thom-tra-vinh": [
        ("Gạo thơm ST25 Trà Vinh túi 5 kg", "1.2", 5, 175_000, U.BAG, 500, 3400,
         [CERT.VIETGAP], "Hạt dài, cơm dẻo thơm mùi lá dứa, vụ mùa mới."),
        ("Gạo hữu cơ Trà Vinh", "1.2", 4, 38_000, U.KG, 900, 1500, [CERT.ORGANIC_VN],
         "Canh tác không thuốc trừ sâu hóa học, chứng nhận hữu cơ TCVN 11041."),
        ("Gạo lứt tím than", "1.2", 3, 45_000, U.KG, 300, 460, [],
         "Giàu chất xơ và anthocyanin, hợp thực đơn ăn kiêng."),
        ("Bánh tét lá cẩm Trà Cuôn", "1.3", 4, 80_000, U.PIECE, 0, 720, [],
         "Nếp nhuộm lá cẩm tím, nhân đậu xanh thịt mỡ, trứng muối."),
        ("Cốm dẹp Trà Vinh", "1.3", 3, 60_000, U.GRAM_PACK, 120, 260, [],
         "Cốm dẹp của đồng bào Khmer, giã từ nếp non, trộn dừa nạo.", "expired"),
    ],
    "co-so-cha-lua-ut-hien": [
        ("Chả lụa Cái Vồn", "1.3", 4, 180_000, U.KG, 0, 1340, [],
         "Giã tay, gói lá chuối ba lớp, dai giòn, thơm mùi nước mắm."),
        ("Chả lụa bì", "1.3", 3, 170_000, U.KG, 45, 380, [],
         "Chả lụa trộn bì heo thái sợi, ăn kèm bánh mì, bánh hỏi."),
        ("Nem chua Cái Vồn", "1.3", 3, 60_000, U.GRAM_PACK, 85, 590, [],
         "Gói 10 cái, lên men tự nhiên 2 ngày.", "expiring"),
        ("Lạp xưởng tươi Cái Vồn", "1.3", 3, 220_000, U.KG, 40, 275, [],
         "Thịt nạc vai, mỡ phần, rượu mai quế lộ, phơi nắng."),
    ],
    "htx-mat-ong-thanh-phu": [
        ("Mật ong rừng ngập mặn Thạnh Phú 500 ml", "1.3", 4, 250_000, U.BOTTLE, 110, 640,
         [CERT.ORGANIC_VN], "Mật hoa đước, bần, mắm; vị ngọt đậm, hậu chát nhẹ."),
        ("Mật ong hoa dừa 500 ml", "1.3", 4, 180_000, U.BOTTLE, 150, 830, [],
         "Màu vàng sáng, thơm nhẹ mùi hoa dừa."),
        ("Phấn hoa ong", "3.1", 3, 160_000, U.JAR, 70, 190, [],
         "Phấn hoa sấy lạnh, hũ 250 g."),
        ("Sữa ong chúa tươi", "3.1", 3, 320_000, U.JAR, 3, 95, [],
         "Hũ 100 g, bảo quản ngăn đá."),
    ],
    "cong-ty-nuoc-mam-ba-tri": [
        ("Nước mắm cá cơm nhĩ 40 độ đạm", "1.4", 4, 125_000, U.BOTTLE, 340, 1780,
         [CERT.HACCP, CERT.ISO22000], "Rút nhĩ từ thùng gỗ ủ 18 tháng, chai thủy tinh 500 ml."),
        ("Nước mắm truyền thống Ba Tri 30 độ đạm", "1.4", 3, 75_000, U.BOTTLE, 0, 2400,
         [CERT.HACCP], "Cá cơm và muối, không chất điều vị, chai 1 lít."),
        ("Mắm tép Ba Tri", "1.4", 3, 65_000, U.JAR, 95, 410, [],
         "Tép đồng ủ muối và thính, hũ 500 g."),
        ("Tôm khô Ba Tri loại đặc biệt", "1.2", 4, 850_000, U.KG, 25, 160, [],
         "Tôm đất phơi nắng, đỏ tự nhiên, không phẩm màu."),
    ],
    "tht-banh-trang-my-long": [
        ("Bánh tráng Mỹ Lồng", "1.3", 4, 40_000, U.GRAM_PACK, 500, 2600, [CERT.TRADEMARK],
         "Bánh tráng nước cốt dừa, mè đen; xấp 10 cái."),
        ("Bánh tráng sữa dừa", "1.3", 3, 45_000, U.GRAM_PACK, 260, 880, [],
         "Bánh tráng ngọt nướng giòn, thơm béo."),
        ("Bánh phồng Sơn Đốc", "1.3", 4, 50_000, U.GRAM_PACK, 310, 1450, [CERT.TRADEMARK],
         "Nếp, dừa, đường thốt nốt; nướng than phồng đều."),
    ],
    "htx-dua-sap-cau-ke": [
        ("Dừa sáp Cầu Kè loại 1", "1.1", 4, 150_000, U.FRUIT, 140, 520, [CERT.GI],
         "Cơm dừa dày, dẻo như sáp, nước sánh; chọn từng trái."),
        ("Kem dừa sáp", "1.3", 3, 65_000, U.BOX, 0, 300, [],
         "Kem làm từ cơm dừa sáp tươi, hộp 500 ml, giao lạnh."),
        ("Dầu dừa tinh khiết ép lạnh", "3.2", 3, 90_000, U.BOTTLE, 130, 410, [],
         "Ép lạnh từ dừa khô, dưỡng da, dưỡng tóc; chai 250 ml."),
        ("Cà phê cốt dừa sáp đóng chai", "2.2", 3, 35_000, U.BOTTLE, 0, 150, [],
         "Cà phê phin pha sẵn với cốt dừa sáp, chai 250 ml, giao lạnh."),
    ],
    "co-so-ruou-nep-phu-le": [
        ("Rượu nếp Phú Lễ 40 độ", "2.1", 4, 120_000, U.BOTTLE, 200, 760, [],
         "Nếp than, men lá, hạ thổ sáu tháng; chai 750 ml."),
        ("Rượu dừa Phú Lễ", "2.1", 3, 150_000, U.BOTTLE, 90, 340, [],
         "Rượu nếp ngâm trong trái dừa xiêm, quà tặng đặc trưng xứ dừa."),
    ],
    "co-so-gom-do-mang-thit": [
        ("Bình gốm đỏ Mang Thít", "5.3", 3, 350_000, U.PIECE, 30, 85, [],
         "Bình cắm hoa cao 35 cm, gốm đỏ mộc nung lò bao."),
        ("Chậu gốm đỏ trang trí", "5.3", 3, 180_000, U.PIECE, 55, 140, [],
         "Chậu trồng cây đường kính 30 cm, hoa văn khắc tay."),
        ("Bộ ấm trà gốm đỏ", "5.3", 4, 450_000, U.SET, 20, 60, [],
         "Một ấm, sáu chén, một khay; men mộc giữ nhiệt."),
    ],
    "htx-du-lich-cu-lao-an-binh": [
        ("Tour trải nghiệm miệt vườn cù lao An Bình 1 ngày", "6.1", 4, 550_000, U.SERVICE,
         40, 230, [], "Đi xuồng, hái trái cây, tát mương bắt cá, ăn trưa tại nhà vườn."),
        ("Homestay nhà vườn An Bình 1 đêm", "6.1", 3, 450_000, U.SERVICE, 12, 190, [],
         "Phòng đôi trong vườn chôm chôm, kèm bữa sáng và xe đạp."),
    ],
    "htx-xoai-cat-hoa-loc-cai-be": [
        ("Xoài cát Hòa Lộc", "1.1", 5, 90_000, U.KG, 260, 1900, [CERT.VIETGAP, CERT.GI],
         "Trái 400–600 g, thịt vàng mịn, thơm ngọt đậm."),
        ("Trà mãng cầu xiêm", "2.2", 3, 55_000, U.BOX, 150, 420, [],
         "Mãng cầu xiêm sấy lạnh, pha trà mát, hộp 20 gói."),
    ],
    "co-so-banh-pia-huong-sen": [
        ("Bánh pía sầu riêng trứng muối", "1.3", 4, 95_000, U.BOX, 180, 1150, [],
         "Hộp 4 bánh, vỏ ngàn lớp, nhân sầu riêng và trứng muối."),
        ("Lạp xưởng tôm Sóc Trăng", "1.3", 3, 240_000, U.KG, 60, 330, [],
         "Lạp xưởng thịt heo trộn tôm đất, phơi nắng."),
        ("Hạt hướng dương rang bơ dừa", "1.3", 3, 40_000, U.GRAM_PACK, 140, 260, [],
         "Hạt hướng dương rang với bơ dừa, gói 250 g."),
    ],
}  # fmt: skip

# Two products a moderator finds in the queue (submitted) and a producer still preparing (draft).
UNPUBLISHED = [
    ("htx-buoi-da-xanh-cho-lach", "Bưởi da xanh sấy dẻo", "1.3", 3, 65_000, U.GRAM_PACK, 100,
     Product.Status.SUBMITTED, "Múi bưởi sấy dẻo ở 50 °C, không đường hóa học."),
    ("htx-buoi-da-xanh-cho-lach", "Nước ép bưởi da xanh đóng chai", "2.2", 3, 30_000,
     U.BOTTLE, 0, Product.Status.DRAFT, "Nước ép bưởi nguyên chất, chai 330 ml."),
]  # fmt: skip

PAGE_INTRO = (
    "<p>Sản phẩm OCOP đạt 3, 4 và 5 sao của tỉnh Vĩnh Long và các tỉnh lân cận, mua trực tiếp "
    "từ hợp tác xã, doanh nghiệp và hộ kinh doanh: thanh toán khi nhận hàng hoặc chuyển khoản "
    "VietQR. Mỗi sản phẩm có mã QR truy xuất nguồn gốc.</p>"
)


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return datetime.date(year, month + 1, day)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    return _months_ago(day, -months)


def _slug(text: str) -> str:
    """ "Bưởi da xanh Chợ Lách" -> "buoi-da-xanh-cho-lach" (đ has no decomposition)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in folded).split())[:200]


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def _initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper()


def _photo(*, title: str, label: str, color: str, size: tuple[int, int], collection, report):
    """A square (or banner) with the initials and the name drawn on it, by Pillow: no download.
    Found again by title, so a second run draws nothing."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title, collection=collection).first()
    if existing is not None:
        report.count("images", False)
        return existing
    width, height = size
    img = PILImage.new("RGB", size, color)
    draw = ImageDraw.Draw(img)
    for i in range(-height, width, 90):  # light stripes so photos are not flat blocks
        draw.line([(i, height), (i + height, 0)], fill=_lighten(color, 0.1), width=26)
    big = _font(height // 3)
    initials = _initials(label)
    box = draw.textbbox((0, 0), initials, font=big)
    draw.text(((width - (box[2] - box[0])) // 2, height // 6), initials, font=big, fill="white")
    small = _font(max(28, height // 16))
    lines = _wrap(draw, label, small, width - 80)[:3]
    y = height - 60 - len(lines) * (small.size + 12)
    for line in lines:
        line_width = draw.textlength(line, font=small)
        draw.text(((width - line_width) // 2, y), line, font=small, fill="white")
        y += small.size + 12
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    image = image_model(title=title, collection=collection)
    image.file = ImageFile(buffer, name=f"{_slug(label)[:60] or 'ocop'}.png")
    image.save()
    report.count("images", True)
    return image


def _accounts(report) -> dict:
    user_model = get_user_model()
    moderators = marketplace_roles_ensure()
    portal_passwords = {spec["email"]: spec["password"] for spec in DEMO_USERS}
    accounts = {}
    for email, password, name, phone, role in ACCOUNTS:
        password = portal_passwords.get(email, password)
        user = user_model.objects.filter(email=email).first()
        created = user is None
        if created:
            user = user_model.objects.create_user(email, password, full_name=name, phone=phone)
        report.count("users", created)
        if role == "moderator":
            user.groups.add(moderators)
        report.accounts.append((email, password, ROLE_LABELS[role]))
        accounts[role] = user
    return accounts


def _page(report) -> MarketplacePage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    existing = MarketplacePage.objects.first()
    if existing is not None:
        report.count("pages", False)
        return existing
    page = MarketplacePage(
        title="Chợ OCOP",
        slug=PAGE_SLUG,
        intro=PAGE_INTRO,
        search_description="Mua sản phẩm OCOP chính gốc từ các chủ thể OCOP tỉnh Vĩnh Long.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    report.count("pages", True)
    menu = MainMenu.for_site(site)
    if not menu.items.filter(page=page).exists():
        menu.items.add(MainMenuItem(page=page, sort_order=menu.items.count()))
        menu.save()
    return page


def _producers(collection, owner, moderator, report) -> dict[str, Producer]:
    producers = {}
    now = timezone.now()
    for index, spec in enumerate(PRODUCERS):
        producer = Producer.objects.filter(slug=spec["slug"]).first()
        created = producer is None
        if created:
            commune = Commune.objects.get(province_id=spec["province"], name=spec["commune"])
            bank_bin, account_number, account_name = spec["bank"]
            producer = Producer(
                name=spec["name"],
                slug=spec["slug"],
                kind=spec["kind"],
                tax_code=spec["tax_code"],
                province_id=spec["province"],
                commune=commune,
                street_address=spec["street"],
                phone=spec["phone"],
                email=f"{spec['slug'].replace('-', '')[:30]}@{DOMAIN}",
                description=spec["description"],
                bank_bin=bank_bin,
                bank_account_number=account_number,
                bank_account_name=account_name,
                status=Producer.Status.VERIFIED,
                verified_at=now - datetime.timedelta(days=200 - index * 7),
                verified_by=moderator,
                created_by=owner if index == 0 else None,
            )
            producer.full_clean()
            producer.save()
            image = _photo(
                title=f"Chủ thể OCOP – {spec['name']}",
                label=spec["name"],
                color=spec["color"],
                size=(1200, 675),
                collection=collection,
                report=report,
            )
            ProducerPhoto.objects.create(producer=producer, image=image, position=0)
        report.count("producers", created)
        producers[spec["slug"]] = producer
    ProducerMember.objects.get_or_create(
        producer=producers[PRODUCERS[0]["slug"]],
        user=owner,
        defaults={"role": ProducerMember.Role.OWNER},
    )
    return producers


def _authority(stars: int, decided_on: datetime.date, former: str) -> str:
    """Who signs: the Ministry for 5 stars, the province for 3 and 4 (Decision 148/2023 and
    1489/2025); before the July 2025 merger, the former province."""
    if stars == 5:
        if decided_on < datetime.date(2025, 3, 1):
            return "Bộ Nông nghiệp và Phát triển nông thôn"
        return "Bộ Nông nghiệp và Môi trường"
    if decided_on >= datetime.date(2025, 7, 1) and former in {"Bến Tre", "Trà Vinh"}:
        return "Ủy ban nhân dân tỉnh Vĩnh Long"
    return f"Ủy ban nhân dân tỉnh {former}"


def _product(*, producer, spec, row, index, status, collection, moderator, report, today, now):
    name, subgroup_code, stars, price, unit, stock, sold, certifications, description = row[:9]
    case = row[9] if len(row) > 9 else ""
    slug = _slug(name)
    product = Product.objects.filter(slug=slug).first()
    if product is not None:
        report.count("products", False)
        return product
    subgroup = OcopSubgroup.objects.get(code=subgroup_code)
    valid_months = settings.OCOP_CERTIFICATE_VALID_MONTHS
    if case == "expiring":
        expires = today + datetime.timedelta(days=20)
        decided = _months_ago(expires, valid_months)
    elif case == "expired":
        expires = today - datetime.timedelta(days=45)
        decided = _months_ago(expires, valid_months)
    else:
        decided = today - datetime.timedelta(days=90 + (index * 37) % 700)
        expires = _add_months(decided, valid_months)
    authority = _authority(stars, decided, spec["former"])
    number = f"{1200 + index * 17}/QĐ-{'BNNMT' if stars == 5 else 'UBND'}"
    published = status == Product.Status.PUBLISHED
    product = Product(
        producer=producer,
        name=name,
        slug=slug,
        group=OcopGroup.objects.get(pk=subgroup.group_id),
        subgroup=subgroup,
        stars=stars,
        potential_five_star=stars == 4 and index % 9 == 0,
        certificate_number=number,
        certificate_date=decided,
        certificate_authority=authority,
        certificate_expires_on=expires,
        ocop_active=published and expires >= today,
        expiry_notice_sent_on=None,
        price=price,
        unit=unit,
        stock=stock,
        description=description,
        origin_commune=producer.commune,
        province_id=producer.province_id,
        other_certifications=[str(c) for c in certifications],
        status=status,
        submitted_at=now - datetime.timedelta(days=index + 3) if status != "draft" else None,
        moderated_at=now - datetime.timedelta(days=index + 2) if published else None,
        moderated_by=moderator if published else None,
        published_at=now - datetime.timedelta(days=index, hours=index % 7) if published else None,
    )
    product.full_clean()
    product.sold_count = sold
    product.save()
    for position in range(2 if index < 3 else 1):
        label = name if position == 0 else f"{name} – {producer.name}"
        image = _photo(
            title=f"Sản phẩm OCOP – {name}" + (f" ({position + 1})" if position else ""),
            label=label,
            color=spec["color"] if position == 0 else _lighten(spec["color"], 0.25),
            size=(800, 800),
            collection=collection,
            report=report,
        )
        ProductPhoto.objects.create(product=product, image=image, position=position)
    report.count("products", True)
    return product


@transaction.atomic
def marketplace_demo_seed(*, report) -> MarketplacePage:
    """Creates the demo OCOP market (see the module docstring); a second run creates nothing."""
    accounts = _accounts(report)
    page = _page(report)
    collection = _collection()
    producers = _producers(collection, accounts["producer"], accounts["moderator"], report)
    specs = {spec["slug"]: spec for spec in PRODUCERS}
    today, now = timezone.localdate(), timezone.now()
    index = 0
    for slug, rows in PRODUCTS.items():
        for row in rows:
            _product(
                producer=producers[slug],
                spec=specs[slug],
                row=row,
                index=index,
                status=Product.Status.PUBLISHED,
                collection=collection,
                moderator=accounts["moderator"],
                report=report,
                today=today,
                now=now,
            )
            index += 1
    for slug, name, subgroup, stars, price, unit, stock, status, description in UNPUBLISHED:
        _product(
            producer=producers[slug],
            spec=specs[slug],
            row=(name, subgroup, stars, price, unit, stock, 0, [], description),
            index=index,
            status=status,
            collection=collection,
            moderator=accounts["moderator"],
            report=report,
            today=today,
            now=now,
        )
        index += 1
    channels_demo_seed()
    marketplace_demo_orders_seed(buyer=accounts["buyer"], report=report)
    return page
