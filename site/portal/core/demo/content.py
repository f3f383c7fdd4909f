"""Demo content for the provincial digital-transformation (CĐS) portal.

Pure data, no Django imports: the demo loader turns these structures into units, pages, form
fields and accounts. All user-visible text is Vietnamese; figures are province targets only.
"""

# The provincial People's Committee: root of the organisation tree.
PROVINCE_UNIT = {
    "name": "Ủy ban nhân dân tỉnh Vĩnh Long",
    "code": "ubnd-tinh-vinh-long",
    "province_code": 86,
}

# Departments, boards and agencies of the province after the 2025 reorganisation (exactly 18).
# Offices are plain names: they are created under their department but are not addressable by code.
DEPARTMENTS = [
    {
        "name": "Văn phòng Ủy ban nhân dân tỉnh",
        "code": "van-phong-ubnd-tinh",
        "offices": [
            "Phòng Kiểm soát thủ tục hành chính",
            "Trung tâm Phục vụ hành chính công",
            "Phòng Hành chính – Tổ chức",
        ],
    },
    {
        "name": "Sở Nội vụ",
        "code": "so-noi-vu",
        "offices": ["Phòng Cải cách hành chính", "Phòng Lao động – Việc làm"],
    },
    {
        "name": "Sở Tài chính",
        "code": "so-tai-chinh",
        "offices": ["Phòng Quản lý ngân sách", "Phòng Đăng ký kinh doanh"],
    },
    {
        "name": "Sở Tư pháp",
        "code": "so-tu-phap",
        "offices": ["Phòng Hành chính tư pháp", "Trung tâm Trợ giúp pháp lý nhà nước"],
    },
    {
        "name": "Sở Công Thương",
        "code": "so-cong-thuong",
        "offices": ["Phòng Quản lý thương mại", "Trung tâm Khuyến công và Xúc tiến thương mại"],
    },
    {
        "name": "Sở Nông nghiệp và Môi trường",
        "code": "so-nong-nghiep-va-moi-truong",
        "offices": ["Văn phòng Đăng ký đất đai", "Phòng Phát triển nông thôn"],
    },
    {
        "name": "Sở Xây dựng",
        "code": "so-xay-dung",
        "offices": ["Phòng Quản lý hạ tầng kỹ thuật"],
    },
    {
        "name": "Sở Khoa học và Công nghệ",
        "code": "so-khoa-hoc-va-cong-nghe",
        "offices": [
            "Phòng Chuyển đổi số",
            "Phòng Bưu chính, Viễn thông",
            "Trung tâm Công nghệ thông tin và Truyền thông",
        ],
    },
    {
        "name": "Sở Giáo dục và Đào tạo",
        "code": "so-giao-duc-va-dao-tao",
        "offices": [
            "Phòng Giáo dục phổ thông",
            "Phòng Giáo dục nghề nghiệp và Giáo dục thường xuyên",
        ],
    },
    {
        "name": "Sở Y tế",
        "code": "so-y-te",
        "offices": ["Phòng Nghiệp vụ Y", "Phòng Bảo trợ xã hội"],
    },
    {
        "name": "Sở Văn hóa, Thể thao và Du lịch",
        "code": "so-van-hoa-the-thao-va-du-lich",
        "offices": ["Phòng Quản lý du lịch", "Phòng Báo chí, Xuất bản"],
    },
    {
        "name": "Sở Dân tộc và Tôn giáo",
        "code": "so-dan-toc-va-ton-giao",
        "offices": ["Phòng Chính sách dân tộc", "Phòng Quản lý tôn giáo"],
    },
    {
        "name": "Sở Ngoại vụ",
        "code": "so-ngoai-vu",
        "offices": [],
    },
    {
        "name": "Thanh tra tỉnh",
        "code": "thanh-tra-tinh",
        "offices": ["Phòng Tiếp công dân và Xử lý đơn"],
    },
    {
        "name": "Ban Quản lý các khu công nghiệp",
        "code": "ban-quan-ly-cac-khu-cong-nghiep",
        "offices": ["Phòng Quản lý doanh nghiệp"],
    },
    {
        "name": "Công an tỉnh",
        "code": "cong-an-tinh",
        "offices": ["Phòng Cảnh sát quản lý hành chính về trật tự xã hội"],
    },
    {
        "name": "Báo và Phát thanh, Truyền hình Vĩnh Long",
        "code": "bao-va-phat-thanh-truyen-hinh",
        "offices": [],
    },
    {
        "name": "Bảo hiểm xã hội tỉnh",
        "code": "bao-hiem-xa-hoi-tinh",
        "offices": [],
    },
]

# District-level areas named after Vĩnh Long's former district-level units (exactly 8).
AREAS = [
    {"name": "Khu vực Thành phố Vĩnh Long", "code": "kv-thanh-pho-vinh-long"},
    {"name": "Khu vực Bình Minh", "code": "kv-binh-minh"},
    {"name": "Khu vực Long Hồ", "code": "kv-long-ho"},
    {"name": "Khu vực Mang Thít", "code": "kv-mang-thit"},
    {"name": "Khu vực Vũng Liêm", "code": "kv-vung-liem"},
    {"name": "Khu vực Tam Bình", "code": "kv-tam-binh"},
    {"name": "Khu vực Trà Ôn", "code": "kv-tra-on"},
    {"name": "Khu vực Bình Tân", "code": "kv-binh-tan"},
]

# How many of the province's communes/wards get a "UBND xã/phường ..." unit in the demo.
COMMUNE_SAMPLE_SIZE = 12

CATEGORIES = [
    {"name": "Chuyển đổi số", "slug": "chuyen-doi-so"},
    {"name": "Dịch vụ công trực tuyến", "slug": "dich-vu-cong-truc-tuyen"},
    {"name": "Kinh tế số", "slug": "kinh-te-so"},
    {"name": "Xã hội số", "slug": "xa-hoi-so"},
    {"name": "Đào tạo kỹ năng số", "slug": "dao-tao-ky-nang-so"},
]

# News articles, newest first. Body blocks are (block type, value) pairs for the page StreamField.
ARTICLES = [
    {
        "title": (
            "Vĩnh Long đẩy mạnh dịch vụ công trực tuyến toàn trình sau sắp xếp chính quyền hai cấp"
        ),
        "slug": "vinh-long-day-manh-dich-vu-cong-truc-tuyen-toan-trinh",
        "lead": (
            "Sau khi vận hành mô hình chính quyền địa phương hai cấp, tỉnh Vĩnh Long tiếp tục rà "
            "soát, tái cấu trúc quy trình để người dân, doanh nghiệp có thể nộp hồ sơ, theo dõi và "
            "nhận kết quả hoàn toàn trên môi trường mạng."
        ),
        "category": "dich-vu-cong-truc-tuyen",
        "tags": ["dịch vụ công", "cải cách hành chính", "chính quyền hai cấp"],
        "author": "Minh Thư",
        "publish_date": "2026-11-18",
        "image": {"label": "Dịch vụ toàn trình", "color": "#0b5cad"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Thực hiện mô hình chính quyền địa phương hai cấp, Ủy ban nhân dân tỉnh "
                    "Vĩnh Long yêu cầu các sở, ban, ngành và Ủy ban nhân dân các xã, phường tiếp "
                    "tục rà soát danh mục thủ tục hành chính, ưu tiên cung cấp dịch vụ công trực "
                    "tuyến toàn trình đối với các thủ tục có số lượng hồ sơ lớn như đăng ký hộ "
                    "tịch, cấp phiếu lý lịch tư pháp, đăng ký hộ kinh doanh và chứng thực bản sao "
                    "điện tử.</p>"
                ),
            ),
            ("heading", "Tái cấu trúc quy trình, giảm thành phần hồ sơ"),
            (
                "paragraph",
                (
                    "<p>Các cơ quan chủ trì đang tập trung số hóa hồ sơ, kết quả giải quyết thủ "
                    "tục hành chính và kết nối với Cơ sở dữ liệu quốc gia về dân cư. Khi thông tin "
                    "đã có trong cơ sở dữ liệu, người dân không phải kê khai lại hoặc nộp bản sao "
                    "giấy tờ.</p><ul><li>Tiếp nhận hồ sơ không phụ thuộc địa giới hành chính tại "
                    "Trung tâm Phục vụ hành chính công tỉnh và bộ phận một cửa cấp "
                    "xã.</li><li>Thanh toán phí, lệ phí trực tuyến qua Cổng Dịch vụ công quốc "
                    "gia.</li><li>Trả kết quả điện tử có giá trị pháp lý như bản giấy.</li></ul>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Mục tiêu là người dân chỉ cần một tài khoản định danh điện tử để thực "
                        "hiện thủ tục ở bất kỳ đâu, vào bất kỳ thời điểm nào."
                    ),
                    "attribution": "Đại diện Trung tâm Phục vụ hành chính công tỉnh",
                },
            ),
            ("heading", "Mục tiêu đến cuối năm 2026"),
            (
                "paragraph",
                (
                    "<p>Tỉnh phấn đấu trên 80% hồ sơ thủ tục hành chính được tiếp nhận và giải "
                    "quyết trực tuyến, đồng thời nâng cao mức độ hài lòng của người dân, doanh "
                    "nghiệp đối với sự phục vụ của cơ quan hành chính nhà nước.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Tổ công nghệ số cộng đồng đồng hành cùng người dân trên từng ấp, khóm",
        "slug": "to-cong-nghe-so-cong-dong-dong-hanh-cung-nguoi-dan",
        "lead": (
            "Các tổ công nghệ số cộng đồng tại xã, phường đang trở thành “cánh tay nối dài” của "
            "chính quyền, trực tiếp hướng dẫn người dân cài đặt ứng dụng, nộp hồ sơ trực tuyến và "
            "nhận diện lừa đảo trên không gian mạng."
        ),
        "category": "xa-hoi-so",
        "tags": ["tổ công nghệ số", "xã hội số", "kỹ năng số"],
        "author": "Ngọc Hân",
        "publish_date": "2026-11-12",
        "image": {"label": "Tổ công nghệ số", "color": "#0f5132"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Mỗi tổ công nghệ số cộng đồng gồm cán bộ ấp, khóm, đoàn viên thanh niên, "
                    "hội viên phụ nữ và những người am hiểu công nghệ tại địa phương. Tổ hoạt động "
                    "theo hình thức tình nguyện, gắn với sinh hoạt của khu dân cư.</p>"
                ),
            ),
            ("heading", "Hướng dẫn tận nhà, “cầm tay chỉ việc”"),
            (
                "paragraph",
                (
                    "<p>Tại nhiều ấp thuộc khu vực Vũng Liêm, Trà Ôn, thành viên tổ đến từng hộ "
                    "gia đình để hỗ trợ:</p><ul><li>kích hoạt tài khoản định danh điện tử "
                    "VNeID;</li><li>cài đặt ứng dụng ngân hàng và thanh toán bằng mã "
                    "QR;</li><li>tra cứu, nộp hồ sơ trên Cổng Dịch vụ công quốc gia;</li><li>nhận "
                    "diện tin nhắn, cuộc gọi giả mạo cơ quan nhà nước.</li></ul>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Trước đây tôi phải nhờ con cháu làm giúp, giờ tôi tự đăng ký khai sinh "
                        "cho cháu nội trên điện thoại được rồi."
                    ),
                    "attribution": "Bà Trần Thị Lệ, người dân khu vực Tam Bình",
                },
            ),
            ("heading", "Nâng cao năng lực cho thành viên tổ"),
            (
                "paragraph",
                (
                    "<p>Sở Khoa học và Công nghệ phối hợp với Ủy ban nhân dân các xã, phường tổ "
                    "chức tập huấn định kỳ, cập nhật kiến thức về nền tảng số, dịch vụ công và an "
                    "toàn thông tin cho thành viên tổ. Tỉnh phấn đấu mỗi ấp, khóm đều có tổ công "
                    "nghệ số cộng đồng hoạt động thường xuyên, hiệu quả.</p>"
                ),
            ),
        ],
    },
    {
        "title": (
            "Kích hoạt tài khoản định danh điện tử mức độ 2 để làm thủ tục trực tuyến thuận tiện "
            "hơn"
        ),
        "slug": "kich-hoat-tai-khoan-dinh-danh-dien-tu-muc-do-2",
        "lead": (
            "Tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID giúp người dân đăng nhập "
            "Cổng Dịch vụ công quốc gia, sử dụng giấy tờ điện tử tích hợp và hạn chế xuất trình "
            "giấy tờ bản giấy."
        ),
        "category": "dich-vu-cong-truc-tuyen",
        "tags": ["vneid", "định danh điện tử", "dịch vụ công"],
        "author": "Hoàng Nam",
        "publish_date": "2026-11-05",
        "image": {"label": "Tài khoản VNeID", "color": "#8a1538"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Tài khoản định danh điện tử do Bộ Công an cấp, gồm hai mức độ. Tài khoản "
                    "mức độ 2 được xác thực bằng thẻ căn cước gắn chip và thông tin sinh trắc học, "
                    "có giá trị tương đương việc xuất trình thẻ căn cước khi thực hiện giao "
                    "dịch.</p>"
                ),
            ),
            ("heading", "Đăng ký ở đâu?"),
            (
                "paragraph",
                (
                    "<p>Người dân đến Công an xã, phường nơi cư trú hoặc điểm cấp căn cước gần "
                    "nhất, mang theo thẻ căn cước và điện thoại di động dùng số thuê bao chính "
                    "chủ. Sau khi hồ sơ được phê duyệt, người dân nhận tin nhắn và tự kích hoạt "
                    "tài khoản trên ứng dụng VNeID.</p>"
                ),
            ),
            ("heading", "Những tiện ích nổi bật"),
            (
                "paragraph",
                (
                    "<ul><li>Đăng nhập một lần vào Cổng Dịch vụ công quốc gia và Hệ thống thông "
                    "tin giải quyết thủ tục hành chính của tỉnh.</li><li>Tích hợp giấy phép lái "
                    "xe, thẻ bảo hiểm y tế, đăng ký xe để xuất trình khi cần.</li><li>Thông báo "
                    "lưu trú, đăng ký thường trú, tạm trú trực tuyến.</li></ul>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p><b>Lưu ý:</b> cơ quan nhà nước không gọi điện đề nghị người dân cài đặt "
                    "ứng dụng lạ hoặc cung cấp mật khẩu, mã OTP. Chỉ tải ứng dụng VNeID từ kho ứng "
                    "dụng chính thức.</p>"
                ),
            ),
        ],
    },
    {
        "title": (
            "Thanh toán không dùng tiền mặt lan tỏa từ chợ truyền thống đến bệnh viện, trường học"
        ),
        "slug": "thanh-toan-khong-dung-tien-mat-lan-toa",
        "lead": (
            "Mã QR xuất hiện ngày càng nhiều tại sạp hàng, cơ sở khám chữa bệnh và trường học, cho "
            "thấy thói quen thanh toán không dùng tiền mặt đang dần hình thành trong đời sống "
            "người dân Vĩnh Long."
        ),
        "category": "kinh-te-so",
        "tags": ["thanh toán số", "kinh tế số", "mã qr"],
        "author": "Thanh Tâm",
        "publish_date": "2026-10-29",
        "image": {"label": "Thanh toán mã QR", "color": "#7a2e0e"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Cùng với các ngân hàng thương mại trên địa bàn, tỉnh triển khai mô hình "
                    "“Chợ 4.0”, khuyến khích tiểu thương mở tài khoản thanh toán và dùng mã QR để "
                    "nhận tiền. Nhiều cơ sở y tế, trường học cũng đã thu viện phí, học phí qua tài "
                    "khoản ngân hàng.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Khách quét mã là tiền về tài khoản ngay, không phải thối tiền lẻ, cuối "
                        "ngày cũng dễ cộng sổ hơn."
                    ),
                    "attribution": "Chị Ngọc Hà, tiểu thương chợ Vĩnh Long",
                },
            ),
            ("heading", "Chi trả an sinh xã hội qua tài khoản"),
            (
                "paragraph",
                (
                    "<p>Việc chi trả trợ cấp xã hội, lương hưu qua tài khoản ngân hàng giúp người "
                    "thụ hưởng nhận tiền nhanh chóng, giảm chi phí đi lại và bảo đảm minh bạch. "
                    "Các tổ công nghệ số cộng đồng hỗ trợ người cao tuổi mở tài khoản và sử dụng "
                    "dịch vụ an toàn.</p>"
                ),
            ),
            ("heading", "Cảnh giác với thủ đoạn lừa đảo"),
            (
                "paragraph",
                (
                    "<p>Người dân cần kiểm tra kỹ tên người nhận trước khi chuyển khoản, <b>không "
                    "chia sẻ mã OTP</b> và không nhấp vào đường dẫn lạ gửi qua tin nhắn. Khi nghi "
                    "ngờ bị lừa đảo, hãy liên hệ ngay với ngân hàng và cơ quan công an gần "
                    "nhất.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Phổ cập chữ ký số cá nhân, tạo thuận lợi cho giao dịch điện tử",
        "slug": "pho-cap-chu-ky-so-ca-nhan",
        "lead": (
            "Chữ ký số giúp người dân, doanh nghiệp ký hồ sơ điện tử có giá trị pháp lý mà không "
            "cần in ấn, góp phần rút ngắn thời gian thực hiện thủ tục hành chính."
        ),
        "category": "chuyen-doi-so",
        "tags": ["chữ ký số", "giao dịch điện tử"],
        "author": "Ban Biên tập",
        "publish_date": "2026-10-22",
        "image": {"label": "Chữ ký số", "color": "#1d4e89"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Theo Luật Giao dịch điện tử năm 2023, chữ ký số bảo đảm an toàn có giá trị "
                    "pháp lý như chữ ký tay. Người dân có thể dùng chữ ký số từ xa trên điện thoại "
                    "để ký tờ khai, hồ sơ dịch vụ công trực tuyến và hợp đồng điện tử.</p>"
                ),
            ),
            ("heading", "Ưu tiên nhóm thường xuyên giao dịch"),
            (
                "paragraph",
                (
                    "<p>Tỉnh khuyến khích các tổ chức cung cấp dịch vụ chứng thực chữ ký số phối "
                    "hợp với Ủy ban nhân dân cấp xã hỗ trợ hộ kinh doanh, người lao động tự do và "
                    "học sinh, sinh viên đăng ký chữ ký số. Đối với cán bộ, công chức, chữ ký số "
                    "chuyên dùng công vụ đã được sử dụng rộng rãi trong xử lý văn bản và hồ sơ "
                    "công việc.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Ký số giúp văn bản đi nhanh hơn, không còn cảnh chờ trình ký giấy giữa "
                        "các cơ quan."
                    ),
                    "attribution": "Một chuyên viên Văn phòng Ủy ban nhân dân tỉnh",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Khi sử dụng chữ ký số, người dùng cần bảo mật thiết bị, mã PIN và chỉ cài "
                    "đặt ứng dụng của tổ chức cung cấp dịch vụ đã được cấp phép.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã sau sắp xếp đơn vị hành chính",
        "slug": "boi-duong-ky-nang-so-cho-can-bo-cap-xa",
        "lead": (
            "Nhiều lớp bồi dưỡng kỹ năng số được tổ chức cho cán bộ, công chức xã, phường nhằm bảo "
            "đảm vận hành thông suốt các hệ thống quản lý văn bản và giải quyết thủ tục hành chính "
            "trong mô hình chính quyền hai cấp."
        ),
        "category": "dao-tao-ky-nang-so",
        "tags": ["kỹ năng số", "cán bộ công chức", "đào tạo"],
        "author": "Phương Uyên",
        "publish_date": "2026-10-15",
        "image": {"label": "Bồi dưỡng cán bộ", "color": "#5b2a86"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Sau sắp xếp, khối lượng công việc tại cấp xã tăng đáng kể, nhất là trong "
                    "tiếp nhận và giải quyết thủ tục hành chính. Vì vậy, nâng cao kỹ năng số cho "
                    "đội ngũ cán bộ, công chức là yêu cầu cấp thiết.</p>"
                ),
            ),
            ("heading", "Nội dung thiết thực, gắn với công việc"),
            (
                "paragraph",
                (
                    "<ul><li>Sử dụng hệ thống quản lý văn bản và điều hành, ký số văn bản điện "
                    "tử.</li><li>Tiếp nhận, số hóa hồ sơ và trả kết quả trên Hệ thống thông tin "
                    "giải quyết thủ tục hành chính của tỉnh.</li><li>Khai thác Cơ sở dữ liệu quốc "
                    "gia về dân cư và các cơ sở dữ liệu chuyên ngành.</li><li>Ứng dụng trí tuệ "
                    "nhân tạo hỗ trợ soạn thảo, tổng hợp thông tin một cách an toàn.</li></ul>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Học xong là dùng được ngay ở bộ phận một cửa, nhất là phần số hóa hồ sơ "
                        "và ký số kết quả."
                    ),
                    "attribution": "Một công chức văn hóa – xã hội cấp xã",
                },
            ),
            ("heading", "Học trực tuyến mọi lúc, mọi nơi"),
            (
                "paragraph",
                (
                    "<p>Bên cạnh các lớp tập trung, cán bộ, công chức được khuyến khích tham gia "
                    "khóa học trực tuyến mở trên nền tảng <i>Bình dân học vụ số</i> và hệ thống "
                    "bồi dưỡng trực tuyến của tỉnh.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Đưa sản phẩm OCOP Vĩnh Long lên sàn thương mại điện tử",
        "slug": "dua-san-pham-ocop-len-san-thuong-mai-dien-tu",
        "lead": (
            "Từ bưởi năm roi, kẹo dừa đến các sản phẩm thủy sản chế biến, nhiều chủ thể OCOP trong "
            "tỉnh đã mở gian hàng trực tuyến, tiếp cận khách hàng trên cả nước."
        ),
        "category": "kinh-te-so",
        "tags": ["ocop", "thương mại điện tử", "kinh tế số"],
        "author": "Quốc Bảo",
        "publish_date": "2026-10-08",
        "image": {"label": "OCOP trực tuyến", "color": "#7c4d00"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Sở Công Thương phối hợp với các sàn thương mại điện tử tập huấn cho hợp "
                    "tác xã, hộ kinh doanh cách xây dựng gian hàng, chụp ảnh sản phẩm, bán hàng "
                    "qua livestream và quản lý đơn hàng. Sản phẩm được gắn mã QR truy xuất nguồn "
                    "gốc để tăng niềm tin của người tiêu dùng.</p>"
                ),
            ),
            ("heading", "Từ vườn đến sàn"),
            (
                "paragraph",
                (
                    "<p>Nhiều nhà vườn ở khu vực Bình Minh, Bình Tân đã nhận đơn hàng trực tuyến "
                    "từ các tỉnh, thành phố xa. Bán hàng qua sàn giúp giảm phụ thuộc vào thương "
                    "lái, chủ động giá bán và xây dựng thương hiệu riêng.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Mỗi tối livestream khoảng một tiếng, khách hỏi gì mình trả lời liền, đơn "
                        "hàng đều hơn hẳn so với trước."
                    ),
                    "attribution": "Anh Minh Trí, chủ cơ sở sản xuất kẹo dừa",
                },
            ),
            ("heading", "Hỗ trợ vận chuyển và thanh toán"),
            (
                "paragraph",
                (
                    "<p>Tỉnh khuyến khích doanh nghiệp bưu chính, vận chuyển mở rộng điểm thu gom "
                    "hàng tại xã, đồng thời hỗ trợ chủ thể OCOP tích hợp thanh toán điện tử và sử "
                    "dụng hóa đơn điện tử theo quy định.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Tăng cường bảo đảm an toàn thông tin cho hệ thống thông tin của cơ quan nhà nước",
        "slug": "tang-cuong-bao-dam-an-toan-thong-tin",
        "lead": (
            "Trước nguy cơ tấn công mạng ngày càng tinh vi, các cơ quan, đơn vị trong tỉnh được "
            "yêu cầu rà soát, xác định cấp độ và triển khai đầy đủ phương án bảo đảm an toàn cho "
            "hệ thống thông tin."
        ),
        "category": "chuyen-doi-so",
        "tags": ["an toàn thông tin", "an ninh mạng"],
        "author": "Hoàng Nam",
        "publish_date": "2026-10-01",
        "image": {"label": "An toàn thông tin", "color": "#263238"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Các hệ thống dùng chung của tỉnh như quản lý văn bản và điều hành, thư "
                    "điện tử công vụ, Hệ thống thông tin giải quyết thủ tục hành chính đều được "
                    "giám sát an toàn thông tin tập trung, giúp phát hiện sớm, cảnh báo và xử lý "
                    "kịp thời sự cố.</p>"
                ),
            ),
            ("heading", "Những việc cơ quan, đơn vị cần làm ngay"),
            (
                "paragraph",
                (
                    "<ul><li>Cập nhật bản vá hệ điều hành, phần mềm và thiết bị mạng.</li><li>Sử "
                    "dụng mật khẩu mạnh, bật xác thực hai lớp cho tài khoản công vụ.</li><li>Sao "
                    "lưu dữ liệu định kỳ và kiểm tra khả năng khôi phục.</li><li>Không dùng thư "
                    "điện tử cá nhân để trao đổi văn bản công vụ.</li></ul>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "An toàn thông tin phải đi trước một bước, không thể để xảy ra sự cố rồi "
                        "mới khắc phục."
                    ),
                    "attribution": "Đại diện Trung tâm Công nghệ thông tin và Truyền thông",
                },
            ),
            ("heading", "Diễn tập ứng cứu sự cố"),
            (
                "paragraph",
                (
                    "<p>Hằng năm, tỉnh tổ chức diễn tập thực chiến ứng cứu sự cố an toàn thông tin "
                    "mạng, qua đó nâng cao năng lực phối hợp giữa đội ứng cứu sự cố của tỉnh với "
                    "các cơ quan chuyên trách và doanh nghiệp viễn thông.</p>"
                ),
            ),
        ],
    },
    {
        "title": (
            "Khai thác dữ liệu dân cư theo Đề án 06, giảm giấy tờ khi giải quyết thủ tục hành chính"
        ),
        "slug": "khai-thac-du-lieu-dan-cu-theo-de-an-06",
        "lead": (
            "Kết nối, khai thác Cơ sở dữ liệu quốc gia về dân cư giúp cán bộ tiếp nhận tự kiểm tra "
            "thông tin, người dân không phải nộp bản sao các giấy tờ đã được số hóa."
        ),
        "category": "dich-vu-cong-truc-tuyen",
        "tags": ["đề án 06", "dữ liệu dân cư", "dịch vụ công"],
        "author": "Ban Biên tập",
        "publish_date": "2026-09-24",
        "image": {"label": "Dữ liệu dân cư", "color": "#114b5f"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử "
                    "phục vụ chuyển đổi số quốc gia (Đề án 06) đang được triển khai đồng bộ ở cả "
                    "cấp tỉnh và cấp xã, với sự phối hợp chặt chẽ giữa Công an tỉnh và các sở, "
                    "ngành.</p>"
                ),
            ),
            ("heading", "Làm sạch dữ liệu chuyên ngành"),
            (
                "paragraph",
                (
                    "<p>Các cơ sở dữ liệu hộ tịch, đất đai, bảo hiểm xã hội, giáo dục, y tế đang "
                    "được rà soát, đối chiếu với dữ liệu dân cư để bảo đảm thông tin “đúng, đủ, "
                    "sạch, sống”. Đây là nền tảng để liên thông thủ tục và tự động điền thông tin "
                    "vào biểu mẫu điện tử.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Hai nhóm thủ tục liên thông được đẩy mạnh là <b>đăng ký khai sinh – đăng "
                    "ký thường trú – cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi</b> và <b>đăng ký "
                    "khai tử – xóa đăng ký thường trú – hỗ trợ chi phí mai táng</b>.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Thông tin đã có trong cơ sở dữ liệu thì người dân không phải khai lại – "
                        "đó là thước đo rõ nhất của chuyển đổi số."
                    ),
                    "attribution": "Tổ công tác triển khai Đề án 06 tỉnh",
                },
            ),
        ],
    },
    {
        "title": "Phong trào “Bình dân học vụ số” lan tỏa đến người cao tuổi",
        "slug": "binh-dan-hoc-vu-so-lan-toa-den-nguoi-cao-tuoi",
        "lead": (
            "Những lớp học kỹ năng số tại nhà văn hóa ấp thu hút đông đảo người cao tuổi, giúp họ "
            "tự tin dùng điện thoại thông minh, gọi video cho con cháu và làm thủ tục trực tuyến."
        ),
        "category": "dao-tao-ky-nang-so",
        "tags": ["bình dân học vụ số", "kỹ năng số", "người cao tuổi"],
        "author": "Kim Ngân",
        "publish_date": "2026-09-17",
        "image": {"label": "Học kỹ năng số", "color": "#004d40"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Hưởng ứng phong trào “Bình dân học vụ số”, Hội Người cao tuổi phối hợp với "
                    "Đoàn Thanh niên và tổ công nghệ số cộng đồng ở nhiều xã, phường mở lớp học "
                    "miễn phí vào buổi tối hoặc cuối tuần.</p>"
                ),
            ),
            ("heading", "Học chậm mà chắc"),
            (
                "paragraph",
                (
                    "<p>Mỗi lớp chỉ khoảng 15–20 học viên, mỗi học viên có một đoàn viên kèm cặp. "
                    "Nội dung chia nhỏ theo từng buổi: làm quen điện thoại, nhắn tin, gọi video, "
                    "sử dụng ứng dụng VNeID, chuyển khoản bằng mã QR và nhận diện chiêu trò lừa "
                    "đảo.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Lúc đầu tôi sợ bấm sai, học mấy buổi là tự gọi video cho con ở Thành phố "
                        "Hồ Chí Minh được rồi."
                    ),
                    "attribution": "Ông Nguyễn Văn Sáu, 72 tuổi, khu vực Mang Thít",
                },
            ),
            ("heading", "Nhân rộng mô hình"),
            (
                "paragraph",
                (
                    "<p>Tỉnh định hướng mỗi xã, phường duy trì ít nhất một lớp kỹ năng số cộng "
                    "đồng, ưu tiên người cao tuổi, người khuyết tật, đồng bào dân tộc thiểu số và "
                    "lao động nông thôn.</p>"
                ),
            ),
        ],
    },
    {
        "title": (
            "Trung tâm Giám sát, điều hành thông minh hỗ trợ công tác chỉ đạo, điều hành của tỉnh"
        ),
        "slug": "trung-tam-giam-sat-dieu-hanh-thong-minh",
        "lead": (
            "Dữ liệu từ các hệ thống chuyên ngành được tổng hợp, trực quan hóa tại Trung tâm Giám "
            "sát, điều hành thông minh, giúp lãnh đạo tỉnh nắm bắt tình hình và ra quyết định dựa "
            "trên dữ liệu."
        ),
        "category": "chuyen-doi-so",
        "tags": ["ioc", "dữ liệu", "chính quyền số"],
        "author": "Minh Thư",
        "publish_date": "2026-09-10",
        "image": {"label": "Điều hành thông minh", "color": "#0d47a1"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Trung tâm Giám sát, điều hành thông minh (IOC) kết nối dữ liệu về tình "
                    "hình giải quyết thủ tục hành chính, phản ánh kiến nghị của người dân, giám "
                    "sát an toàn thông tin, giao thông, môi trường và y tế trên địa bàn tỉnh.</p>"
                ),
            ),
            ("heading", "Cần một bức tranh dữ liệu thống nhất sau hợp nhất"),
            (
                "paragraph",
                (
                    "<p>Việc hợp nhất ba tỉnh Vĩnh Long, Bến Tre và Trà Vinh đặt ra yêu cầu đồng "
                    "bộ các hệ thống thông tin vốn được đầu tư riêng lẻ. Tỉnh đang từng bước chuẩn "
                    "hóa danh mục dữ liệu dùng chung, xây dựng kho dữ liệu tập trung và nền tảng "
                    "tích hợp, chia sẻ dữ liệu cấp tỉnh.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Điều hành dựa trên dữ liệu giúp phát hiện sớm điểm nghẽn, nhất là hồ sơ "
                        "trễ hạn ở từng cơ quan, từng xã."
                    ),
                    "attribution": "Đại diện Văn phòng Ủy ban nhân dân tỉnh",
                },
            ),
            ("heading", "Tiếp nhận phản ánh hiện trường"),
            (
                "paragraph",
                (
                    "<p>Người dân có thể phản ánh các vấn đề về hạ tầng, vệ sinh môi trường, trật "
                    "tự đô thị qua ứng dụng di động hoặc trang Góp ý, phản ánh của Cổng thông tin. "
                    "Phản ánh được chuyển đến cơ quan có thẩm quyền và kết quả xử lý được công "
                    "khai.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Người dân sử dụng sổ sức khỏe điện tử trên ứng dụng VNeID",
        "slug": "so-suc-khoe-dien-tu-tren-vneid",
        "lead": (
            "Các cơ sở khám bệnh, chữa bệnh trong tỉnh đẩy mạnh liên thông dữ liệu để người dân "
            "theo dõi lịch sử khám chữa bệnh, giấy chuyển tuyến và kết quả xét nghiệm ngay trên "
            "điện thoại."
        ),
        "category": "xa-hoi-so",
        "tags": ["y tế số", "sổ sức khỏe điện tử", "vneid"],
        "author": "Kim Ngân",
        "publish_date": "2026-09-03",
        "image": {"label": "Y tế số", "color": "#b71c1c"},
        "body": [
            (
                "paragraph",
                (
                    "<p>Sổ sức khỏe điện tử được tích hợp trên ứng dụng VNeID, giúp người dân chủ "
                    "động quản lý thông tin sức khỏe của bản thân và gia đình. Khi đi khám, người "
                    "bệnh có thể dùng thẻ căn cước hoặc ứng dụng VNeID thay cho thẻ bảo hiểm y tế "
                    "giấy.</p>"
                ),
            ),
            ("heading", "Giảm thời gian chờ đợi tại bệnh viện"),
            (
                "paragraph",
                (
                    "<ul><li>Đăng ký khám bệnh bằng thẻ căn cước gắn chip hoặc ứng dụng "
                    "VNeID.</li><li>Thanh toán viện phí không dùng tiền mặt.</li><li>Liên thông "
                    "giấy chứng sinh, giấy báo tử điện tử phục vụ thủ tục hộ tịch.</li></ul>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Bác sĩ xem được kết quả khám lần trước nên tôi không phải mang theo cả "
                        "xấp giấy tờ như trước đây."
                    ),
                    "attribution": "Chị Lâm Thị Ngọc, người bệnh ở khu vực Trà Ôn",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Sở Y tế khuyến nghị người dân thường xuyên kiểm tra thông tin trên sổ sức "
                    "khỏe điện tử; nếu phát hiện sai sót, liên hệ cơ sở khám bệnh, chữa bệnh để "
                    "được điều chỉnh.</p>"
                ),
            ),
        ],
    },
]

FAQ_PAGE = {
    "title": "Hỏi đáp",
    "slug": "hoi-dap",
    "intro": (
        "Tổng hợp các câu hỏi thường gặp khi sử dụng tài khoản định danh điện tử, nộp hồ sơ và "
        "thanh toán trực tuyến. Nếu chưa tìm thấy câu trả lời, vui lòng gửi câu hỏi qua trang Góp "
        "ý, phản ánh hoặc gọi đường dây nóng của Cổng thông tin."
    ),
    "groups": [
        {
            "title": "Tài khoản định danh điện tử VNeID",
            "items": [
                {
                    "question": (
                        "Tài khoản định danh điện tử mức độ 1 và mức độ 2 khác nhau như thế nào?"
                    ),
                    "answer": (
                        "<p>Tài khoản mức độ 1 được đăng ký trên ứng dụng VNeID và xác thực thông "
                        "tin cơ bản. Tài khoản mức độ 2 được đăng ký tại cơ quan Công an, xác thực "
                        "thêm ảnh chân dung và vân tay nên có giá trị tương đương thẻ căn cước khi "
                        "giao dịch. Để thực hiện đầy đủ dịch vụ công trực tuyến, người dân nên sử "
                        "dụng tài khoản mức độ 2.</p>"
                    ),
                },
                {
                    "question": "Tôi quên mật khẩu VNeID thì phải làm sao?",
                    "answer": (
                        "<p>Tại màn hình đăng nhập ứng dụng VNeID, chọn <b>Quên mật khẩu</b>, nhập "
                        "số định danh cá nhân và số điện thoại đã đăng ký để nhận mã OTP, sau đó "
                        "đặt mật khẩu mới. Nếu không còn sử dụng số điện thoại cũ, người dân liên "
                        "hệ Công an xã, phường nơi cư trú để được hỗ trợ.</p>"
                    ),
                },
                {
                    "question": "Tôi đổi điện thoại mới, có cần đăng ký lại tài khoản không?",
                    "answer": (
                        "<p>Không cần đăng ký lại. Người dân cài đặt ứng dụng VNeID trên điện "
                        "thoại mới, đăng nhập bằng số định danh cá nhân và mật khẩu, rồi xác nhận "
                        "mã OTP gửi về số thuê bao đã đăng ký. Mỗi tài khoản chỉ được kích hoạt "
                        "trên một thiết bị tại một thời điểm.</p>"
                    ),
                },
                {
                    "question": (
                        "Có thể dùng tài khoản VNeID để đăng nhập Cổng Dịch vụ công quốc gia không?"
                    ),
                    "answer": (
                        "<p>Có. Tại trang đăng nhập Cổng Dịch vụ công quốc gia, chọn đăng nhập "
                        "bằng tài khoản định danh điện tử, sau đó xác nhận yêu cầu trên ứng dụng "
                        "VNeID.</p>"
                    ),
                },
            ],
        },
        {
            "title": "Nộp hồ sơ dịch vụ công trực tuyến",
            "items": [
                {
                    "question": "Dịch vụ công trực tuyến toàn trình là gì?",
                    "answer": (
                        "<p>Là dịch vụ cho phép người dân, doanh nghiệp thực hiện toàn bộ quá "
                        "trình từ nộp hồ sơ, thanh toán phí, lệ phí đến nhận kết quả trên môi "
                        "trường mạng, không phải đến cơ quan nhà nước.</p>"
                    ),
                },
                {
                    "question": (
                        "Sau khi nộp hồ sơ trực tuyến, làm sao biết hồ sơ đã được tiếp nhận?"
                    ),
                    "answer": (
                        "<p>Hệ thống gửi thông báo qua thư điện tử, tin nhắn hoặc ứng dụng VNeID "
                        "kèm mã hồ sơ. Người dân dùng mã hồ sơ để tra cứu tình trạng xử lý trên "
                        "Cổng Dịch vụ công quốc gia hoặc Hệ thống thông tin giải quyết thủ tục "
                        "hành chính của tỉnh.</p>"
                    ),
                },
                {
                    "question": "Hồ sơ bị yêu cầu bổ sung thì tôi phải làm gì?",
                    "answer": (
                        "<p>Cán bộ tiếp nhận sẽ nêu rõ nội dung cần bổ sung, hoàn thiện. Người dân "
                        "đăng nhập tài khoản, mở hồ sơ tương ứng, tải lên giấy tờ còn thiếu và gửi "
                        "lại; không cần nộp hồ sơ mới.</p>"
                    ),
                },
                {
                    "question": "Không còn cấp huyện, tôi nộp hồ sơ ở đâu?",
                    "answer": (
                        "<p>Các thủ tục trước đây thuộc thẩm quyền cấp huyện nay do Ủy ban nhân "
                        "dân cấp xã hoặc các sở, ngành cấp tỉnh giải quyết theo quy định. Người "
                        "dân có thể nộp trực tuyến, hoặc nộp trực tiếp tại Trung tâm Phục vụ hành "
                        "chính công tỉnh và bộ phận một cửa của bất kỳ xã, phường nào đối với thủ "
                        "tục không phụ thuộc địa giới hành chính.</p>"
                    ),
                },
            ],
        },
        {
            "title": "Thanh toán trực tuyến",
            "items": [
                {
                    "question": "Tôi có thể thanh toán phí, lệ phí bằng những hình thức nào?",
                    "answer": (
                        "<p>Cổng Dịch vụ công quốc gia hỗ trợ thanh toán qua tài khoản ngân hàng, "
                        "thẻ ngân hàng, ví điện tử và mã QR của các ngân hàng, tổ chức trung gian "
                        "thanh toán đã kết nối.</p>"
                    ),
                },
                {
                    "question": (
                        "Tài khoản đã bị trừ tiền nhưng hồ sơ vẫn báo chưa thanh toán thì xử lý "
                        "thế nào?"
                    ),
                    "answer": (
                        "<p>Người dân giữ lại biên lai hoặc tin nhắn trừ tiền và chờ hệ thống đối "
                        "soát. Nếu sau một ngày làm việc trạng thái chưa được cập nhật, vui lòng "
                        "liên hệ đường dây nóng hoặc cơ quan giải quyết hồ sơ, cung cấp mã hồ sơ "
                        "và mã giao dịch để được kiểm tra.</p>"
                    ),
                },
                {
                    "question": "Tôi nhận biên lai điện tử ở đâu?",
                    "answer": (
                        "<p>Biên lai điện tử được gửi vào tài khoản dịch vụ công và địa chỉ thư "
                        "điện tử đã đăng ký. Biên lai điện tử có giá trị pháp lý như biên lai "
                        "giấy.</p>"
                    ),
                },
            ],
        },
        {
            "title": "Góp ý, phản ánh",
            "items": [
                {
                    "question": "Tôi muốn góp ý về chất lượng phục vụ của cán bộ thì gửi ở đâu?",
                    "answer": (
                        "<p>Người dân có thể gửi góp ý qua trang <b>Góp ý, phản ánh</b> của Cổng "
                        "thông tin, qua Cổng Dịch vụ công quốc gia hoặc hòm thư góp ý đặt tại "
                        "Trung tâm Phục vụ hành chính công tỉnh và bộ phận một cửa cấp xã.</p>"
                    ),
                },
                {
                    "question": "Bao lâu thì góp ý của tôi được phản hồi?",
                    "answer": (
                        "<p>Góp ý được Ban Biên tập tiếp nhận trong giờ hành chính và chuyển đến "
                        "cơ quan có thẩm quyền. Thời hạn xử lý, trả lời thực hiện theo quy định về "
                        "tiếp nhận, xử lý phản ánh, kiến nghị; kết quả được gửi qua thư điện tử "
                        "hoặc số điện thoại người dân cung cấp.</p>"
                    ),
                },
                {
                    "question": "Thông tin cá nhân khi gửi góp ý có được bảo mật không?",
                    "answer": (
                        "<p>Có. Thông tin cá nhân chỉ được dùng để xử lý và phản hồi góp ý, được "
                        "bảo vệ theo quy định của pháp luật về bảo vệ dữ liệu cá nhân và không "
                        "được công khai khi chưa có sự đồng ý của người gửi.</p>"
                    ),
                },
            ],
        },
    ],
}

STANDARD_PAGES = [
    {
        "title": "Giới thiệu",
        "slug": "gioi-thieu",
        "intro": (
            "Cổng thông tin Chuyển đổi số tỉnh Vĩnh Long là kênh thông tin chính thức về chuyển "
            "đổi số của tỉnh, do Sở Khoa học và Công nghệ quản lý, vận hành."
        ),
        "body": [
            ("heading", "Mục đích"),
            (
                "paragraph",
                (
                    "<p>Cổng thông tin cung cấp tin tức, chính sách, hướng dẫn về chuyển đổi số; "
                    "giới thiệu các nền tảng số và dịch vụ công trực tuyến; đồng thời là nơi tiếp "
                    "nhận góp ý của người dân, doanh nghiệp đối với quá trình xây dựng chính quyền "
                    "số, kinh tế số và xã hội số của tỉnh.</p>"
                ),
            ),
            ("heading", "Ban Chỉ đạo chuyển đổi số tỉnh"),
            (
                "paragraph",
                (
                    "<p>Ban Chỉ đạo chuyển đổi số tỉnh do lãnh đạo Ủy ban nhân dân tỉnh làm Trưởng "
                    "ban, thành viên là lãnh đạo các sở, ban, ngành và cơ quan liên quan. Ban Chỉ "
                    "đạo giúp Ủy ban nhân dân tỉnh chỉ đạo, điều phối các nhiệm vụ liên ngành về "
                    "chuyển đổi số; Sở Khoa học và Công nghệ là cơ quan thường trực.</p>"
                ),
            ),
            ("heading", "Ba trụ cột chuyển đổi số"),
            (
                "paragraph",
                (
                    "<ul><li><b>Chính quyền số:</b> cơ quan nhà nước vận hành dựa trên dữ liệu, "
                    "cung cấp dịch vụ công trực tuyến thuận tiện, minh bạch.</li><li><b>Kinh tế "
                    "số:</b> doanh nghiệp, hợp tác xã, hộ kinh doanh ứng dụng công nghệ số trong "
                    "sản xuất, kinh doanh.</li><li><b>Xã hội số:</b> người dân có kỹ năng số, được "
                    "tiếp cận và sử dụng tiện ích số an toàn.</li></ul>"
                ),
            ),
            ("heading", "Liên hệ"),
            (
                "paragraph",
                (
                    "<p>Mọi thông tin, góp ý xin gửi về Ban Biên tập Cổng thông tin Chuyển đổi số "
                    "tỉnh Vĩnh Long qua thư điện tử <b>cds@cds-vinhlong.example</b> hoặc trang Góp "
                    "ý, phản ánh.</p>"
                ),
            ),
        ],
    },
    {
        "title": "Hướng dẫn sử dụng dịch vụ công trực tuyến",
        "slug": "huong-dan-su-dung-dich-vu-cong-truc-tuyen",
        "intro": (
            "Các bước cơ bản để người dân, doanh nghiệp nộp hồ sơ, thanh toán phí, lệ phí và nhận "
            "kết quả thủ tục hành chính trực tuyến."
        ),
        "body": [
            ("heading", "Bước 1. Chuẩn bị tài khoản"),
            (
                "paragraph",
                (
                    "<p>Kích hoạt tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID. Tài "
                    "khoản này dùng để đăng nhập Cổng Dịch vụ công quốc gia và Hệ thống thông tin "
                    "giải quyết thủ tục hành chính của tỉnh.</p>"
                ),
            ),
            ("heading", "Bước 2. Tìm thủ tục cần thực hiện"),
            (
                "paragraph",
                (
                    "<p>Nhập tên thủ tục vào ô tìm kiếm hoặc tra cứu theo cơ quan thực hiện, chọn "
                    "đúng tỉnh Vĩnh Long và cơ quan có thẩm quyền giải quyết.</p>"
                ),
            ),
            ("heading", "Bước 3. Khai thông tin và đính kèm giấy tờ"),
            (
                "paragraph",
                (
                    "<p>Kiểm tra thông tin được điền sẵn từ Cơ sở dữ liệu quốc gia về dân cư, bổ "
                    "sung các trường còn thiếu và tải lên bản chụp hoặc bản điện tử của giấy tờ "
                    "theo yêu cầu. Giấy tờ đã có trong kho dữ liệu điện tử có thể được chọn lại mà "
                    "không phải tải lên.</p>"
                ),
            ),
            ("heading", "Bước 4. Thanh toán phí, lệ phí"),
            (
                "paragraph",
                (
                    "<p>Chọn hình thức thanh toán trực tuyến phù hợp và làm theo hướng dẫn của "
                    "ngân hàng hoặc ví điện tử. Biên lai điện tử được gửi vào tài khoản của người "
                    "nộp.</p>"
                ),
            ),
            ("heading", "Bước 5. Theo dõi và nhận kết quả"),
            (
                "paragraph",
                (
                    "<p>Tra cứu tình trạng hồ sơ bằng mã hồ sơ; khi có kết quả, tải bản điện tử "
                    "hoặc nhận bản giấy qua dịch vụ bưu chính công ích nếu đã đăng ký.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p><b>Cần hỗ trợ?</b> Liên hệ tổ công nghệ số cộng đồng tại ấp, khóm, bộ phận "
                    "một cửa cấp xã hoặc đường dây nóng của Cổng thông tin trong giờ hành "
                    "chính.</p>"
                ),
            ),
        ],
    },
]

FEEDBACK_PAGE = {
    "title": "Góp ý, phản ánh",
    "slug": "gop-y",
    "intro": (
        "Cổng thông tin trân trọng tiếp nhận ý kiến góp ý, phản ánh của người dân, doanh nghiệp về "
        "hoạt động chuyển đổi số và chất lượng dịch vụ công trực tuyến của tỉnh. Vui lòng cung cấp "
        "thông tin chính xác để chúng tôi phản hồi kịp thời."
    ),
    "thank_you_text": (
        "Cảm ơn Quý vị đã gửi góp ý. Ban Biên tập sẽ xem xét, chuyển cơ quan có thẩm quyền xử lý "
        "và phản hồi qua thư điện tử hoặc số điện thoại Quý vị đã cung cấp."
    ),
    "subject": "Góp ý mới từ Cổng thông tin chuyển đổi số",
    "to_address": "bientap@cds-vinhlong.example",
    # Wagtail form builder field types; dropdown choices are newline-separated.
    "fields": [
        {
            "label": "Họ và tên",
            "field_type": "singleline",
            "required": True,
            "help_text": "",
            "choices": "",
        },
        {
            "label": "Email",
            "field_type": "email",
            "required": True,
            "help_text": "Chúng tôi gửi phản hồi đến địa chỉ này.",
            "choices": "",
        },
        {
            "label": "Số điện thoại",
            "field_type": "singleline",
            "required": False,
            "help_text": "Không bắt buộc; dùng khi cần liên hệ làm rõ nội dung.",
            "choices": "",
        },
        {
            "label": "Chủ đề",
            "field_type": "dropdown",
            "required": True,
            "help_text": "",
            "choices": (
                "Dịch vụ công trực tuyến\nTài khoản định danh điện tử VNeID\nThanh toán trực "
                "tuyến\nKỹ năng số, tổ công nghệ số cộng đồng\nNội dung Cổng thông tin\nKhác"
            ),
        },
        {
            "label": "Nội dung góp ý",
            "field_type": "multiline",
            "required": True,
            "help_text": "Nêu rõ sự việc, thời gian, địa điểm và mã hồ sơ (nếu có).",
            "choices": "",
        },
        {
            "label": "Tôi đồng ý để Cổng thông tin xử lý dữ liệu cá nhân trong góp ý này",
            "field_type": "checkbox",
            "required": True,
            "help_text": "Dữ liệu chỉ được dùng để xử lý và phản hồi góp ý của Quý vị.",
            "choices": "",
        },
    ],
}

HOME_PAGE = {
    "title": "Trang chủ",
    "hero_title": "Chuyển đổi số tỉnh Vĩnh Long",
    "hero_text": (
        "Chung tay xây dựng chính quyền số, kinh tế số và xã hội số, để mọi người dân được hưởng "
        "lợi từ dịch vụ công trực tuyến và các tiện ích số."
    ),
    "hero_link_label": "Xem tin tức",
    "news_heading": "Tin tức chuyển đổi số",
    # Sections that later features fill; for now the cards describe what is coming.
    "highlights": [
        {
            "heading": "Bồi dưỡng kỹ năng số",
            "intro": (
                "Các khóa học trực tuyến miễn phí giúp cán bộ, công chức và người dân nâng cao kỹ "
                "năng số sắp được đưa lên Cổng thông tin."
            ),
            "theme": "courses",
            "cards": [
                {
                    "title": "Kỹ năng số cơ bản",
                    "text": (
                        "Sử dụng điện thoại thông minh, thư điện tử và ứng dụng VNeID an toàn, "
                        "hiệu quả."
                    ),
                },
                {
                    "title": "Dịch vụ công trực tuyến",
                    "text": (
                        "Hướng dẫn từng bước nộp hồ sơ, thanh toán và nhận kết quả trên Cổng Dịch "
                        "vụ công quốc gia."
                    ),
                },
                {
                    "title": "An toàn trên không gian mạng",
                    "text": "Nhận diện lừa đảo trực tuyến, bảo vệ tài khoản và dữ liệu cá nhân.",
                },
            ],
        },
        {
            "heading": "Cuộc thi trực tuyến",
            "intro": (
                "Các cuộc thi tìm hiểu về chuyển đổi số sẽ được tổ chức trực tuyến, mở cho mọi "
                "người dân trong tỉnh."
            ),
            "theme": "contests",
            "cards": [
                {
                    "title": "Tìm hiểu chuyển đổi số",
                    "text": (
                        "Cuộc thi trắc nghiệm dành cho cán bộ, công chức, viên chức và người dân."
                    ),
                },
                {
                    "title": "Sáng kiến chuyển đổi số",
                    "text": (
                        "Ghi nhận ý tưởng, giải pháp số thiết thực từ cơ quan, doanh nghiệp và "
                        "cộng đồng."
                    ),
                },
                {
                    "title": "Học sinh với an toàn thông tin",
                    "text": (
                        "Sân chơi giúp học sinh sử dụng Internet an toàn, văn minh và có trách "
                        "nhiệm."
                    ),
                },
            ],
        },
        {
            "heading": "Sản phẩm OCOP",
            "intro": (
                "Giới thiệu sản phẩm OCOP tiêu biểu của tỉnh, kết nối trực tiếp nhà sản xuất với "
                "người tiêu dùng."
            ),
            "theme": "products",
            "cards": [
                {
                    "title": "Trái cây đặc sản",
                    "text": (
                        "Bưởi năm roi, cam sành, chôm chôm từ các nhà vườn đạt chứng nhận OCOP."
                    ),
                },
                {
                    "title": "Sản phẩm từ dừa",
                    "text": (
                        "Kẹo dừa, dầu dừa và hàng thủ công mỹ nghệ mang đậm bản sắc miền sông nước."
                    ),
                },
                {
                    "title": "Đặc sản chế biến",
                    "text": (
                        "Bánh tét, bánh tráng, thủy sản chế biến được truy xuất nguồn gốc bằng mã "
                        "QR."
                    ),
                },
            ],
        },
    ],
    "quick_links_heading": "Dịch vụ công thường dùng",
    "quick_links": [
        {"label": "Cổng Dịch vụ công quốc gia", "url": "https://dichvucong.gov.vn"},
        {"label": "Cổng Dịch vụ công Bộ Công an", "url": "https://dichvucong.bocongan.gov.vn"},
        {"label": "Thuế điện tử (eTax)", "url": "https://thuedientu.gdt.gov.vn"},
        {"label": "Bảo hiểm xã hội Việt Nam", "url": "https://baohiemxahoi.gov.vn"},
        {"label": "Cổng thông tin điện tử tỉnh Vĩnh Long", "url": "https://vinhlong.gov.vn"},
    ],
}

SITE_CONTACT = {
    "organisation_name": "Cổng thông tin Chuyển đổi số tỉnh Vĩnh Long",
    "governing_body": "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
    "address": "Số 16 đường Lê Lợi, phường Long Châu, tỉnh Vĩnh Long",
    "hotline": "0270 3822 000",
    "email": "cds@cds-vinhlong.example",
    "working_hours": "Sáng 7:00–11:00, chiều 13:00–17:00, thứ Hai đến thứ Sáu",
    "licence": (
        "Giấy phép số 12/GP-STTTT do Sở Thông tin và Truyền thông tỉnh Vĩnh Long cấp ngày "
        "15/01/2025"
    ),
}

# Demo accounts printed in the README. role: "admin", "editor", "moderator" or "citizen";
# unit: a DEPARTMENTS code, or "" for citizens. Passwords are public demo values.
DEMO_USERS = [
    {
        "email": "admin@cds-vinhlong.example",
        "password": "QuanTri@2026",
        "full_name": "Quản trị hệ thống",
        "phone": "0912000001",
        "role": "admin",
        "unit": "so-khoa-hoc-va-cong-nghe",
    },
    {
        "email": "bientap@cds-vinhlong.example",
        "password": "BienTap@2026",
        "full_name": "Nguyễn Thị Mai",
        "phone": "0912000002",
        "role": "editor",
        "unit": "so-khoa-hoc-va-cong-nghe",
    },
    {
        "email": "kiemduyet@cds-vinhlong.example",
        "password": "KiemDuyet@2026",
        "full_name": "Trần Văn Hùng",
        "phone": "0912000003",
        "role": "moderator",
        "unit": "van-phong-ubnd-tinh",
    },
    {
        "email": "nguoidan@cds-vinhlong.example",
        "password": "NguoiDan@2026",
        "full_name": "Lê Thị Hoa",
        "phone": "0912000004",
        "role": "citizen",
        "unit": "",
    },
]
