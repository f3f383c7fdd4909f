"""Compliance dashboard: counts of mandatory training rolled up the unit tree, drill-down,
filters, the scope of each kind of user, Excel and CSV exports, and a query count that does not
grow with the number of staff."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.admin.compliance import ComplianceMenuItem
from courses.models import Certificate, Enrolment
from courses.selectors.compliance import (
    compliance_breadcrumb,
    compliance_export_rows,
    compliance_scope_units,
    compliance_summary,
)
from portal.organisations.models import OrganisationUnit
from tests.factories.courses import (
    AssignmentFactory,
    CoursePageFactory,
    EnrolmentFactory,
    PositionFactory,
    UnitManagerFactory,
)
from tests.factories.users import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPLETED = Enrolment.Status.COMPLETED
IN_PROGRESS = Enrolment.Status.IN_PROGRESS
NOT_STARTED = Enrolment.Status.NOT_STARTED
DASHBOARD = "courses_compliance"


def _access_admin(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


def _unit(code, name, parent=None, kind=OrganisationUnit.Kind.DEPARTMENT):
    return OrganisationUnitFactory(parent=parent, code=code, name=name, kind=kind)


@pytest.fixture
def world(course_index):
    """UBND tỉnh → Sở A (→ Phòng A1, Phòng A2) and Sở B (→ Phòng B1).

    This year (course 1 assigned to the province, course 2 to Sở A):
      tỉnh: p1 c1 completed.
      Sở A: mgr_a (manager, no enrolment).
      A1:   a1 c1 completed (+ last year's c1 completed), a1 c2 in progress and overdue;
            a2 c1 not started and overdue; a3 INACTIVE c1 not started (never counted).
      A2:   a4 c1 in progress, due later; a5 no enrolment.
      B1:   b1 c1 completed; b2 c1 not started and overdue; b3 self-enrolled in c1 (not counted).
    """
    today = timezone.localdate()
    year = today.year
    late, later = today - datetime.timedelta(days=5), today + datetime.timedelta(days=30)
    province = _unit("ubnd-tinh", "UBND tỉnh", kind=OrganisationUnit.Kind.PROVINCE)
    a = _unit("so-a", "Sở A", province)
    a1 = _unit("phong-a1", "Phòng A1", a, OrganisationUnit.Kind.OFFICE)
    a2 = _unit("phong-a2", "Phòng A2", a, OrganisationUnit.Kind.OFFICE)
    b = _unit("so-b", "Sở B", province)
    b1 = _unit("phong-b1", "Phòng B1", b, OrganisationUnit.Kind.OFFICE)
    c1 = CoursePageFactory(parent=course_index, title="Kỹ năng số cơ bản")
    c2 = CoursePageFactory(parent=course_index, title="An toàn thông tin")
    as1 = AssignmentFactory(course=c1, units=[province])
    as2 = AssignmentFactory(course=c2, units=[a])
    officer = PositionFactory(name="Chuyên viên", code="chuyen-vien")

    def staff(email, unit, name, **extra):
        return UserFactory(email=email, unit=unit, full_name=name, position=officer, **extra)

    def enrol(user, course, assignment, status, due, cycle=year):
        completed_at = timezone.now() if status == COMPLETED else None
        return EnrolmentFactory(
            user=user,
            course=course,
            assignment=assignment,
            status=status,
            due_date=due,
            cycle=cycle,
            completed_at=completed_at,
        )

    w = SimpleNamespace(
        today=today,
        year=year,
        province=province,
        a=a,
        a1=a1,
        a2=a2,
        b=b,
        b1=b1,
        c1=c1,
        c2=c2,
    )
    w.p1 = staff("p1@example.vn", province, "Trần Thị Tỉnh")
    enrol(w.p1, c1, as1, COMPLETED, later)
    w.mgr_a = _access_admin(staff("mgr-a@example.vn", a, "Lê Văn Quản"))
    UnitManagerFactory(user=w.mgr_a, unit=a)
    w.a1_user = staff("a1@example.vn", a1, "Nguyễn Văn Một")
    w.a1_c1 = enrol(w.a1_user, c1, as1, COMPLETED, later)
    enrol(w.a1_user, c1, as1, COMPLETED, later.replace(year=year - 1), cycle=year - 1)
    enrol(w.a1_user, c2, as2, IN_PROGRESS, late)
    w.a2_user = staff("a2@example.vn", a1, "Phạm Thị Hai")
    enrol(w.a2_user, c1, as1, NOT_STARTED, late)
    w.a3_user = staff("a3@example.vn", a1, "Đỗ Văn Nghỉ", is_active=False)
    enrol(w.a3_user, c1, as1, NOT_STARTED, late)
    w.a4_user = staff("a4@example.vn", a2, "Hoàng Văn Bốn")
    enrol(w.a4_user, c1, as1, IN_PROGRESS, later)
    w.a5_user = staff("a5@example.vn", a2, "Vũ Thị Năm")
    w.b1_user = staff("b1@example.vn", b1, "Bùi Văn Sáu")
    enrol(w.b1_user, c1, as1, COMPLETED, later)
    w.b2_user = staff("b2@example.vn", b1, "Đặng Thị Bảy")
    enrol(w.b2_user, c1, as1, NOT_STARTED, late)
    w.b3_user = staff("b3@example.vn", b1, "Ngô Văn Tám")
    enrol(w.b3_user, c1, None, IN_PROGRESS, None)
    w.superuser = UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True)
    return w


def _counts(figures):
    return (
        figures.assigned,
        figures.completed,
        figures.in_progress,
        figures.not_started,
        figures.overdue,
    )


def _rows(summary):
    return {("direct" if r.direct else r.unit.code): r.figures for r in summary.units}


# Counts ---------------------------------------------------------------------------------------


def test_summary_rolls_up_the_tree(world):
    summary = compliance_summary(user=world.superuser, root_unit=world.province, cycle=world.year)

    assert _counts(summary.total) == (7, 3, 2, 2, 3)
    assert summary.total.staff == 9
    assert summary.total.unassigned == 3
    assert round(summary.total.rate, 2) == round(300 / 7, 2)
    rows = _rows(summary)
    assert list(rows) == ["direct", "so-a", "so-b"]
    assert _counts(rows["direct"]) == (1, 1, 0, 0, 0)
    assert _counts(rows["so-a"]) == (4, 1, 2, 1, 2)
    assert (rows["so-a"].staff, rows["so-a"].unassigned) == (5, 2)
    assert _counts(rows["so-b"]) == (2, 1, 0, 1, 1)
    assert (rows["so-b"].staff, rows["so-b"].unassigned) == (3, 1)
    assert rows["so-b"].rate == 50
    courses = {c.title: c.figures for c in summary.courses}
    assert _counts(courses["Kỹ năng số cơ bản"]) == (6, 3, 1, 2, 2)
    assert _counts(courses["An toàn thông tin"]) == (1, 0, 1, 0, 1)


def test_drill_down_one_level(world):
    summary = compliance_summary(user=world.mgr_a, root_unit=world.a, cycle=world.year)

    rows = _rows(summary)
    assert list(rows) == ["direct", "phong-a1", "phong-a2"]
    assert _counts(rows["direct"]) == (0, 0, 0, 0, 0)
    assert rows["direct"].staff == 1  # the manager, who has nothing assigned
    assert _counts(rows["phong-a1"]) == (3, 1, 1, 1, 2)
    assert rows["phong-a1"].staff == 2  # a3 is inactive
    assert _counts(rows["phong-a2"]) == (1, 0, 1, 0, 0)
    assert (rows["phong-a2"].staff, rows["phong-a2"].unassigned) == (2, 1)
    assert _counts(summary.total) == (4, 1, 2, 1, 2)
    leaf = compliance_summary(user=world.mgr_a, root_unit=world.a1, cycle=world.year)
    assert [r.direct for r in leaf.units] == [True]
    assert _counts(leaf.total) == (3, 1, 1, 1, 2)


def test_filters_by_course_and_year(world):
    by_course = compliance_summary(
        user=world.superuser, root_unit=world.province, cycle=world.year, course_id=world.c2.pk
    )
    assert _counts(by_course.total) == (1, 0, 1, 0, 1)
    rows = _rows(by_course)
    assert _counts(rows["so-a"]) == (1, 0, 1, 0, 1)
    assert _counts(rows["so-b"]) == (0, 0, 0, 0, 0)
    assert rows["so-b"].rate is None
    assert rows["so-b"].unassigned == 3  # nobody in Sở B has course 2
    assert [c.title for c in by_course.courses] == ["An toàn thông tin"]

    last_year = compliance_summary(
        user=world.superuser, root_unit=world.province, cycle=world.year - 1
    )
    assert _counts(last_year.total) == (1, 1, 0, 0, 0)
    assert last_year.total.rate == 100
    assert last_year.total.meets_target


def test_a_move_counts_the_learner_in_the_new_unit(world):
    world.a1_user.unit = world.b1
    world.a1_user.save()

    rows = _rows(
        compliance_summary(user=world.superuser, root_unit=world.province, cycle=world.year)
    )

    assert rows["so-a"].assigned == 2
    assert rows["so-b"].assigned == 4


# Scope ----------------------------------------------------------------------------------------


def test_scope_units(world):
    assert compliance_scope_units(user=world.superuser) == [world.province]
    assert compliance_scope_units(user=world.mgr_a) == [world.a]
    UnitManagerFactory(user=world.mgr_a, unit=world.a1)  # inside A: covered already
    assert compliance_scope_units(user=world.mgr_a) == [world.a]
    UnitManagerFactory(user=world.mgr_a, unit=world.b1)
    assert compliance_scope_units(user=world.mgr_a) == [world.a, world.b1]
    assert compliance_scope_units(user=world.a1_user) == []
    world.mgr_a.is_active = False
    assert compliance_scope_units(user=world.mgr_a) == []


def test_selectors_refuse_units_outside_the_scope(world):
    with pytest.raises(PermissionDenied):
        compliance_summary(user=world.mgr_a, root_unit=world.b, cycle=world.year)
    with pytest.raises(PermissionDenied):
        compliance_summary(user=world.mgr_a, root_unit=world.province, cycle=world.year)
    with pytest.raises(PermissionDenied):
        compliance_export_rows(user=world.mgr_a, root_unit=world.b1, cycle=world.year)
    with pytest.raises(PermissionDenied):
        compliance_summary(user=world.a1_user, root_unit=world.a1, cycle=world.year)


def test_breadcrumb_starts_at_the_scope_unit(world):
    assert compliance_breadcrumb(scope=[world.a], unit=world.a1) == [world.a, world.a1]
    assert compliance_breadcrumb(scope=[world.province], unit=world.a1) == [
        world.province,
        world.a,
        world.a1,
    ]


# Admin screens --------------------------------------------------------------------------------


def _get(client, user, name=DASHBOARD, **query):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name), query)


def test_superuser_sees_the_province_and_its_departments(client, world):
    response = _get(client, world.superuser)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-unit="so-a"' in html and 'data-unit="so-b"' in html
    assert 'id="compliance-chart"' in html
    assert 'data-assigned="7"' in html and 'data-completed="3"' in html
    assert "UBND tỉnh" in html


def test_manager_sees_their_department_and_its_offices(client, world):
    response = _get(client, world.mgr_a)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-unit="phong-a1"' in html and 'data-unit="phong-a2"' in html
    assert 'data-unit="so-b"' not in html
    assert "Phòng B1" not in html
    assert 'data-assigned="4"' in html

    drilled = _get(client, world.mgr_a, unit=world.a1.pk)
    assert drilled.status_code == 200
    assert 'data-assigned="3"' in drilled.content.decode()


@pytest.mark.parametrize("target", ["b", "b1", "province"])
def test_manager_cannot_reach_other_units_by_url(client, world, target):
    unit = getattr(world, target)
    for name in (DASHBOARD, "courses_compliance_xlsx", "courses_compliance_csv"):
        response = _get(client, world.mgr_a, name, unit=unit.pk)
        assert response.status_code == 403, name
        assert b"B\xc3\xb9i V\xc4\x83n S\xc3\xa1u" not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )


def test_staff_member_who_manages_nothing_is_refused(client, world):
    _access_admin(world.a2_user)
    for name in (DASHBOARD, "courses_compliance_xlsx", "courses_compliance_csv"):
        response = _get(client, world.a2_user, name, unit=world.a1.pk)
        assert response.status_code == 403, name


@pytest.mark.parametrize("who", ["learner", "anonymous"])
def test_learners_and_anonymous_visitors_never_see_progress(client, world, who):
    user = world.a1_user if who == "learner" else None
    for name in (DASHBOARD, "courses_compliance_xlsx", "courses_compliance_csv"):
        response = _get(client, user, name, unit=world.a1.pk)
        assert response.status_code in (302, 403), name
        assert not getattr(response, "streaming", False)
        assert "Phạm Thị Hai" not in response.content.decode()
        assert "data-assigned" not in response.content.decode()


def test_menu_item_only_for_superusers_and_managers(world):
    item = ComplianceMenuItem("x", "/x/")
    request = RequestFactory().get("/")
    for user, shown in [
        (world.superuser, True),
        (world.mgr_a, True),
        (_access_admin(world.a2_user), False),
    ]:
        request.user = user
        assert item.is_shown(request) is shown


def test_several_managed_units_offer_a_choice(client, world):
    UnitManagerFactory(user=world.mgr_a, unit=world.b1)

    response = _get(client, world.mgr_a)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="compliance-scope"' in html
    assert f"unit={world.a.pk}" in html and f"unit={world.b1.pk}" in html
    assert _get(client, world.mgr_a, unit=world.b1.pk).status_code == 200


def test_bad_filters_fall_back_with_a_message(client, world):
    response = _get(client, world.superuser, year="abc", course="999999")

    assert response.status_code == 200
    html = response.content.decode()
    assert "the current year is shown" in html or "năm hiện tại" in html
    assert 'data-assigned="7"' in html
    too_old = _get(client, world.superuser, year="1800").content.decode()
    assert "the current year is shown" in too_old or "năm hiện tại" in too_old
    assert 'data-assigned="7"' in too_old
    assert _get(client, world.superuser, unit="999999").status_code == 404
    assert _get(client, world.superuser, unit="x").status_code == 404


def test_year_and_course_filters_on_the_screen(client, world):
    html = _get(client, world.superuser, year=world.year - 1).content.decode()
    assert 'data-assigned="1"' in html and 'data-completed="1"' in html
    html = _get(client, world.superuser, course=world.c2.pk).content.decode()
    assert 'data-assigned="1"' in html and 'data-completed="0"' in html


# Exports --------------------------------------------------------------------------------------

SCOPE_A = {
    ("Nguyễn Văn Một", "Kỹ năng số cơ bản"),
    ("Nguyễn Văn Một", "An toàn thông tin"),
    ("Phạm Thị Hai", "Kỹ năng số cơ bản"),
    ("Hoàng Văn Bốn", "Kỹ năng số cơ bản"),
}


def _certificate(enrolment, serial, status):
    return Certificate.objects.create(
        serial=serial,
        enrolment=enrolment,
        holder_name=enrolment.user.full_name,
        course_title=enrolment.course.title,
        hours=4,
        completed_on=timezone.localdate(),
        issued_at=timezone.now(),
        status=status,
    )


def test_xlsx_export_holds_exactly_the_rows_in_scope(client, world):
    _certificate(world.a1_c1, "CDS-OLD", Certificate.Status.REVOKED)
    _certificate(world.a1_c1, "CDS-0001", Certificate.Status.VALID)

    response = _get(client, world.mgr_a, "courses_compliance_xlsx", year=world.year)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition and f"so-a-{world.year}.xlsx" in disposition
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 2
    details = list(book.worksheets[1].iter_rows(values_only=True))
    header, rows = details[0], details[1:]
    assert len(header) == 10
    assert {(r[2], r[5]) for r in rows} == SCOPE_A
    assert len(rows) == 4
    first = next(r for r in rows if r[2] == "Nguyễn Văn Một" and r[5] == "Kỹ năng số cơ bản")
    assert first[0] == "Sở A / Phòng A1"
    assert first[1] == "phong-a1"
    assert first[3] == "a1@example.vn"
    assert first[4] == "Chuyên viên"
    assert first[9] == "CDS-0001"
    assert first[8] is not None
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert ("Sở A" in summary[0]) and any(r and r[0] == "Phòng A1" for r in summary)


def test_xlsx_export_by_course_and_province(client, world):
    response = _get(
        client,
        world.superuser,
        "courses_compliance_xlsx",
        unit=world.province.pk,
        course=world.c1.pk,
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    names = sorted(r[2] for r in rows)
    assert names == sorted(
        ["Trần Thị Tỉnh", "Nguyễn Văn Một", "Phạm Thị Hai", "Hoàng Văn Bốn", "Bùi Văn Sáu"]
        + ["Đặng Thị Bảy"]
    )
    assert "khoa-" in response["Content-Disposition"]


def test_csv_export_is_streamed_with_a_bom(client, world):
    response = _get(client, world.mgr_a, "courses_compliance_csv", unit=world.a.pk)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows[0]) == 10
    assert {(r[2], r[5]) for r in rows[1:]} == SCOPE_A
    assert len(rows) == 5


def test_exports_keep_formula_like_text_as_text(client, world):
    world.a4_user.full_name = '=HYPERLINK("http://x","y")'
    world.a4_user.save()

    body = b"".join(_get(client, world.mgr_a, "courses_compliance_csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert any(r[2].startswith("'=HYPERLINK") for r in rows)

    response = _get(client, world.mgr_a, "courses_compliance_xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [row[2] for row in book.worksheets[1].iter_rows()]
    cell = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


# Query count ----------------------------------------------------------------------------------


def _grow(world, n, offset):
    """n more staff in each office (and a new office under Sở A), each with course 1."""
    assignment = world.c1.assignments.first()
    new_office = _unit(f"phong-moi-{offset}", f"Phòng mới {offset}", world.a)
    for unit in (world.a1, world.a2, world.b1, new_office):
        for i in range(n):
            user = UserFactory(email=f"s{offset}-{unit.code}-{i}@example.vn", unit=unit)
            EnrolmentFactory(
                user=user,
                course=world.c1,
                assignment=assignment,
                status=(NOT_STARTED, IN_PROGRESS, COMPLETED)[i % 3],
                due_date=world.today,
            )


def _queries(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_staff(client, world):
    client.force_login(world.superuser)

    def selector():
        compliance_summary(user=world.superuser, root_unit=world.province, cycle=world.year)

    def screen():
        assert client.get(reverse(DASHBOARD), {"unit": world.a.pk}).status_code == 200

    def export():
        rows = list(
            compliance_export_rows(user=world.superuser, root_unit=world.province, cycle=world.year)
        )
        assert rows

    _grow(world, 3, "n")
    small = [_queries(selector), _queries(screen), _queries(export)]
    _grow(world, 6, "3n")
    large = [_queries(selector), _queries(screen), _queries(export)]

    assert small == large
    assert small[0] <= 5
    summary = compliance_summary(user=world.superuser, root_unit=world.province, cycle=world.year)
    assert summary.total.assigned == 7 + 4 * 3 + 4 * 6
