"""Demo contest for `seed_demo`: a question bank of 100, a contest with an open round.

Twenty questions on digital transformation are written out; eighty more ask which province a
commune belongs to after the 2025 reform, built from the administrative units themselves, so
every answer is right by construction. A second run creates nothing.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from portal.core.models import MainMenu, MainMenuItem
from portal.locations.models import Commune, Province
from portal.organisations.models import OrganisationUnit

from .models import (
    Assessment,
    Choice,
    ContestIndexPage,
    ContestPage,
    DrawRule,
    ParticipationBand,
    Question,
    QuestionCategory,
    Round,
)

CATEGORIES = [
    ("cds", "Chuyển đổi số", "Chủ trương, chương trình chuyển đổi số quốc gia."),
    ("dvc", "Dịch vụ công trực tuyến", "Định danh điện tử, dịch vụ công, giao dịch điện tử."),
    ("attt", "An toàn thông tin", "Bảo vệ tài khoản, dữ liệu cá nhân, lừa đảo trực tuyến."),
    ("dvhc", "Đơn vị hành chính 2025", "Các tỉnh, thành phố và xã, phường sau sắp xếp năm 2025."),
]

S, M, TF = Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE
# (category, kind, question, [(answer, correct)], explanation)
QUESTIONS = [
    ("cds", S, "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
     [("10 tháng 10", True), ("2 tháng 9", False), ("19 tháng 8", False), ("1 tháng 7", False)],
     "Quyết định 505/QĐ-TTg năm 2022 lấy ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia."),
    ("cds", S, "Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030 được "
     "phê duyệt tại quyết định nào?",
     [("Quyết định 749/QĐ-TTg", True), ("Quyết định 505/QĐ-TTg", False),
      ("Quyết định 06/QĐ-TTg", False), ("Quyết định 148/QĐ-TTg", False)],
     "Thủ tướng phê duyệt Chương trình ngày 3/6/2020 tại Quyết định 749/QĐ-TTg."),
    ("cds", M, "Ba trụ cột của chuyển đổi số quốc gia là gì?",
     [("Chính quyền số", True), ("Kinh tế số", True), ("Xã hội số", True),
      ("Công nghiệp khai khoáng", False)],
     "Chương trình 749 xác định ba trụ cột: chính quyền số, kinh tế số và xã hội số."),
    ("cds", S, "Nghị quyết nào của Bộ Chính trị (12/2024) về đột phá phát triển khoa học, công "
     "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia?",
     [("Nghị quyết 57-NQ/TW", True), ("Nghị quyết 52-NQ/TW", False),
      ("Nghị quyết 18-NQ/TW", False), ("Nghị quyết 36-NQ/TW", False)],
     "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị."),
    ("cds", S, "Sau sắp xếp năm 2025, cả nước có bao nhiêu đơn vị hành chính cấp tỉnh?",
     [("34", True), ("63", False), ("28", False), ("45", False)],
     "Nghị quyết 202/2025/QH15 sắp xếp 63 tỉnh, thành phố thành 34."),
    ("cds", TF, "Luật Dữ liệu có hiệu lực từ ngày 01/7/2025.",
     [("Đúng", True), ("Sai", False)], "Luật Dữ liệu số 60/2024/QH15 có hiệu lực từ 01/7/2025."),
    ("cds", S, "Chuẩn mã QR chung cho chuyển khoản liên ngân hàng tại Việt Nam là gì?",
     [("VietQR", True), ("PayPal", False), ("Alipay", False), ("SWIFT", False)],
     "VietQR do NAPAS xây dựng theo chuẩn EMVCo."),
    ("dvc", S, "Ứng dụng định danh điện tử quốc gia do Bộ Công an phát triển có tên là gì?",
     [("VNeID", True), ("VssID", False), ("Zalo", False), ("eTax", False)],
     "VNeID là ứng dụng định danh và xác thực điện tử của Bộ Công an."),
    ("dvc", S, "Địa chỉ của Cổng Dịch vụ công quốc gia là gì?",
     [("dichvucong.gov.vn", True), ("dichvucong.com", False), ("congdichvu.vn", False),
      ("vneid.vn", False)], "Cổng Dịch vụ công quốc gia: https://dichvucong.gov.vn."),
    ("dvc", S, "Số căn cước công dân (số định danh cá nhân) có bao nhiêu chữ số?",
     [("12", True), ("9", False), ("10", False), ("15", False)],
     "Số định danh cá nhân gồm 12 chữ số."),
    ("dvc", S, "Đề án 06 của Chính phủ về phát triển ứng dụng dữ liệu về dân cư, định danh và "
     "xác thực điện tử được ban hành năm nào?",
     [("2022", True), ("2018", False), ("2020", False), ("2024", False)],
     "Quyết định 06/QĐ-TTg ngày 06/01/2022."),
    ("dvc", TF, "Dịch vụ công trực tuyến toàn trình cho phép thực hiện toàn bộ thủ tục, từ nộp "
     "hồ sơ đến nhận kết quả, trên môi trường mạng.",
     [("Đúng", True), ("Sai", False)], "Đó là định nghĩa dịch vụ công trực tuyến toàn trình."),
    ("dvc", S, "Luật Giao dịch điện tử năm 2023 có số hiệu là gì?",
     [("20/2023/QH15", True), ("51/2005/QH11", False), ("24/2018/QH14", False),
      ("60/2024/QH15", False)], "Luật Giao dịch điện tử số 20/2023/QH15, hiệu lực 01/7/2024."),
    ("dvc", TF, "Chữ ký số đáp ứng điều kiện luật định có giá trị pháp lý như chữ ký tay.",
     [("Đúng", True), ("Sai", False)], "Theo Luật Giao dịch điện tử 2023."),
    ("attt", S, "Nghị định nào quy định về bảo vệ dữ liệu cá nhân?",
     [("Nghị định 13/2023/NĐ-CP", True), ("Nghị định 15/2020/NĐ-CP", False),
      ("Nghị định 53/2022/NĐ-CP", False), ("Nghị định 47/2020/NĐ-CP", False)],
     "Nghị định 13/2023/NĐ-CP ngày 17/4/2023 về bảo vệ dữ liệu cá nhân."),
    ("attt", S, "Tin nhắn giả mạo ngân hàng để lừa lấy mật khẩu, mã OTP được gọi là gì?",
     [("Tấn công giả mạo (phishing)", True), ("Sao lưu dữ liệu", False),
      ("Xác thực hai lớp", False), ("Mã hóa đầu cuối", False)],
     "Phishing giả danh tổ chức uy tín để lừa lấy thông tin đăng nhập."),
    ("attt", M, "Những việc nào giúp bảo vệ tài khoản trực tuyến?",
     [("Bật xác thực hai lớp", True), ("Dùng mật khẩu mạnh, khác nhau cho mỗi tài khoản", True),
      ("Đọc mã OTP cho người gọi điện tự xưng nhân viên ngân hàng", False),
      ("Dùng chung một mật khẩu cho mọi tài khoản", False)],
     "Không bao giờ cung cấp OTP cho bất kỳ ai."),
    ("attt", S, "OTP là viết tắt của khái niệm nào?",
     [("Mật khẩu dùng một lần", True), ("Mã bưu chính", False), ("Tên đăng nhập", False),
      ("Phần mềm diệt virus", False)], "One-Time Password: mật khẩu dùng một lần."),
    ("attt", TF, "Có thể cung cấp mã OTP cho nhân viên ngân hàng gọi điện đề nghị.",
     [("Đúng", False), ("Sai", True)], "Ngân hàng không bao giờ hỏi mã OTP của khách hàng."),
    ("attt", S, "Khi nhận đường link lạ đề nghị cập nhật thông tin tài khoản, nên làm gì?",
     [("Không bấm, kiểm tra qua kênh chính thức", True), ("Bấm ngay để cập nhật", False),
      ("Chuyển tiếp cho bạn bè", False), ("Nhập mật khẩu để kiểm tra", False)],
     "Chỉ giao dịch qua ứng dụng, website chính thức."),
]  # fmt: skip

GENERATED_QUESTIONS = 80


def _bank_seed(report) -> dict[str, QuestionCategory]:
    categories = {}
    for code, name, description in CATEGORIES:
        category, created = QuestionCategory.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        report.count("question categories", created)
        categories[code] = category
    if Question.objects.exists():
        return categories
    rows = list(QUESTIONS)
    rng = random.Random(2026)  # noqa: S311 - a reproducible demo, not a secret
    provinces = list(Province.objects.order_by("code"))
    communes = list(Commune.objects.select_related("province").order_by("code"))
    for commune in rng.sample(communes, GENERATED_QUESTIONS):
        wrong = rng.sample([p for p in provinces if p.pk != commune.province_id], 3)
        answers = [(commune.province.name, True), *((p.name, False) for p in wrong)]
        rng.shuffle(answers)
        rows.append(
            (
                "dvhc",
                S,
                f"Sau sắp xếp năm 2025, {commune.name} thuộc tỉnh/thành phố nào?",
                answers,
                f"{commune.name} thuộc {commune.province.name}.",
            )
        )
    for code, kind, text, answers, explanation in rows:
        question = Question.objects.create(
            category=categories[code], kind=kind, text=text, explanation=explanation
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=answer, is_correct=correct, sort_order=i)
            for i, (answer, correct) in enumerate(answers)
        )
        report.count("questions", True)
    return categories


def _headcounts_seed() -> None:
    """Gives demo units a plausible headcount (30–120 staff), stable between runs."""
    for unit in OrganisationUnit.objects.filter(headcount=0):
        unit.headcount = 30 + sum(map(ord, unit.code)) % 91
        unit.save(update_fields=["headcount"])


@transaction.atomic
def contest_demo_seed(*, report) -> ContestIndexPage:
    home = Site.objects.get(is_default_site=True).root_page
    categories = _bank_seed(report)
    _headcounts_seed()
    index = ContestIndexPage.objects.first()
    if index is None:
        index = ContestIndexPage(
            title="Cuộc thi",
            slug="cuoc-thi",
            intro="<p>Các cuộc thi trực tuyến tìm hiểu chuyển đổi số của tỉnh.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        report.count("pages", True)
        menu = MainMenu.for_site(Site.objects.get(is_default_site=True))
        menu.items.add(MainMenuItem(page=index, sort_order=menu.items.count()))
        menu.save()
    if ContestPage.objects.exists():
        return index
    assessment = Assessment.objects.create(
        title="Đề thi tuần 1", time_limit_minutes=15, attempts_allowed=3
    )
    DrawRule.objects.create(assessment=assessment, category=categories["cds"], count=3)
    DrawRule.objects.create(assessment=assessment, category=categories["dvc"], count=3)
    DrawRule.objects.create(assessment=assessment, category=categories["attt"], count=2)
    DrawRule.objects.create(assessment=assessment, category=categories["dvhc"], count=7)
    later = Assessment.objects.create(
        title="Đề thi tuần 2", time_limit_minutes=15, attempts_allowed=3
    )
    DrawRule.objects.create(assessment=later, count=15)
    # Week 1 opened two days ago at 16:00 and runs a week less an hour; week 2 follows.
    week1_opens = (timezone.localtime() - datetime.timedelta(days=2)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    week = datetime.timedelta(days=7)
    hour = datetime.timedelta(hours=1)
    contest = ContestPage(
        title="Tìm hiểu chuyển đổi số tỉnh Vĩnh Long năm 2026",
        slug="tim-hieu-chuyen-doi-so-2026",
        intro=(
            "Cuộc thi trực tuyến dành cho cán bộ, công chức, viên chức và người dân trong tỉnh, "
            "nhằm lan tỏa hiểu biết về chính quyền số, kinh tế số và xã hội số."
        ),
        rules=(
            "<p>Mỗi tuần một đợt thi, mở từ 16 giờ thứ Hai đến 15 giờ thứ Hai tuần sau. Mỗi "
            "lượt thi gồm 15 câu hỏi trắc nghiệm chọn ngẫu nhiên, làm trong 15 phút, và một câu "
            "hỏi dự đoán. Mỗi thí sinh được thi tối đa 3 lượt mỗi tuần; tính lượt có kết quả "
            "cao nhất.</p><p>Xếp hạng theo điểm, rồi theo độ chênh lệch của câu dự đoán so "
            "với kết quả thực tế, rồi theo thời gian làm bài, rồi theo thời điểm nộp bài.</p>"
        ),
        prizes=(
            "<p>Mỗi tuần: 1 giải Nhất 2.000.000 ₫, 2 giải Nhì 1.000.000 ₫, 3 giải Ba 500.000 ₫ "
            "và 10 giải Khuyến khích 200.000 ₫. Giải tập thể cho đơn vị có tỷ lệ tham gia cao "
            "nhất.</p>"
        ),
    )
    index.add_child(instance=contest)
    contest.rounds.add(
        Round(
            title="Tuần 1",
            opens_at=week1_opens,
            closes_at=week1_opens + week - hour,
            assessment=assessment,
            prediction_prompt="Theo bạn, tuần này có bao nhiêu thí sinh trả lời đúng cả 15 câu?",
            prediction_target=Round.PredictionTarget.FULL_MARKS,
            sort_order=0,
        ),
        Round(
            title="Tuần 2",
            opens_at=week1_opens + week,
            closes_at=week1_opens + 2 * week - hour,
            assessment=later,
            prediction_prompt="Theo bạn, tuần này có bao nhiêu người tham gia?",
            prediction_target=Round.PredictionTarget.PARTICIPANTS,
            sort_order=1,
        ),
    )
    contest.participation_bands.add(
        ParticipationBand(min_headcount=0, max_headcount=50, min_rate_percent=80, sort_order=0),
        ParticipationBand(min_headcount=51, max_headcount=None, min_rate_percent=60, sort_order=1),
    )
    contest.save_revision().publish()
    report.count("pages", True)
    return index
