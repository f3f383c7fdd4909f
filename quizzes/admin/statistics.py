"""Organisers' screens in the admin: contest statistics per unit, group ranking, Excel exports
and a masked list of registrations.

Wagtail already requires admin access for these URLs (anonymous visitors go to the login page);
each view also requires `quizzes.export_contest_results`, and answers 403 without it.
"""

import logging

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.core.admin_access import admin_permission_required
from portal.core.personal_data import mask_name, mask_tail

from ..exports import contest_statistics_workbook, round_results_workbook
from ..models import ContestPage, Registration, Round
from ..selectors.statistics import (
    GROUP_RANKING_DEFAULT_DEPTH,
    contest_group_ranking,
    contest_registrations,
    contest_rounds,
    contest_statistics,
    contests_for_organisers,
)
from .responses import XLSX_CONTENT_TYPE, download_response

logger = logging.getLogger(__name__)

EXPORT_PERMISSION = "quizzes.export_contest_results"
RESULTS_TOP_DEFAULT = 10
RESULTS_TOP_MAX = 1000
REGISTRATIONS_PER_PAGE = 50


organisers_only = admin_permission_required(
    EXPORT_PERMISSION,
    _(
        "Contest statistics and results are shown only to organisers with the permission to "
        "export contest results."
    ),
)


def _int_param(request, name: str) -> int | None:
    try:
        return int(request.GET[name])
    except (KeyError, ValueError):
        return None


def _chosen_round(request, rounds: list[Round]) -> Round | None:
    """The round of `?round=`, None for all rounds; 404 for a round of another contest."""
    round_id = _int_param(request, "round")
    if round_id is None:
        return None
    for round_ in rounds:
        if round_.pk == round_id:
            return round_
    raise Http404


def _ascii_name(text: str) -> str:
    return slugify(text.replace("đ", "d").replace("Đ", "D"))[:60].strip("-") or "contest"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download_response(content, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _bar(percent: float | None) -> str:
    """An SVG width: dot decimal whatever the language, cut to 0–100."""
    return f"{min(max(percent or 0.0, 0.0), 100.0):.1f}"


@organisers_only
def contest_list(request):
    return TemplateResponse(
        request, "quizzes/admin/contest_list.html", {"contests": contests_for_organisers()}
    )


def _statistics_for(request, contest: ContestPage):
    rounds = contest_rounds(contest=contest)
    round_ = _chosen_round(request, rounds)
    statistics = contest_statistics(contest=contest, round_=round_)
    depth = _int_param(request, "depth")
    if depth not in statistics.depths:
        depth = GROUP_RANKING_DEFAULT_DEPTH
    ranking = contest_group_ranking(statistics=statistics, depth=depth)
    return rounds, round_, statistics, depth, ranking


@organisers_only
def contest_statistics_view(request, page_id: int):
    contest = get_object_or_404(ContestPage, pk=page_id)
    rounds, round_, statistics, depth, ranking = _statistics_for(request, contest)
    unit_rows = [
        {"row": row, "bar": _bar(row.total.participation_percent)} for row in statistics.units
    ]
    most = max(statistics.overall.distribution) or 1
    distribution = [
        {"label": label, "count": count, "bar": _bar(100 * count / most)}
        for label, count in zip(
            statistics.bucket_labels, statistics.overall.distribution, strict=True
        )
    ]
    export_url = reverse("quizzes_contest_statistics_xlsx", args=[contest.pk])
    query = {"round": round_.pk} if round_ else {}
    query["depth"] = depth
    return TemplateResponse(
        request,
        "quizzes/admin/contest_statistics.html",
        {
            "contest": contest,
            "rounds": rounds,
            "round": round_,
            "depth": depth,
            "statistics": statistics,
            "unit_rows": unit_rows,
            "distribution": distribution,
            "summary": [
                (_("All staff"), statistics.staff, True),
                (_("Citizens"), statistics.citizens, False),
                (_("Everyone"), statistics.overall, False),
            ],
            "ranking": ranking,
            "export_url": f"{export_url}?{urlencode(query)}",
            "results_top": RESULTS_TOP_DEFAULT,
        },
    )


@organisers_only
def contest_statistics_export(request, page_id: int):
    contest = get_object_or_404(ContestPage, pk=page_id)
    _rounds, round_, statistics, _depth, ranking = _statistics_for(request, contest)
    content = contest_statistics_workbook(statistics=statistics, ranking=ranking)
    name = f"thong-ke-{_ascii_name(contest.slug)}"
    if round_ is not None:
        name += f"-dot-{round_.pk}"
    return _xlsx_response(content, f"{name}.xlsx")


@organisers_only
def round_results_export(request, page_id: int, round_id: int):
    round_ = get_object_or_404(
        Round.objects.select_related("contest"), pk=round_id, contest_id=page_id
    )
    top = _int_param(request, "top") or RESULTS_TOP_DEFAULT
    top = min(max(top, 1), RESULTS_TOP_MAX)
    content = round_results_workbook(round_=round_, top=top)
    # Decree 13/2023: who took the full personal data out, and when.
    logger.info(
        "Round results with full citizen IDs exported: round %s by user %s",
        round_.pk,
        request.user.pk,
    )
    name = f"ket-qua-{_ascii_name(round_.contest.slug)}-dot-{round_.pk}.xlsx"
    return _xlsx_response(content, name)


@organisers_only
def contest_registrations_view(request, page_id: int):
    contest = get_object_or_404(ContestPage, pk=page_id)
    audience = request.GET.get("audience")
    if audience not in Registration.Audience.values:
        audience = None
    paginator = Paginator(
        contest_registrations(contest=contest, audience=audience), REGISTRATIONS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("p"))
    rows = [
        {
            "name": mask_name(registration.full_name),
            "phone": mask_tail(registration.phone),
            "citizen_id": mask_tail(registration.citizen_id_last4),
            "registration": registration,
        }
        for registration in page.object_list
    ]
    return TemplateResponse(
        request,
        "quizzes/admin/contest_registrations.html",
        {
            "contest": contest,
            "audience": audience,
            "audiences": Registration.Audience.choices,
            "rows": rows,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
        },
    )


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(EXPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path("quizzes/contests/", contest_list, name="quizzes_contests"),
        path(
            "quizzes/contests/<int:page_id>/statistics/",
            contest_statistics_view,
            name="quizzes_contest_statistics",
        ),
        path(
            "quizzes/contests/<int:page_id>/statistics.xlsx",
            contest_statistics_export,
            name="quizzes_contest_statistics_xlsx",
        ),
        path(
            "quizzes/contests/<int:page_id>/rounds/<int:round_id>/results.xlsx",
            round_results_export,
            name="quizzes_round_results_xlsx",
        ),
        path(
            "quizzes/contests/<int:page_id>/registrations/",
            contest_registrations_view,
            name="quizzes_contest_registrations",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return OrganiserMenuItem(
        _("Contest statistics"),
        reverse("quizzes_contests"),
        name="contest-statistics",
        icon_name="table",
        order=252,
    )
