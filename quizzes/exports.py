"""Excel workbooks for organisers: a contest's unit statistics and a round's full results.

Both return the .xlsx file as bytes. They are written in openpyxl's write-only mode, and the
results stream standings from the database in chunks, so a round with tens of thousands of
contestants is never held in memory as cell objects. `round_results_workbook` is the only place
where citizen IDs are decrypted and shown in full. Times are shown in Asia/Ho_Chi_Minh.
"""

import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.core.personal_data import personal_data_decrypt

from .formatting import duration_text
from .models import Registration, Round, Standing
from .selectors.leaderboard import standings_in_order
from .selectors.statistics import ContestStatistics, Figures, GroupRankingRow

EXPORT_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
DECIMAL_FORMAT = "0.00"
RESULTS_CHUNK_SIZE = 2000
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
_BOLD = Font(bold=True)


class _Sheet:
    """A write-only worksheet with typed cells: text is never read as a formula."""

    def __init__(self, workbook: Workbook, title: str, widths: Iterable[int] = ()):
        self.sheet = workbook.create_sheet(_SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31])
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def cell(self, value, *, number_format: str | None = None, bold=False, indent=0):
        if isinstance(value, datetime):
            value = timezone.localtime(value, EXPORT_TIME_ZONE).replace(tzinfo=None)
            number_format = number_format or DATETIME_FORMAT
        elif isinstance(value, date):
            number_format = number_format or DATE_FORMAT
        elif isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # what contestants typed is text, never a formula
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = _BOLD
        if indent:
            cell.alignment = Alignment(indent=indent)
        return cell

    def append(self, values: Iterable) -> None:
        self.sheet.append(
            [self.cell(value) if isinstance(value, str | date) else value for value in values]
        )

    def header(self, titles: Iterable[str]) -> None:
        self.append([self.cell(str(title), bold=True) for title in titles])


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _duration(duration_ms: int | None) -> str:
    return duration_text(duration_ms) if duration_ms is not None else ""


# Unit statistics ------------------------------------------------------------------------------


def _figure_cells(sheet: _Sheet, figures: Figures, *, with_rate: bool = True) -> list:
    rate = figures.participation_rate
    average = figures.average_fraction
    return [
        figures.headcount if with_rate else None,
        figures.contestants,
        sheet.cell(float(rate), number_format=PERCENT_FORMAT)
        if with_rate and rate is not None
        else None,
        figures.participants,
        figures.attempts,
        figures.results,
        sheet.cell(round(figures.average_score, 2), number_format=DECIMAL_FORMAT)
        if figures.average_score is not None
        else None,
        sheet.cell(float(average), number_format=PERCENT_FORMAT) if average is not None else None,
        *figures.distribution,
    ]


def contest_statistics_workbook(
    *, statistics: ContestStatistics, ranking: list[GroupRankingRow]
) -> bytes:
    """The statistics screen as a workbook: units (rolled up), group ranking, and what it is.

    No query: works on what `contest_statistics` and `contest_group_ranking` returned.
    """
    workbook = Workbook(write_only=True)

    units = _Sheet(workbook, _("By unit"), widths=[48, 16, 12, 12, 14, 12, 12, 12, 12, 14])
    units.header(
        [
            _("Unit"),
            _("Code"),
            _("Headcount"),
            _("Contestants"),
            _("Participation rate"),
            _("Took part"),
            _("Attempts"),
            _("Results counted"),
            _("Average score"),
            _("Average score (%)"),
            *(_("Score %(bucket)s") % {"bucket": label} for label in statistics.bucket_labels),
        ]
    )
    for row in statistics.units:
        unit = row.unit
        units.append(
            [
                units.cell(unit.name, indent=unit.depth - 1),
                unit.code,
                *_figure_cells(units, row.total),
            ]
        )
    units.append(
        [units.cell(_("All staff"), bold=True), None, *_figure_cells(units, statistics.staff)]
    )
    units.append(
        [
            units.cell(_("Citizens"), bold=True),
            None,
            *_figure_cells(units, statistics.citizens, with_rate=False),
        ]
    )
    units.append(
        [
            units.cell(_("Everyone"), bold=True),
            None,
            *_figure_cells(units, statistics.overall, with_rate=False),
        ]
    )

    groups = _Sheet(workbook, _("Group ranking"), widths=[8, 48, 12, 12, 14, 14, 14, 60])
    groups.header(
        [
            _("Rank"),
            _("Unit"),
            _("Headcount"),
            _("Contestants"),
            _("Participation rate"),
            _("Minimum rate required"),
            _("Average score (%)"),
            _("Note"),
        ]
    )
    for entry in ranking:
        figures = entry.unit.total
        rate = figures.participation_rate
        average = figures.average_fraction
        required = entry.required_percent
        groups.append(
            [
                entry.rank,
                entry.unit.unit.name,
                figures.headcount,
                figures.contestants,
                groups.cell(float(rate), number_format=PERCENT_FORMAT)
                if rate is not None
                else None,
                groups.cell(required / 100, number_format=PERCENT_FORMAT)
                if required is not None
                else None,
                groups.cell(float(average), number_format=PERCENT_FORMAT)
                if average is not None
                else None,
                entry.reason,
            ]
        )

    about = _Sheet(workbook, _("Information"), widths=[24, 90])
    about.append([about.cell(_("Contest"), bold=True), statistics.contest.title])
    round_title = statistics.round.title if statistics.round is not None else _("All rounds")
    about.append([about.cell(_("Round"), bold=True), round_title])
    about.append([about.cell(_("Generated at"), bold=True), timezone.now()])
    about.append(
        [
            about.cell(_("Note"), bold=True),
            _(
                "A unit's figures include its sub-units. Participation rate = contestants / "
                "headcount on the payroll. Average score (%) = total score / total maximum score."
            ),
        ]
    )
    return _save(workbook)


# Round results --------------------------------------------------------------------------------


def _ordered_standings(round_: Round, *, by_audience: bool = False) -> QuerySet:
    """The order of the public leaderboard (fixed ranks, or the live order of the contest)."""
    return standings_in_order(round_=round_, by_audience=by_audience).select_related(
        "registration", "registration__province", "registration__commune", "unit"
    )


def _unit_name(standing: Standing) -> str:
    return standing.unit.name if standing.unit is not None else _("Citizen (no unit)")


def _citizen_id(registration: Registration) -> str:
    if not registration.citizen_id_encrypted:
        return ""
    try:
        return personal_data_decrypt(registration.citizen_id_encrypted)
    except ValueError:
        return _("(cannot be decrypted)")


def _prize_groups(round_: Round) -> list[tuple[str, QuerySet]]:
    standings = _ordered_standings(round_)
    if not round_.contest.separate_staff:
        return [(_("All contestants"), standings)]
    return [
        (str(audience.label), standings.filter(audience=audience.value))
        for audience in (Registration.Audience.STAFF, Registration.Audience.CITIZEN)
    ]


def round_results_workbook(*, round_: Round, top: int = 10) -> bytes:
    """Two sheets: "Individual prizes" (the first `top` per audience when the contest separates
    staff and citizens, else overall) and "All results" (every standing, full citizen ID).

    Ordered by fixed rank once the round is ranked, else by the live order. Runs one query per
    prize group plus one streamed query for all results (in chunks of RESULTS_CHUNK_SIZE).
    """
    if not Round._meta.get_field("contest").is_cached(round_):
        round_ = Round.objects.select_related("contest").get(pk=round_.pk)
    workbook = Workbook(write_only=True)

    prizes = _Sheet(
        workbook, _("Individual prizes"), widths=[6, 8, 28, 14, 36, 14, 30, 8, 8, 10, 12, 12, 18]
    )
    if round_.ranked_at is None:
        prizes.append(
            [
                prizes.cell(
                    _(
                        "The round is not ranked yet: provisional order by score, then time "
                        "taken, then submission time."
                    ),
                    bold=True,
                )
            ]
        )
    for title, standings in _prize_groups(round_):
        prizes.append([prizes.cell(title, bold=True)])
        prizes.header(
            [
                _("No."),
                _("Rank"),
                _("Full name"),
                _("Date of birth"),
                _("Unit"),
                _("Phone"),
                _("Email"),
                _("Score"),
                _("Maximum score"),
                _("Time taken (mm:ss)"),
                _("Prediction"),
                _("Prediction error"),
                _("Submitted at"),
            ]
        )
        for position, standing in enumerate(standings[: max(top, 0)], start=1):
            registration = standing.registration
            prizes.append(
                [
                    position,
                    standing.rank,
                    registration.full_name,
                    registration.birth_date,
                    _unit_name(standing),
                    registration.phone,
                    registration.email,
                    standing.score,
                    standing.max_score,
                    _duration(standing.duration_ms),
                    standing.prediction,
                    standing.prediction_error,
                    standing.submitted_at,
                ]
            )
        prizes.append([])

    everyone = _Sheet(
        workbook,
        _("All results"),
        widths=[8, 28, 14, 14, 30, 16, 20, 24, 36, 14, 8, 8, 10, 12, 12, 8, 18],
    )
    everyone.header(
        [
            _("Rank"),
            _("Full name"),
            _("Date of birth"),
            _("Phone"),
            _("Email"),
            _("Citizen ID"),
            _("Province"),
            _("Commune"),
            _("Unit"),
            _("Audience"),
            _("Score"),
            _("Maximum score"),
            _("Time taken (mm:ss)"),
            _("Prediction"),
            _("Prediction error"),
            _("Attempts"),
            _("Submitted at"),
        ]
    )
    audiences = dict(Registration.Audience.choices)
    # Ranks restart for each audience when the contest separates them.
    standings = _ordered_standings(
        round_, by_audience=round_.ranked_at is not None and round_.contest.separate_staff
    )
    for standing in standings.iterator(chunk_size=RESULTS_CHUNK_SIZE):
        registration = standing.registration
        everyone.append(
            [
                standing.rank,
                registration.full_name,
                registration.birth_date,
                registration.phone,
                registration.email,
                _citizen_id(registration),
                registration.province.name if registration.province else "",
                registration.commune.name if registration.commune else "",
                _unit_name(standing),
                str(audiences.get(standing.audience, standing.audience)),
                standing.score,
                standing.max_score,
                _duration(standing.duration_ms),
                standing.prediction,
                standing.prediction_error,
                standing.attempts_count,
                standing.submitted_at,
            ]
        )
    return _save(workbook)
