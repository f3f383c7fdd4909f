"""Contest statistics for organisers: per organisation unit, rolled up along the unit tree.

Everything here is computed in a fixed number of queries, whatever the size of the tree: one
GROUP BY per source table (registrations, standings, attempts), one for the units and one for
the participation bands; the roll-up along the tree is done in Python over the unit list.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.organisations.models import OrganisationUnit

from ..models import Attempt, ContestPage, ParticipationBand, Registration, Round, Standing

# Lower bounds (in percent of the maximum score) of the score distribution's buckets: a result
# falls in the last bucket whose lower bound it reaches, so 79.9% is in 50–79% and only full
# marks are in 100%.
SCORE_BUCKET_BOUNDS: tuple[int, ...] = (0, 50, 80, 100)
SCORE_BUCKET_LABELS: tuple[str, ...] = ("0–49%", "50–79%", "80–99%", "100%")

# Units directly under the root of the tree: departments, communes' committees and areas.
GROUP_RANKING_DEFAULT_DEPTH = 2


def _bucket_filter(index: int) -> Q:
    """Standings whose percentage score falls in bucket `index`, compared in integers."""
    condition = Q()
    if index > 0:
        condition &= Q(score_x100__gte=F("max_score") * SCORE_BUCKET_BOUNDS[index])
    if index + 1 < len(SCORE_BUCKET_BOUNDS):
        condition &= Q(score_x100__lt=F("max_score") * SCORE_BUCKET_BOUNDS[index + 1])
    return condition


@dataclass
class Figures:
    """The figures of one unit (or of the citizens, or of everyone); additive, so they roll up.

    - `contestants`: registrations for the contest;
    - `participants`: contestants with a counted (finished) attempt, in the round or in any round;
    - `attempts`: attempts started by contestants at the round's tests (or at any round's);
    - `results`: counted attempts, one per contestant and round (standings);
    - `distribution`: results per score bucket (see SCORE_BUCKET_BOUNDS).
    """

    headcount: int = 0
    contestants: int = 0
    participants: int = 0
    attempts: int = 0
    results: int = 0
    score_total: int = 0
    max_score_total: int = 0
    distribution: list[int] = field(default_factory=lambda: [0] * len(SCORE_BUCKET_BOUNDS))

    def add(self, other: "Figures") -> None:
        self.headcount += other.headcount
        self.contestants += other.contestants
        self.participants += other.participants
        self.attempts += other.attempts
        self.results += other.results
        self.score_total += other.score_total
        self.max_score_total += other.max_score_total
        self.distribution = [
            a + b for a, b in zip(self.distribution, other.distribution, strict=True)
        ]

    def copy(self) -> "Figures":
        return Figures(
            headcount=self.headcount,
            contestants=self.contestants,
            participants=self.participants,
            attempts=self.attempts,
            results=self.results,
            score_total=self.score_total,
            max_score_total=self.max_score_total,
            distribution=list(self.distribution),
        )

    @property
    def participation_rate(self) -> Fraction | None:
        """Contestants per member of staff on the payroll (exact); None without a headcount."""
        return Fraction(self.contestants, self.headcount) if self.headcount else None

    @property
    def participation_percent(self) -> float | None:
        rate = self.participation_rate
        return float(rate * 100) if rate is not None else None

    @property
    def average_score(self) -> float | None:
        """Mean score (points) of the counted attempts; None when there is none."""
        return self.score_total / self.results if self.results else None

    @property
    def average_fraction(self) -> Fraction | None:
        """Total score over total maximum (exact): the mean percentage when tests are alike."""
        return Fraction(self.score_total, self.max_score_total) if self.max_score_total else None

    @property
    def average_percent(self) -> float | None:
        average = self.average_fraction
        return float(average * 100) if average is not None else None


@dataclass
class UnitStatistics:
    unit: OrganisationUnit
    own: Figures
    total: Figures  # the unit and every unit below it


@dataclass
class ContestStatistics:
    contest: ContestPage
    round: Round | None
    units: list[UnitStatistics]  # every unit, in tree order
    citizens: Figures  # registrations without a unit (người dân); headcount stays 0
    overall: Figures  # everyone: the roots' totals and the citizens
    bands: list[ParticipationBand]
    bucket_labels: tuple[str, ...] = SCORE_BUCKET_LABELS

    @property
    def staff(self) -> Figures:
        """Everyone with a unit: the roots' totals."""
        staff = Figures()
        for row in self.units:
            if row.unit.depth == 1:
                staff.add(row.total)
        return staff

    @property
    def depths(self) -> list[int]:
        return sorted({row.unit.depth for row in self.units})


def contest_statistics(*, contest: ContestPage, round_: Round | None = None) -> ContestStatistics:
    """Contestants, attempts, participation, average score and score distribution per unit.

    Limited to one round when `round_` is given (contestants are the contest's registrations
    either way). Each unit's `total` includes its sub-units (path prefix), headcount included;
    `own` is the unit alone. Runs five queries whatever the number of units or contestants.
    Raises ValueError when the round belongs to another contest.
    """
    if round_ is not None and round_.contest_id != contest.pk:
        raise ValueError("the round belongs to another contest")
    units = list(
        OrganisationUnit.objects.order_by("path").only(
            "pk", "name", "code", "kind", "path", "depth", "headcount", "is_active"
        )
    )
    own: dict[int | None, Figures] = {unit.pk: Figures(headcount=unit.headcount) for unit in units}
    own[None] = Figures()

    for unit_id, count in (
        Registration.objects.filter(contest=contest)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    ):
        own.setdefault(unit_id, Figures()).contestants = count

    standings = Standing.objects.filter(round__contest=contest)
    if round_ is not None:
        standings = Standing.objects.filter(round=round_)
    bucket_counts = {
        f"b{i}": Count("pk", filter=_bucket_filter(i)) for i in range(len(SCORE_BUCKET_BOUNDS))
    }
    for row in (
        standings.order_by()
        .alias(score_x100=F("score") * 100)
        .values("unit_id")
        .annotate(
            participants=Count("registration_id", distinct=True),
            results=Count("pk"),
            score_total=Sum("score"),
            max_score_total=Sum("max_score"),
            **bucket_counts,
        )
    ):
        figures = own.setdefault(row["unit_id"], Figures())
        figures.participants = row["participants"]
        figures.results = row["results"]
        figures.score_total = row["score_total"] or 0
        figures.max_score_total = row["max_score_total"] or 0
        figures.distribution = [row[f"b{i}"] for i in range(len(SCORE_BUCKET_BOUNDS))]

    for unit_id, count in _attempt_counts(contest=contest, round_=round_):
        own.setdefault(unit_id, Figures()).attempts = count

    rows = [
        UnitStatistics(unit=unit, own=own[unit.pk], total=own[unit.pk].copy()) for unit in units
    ]
    _roll_up(rows)
    overall = own[None].copy()
    for row in rows:
        if row.unit.depth == 1:
            overall.add(row.total)
    bands = list(ParticipationBand.objects.filter(contest=contest).order_by("sort_order", "pk"))
    return ContestStatistics(
        contest=contest, round=round_, units=rows, citizens=own[None], overall=overall, bands=bands
    )


def _attempt_counts(*, contest: ContestPage, round_: Round | None):
    """(unit id, attempts) of the contest's registrations at the round's tests (or all rounds')."""
    if round_ is not None:
        tests = Q(
            assessment_id__in=[
                pk for pk in (round_.assessment_id, round_.staff_assessment_id) if pk
            ]
        )
    else:
        rounds = Round.objects.filter(contest=contest)
        tests = Q(assessment_id__in=rounds.values("assessment_id")) | Q(
            assessment_id__in=rounds.filter(staff_assessment__isnull=False).values(
                "staff_assessment_id"
            )
        )
    return (
        Attempt.objects.filter(tests, user__contest_registrations__contest=contest)
        .order_by()
        .values("user__contest_registrations__unit_id")
        .annotate(n=Count("pk"))
        .values_list("user__contest_registrations__unit_id", "n")
    )


def _roll_up(rows: list[UnitStatistics]) -> None:
    """Adds each unit's total into its parent's, deepest units first, so totals cover subtrees."""
    by_path = {row.unit.path: row for row in rows}
    step = OrganisationUnit.steplen
    for row in sorted(rows, key=lambda r: r.unit.depth, reverse=True):
        parent = by_path.get(row.unit.path[:-step]) if row.unit.depth > 1 else None
        if parent is not None:
            parent.total.add(row.total)


def participation_band_for(*, bands: list[ParticipationBand], headcount: int):
    """The first band (in the organisers' order) covering `headcount`, or None."""
    return next((band for band in bands if band.covers(headcount)), None)


@dataclass
class GroupRankingRow:
    unit: UnitStatistics
    band: ParticipationBand | None
    eligible: bool
    rank: int | None = None
    no_headcount: bool = False

    @property
    def required_percent(self) -> int | None:
        return self.band.min_rate_percent if self.band is not None else None

    @property
    def reason(self) -> str:
        """Why the unit is not ranked, in the active language; empty when it is."""
        if self.eligible:
            return ""
        if self.no_headcount:
            return _("No headcount recorded for this unit.")
        return _(
            "Participation %(rate)s%% is below the %(required)s%% required for a headcount "
            "of %(headcount)s."
        ) % {
            "rate": number_format(self.unit.total.participation_percent, 1),
            "required": self.required_percent,
            "headcount": self.unit.total.headcount,
        }


def _ranking_key(row: GroupRankingRow):
    figures = row.unit.total
    rate = figures.participation_rate
    average = figures.average_fraction
    return (-(rate if rate is not None else -1), -(average if average is not None else -1))


def contest_group_ranking(
    *, statistics: ContestStatistics, depth: int = GROUP_RANKING_DEFAULT_DEPTH
) -> list[GroupRankingRow]:
    """Group (unit) prize ranking of the units at `depth`, on their rolled-up figures.

    A unit is eligible when its participation rate reaches the minimum of the first band that
    covers its rolled-up headcount (no band covering it: eligible); a unit without headcount has
    no rate and is not eligible. Eligible units come first, ranked 1, 2, … by participation rate
    then average score (higher first; equal on both share a rank, then by name); the others
    follow in the same order with `rank` None and a `reason`. No query: works on `statistics`.
    """
    rows = []
    for unit_row in statistics.units:
        if unit_row.unit.depth != depth:
            continue
        figures = unit_row.total
        band = participation_band_for(bands=statistics.bands, headcount=figures.headcount)
        if not figures.headcount:
            rows.append(
                GroupRankingRow(unit=unit_row, band=band, eligible=False, no_headcount=True)
            )
            continue
        # Integers on both sides: 20 of 100 staff reach a 20% minimum exactly.
        eligible = band is None or figures.contestants * 100 >= band.min_rate_percent * (
            figures.headcount
        )
        rows.append(GroupRankingRow(unit=unit_row, band=band, eligible=eligible))
    rows.sort(key=lambda r: (not r.eligible, _ranking_key(r), r.unit.unit.name, r.unit.unit.pk))
    previous_key, previous_rank = None, 0
    for position, row in enumerate((r for r in rows if r.eligible), start=1):
        key = _ranking_key(row)
        row.rank = previous_rank if key == previous_key else position
        previous_key, previous_rank = key, row.rank
    return rows


def contests_for_organisers():
    """Every contest, newest first, with its numbers of rounds and registrations (one query)."""
    rounds = Round.objects.filter(contest=OuterRef("pk")).order_by().values("contest")
    registrations = Registration.objects.filter(contest=OuterRef("pk")).order_by().values("contest")
    return ContestPage.objects.annotate(
        round_count=Coalesce(Subquery(rounds.annotate(n=Count("pk")).values("n")), 0),
        registration_count=Coalesce(Subquery(registrations.annotate(n=Count("pk")).values("n")), 0),
    ).order_by(F("first_published_at").desc(nulls_last=True), "title", "pk")


def contest_rounds(*, contest: ContestPage) -> list[Round]:
    """The contest's rounds in the editors' order."""
    return list(Round.objects.filter(contest=contest).order_by("sort_order", "pk"))


def contest_registrations(*, contest: ContestPage, audience: str | None = None):
    """The contest's registrations, newest first, with unit and province for listing.

    Returns a lazy queryset for pagination; masking personal data is the caller's business.
    """
    registrations = Registration.objects.filter(contest=contest).select_related("unit", "province")
    if audience:
        registrations = registrations.filter(audience=audience)
    return registrations.order_by("-created_at", "-pk")
