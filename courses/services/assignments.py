"""Mandatory training: who an assignment targets, and the enrolments that follow from it.

Enrolments are only ever added or attached here, never removed: a staff member who leaves a unit
keeps the record of what they were assigned, and a new yearly cycle opens new enrolments while
last year's stay as they are.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Assignment, Enrolment

logger = logging.getLogger(__name__)


def assignment_current_cycle(*, assignment: Assignment, today: datetime.date | None = None) -> int:
    """The cycle (year) an assignment is in on `today`.

    A one-off assignment has a single cycle, the year of its due date. A yearly one is in the
    cycle whose due date falls this year, and never before its first cycle.
    """
    if not assignment.yearly:
        return assignment.first_cycle
    today = today or timezone.localdate()
    return max(today.year, assignment.first_cycle)


def assignment_targets(*, assignment: Assignment) -> QuerySet:
    """Active users the assignment targets.

    Units (with their sub-units when `include_subunits`), narrowed to `positions` when any are
    chosen; no units but positions: everyone holding those positions; neither: nobody.
    """
    users = get_user_model().objects.filter(is_active=True)
    units = list(assignment.units.all())
    position_ids = [position.pk for position in assignment.positions.all()]
    if units:
        if assignment.include_subunits:
            in_units = Q()
            for unit in units:
                in_units |= Q(unit__path__startswith=unit.path)
            users = users.filter(in_units)
        else:
            users = users.filter(unit__in=units)
    elif not position_ids:
        return users.none()
    if position_ids:
        users = users.filter(position__in=position_ids)
    return users


def _assignment_covers(*, assignment: Assignment, user) -> bool:
    """`user in assignment_targets(assignment)`, in memory (units and positions prefetched)."""
    if not user.is_active:
        return False
    units = list(assignment.units.all())
    position_ids = {position.pk for position in assignment.positions.all()}
    if not units and not position_ids:
        return False
    if position_ids and user.position_id not in position_ids:
        return False
    if not units:
        return True
    if user.unit is None:
        return False
    if assignment.include_subunits:
        return any(user.unit.path.startswith(unit.path) for unit in units)
    return any(user.unit_id == unit.pk for unit in units)


def _enrol(*, assignment: Assignment, cycle: int, targets: QuerySet) -> int:
    """Creates the missing enrolments of the `targets` users and attaches their self-enrolments.

    Returns how many enrolments were created or attached. Safe to run twice and concurrently:
    rows are inserted with ignore_conflicts on (user, course, cycle), and the attach only touches
    enrolments without an assignment.
    """
    due_date = assignment.due_date_in(cycle)
    existing = Enrolment.objects.filter(course_id=assignment.course_id, cycle=cycle)
    # A learner who enrolled on their own before the assignment reached them: the same row now
    # counts as mandatory, with its progress kept.
    # A subquery, not a list: tens of thousands of ids would pass SQLite's parameter limit.
    attached = existing.filter(assignment__isnull=True, user_id__in=targets.values("pk")).update(
        assignment=assignment, due_date=due_date
    )
    new_user_ids = set(targets.values_list("pk", flat=True)) - set(
        existing.values_list("user_id", flat=True)
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user_id=user_id,
                course_id=assignment.course_id,
                cycle=cycle,
                assignment=assignment,
                due_date=due_date,
            )
            for user_id in sorted(new_user_ids)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return attached + len(new_user_ids)


@transaction.atomic
def assignment_enrolments_sync(*, assignment_id: int, cycle: int | None = None) -> int:
    """Enrols every target of the assignment in its course for `cycle` (default: the current one).

    Idempotent: existing enrolments of the cycle are kept as they are (a user already enrolled
    through another assignment stays with it); self-enrolments are attached. Nothing is removed.
    An inactive or deleted assignment enrols nobody. Returns the number created or attached.
    """
    assignment = (
        Assignment.objects.filter(pk=assignment_id, is_active=True)
        .prefetch_related("units", "positions")
        .first()
    )
    if assignment is None:
        return 0
    if cycle is None:
        cycle = assignment_current_cycle(assignment=assignment)
    count = _enrol(
        assignment=assignment, cycle=cycle, targets=assignment_targets(assignment=assignment)
    )
    logger.info("Assignment %s cycle %s: %s enrolments added", assignment.pk, cycle, count)
    return count


@transaction.atomic
def user_assignments_sync(*, user_id: int, today: datetime.date | None = None) -> int:
    """Enrols one user in every active assignment that targets them, for its current cycle.

    Called when a staff member is created or changes unit, position or becomes active again.
    Idempotent; removes nothing. Returns the number of enrolments created or attached.
    """
    user = get_user_model().objects.select_related("unit").filter(pk=user_id).first()
    if user is None or not user.is_active:
        return 0
    count = 0
    assignments = Assignment.objects.filter(is_active=True).prefetch_related("units", "positions")
    for assignment in assignments:
        if _assignment_covers(assignment=assignment, user=user):
            cycle = assignment_current_cycle(assignment=assignment, today=today)
            targets = get_user_model().objects.filter(pk=user.pk)
            count += _enrol(assignment=assignment, cycle=cycle, targets=targets)
    return count


def assignments_sync_all(*, today: datetime.date | None = None) -> int:
    """Every active assignment for its current cycle (the nightly beat task).

    On the first run of a new year this opens the new cycle of yearly assignments; last year's
    enrolments are left untouched. Each assignment is its own transaction.
    """
    today = today or timezone.localdate()
    total = 0
    for assignment in Assignment.objects.filter(is_active=True).only("pk", "due_date", "yearly"):
        total += assignment_enrolments_sync(
            assignment_id=assignment.pk,
            cycle=assignment_current_cycle(assignment=assignment, today=today),
        )
    return total


def assignment_enrolments_schedule(*, assignment: Assignment) -> None:
    """Enqueues the enrolment of the assignment's targets once the current transaction commits
    (after an assignment is created or edited in the admin)."""
    from ..tasks import assignment_sync_task

    assignment_id = assignment.pk
    transaction.on_commit(lambda: assignment_sync_task.delay(assignment_id))
