"""Demo training for `seed_demo`: two courses, an H5P activity of our own, a yearly assignment,
a demo civil servant, a unit manager, a course manager, and staff at various stages so the
compliance dashboard has something to show. A second run creates nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

from portal.core.models import MainMenu, MainMenuItem
from portal.organisations.models import OrganisationUnit, Position, UnitManager
from quizzes.models import Assessment, DrawRule, QuestionCategory

from .h5p_demo import h5p_demo_package_build
from .models import Assignment, CourseIndexPage, CoursePage, Enrolment, H5PContent, LessonPage
from .services.assignments import assignment_enrolments_sync
from .services.h5p import h5p_package_import
from .services.roles import course_managers_page_permissions_grant, training_roles_ensure

MANAGED_UNIT = "so-khoa-hoc-va-cong-nghe"
POSITIONS = [
    ("chuyen-vien", "Chuyên viên"),
    ("truong-phong", "Trưởng phòng"),
    ("pho-truong-phong", "Phó Trưởng phòng"),
    ("vien-chuc", "Viên chức"),
]
DEMO_ACCOUNTS = [
    # (email, password, full name, unit code, position code, role)
    ("canbo@cds-vinhlong.example", "CanBo@2026", "Phạm Minh Tuấn", f"{MANAGED_UNIT}-1",
     "chuyen-vien", "learner"),
    ("quanly@cds-vinhlong.example", "QuanLy@2026", "Võ Thị Thu Hà", MANAGED_UNIT,
     "truong-phong", "unit_manager"),
    ("daotao@cds-vinhlong.example", "DaoTao@2026", "Huỳnh Quốc Bảo", "so-noi-vu",
     "truong-phong", "course_manager"),
]  # fmt: skip
# Synthetic staff per office of these departments, with enrolments at every stage.
STAFF_UNITS = [MANAGED_UNIT, "so-noi-vu", "so-tai-chinh", "so-tu-phap"]
STAFF_PER_UNIT = 6
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Quốc", "Hoài", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hạnh", "Khoa", "Lan", "Nam", "Phúc", "Quyên"]

H5P_QUESTIONS = [
    {
        "text": "Dịch vụ công trực tuyến toàn trình cho phép người dân làm gì?",
        "answers": [
            "Nộp hồ sơ, nộp phí và nhận kết quả hoàn toàn trên mạng",
            "Chỉ tra cứu thông tin thủ tục",
            "Chỉ tải mẫu đơn về để nộp trực tiếp",
        ],
        "correct": 0,
    },
    {
        "text": "Tài khoản nào dùng để đăng nhập Cổng Dịch vụ công quốc gia?",
        "answers": [
            "Tài khoản định danh điện tử VNeID",
            "Tài khoản mạng xã hội",
            "Số điện thoại của người thân",
        ],
        "correct": 0,
    },
]


def _p(*paragraphs: str) -> RichText:
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def _heading(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


def _add_page(parent, page, report) -> tuple:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        report.count("pages", False)
        return existing.specific, False
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.count("pages", True)
    return page, True


def _positions() -> dict[str, Position]:
    return {
        code: Position.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in POSITIONS
    }


def _accounts(positions, report) -> dict[str, object]:
    user_model = get_user_model()
    course_managers, unit_managers = training_roles_ensure()
    accounts = {}
    for email, password, name, unit_code, position, role in DEMO_ACCOUNTS:
        user = user_model.objects.filter(email=email).first()
        created = user is None
        if created:
            user = user_model.objects.create_user(
                email,
                password,
                full_name=name,
                unit=OrganisationUnit.objects.get(code=unit_code),
                position=positions[position],
                is_staff=role != "learner",
            )
        report.count("users", created)
        report.accounts.append((email, password, role.replace("_", " ")))
        if role == "unit_manager":
            user.groups.add(unit_managers)
            UnitManager.objects.get_or_create(user=user, unit=user.unit)
        elif role == "course_manager":
            user.groups.add(course_managers)
        accounts[role] = user
    return accounts


def _staff(positions, report) -> list:
    """Six staff in each office of a few departments (names are generated, stable by index)."""
    user_model = get_user_model()
    staff, n = [], 0
    position_list = list(positions.values())
    for code in STAFF_UNITS:
        department = OrganisationUnit.objects.get(code=code)
        for unit in department.get_descendants().order_by("path"):
            for i in range(STAFF_PER_UNIT):
                n += 1
                email = f"cb{n:03d}.{unit.code}@cds-vinhlong.example"
                user = user_model.objects.filter(email=email).first()
                if user is None:
                    user = user_model.objects.create_user(
                        email,
                        None,
                        full_name=f"{FAMILY[n % 10]} {MIDDLE[n % 8]} {GIVEN[n % 11]}",
                        unit=unit,
                        position=position_list[i % len(position_list)],
                    )
                    report.count("users", True)
                staff.append(user)
    return staff


def _assessment(title, rules, *, minutes, attempts, pass_percent=None) -> Assessment:
    assessment = Assessment.objects.filter(title=title).first()
    if assessment is None:
        assessment = Assessment.objects.create(
            title=title,
            time_limit_minutes=minutes,
            attempts_allowed=attempts,
            pass_percent=pass_percent,
        )
        for order, (category, count) in enumerate(rules):
            DrawRule.objects.create(
                assessment=assessment,
                category=QuestionCategory.objects.get(code=category),
                count=count,
                sort_order=order,
            )
    return assessment


def _h5p_content() -> H5PContent:
    title = "Đúng hay sai: dịch vụ công trực tuyến"
    content = H5PContent.objects.filter(title=title).first()
    if content is None:
        data = h5p_demo_package_build(title=title, questions=H5P_QUESTIONS)
        upload = SimpleUploadedFile("dich-vu-cong-dung-sai.h5p", data, "application/zip")
        # As the system: the demo package brings its own library (installed by administrators).
        content = h5p_package_import(upload=upload, user=None)
    return content


def _courses(index, report):
    final_test = _assessment(
        "Bài kiểm tra cuối khóa: Kỹ năng số cơ bản",
        [("cds", 4), ("dvc", 3), ("attt", 3)],
        minutes=15,
        attempts=3,
    )
    check = _assessment(
        "Kiểm tra nhanh: an toàn thông tin",
        [("attt", 3)],
        minutes=5,
        attempts=5,
        pass_percent=60,
    )
    basics, created = _add_page(
        index,
        CoursePage(
            title="Kỹ năng số cơ bản cho cán bộ, công chức, viên chức năm 2026",
            slug="ky-nang-so-co-ban-2026",
            summary=(
                "Khóa học bắt buộc hằng năm: chuyển đổi số là gì, dịch vụ công trực tuyến và an "
                "toàn thông tin khi làm việc trên môi trường số."
            ),
            objectives=(
                "<ul><li>Hiểu ba trụ cột chính quyền số, kinh tế số, xã hội số.</li>"
                "<li>Hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình.</li>"
                "<li>Nhận diện lừa đảo trực tuyến và bảo vệ tài khoản công vụ.</li></ul>"
            ),
            audience="Cán bộ, công chức, viên chức các cơ quan, đơn vị trong tỉnh",
            estimated_hours=4,
            level=CoursePage.Level.BASIC,
            final_test=final_test,
            pass_percent=70,
        ),
        report,
    )
    if created:
        h5p = _h5p_content()
        lessons = [
            LessonPage(
                title="Bài 1. Chuyển đổi số là gì?",
                slug="bai-1-chuyen-doi-so-la-gi",
                intro="Khái niệm, ba trụ cột và mục tiêu chuyển đổi số của tỉnh.",
                estimated_minutes=20,
                body=[
                    _heading("Chuyển đổi số là gì?"),
                    (
                        "paragraph",
                        _p(
                            "Chuyển đổi số là quá trình thay đổi tổng thể và toàn diện của cá "
                            "nhân, tổ chức về cách sống, cách làm việc và phương thức sản xuất "
                            "dựa trên các công nghệ số.",
                            "Chương trình Chuyển đổi số quốc gia (Quyết định 749/QĐ-TTg) xác "
                            "định ba trụ cột: <b>chính quyền số</b>, <b>kinh tế số</b> và "
                            "<b>xã hội số</b>.",
                        ),
                    ),
                    _heading("Mục tiêu của tỉnh"),
                    (
                        "paragraph",
                        _p(
                            "Hằng năm, 100% cán bộ, công chức, viên chức được bồi dưỡng, tập "
                            "huấn về chuyển đổi số, kỹ năng số và công nghệ số.",
                        ),
                    ),
                ],
            ),
            LessonPage(
                title="Bài 2. Dịch vụ công trực tuyến toàn trình",
                slug="bai-2-dich-vu-cong-truc-tuyen",
                intro="Hướng dẫn người dân nộp hồ sơ, thanh toán và nhận kết quả trực tuyến.",
                estimated_minutes=25,
                body=[
                    (
                        "paragraph",
                        _p(
                            "Dịch vụ công trực tuyến toàn trình cho phép người dân thực hiện "
                            "toàn bộ thủ tục trên môi trường mạng: nộp hồ sơ, thanh toán phí, "
                            "lệ phí và nhận kết quả bản điện tử.",
                            "Hãy trả lời hoạt động tương tác dưới đây để hoàn thành bài học.",
                        ),
                    ),
                    (
                        "h5p",
                        {
                            "content": h5p,
                            "completion": "passed",
                            "pass_percent": 60,
                            "grading": "highest",
                        },
                    ),
                ],
            ),
            LessonPage(
                title="Bài 3. An toàn thông tin trên môi trường số",
                slug="bai-3-an-toan-thong-tin",
                intro="Mật khẩu mạnh, xác thực hai lớp, nhận diện thư và cuộc gọi lừa đảo.",
                estimated_minutes=20,
                body=[
                    (
                        "paragraph",
                        _p(
                            "Không chia sẻ mã OTP cho bất kỳ ai, kể cả người xưng là cán bộ "
                            "ngân hàng hay công an. Bật xác thực hai lớp cho thư công vụ.",
                        ),
                    ),
                    (
                        "knowledge_check",
                        {"assessment": check, "intro": "Ba câu hỏi nhanh, đạt từ 60%."},
                    ),
                ],
            ),
        ]
        for lesson in lessons:
            _add_page(basics, lesson, report)
    data, created = _add_page(
        index,
        CoursePage(
            title="Khai thác dữ liệu và trợ lý AI trong công việc hành chính",
            slug="du-lieu-va-tro-ly-ai",
            summary="Dùng bảng tính, dữ liệu mở và trợ lý AI an toàn, đúng quy định.",
            audience="Cán bộ đã hoàn thành khóa Kỹ năng số cơ bản",
            estimated_hours=6,
            level=CoursePage.Level.INTERMEDIATE,
            certificate_enabled=True,
        ),
        report,
    )
    if created:
        data.prerequisites.add(basics)
        data.save_revision().publish()
        _add_page(
            data,
            LessonPage(
                title="Bài 1. Dữ liệu mở của tỉnh",
                slug="bai-1-du-lieu-mo",
                body=[("paragraph", _p("Cổng dữ liệu mở công bố dữ liệu theo danh mục."))],
            ),
            report,
        )
    return basics


def _assignment(course, manager) -> Assignment:
    assignment = Assignment.objects.filter(course=course).first()
    if assignment is None:
        assignment = Assignment(
            course=course,
            due_date=datetime.date(timezone.localdate().year, 12, 31),
            yearly=True,
            include_subunits=True,
            created_by=manager,
        )
        assignment.units = OrganisationUnit.objects.filter(depth=1)
        assignment.save()  # a ClusterableModel writes its parental relations on save
    assignment_enrolments_sync(assignment_id=assignment.pk)
    return assignment


def _overdue_assignment(manager) -> None:
    """A one-off assignment due ten days ago for one department, so the dashboard shows overdue
    staff."""
    course = CoursePage.objects.get(slug="du-lieu-va-tro-ly-ai")
    assignment = Assignment(
        course=course,
        due_date=timezone.localdate() - datetime.timedelta(days=10),
        yearly=False,
        include_subunits=True,
        created_by=manager,
    )
    assignment.units = OrganisationUnit.objects.filter(code="so-noi-vu")
    assignment.save()
    assignment_enrolments_sync(assignment_id=assignment.pk)


def _progress(course, staff, learner) -> None:
    """Staff are spread over completed / in progress / not started; the demo learner starts."""
    now = timezone.now()
    for n, user in enumerate(staff):
        if user == learner:
            continue
        stage = n % 5
        if stage in (0, 1):
            Enrolment.objects.filter(
                user=user, course=course, status=Enrolment.Status.NOT_STARTED
            ).update(
                status=Enrolment.Status.COMPLETED,
                progress_percent=100,
                started_at=now - datetime.timedelta(days=20 + n % 7),
                completed_at=now - datetime.timedelta(days=n % 15),
            )
        elif stage == 2:
            Enrolment.objects.filter(
                user=user, course=course, status=Enrolment.Status.NOT_STARTED
            ).update(
                status=Enrolment.Status.IN_PROGRESS,
                progress_percent=33,
                started_at=now - datetime.timedelta(days=3),
            )


@transaction.atomic
def courses_demo_seed(*, report) -> CourseIndexPage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    positions = _positions()
    accounts = _accounts(positions, report)
    index, created = _add_page(
        home,
        CourseIndexPage(
            title="Đào tạo",
            slug="dao-tao",
            intro="<p>Bồi dưỡng kỹ năng số bắt buộc hằng năm cho cán bộ, công chức, viên chức.</p>",
        ),
        report,
    )
    if created:
        menu = MainMenu.for_site(site)
        menu.items.add(MainMenuItem(page=index, sort_order=menu.items.count()))
        menu.save()
    course_managers_page_permissions_grant(course_index=index)
    basics = _courses(index, report)
    staff = _staff(positions, report)
    if not Assignment.objects.filter(course=basics).exists():
        _assignment(basics, accounts["course_manager"])
        _progress(basics, staff, accounts["learner"])
        _overdue_assignment(accounts["course_manager"])
    return index
