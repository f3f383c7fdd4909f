"""Mandatory training: targets, automatic enrolment, yearly cycles, staff who join later, admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courses.models import Assignment, Enrolment
from courses.services.assignments import (
    assignment_current_cycle,
    assignment_enrolments_sync,
    assignment_targets,
    assignments_sync_all,
    user_assignments_sync,
)
from portal.organisations.models import OrganisationUnit
from tests.factories.courses import AssignmentFactory, EnrolmentFactory, PositionFactory
from tests.factories.users import OrganisationUnitFactory, UserFactory


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
    return province, department, office, other


@pytest.fixture
def positions(db):
    return PositionFactory(name="Chuyên viên", code="chuyen-vien"), PositionFactory(
        name="Trưởng phòng", code="truong-phong"
    )


@pytest.fixture
def staff(tree, positions):
    province, department, office, other = tree
    specialist, head = positions
    return {
        "dept_specialist": UserFactory(unit=department, position=specialist),
        "dept_head": UserFactory(unit=department, position=head),
        "office_specialist": UserFactory(unit=office, position=specialist),
        "other_head": UserFactory(unit=other, position=head),
        "inactive": UserFactory(unit=department, position=specialist, is_active=False),
        "no_unit": UserFactory(position=head),
    }


def _targets(assignment):
    return set(assignment_targets(assignment=assignment))


def test_units_with_and_without_subunits(course, tree, staff):
    _, department, _, _ = tree
    with_sub = AssignmentFactory(course=course, units=[department], include_subunits=True)
    without_sub = AssignmentFactory(course=course, units=[department], include_subunits=False)
    assert _targets(with_sub) == {
        staff["dept_specialist"],
        staff["dept_head"],
        staff["office_specialist"],
    }
    assert _targets(without_sub) == {staff["dept_specialist"], staff["dept_head"]}


def test_positions_alone_and_with_units(course, tree, positions, staff):
    _, department, _, _ = tree
    specialist, head = positions
    heads_everywhere = AssignmentFactory(course=course, positions=[head])
    specialists_of_department = AssignmentFactory(
        course=course, units=[department], positions=[specialist]
    )
    assert _targets(heads_everywhere) == {
        staff["dept_head"],
        staff["other_head"],
        staff["no_unit"],
    }
    assert _targets(specialists_of_department) == {
        staff["dept_specialist"],
        staff["office_specialist"],
    }


def test_no_units_and_no_positions_targets_nobody(course, staff):
    assert _targets(AssignmentFactory(course=course)) == set()


def test_sync_enrols_targets_once_with_the_due_date(course, tree, staff):
    _, department, _, _ = tree
    assignment = AssignmentFactory(
        course=course, units=[department], due_date=datetime.date(2030, 6, 30), yearly=False
    )
    assert assignment_enrolments_sync(assignment_id=assignment.pk) == 3
    assert assignment_enrolments_sync(assignment_id=assignment.pk) == 0
    enrolments = Enrolment.objects.filter(assignment=assignment)
    assert {e.user for e in enrolments} == {
        staff["dept_specialist"],
        staff["dept_head"],
        staff["office_specialist"],
    }
    assert {(e.cycle, e.due_date) for e in enrolments} == {(2030, datetime.date(2030, 6, 30))}


def test_sync_attaches_a_self_enrolment_and_keeps_its_progress(course, tree, staff):
    _, department, office, _ = tree
    learner = staff["office_specialist"]
    own = EnrolmentFactory(
        user=learner, course=course, cycle=2030, status="in_progress", progress_percent=40
    )
    assignment = AssignmentFactory(
        course=course, units=[office], due_date=datetime.date(2030, 3, 1), yearly=False
    )
    assignment_enrolments_sync(assignment_id=assignment.pk)
    own.refresh_from_db()
    assert own.assignment == assignment
    assert own.due_date == datetime.date(2030, 3, 1)
    assert own.progress_percent == 40
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_inactive_assignment_enrols_nobody(course, tree, staff):
    _, department, _, _ = tree
    assignment = AssignmentFactory(course=course, units=[department], is_active=False)
    assert assignment_enrolments_sync(assignment_id=assignment.pk) == 0
    assert not Enrolment.objects.exists()


def test_yearly_cycle_rollover_keeps_last_year(course, tree, staff):
    _, department, _, _ = tree
    assignment = AssignmentFactory(
        course=course,
        units=[department],
        include_subunits=False,
        due_date=datetime.date(2025, 11, 30),
        yearly=True,
    )
    assignments_sync_all(today=datetime.date(2025, 3, 1))
    last_year = Enrolment.objects.get(user=staff["dept_head"], cycle=2025)
    last_year.status = Enrolment.Status.COMPLETED
    last_year.progress_percent = 100
    last_year.save()

    # Same year again: nothing new.
    assert assignments_sync_all(today=datetime.date(2025, 12, 31)) == 0
    # New year: a new cycle for everyone, due the same day and month.
    assert assignments_sync_all(today=datetime.date(2026, 1, 1)) == 2
    new_cycle = Enrolment.objects.filter(assignment=assignment, cycle=2026)
    assert {e.due_date for e in new_cycle} == {datetime.date(2026, 11, 30)}
    assert {e.status for e in new_cycle} == {Enrolment.Status.NOT_STARTED}
    last_year.refresh_from_db()
    assert last_year.status == Enrolment.Status.COMPLETED
    assert Enrolment.objects.filter(cycle=2025).count() == 2


def test_one_off_assignment_stays_in_its_year(course, tree, staff):
    _, department, _, _ = tree
    assignment = AssignmentFactory(
        course=course, units=[department], due_date=datetime.date(2025, 11, 30), yearly=False
    )
    assert assignment_current_cycle(assignment=assignment, today=datetime.date(2027, 1, 1)) == 2025
    assignments_sync_all(today=datetime.date(2027, 1, 1))
    assert set(Enrolment.objects.values_list("cycle", flat=True)) == {2025}


def test_yearly_due_date_on_29_february(course, tree, staff):
    _, department, _, _ = tree
    assignment = AssignmentFactory(
        course=course, units=[department], due_date=datetime.date(2028, 2, 29), yearly=True
    )
    assignments_sync_all(today=datetime.date(2029, 1, 5))
    assert set(
        Enrolment.objects.filter(assignment=assignment).values_list("due_date", flat=True)
    ) == {datetime.date(2029, 2, 28)}


@pytest.mark.django_db(transaction=False)
def test_staff_member_joining_later_is_enrolled(
    course, tree, positions, staff, django_capture_on_commit_callbacks
):
    _, department, office, other = tree
    specialist, _ = positions
    assignment = AssignmentFactory(course=course, units=[department])
    assignment_enrolments_sync(assignment_id=assignment.pk)

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = UserFactory(email="moi@example.vn", unit=office, position=specialist)
    assert Enrolment.objects.filter(user=newcomer, assignment=assignment).exists()

    mover = staff["other_head"]
    assert not Enrolment.objects.filter(user=mover).exists()
    with django_capture_on_commit_callbacks(execute=True):
        mover.unit = office
        mover.save()
    assert Enrolment.objects.filter(user=mover, assignment=assignment).exists()


def test_signing_in_does_not_sync(course, tree, staff, django_capture_on_commit_callbacks):
    user = staff["dept_head"]
    with django_capture_on_commit_callbacks() as callbacks:
        user.last_login = datetime.datetime.now(datetime.UTC)
        user.save(update_fields=["last_login"])
        user.full_name = "Trần Thị Bình"
        user.save()
    assert callbacks == []


def test_leaving_the_unit_keeps_the_enrolment(
    course, tree, staff, django_capture_on_commit_callbacks
):
    _, department, _, other = tree
    assignment = AssignmentFactory(course=course, units=[department])
    assignment_enrolments_sync(assignment_id=assignment.pk)
    user = staff["dept_head"]
    with django_capture_on_commit_callbacks(execute=True):
        user.unit = other
        user.save()
    assert Enrolment.objects.filter(user=user, assignment=assignment).exists()


def test_user_sync_skips_inactive_and_untargeted(course, tree, staff):
    _, department, _, _ = tree
    AssignmentFactory(course=course, units=[department])
    assert user_assignments_sync(user_id=staff["inactive"].pk) == 0
    assert user_assignments_sync(user_id=staff["other_head"].pk) == 0
    assert user_assignments_sync(user_id=staff["dept_head"].pk) == 1
    assert user_assignments_sync(user_id=staff["dept_head"].pk) == 0


# --- admin ---------------------------------------------------------------------------------------


@pytest.fixture
def course_manager(db):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Quản lý khóa học")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="courses",
            codename__in=["add_assignment", "change_assignment", "view_assignment"],
        ),
    )
    return UserFactory(email="quanly@example.vn", is_staff=True, groups=[group])


def test_admin_creates_assignment_and_enrols(
    client, course, tree, staff, course_manager, django_capture_on_commit_callbacks
):
    _, department, _, _ = tree
    client.force_login(course_manager)
    assert client.get(reverse("course_assignments:add")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("course_assignments:add"),
            {
                "course": course.pk,
                "units": [department.pk],
                "include_subunits": "on",
                "due_date": "2030-06-30",
                "yearly": "on",
                "remind_days_before": 7,
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = Assignment.objects.get()
    assert assignment.created_by == course_manager
    assert Enrolment.objects.filter(assignment=assignment).count() == 3

    listing = client.get(reverse("course_assignments:index"))
    assert listing.status_code == 200
    assert course.title in listing.content.decode()
    assert "Sở Nội vụ" in listing.content.decode()


def test_admin_edit_resyncs(
    client, course, tree, staff, course_manager, django_capture_on_commit_callbacks
):
    _, department, _, other = tree
    assignment = AssignmentFactory(
        course=course, units=[other], due_date=datetime.date(2030, 6, 30)
    )
    client.force_login(course_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("course_assignments:edit", args=[assignment.pk]),
            {
                "course": course.pk,
                "units": [other.pk, department.pk],
                "due_date": "2030-06-30",
                "yearly": "on",
                "remind_days_before": 10,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    assert Enrolment.objects.filter(assignment=assignment).count() == 3


def test_admin_refuses_users_without_permission(client, course, db):
    editor = UserFactory(email="bientap@example.vn", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(editor)
    assert client.get(reverse("course_assignments:index")).status_code in (302, 403)
    assert client.get(reverse("course_assignments:add")).status_code in (302, 403)
