"""Staff import by unit managers: checks, scope, all-or-nothing, re-import, invitations, 403."""

import io
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from portal.organisations import staff_import
from portal.organisations.models import OrganisationUnit
from portal.organisations.staff_import import (
    Problem,
    staff_import_apply,
    staff_import_parse,
)
from portal.users.models import User
from tests.factories.courses import PositionFactory, UnitManagerFactory
from tests.factories.users import OrganisationUnitFactory, UserFactory

HEADER = "Họ và tên,Email,Số điện thoại,Mã đơn vị,Chức vụ"


@pytest.fixture
def tree(db):
    province = OrganisationUnitFactory(
        name="UBND tỉnh", code="ubnd-tinh", kind=OrganisationUnit.Kind.PROVINCE
    )
    department = OrganisationUnitFactory(name="Sở Nội vụ", code="so-noi-vu", parent=province)
    office = OrganisationUnitFactory(
        name="Phòng Công chức",
        code="phong-cc",
        kind=OrganisationUnit.Kind.OFFICE,
        parent=department,
    )
    other = OrganisationUnitFactory(name="Sở Tài chính", code="so-tai-chinh", parent=province)
    PositionFactory(name="Chuyên viên", code="chuyen-vien")
    PositionFactory(name="Trưởng phòng", code="truong-phong")
    return province, department, office, other


def _admin_access(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


@pytest.fixture
def manager(tree):
    _, department, _, _ = tree
    unit_manager = UnitManagerFactory(
        user__email="quanly@example.vn", user__full_name="Lê Quản Lý", unit=department
    )
    return _admin_access(unit_manager.user)


def _csv(*lines: str, bom: bool = False) -> bytes:
    text = "\n".join([HEADER, *lines]) + "\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = (
    "Nguyễn Văn An,an@example.vn,0912345678,so-noi-vu,Chuyên viên",
    "Trần Thị Bình,binh@example.vn,+84987654321,phong-cc,truong-phong",
)


def _codes(report) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.code) for p in report.problems]


def _user_rows():
    return sorted(User.objects.values_list("email", "full_name", "phone", "unit_id", "position_id"))


# --- parsing and applying -----------------------------------------------------------------------


def test_valid_csv_creates_accounts_and_invites_once(
    manager, tree, django_capture_on_commit_callbacks
):
    _, department, office, _ = tree
    report = staff_import_parse(file=_csv(*GOOD, bom=True), filename="cb.csv", manager=manager)
    assert report.ok, _codes(report)
    with django_capture_on_commit_callbacks(execute=True):
        summary = staff_import_apply(rows=report.rows, manager=manager)
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    an = User.objects.get(email="an@example.vn")
    assert an.full_name == "Nguyễn Văn An"
    assert an.unit == department
    assert an.position.code == "chuyen-vien"
    assert not an.has_usable_password()
    binh = User.objects.get(email="binh@example.vn")
    assert binh.phone == "0987654321"
    assert binh.unit == office

    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "binh@example.vn"]
    message = next(m for m in mail.outbox if m.to == ["an@example.vn"])
    assert "Nguyễn Văn An" in message.body
    assert f"{settings.SITE_BASE_URL}/dat-mat-khau/" in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"

    # The same file again: nothing changes and nobody is invited twice.
    mail.outbox.clear()
    before = _user_rows()
    report = staff_import_parse(file=_csv(*GOOD), filename="cb.csv", manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        summary = staff_import_apply(rows=report.rows, manager=manager)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert _user_rows() == before
    assert mail.outbox == []


def test_invitation_link_sets_the_password(client, manager, django_capture_on_commit_callbacks):
    report = staff_import_parse(file=_csv(GOOD[0]), filename="cb.csv", manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        staff_import_apply(rows=report.rows, manager=manager)
    user = User.objects.get(email="an@example.vn")
    path = urlsplit(staff_import.staff_invitation_url(user=user)).path
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Mat-khau-Moi-2025", "new_password2": "Mat-khau-Moi-2025"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-Moi-2025")
    # The link works once.
    assert "Mat-khau" not in client.get(path, follow=True).content.decode()
    assert not client.get(path, follow=True).context["validlink"]


def test_xlsx_with_english_headers_and_number_phone(manager):
    content = _xlsx(
        [
            ["STT", "full_name", "email", "phone", "unit_code", "position"],
            [1, "Phạm Văn Cường", "Cuong@Example.vn", 912345678, "phong-cc", ""],
        ]
    )
    report = staff_import_parse(file=content, filename="cb.xlsx", manager=manager)
    assert report.ok, _codes(report)
    (row,) = report.rows
    assert row.email == "cuong@example.vn"
    assert row.phone == "0912345678"
    assert row.position_id is None


def test_update_changes_only_what_differs(manager, tree):
    _, department, office, _ = tree
    existing = UserFactory(
        email="an@example.vn", full_name="Nguyễn An", phone="0900000000", unit=office
    )
    report = staff_import_parse(file=_csv(GOOD[0]), filename="cb.csv", manager=manager)
    assert report.ok, _codes(report)
    summary = staff_import_apply(rows=report.rows, manager=manager)
    assert (summary.created, summary.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.full_name == "Nguyễn Văn An"
    assert existing.unit == department
    assert existing.phone == "0912345678"
    assert existing.has_usable_password()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (",an@example.vn,0912345678,so-noi-vu,", (2, "Họ và tên", Problem.REQUIRED)),
        ("An,khong-phai-email,0912345678,so-noi-vu,", (2, "Email", Problem.EMAIL_INVALID)),
        ("An,an@example.vn,12345,so-noi-vu,", (2, "Số điện thoại", Problem.PHONE_INVALID)),
        ("An,an@example.vn,,khong-co,", (2, "Mã đơn vị", Problem.UNIT_UNKNOWN)),
        ("An,an@example.vn,,so-tai-chinh,", (2, "Mã đơn vị", Problem.UNIT_OUTSIDE)),
        ("An,an@example.vn,,ubnd-tinh,", (2, "Mã đơn vị", Problem.UNIT_OUTSIDE)),
        ("An,an@example.vn,,so-noi-vu,Giám đốc", (2, "Chức vụ", Problem.POSITION_UNKNOWN)),
        ("An,an@example.vn,,,", (2, "Mã đơn vị", Problem.REQUIRED)),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_imported(manager, line, expected):
    before = _user_rows()
    report = staff_import_parse(file=_csv(line, GOOD[1]), filename="cb.csv", manager=manager)
    assert not report.ok
    assert expected in _codes(report)
    assert report.rows == []
    assert _user_rows() == before
    assert all(problem.message for problem in report.problems)


def test_duplicate_email_in_file(manager):
    report = staff_import_parse(
        file=_csv(GOOD[0], "Nguyễn An,AN@example.vn,,phong-cc,"), filename="cb.csv", manager=manager
    )
    assert _codes(report) == [(3, "Email", Problem.EMAIL_DUPLICATE)]
    assert report.problems[0].params["other"] == 2
    # Reported in Vietnamese (needs the compiled catalogue).
    with translation.override("vi"):
        assert report.problems[0].message == "Email an@example.vn đã có ở dòng 2."


def test_account_of_another_subtree_is_refused(manager, tree):
    _, _, _, other = tree
    outsider = UserFactory(email="an@example.vn", full_name="Người Ngoài", unit=other)
    admin = UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True)
    citizen = UserFactory(email="dan@example.vn", full_name="Người Dân")
    before = _user_rows()
    report = staff_import_parse(
        file=_csv(
            GOOD[0],
            "Quản trị,admin@example.vn,,so-noi-vu,",
            "Người Dân,dan@example.vn,,so-noi-vu,",
        ),
        filename="cb.csv",
        manager=manager,
    )
    assert _codes(report) == [
        (2, "Email", Problem.ACCOUNT_OUTSIDE),
        (3, "Email", Problem.ACCOUNT_OUTSIDE),
        (4, "Email", Problem.ACCOUNT_OUTSIDE),
    ]
    assert _user_rows() == before
    outsider.refresh_from_db()
    assert outsider.unit == other
    assert admin.unit is None and citizen.unit is None


def test_superuser_may_import_anywhere(tree):
    _, _, _, other = tree
    admin = UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True)
    UserFactory(email="an@example.vn", unit=other)
    report = staff_import_parse(file=_csv(*GOOD), filename="cb.csv", manager=admin)
    assert report.ok, _codes(report)


def test_apply_refuses_a_row_that_became_outside(manager, tree):
    """Between the check and the write an account moved out of the manager's subtree."""
    _, _, _, other = tree
    user = UserFactory(email="an@example.vn", unit=tree[1])
    report = staff_import_parse(file=_csv(*GOOD), filename="cb.csv", manager=manager)
    assert report.ok
    user.unit = other
    user.save()
    before = _user_rows()
    with pytest.raises(staff_import.PermissionDenied):
        staff_import_apply(rows=report.rows, manager=manager)
    assert _user_rows() == before


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("cb.pdf", b"%PDF-1.4", Problem.FILE_EXTENSION),
        ("cb.csv", b"", Problem.FILE_EMPTY),
        ("cb.csv", HEADER.encode() + b"\n", Problem.FILE_EMPTY),
        ("cb.xlsx", b"not a zip file", Problem.XLSX_UNREADABLE),
        ("cb.csv", "Họ và tên,Email\nAn,an@example.vn\n".encode("utf-16"), Problem.CSV_ENCODING),
        ("cb.csv", b"Ten,Thu\nAn,an@example.vn\n", Problem.COLUMNS_MISSING),
    ],
)
def test_unusable_files(manager, filename, content, code):
    before = _user_rows()
    report = staff_import_parse(file=content, filename=filename, manager=manager)
    assert [p.code for p in report.problems] == [code]
    assert _user_rows() == before


def test_limits(manager, monkeypatch):
    monkeypatch.setattr(staff_import, "MAX_ROWS", 1)
    report = staff_import_parse(file=_csv(*GOOD), filename="cb.csv", manager=manager)
    assert [p.code for p in report.problems] == [Problem.TOO_MANY_ROWS]
    monkeypatch.setattr(staff_import, "MAX_FILE_SIZE", 10)
    report = staff_import_parse(file=_csv(*GOOD), filename="cb.csv", manager=manager)
    assert [p.code for p in report.problems] == [Problem.FILE_TOO_LARGE]


def test_non_managers_cannot_parse(tree):
    with pytest.raises(staff_import.PermissionDenied):
        staff_import_parse(file=_csv(*GOOD), filename="cb.csv", manager=UserFactory())


# --- admin screen ------------------------------------------------------------------------------


def test_screen_forbidden_to_other_admin_users(client, tree):
    editor = _admin_access(UserFactory(email="bientap@example.vn", is_staff=True))
    client.force_login(editor)
    for name in ("staff_import", "staff_import_template_xlsx", "staff_import_template_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 403
    response = client.post(
        reverse("staff_import"), {"file": SimpleUploadedFile("cb.csv", _csv(*GOOD))}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="an@example.vn").exists()


def test_screen_imports_and_reports(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    page = client.get(reverse("staff_import"))
    assert page.status_code == 200
    assert "Sở Nội vụ" in page.content.decode()

    bad = client.post(
        reverse("staff_import"),
        {"file": SimpleUploadedFile("cb.csv", _csv(GOOD[0], "An,sai-email,,so-noi-vu,"))},
    )
    assert bad.status_code == 400
    assert 'data-problem-code="email_invalid"' in bad.content.decode()
    assert not User.objects.filter(email="an@example.vn").exists()

    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            reverse("staff_import"), {"file": SimpleUploadedFile("cb.csv", _csv(*GOOD))}
        )
    assert good.status_code == 200
    assert good.context["summary"].created == 2
    assert len(mail.outbox) == 2


def test_templates_download_and_parse_back(client, manager):
    client.force_login(manager)
    for name, filename in (
        ("staff_import_template_xlsx", "mau.xlsx"),
        ("staff_import_template_csv", "mau.csv"),
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        report = staff_import_parse(file=response.content, filename=filename, manager=manager)
        assert report.ok, _codes(report)
        assert report.rows[0].full_name == "Nguyễn Văn An"


def test_unit_managers_admin_is_for_superusers(client, manager, tree):
    _, department, _, other = tree
    client.force_login(manager)
    assert client.get(reverse("unit_managers:index")).status_code in (302, 403)
    admin = UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("unit_managers:index")).status_code == 200
    response = client.post(
        reverse("unit_managers:add"), {"email": "QUANLY@example.vn", "unit": other.pk}
    )
    assert response.status_code == 302
    assert set(manager.managed_units.values_list("unit__code", flat=True)) == {
        "so-noi-vu",
        "so-tai-chinh",
    }
    response = client.post(
        reverse("unit_managers:add"), {"email": "khong-co@example.vn", "unit": other.pk}
    )
    assert response.status_code == 200
    response = client.post(reverse("positions:add"), {"name": "Phó Giám đốc", "code": "pho-gd"})
    assert response.status_code == 302
