"""Leaderboards from the indexed standings table; never a scan of attempts.

A ranked round reads `rank` (index on round, audience, rank); a round still running reads the
live order (index on round, score desc, duration, submitted), prediction not yet known.
"""

from django.db.models import Count, F, Sum

from portal.core.personal_data import mask_name, mask_tail

from ..models import ContestPage, Registration, Round, Standing
from ..ranking_keys import RANKING_KEYS


def live_keys(contest: ContestPage) -> list[str]:
    """The contest's order without the prediction, unknown until the round closes."""
    return [key for key in contest.ranking_key_list if key != "prediction"] or ["score"]


def _order_by(keys: list[str]) -> list:
    """Live keys are never null; a plain DESC/ASC (no NULLS LAST) lets PostgreSQL walk the
    (round, score desc, duration, submitted) index instead of sorting the whole round."""
    order = []
    for key in keys:
        column, descending = RANKING_KEYS[key]
        order.append(F(column).desc() if descending else F(column).asc())
    return [*order, "id"]


def _public_row(position, standing: Standing, *, show_prediction: bool) -> dict:
    """Masked; predictions only once the round is ranked (earlier they would help rivals)."""
    registration = standing.registration
    return {
        "position": position,
        "name": mask_name(registration.full_name),
        "phone": mask_tail(registration.phone),
        "unit": standing.unit.name if standing.unit_id else "",
        "score": standing.score,
        "max_score": standing.max_score,
        "duration_ms": standing.duration_ms,
        "prediction": standing.prediction if show_prediction else None,
        "prediction_error": standing.prediction_error if show_prediction else None,
        "submitted_at": standing.submitted_at,
    }


def standings_in_order(*, round_: Round, by_audience: bool = False):
    """The round's standings in ranking order: the fixed rank once ranked, else the live order
    of the contest's keys. `by_audience` groups staff and citizens first (separate ranks)."""
    standings = Standing.objects.filter(round=round_)
    ranked = round_.ranked_at is not None
    order = ["rank", "id"] if ranked else _order_by(live_keys(round_.contest))
    return standings.order_by(*(["audience"] if by_audience else []), *order)


def round_leaderboard(*, round_: Round, audience: str | None = None, limit: int = 100) -> list:
    """The top `limit` of the round with masked personal data (pass the audience when the
    contest ranks staff and citizens separately)."""
    standings = standings_in_order(round_=round_).select_related("registration", "unit")
    if audience:
        standings = standings.filter(audience=audience)
    rows = list(standings[:limit])
    if round_.ranked_at is not None:
        return [_public_row(s.rank, s, show_prediction=True) for s in rows]
    return [_public_row(i, s, show_prediction=False) for i, s in enumerate(rows, start=1)]


def round_position(*, round_: Round, registration: Registration) -> int | None:
    """One contestant's place: the fixed rank, or live, how many stand before them + 1."""
    standing = Standing.objects.filter(round=round_, registration=registration).first()
    if standing is None:
        return None
    if standing.rank is not None:
        return standing.rank
    standings = Standing.objects.filter(round=round_)
    if round_.contest.separate_staff:
        standings = standings.filter(audience=standing.audience)
    # Those ahead, counted per key: equal on the keys before it and better on it, then equal on
    # all and an earlier row id. Each count is an index range; one OR over them would scan.
    ahead, equal = 0, {}
    for key in live_keys(round_.contest):
        column, descending = RANKING_KEYS[key]
        value = getattr(standing, column)
        better = {f"{column}__{'gt' if descending else 'lt'}": value}
        ahead += standings.filter(**equal, **better).count()
        equal[column] = value
    ahead += standings.filter(**equal, pk__lt=standing.pk).count()
    return ahead + 1


def contest_leaderboard(
    *, contest: ContestPage, audience: str | None = None, limit: int = 100
) -> list:
    """Overall: total score over the rounds, then total time taken (masked personal data)."""
    standings = Standing.objects.filter(round__contest=contest)
    if audience:
        standings = standings.filter(audience=audience)
    totals = (
        standings.values("registration_id")
        .annotate(
            total_score=Sum("score"),
            total_max=Sum("max_score"),
            total_ms=Sum("duration_ms"),
            rounds=Count("id"),
        )
        .order_by("-total_score", "total_ms", "registration_id")[:limit]
    )
    totals = list(totals)
    registrations = Registration.objects.select_related("unit").in_bulk(
        [row["registration_id"] for row in totals]
    )
    rows = []
    for position, row in enumerate(totals, start=1):
        registration = registrations[row["registration_id"]]
        rows.append(
            {
                "position": position,
                "name": mask_name(registration.full_name),
                "phone": mask_tail(registration.phone),
                "unit": registration.unit.name if registration.unit_id else "",
                "score": row["total_score"],
                "max_score": row["total_max"],
                "duration_ms": row["total_ms"],
                "rounds": row["rounds"],
            }
        )
    return rows
