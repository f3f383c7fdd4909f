"""Compliance with mandatory training ("100% of staff trained every year"), per unit and course.

A mandatory enrolment is an Enrolment with an assignment, counted in its yearly cycle. Staff are
counted in the unit they belong to NOW (a move between units carries their enrolments along),
and only while their account is active. Figures roll up along the OrganisationUnit tree: a unit's
row covers its whole subtree.

Every figure comes from aggregate queries grouped by the prefix of the learner's unit path
(`Substr(path, 1, steplen * (depth + 1))` is the path of the child unit the learner sits under),
so the number of queries is the same for ten staff or fifty thousand, and for any number of units.

Scope: superusers see every unit; a unit manager sees the subtree of each unit they manage;
anyone else sees nothing. Selectors that take a root unit raise PermissionDenied outside scope.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from portal.organisations.models import OrganisationUnit, UnitManager

from ..models import Assignment, Certificate, CoursePage, Enrolment

EXPORT_CHUNK_SIZE = 2000
TARGET_PERCENT = 100


@dataclass(frozen=True)
class ComplianceFigures:
    """Counts of mandatory enrolments; `overdue` overlaps `in_progress` and `not_started`."""

    assigned: int = 0
    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    staff: int | None = None  # active staff in the subtree (None where it does not apply)
    unassigned: int | None = None  # of them, with no mandatory enrolment in the selection

    @property
    def rate(self) -> float | None:
        """Completion rate in percent, None when nothing is assigned."""
        if not self.assigned:
            return None
        return 100 * self.completed / self.assigned

    @property
    def remaining(self) -> int:
        return self.assigned - self.completed

    @property
    def meets_target(self) -> bool:
        return bool(self.assigned) and self.completed >= self.assigned

    def __add__(self, other: "ComplianceFigures") -> "ComplianceFigures":
        def both(a, b):
            return None if a is None and b is None else (a or 0) + (b or 0)

        return ComplianceFigures(
            assigned=self.assigned + other.assigned,
            completed=self.completed + other.completed,
            in_progress=self.in_progress + other.in_progress,
            not_started=self.not_started + other.not_started,
            overdue=self.overdue + other.overdue,
            staff=both(self.staff, other.staff),
            unassigned=both(self.unassigned, other.unassigned),
        )


@dataclass(frozen=True)
class UnitCompliance:
    """One row of the drill-down: a child unit rolled up over its subtree, or (with
    `direct=True`) the staff who belong to the root unit itself."""

    unit: OrganisationUnit
    figures: ComplianceFigures
    direct: bool = False

    @property
    def can_drill(self) -> bool:
        return not self.direct and self.unit.numchild > 0


@dataclass(frozen=True)
class CourseCompliance:
    course_id: int
    title: str
    figures: ComplianceFigures


@dataclass
class ComplianceSummary:
    root: OrganisationUnit
    cycle: int
    course_id: int | None
    total: ComplianceFigures
    units: list[UnitCompliance] = field(default_factory=list)
    courses: list[CourseCompliance] = field(default_factory=list)
    target_percent: int = TARGET_PERCENT


# Scope ----------------------------------------------------------------------------------------


def compliance_scope_units(*, user) -> list[OrganisationUnit]:
    """The top units `user` may look into: every root for a superuser, the units they manage
    otherwise (a managed unit inside another managed unit is left out: its parent covers it).
    Empty for anonymous and inactive users and for anyone who manages nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return list(OrganisationUnit.get_root_nodes())
    units = sorted(
        (m.unit for m in UnitManager.objects.filter(user=user).select_related("unit")),
        key=lambda unit: unit.path,
    )
    top: list[OrganisationUnit] = []
    for unit in units:
        if not any(unit.path.startswith(kept.path) for kept in top):
            top.append(unit)
    return top


def compliance_unit_allowed(*, scope: list[OrganisationUnit], unit: OrganisationUnit) -> bool:
    """True when `unit` is one of the scope units or lies under one."""
    return any(unit.path.startswith(top.path) for top in scope)


def compliance_check_scope(*, user, unit: OrganisationUnit) -> list[OrganisationUnit]:
    """The user's scope; raises PermissionDenied when `unit` lies outside it."""
    scope = compliance_scope_units(user=user)
    if not compliance_unit_allowed(scope=scope, unit=unit):
        raise PermissionDenied
    return scope


def compliance_breadcrumb(
    *, scope: list[OrganisationUnit], unit: OrganisationUnit
) -> list[OrganisationUnit]:
    """The drill-down path from the scope unit holding `unit` down to `unit` (one query)."""
    top = next((s for s in scope if unit.path.startswith(s.path)), None)
    if top is None:
        return []
    steplen = OrganisationUnit.steplen
    paths = [unit.path[:end] for end in range(len(top.path), len(unit.path) + 1, steplen)]
    return list(OrganisationUnit.objects.filter(path__in=paths).order_by("depth"))


# Filters --------------------------------------------------------------------------------------


def compliance_courses() -> list[CoursePage]:
    """Courses that have ever been assigned, for the course filter."""
    return list(
        CoursePage.objects.filter(Exists(Assignment.objects.filter(course_id=OuterRef("pk"))))
        .only("id", "title")
        .order_by("title")
    )


def compliance_cycles() -> list[int]:
    """Years that can be chosen, newest first: from the earliest assignment's first cycle to
    this year (or the latest due year, if later)."""
    this_year = timezone.localdate().year
    years = Assignment.objects.order_by("due_date").values_list("due_date", flat=True)
    first = years.first()
    last = years.last()
    start = min(first.year, this_year) if first else this_year
    end = max(last.year, this_year) if last else this_year
    return list(range(end, start - 1, -1))


# Figures --------------------------------------------------------------------------------------


def _mandatory(*, root: OrganisationUnit, cycle: int, course_id: int | None):
    enrolments = Enrolment.objects.filter(
        assignment__isnull=False,
        cycle=cycle,
        user__is_active=True,
        user__unit__path__startswith=root.path,
    )
    if course_id is not None:
        enrolments = enrolments.filter(course_id=course_id)
    return enrolments


def _figure_counts(today: datetime.date) -> dict:
    status = Enrolment.Status
    return {
        "assigned": Count("id"),
        "completed": Count("id", filter=Q(status=status.COMPLETED)),
        "in_progress": Count("id", filter=Q(status=status.IN_PROGRESS)),
        "not_started": Count("id", filter=Q(status=status.NOT_STARTED)),
        "overdue": Count("id", filter=~Q(status=status.COMPLETED) & Q(due_date__lt=today)),
    }


def _figures(row: dict) -> ComplianceFigures:
    return ComplianceFigures(
        assigned=row["assigned"],
        completed=row["completed"],
        in_progress=row["in_progress"],
        not_started=row["not_started"],
        overdue=row["overdue"],
    )


def compliance_summary(
    *, user, root_unit: OrganisationUnit, cycle: int, course_id: int | None = None
) -> ComplianceSummary:
    """Figures of `root_unit`'s subtree for `cycle` (and one course when given): the total, one
    row per child unit rolled up over its subtree (plus a row for staff placed directly in the
    root unit, when there are any), and one row per course.

    Four queries whatever the number of staff, enrolments or units. Raises PermissionDenied when
    `root_unit` is outside `user`'s scope.
    """
    compliance_check_scope(user=user, unit=root_unit)
    today = timezone.localdate()
    prefix_len = OrganisationUnit.steplen * (root_unit.depth + 1)
    prefix = Substr("user__unit__path", 1, prefix_len)
    mandatory = _mandatory(root=root_unit, cycle=cycle, course_id=course_id)

    by_prefix = {
        row["prefix"]: _figures(row)
        for row in mandatory.annotate(prefix=prefix)
        .values("prefix")
        .annotate(**_figure_counts(today))
        .order_by()
    }

    # Active staff of the subtree, and those with no mandatory enrolment in the selection.
    own_enrolments = Enrolment.objects.filter(
        user_id=OuterRef("pk"), cycle=cycle, assignment__isnull=False
    )
    if course_id is not None:
        own_enrolments = own_enrolments.filter(course_id=course_id)
    staff_by_prefix = {
        row["prefix"]: (row["staff"], row["unassigned"])
        for row in get_user_model()
        .objects.filter(is_active=True, unit__path__startswith=root_unit.path)
        .annotate(prefix=Substr("unit__path", 1, prefix_len))
        .values("prefix")
        .annotate(
            staff=Count("id"),
            unassigned=Count("id", filter=~Exists(own_enrolments)),
        )
        .order_by()
    }

    def with_staff(figures: ComplianceFigures, key: str) -> ComplianceFigures:
        staff, unassigned = staff_by_prefix.get(key, (0, 0))
        return ComplianceFigures(**{**figures.__dict__, "staff": staff, "unassigned": unassigned})

    rows = [
        UnitCompliance(
            unit=child,
            figures=with_staff(by_prefix.get(child.path, ComplianceFigures()), child.path),
        )
        for child in root_unit.get_children()
    ]
    direct = with_staff(by_prefix.get(root_unit.path, ComplianceFigures()), root_unit.path)
    if direct.assigned or direct.staff:
        rows.insert(0, UnitCompliance(unit=root_unit, figures=direct, direct=True))
    total = sum((row.figures for row in rows), ComplianceFigures(staff=0, unassigned=0))

    courses = [
        CourseCompliance(
            course_id=row["course_id"], title=row["course__title"], figures=_figures(row)
        )
        for row in mandatory.values("course_id", "course__title")
        .annotate(**_figure_counts(today))
        .order_by("course__title", "course_id")
    ]
    return ComplianceSummary(
        root=root_unit, cycle=cycle, course_id=course_id, total=total, units=rows, courses=courses
    )


# Export ---------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "unit",
    "unit_code",
    "full_name",
    "email",
    "position",
    "course",
    "due_date",
    "status",
    "completed_at",
    "certificate",
)


def compliance_export_rows(
    *, user, root_unit: OrganisationUnit, cycle: int, course_id: int | None = None
) -> Iterator[tuple]:
    """One tuple per mandatory enrolment in `root_unit`'s subtree, in EXPORT_COLUMNS order:
    unit (names from the root down, " / "-separated), unit code, staff name, email, position,
    course title, due date, status label, completion time (local, naive), valid certificate
    serial ("" when none).

    Reads with a server-side cursor in chunks of EXPORT_CHUNK_SIZE rows and keeps only the
    subtree's unit names in memory, so memory stays flat however many rows there are.
    Raises PermissionDenied (before yielding anything) when `root_unit` is outside scope.
    """
    compliance_check_scope(user=user, unit=root_unit)
    return _export_rows(root_unit=root_unit, cycle=cycle, course_id=course_id)


def _export_rows(*, root_unit, cycle, course_id) -> Iterator[tuple]:
    steplen = OrganisationUnit.steplen
    names = dict(
        OrganisationUnit.objects.filter(path__startswith=root_unit.path).values_list("path", "name")
    )
    labels: dict[str, str] = {}

    def unit_label(path: str) -> str:
        if path not in labels:
            parts = range(len(root_unit.path), len(path) + 1, steplen)
            labels[path] = " / ".join(names.get(path[:end], "") for end in parts)
        return labels[path]

    statuses = dict(Enrolment.Status.choices)
    tz = timezone.get_current_timezone()
    valid_serial = Certificate.objects.filter(
        enrolment_id=OuterRef("pk"), status=Certificate.Status.VALID
    ).values("serial")[:1]
    rows = (
        _mandatory(root=root_unit, cycle=cycle, course_id=course_id)
        .annotate(serial=Subquery(valid_serial))
        .order_by("user__unit__path", "user__full_name", "user_id", "course__title", "id")
        .values_list(
            "user__unit__path",
            "user__unit__code",
            "user__full_name",
            "user__email",
            "user__position__name",
            "course__title",
            "due_date",
            "status",
            "completed_at",
            "serial",
        )
    )
    for path, code, name, email, position, course, due, status, completed, serial in rows.iterator(
        chunk_size=EXPORT_CHUNK_SIZE
    ):
        if completed is not None:
            completed = timezone.localtime(completed, tz).replace(tzinfo=None)
        yield (
            unit_label(path),
            code,
            name,
            email,
            position or "",
            course,
            due,
            str(statuses.get(status, status)),
            completed,
            serial or "",
        )
