"""Organisers' statistics: per-unit figures rolled up the tree, group ranking, Excel exports
and the admin screens that only holders of `export_contest_results` may open."""

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from portal.core.personal_data import personal_data_decrypt
from portal.locations.models import Commune, Province
from portal.organisations.models import OrganisationUnit
from quizzes.admin.responses import XLSX_CONTENT_TYPE
from quizzes.exports import contest_statistics_workbook, round_results_workbook
from quizzes.models import Choice, ParticipationBand, Round
from quizzes.selectors.statistics import contest_group_ranking, contest_statistics
from quizzes.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from quizzes.services.rounds import round_close
from tests.factories.quizzes import ContestPageFactory, RegistrationFactory, RoundFactory
from tests.factories.users import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTIONS = 5  # 0–2 correct: 0–49%, 3: 60%, 4: 80%, 5: 100%


def _unit(code, *, parent=None, headcount, kind=OrganisationUnit.Kind.DEPARTMENT, name=None):
    return OrganisationUnitFactory(
        parent=parent, code=code, name=name or code, kind=kind, headcount=headcount
    )


def take(round_, registration, *, correct, prediction=None):
    """One submitted attempt with `correct` right answers, through the engine's services."""
    user = registration.user
    attempt, _ = attempt_start(
        assessment=round_.assessment_for(registration.audience),
        user=user,
        not_after=round_.closes_at,
    )
    ids = attempt.question_ids
    right = dict(
        Choice.objects.filter(question_id__in=ids, is_correct=True).values_list("question_id", "pk")
    )
    wrong = {}
    for question_id, pk in Choice.objects.filter(question_id__in=ids, is_correct=False).values_list(
        "question_id", "pk"
    ):
        wrong.setdefault(question_id, pk)
    first, *others = ids
    attempt_answer_save(
        public_id=attempt.public_id,
        user=user,
        question_id=first,
        choice_ids=[right[first] if correct > 0 else wrong[first]],
    )
    answers = {q: [right[q] if i < correct else wrong[q]] for i, q in enumerate(others, start=1)}
    return attempt_submit(
        public_id=attempt.public_id, user=user, answers=answers, prediction=prediction
    )


@pytest.fixture
def world(contest_index, question_bank):
    """UBND tỉnh (2) → Sở A (6) → Phòng A1 (4); Sở B (4) → Phòng B1 (6); Sở C (4); Sở D (2);
    Sở E (0). Bands: up to 5 staff need 50%, 6 or more need 25%.

    Round 1 (counted results): A: a1 5/5 (two attempts, first 3/5), a2 3/5; A1: a3 registered
    only; B1: b1 2/5; C: c1 4/5, c2 4/5; D: d1 5/5; citizens z1 5/5, z2 0/5.
    Round 2: z1 1/5.
    """
    root = _unit("ubnd-tinh", headcount=2, kind=OrganisationUnit.Kind.PROVINCE, name="UBND tỉnh")
    units = SimpleNamespace(
        root=root,
        a=_unit("so-a", parent=root, headcount=6, name="Sở A"),
        b=_unit("so-b", parent=root, headcount=4, name="Sở B"),
        c=_unit("so-c", parent=root, headcount=4, name="Sở C"),
        d=_unit("so-d", parent=root, headcount=2, name="Sở D"),
        e=_unit("so-e", parent=root, headcount=0, name="Sở E"),
    )
    units.a1 = _unit("phong-a1", parent=units.a, headcount=4, kind="office", name="Phòng A1")
    units.b1 = _unit("phong-b1", parent=units.b, headcount=6, kind="office", name="Phòng B1")

    contest = ContestPageFactory(parent=contest_index, separate_staff=True)
    ParticipationBand.objects.create(
        contest=contest, min_headcount=0, max_headcount=5, min_rate_percent=50, sort_order=0
    )
    ParticipationBand.objects.create(
        contest=contest, min_headcount=6, max_headcount=None, min_rate_percent=25, sort_order=1
    )
    round1 = RoundFactory(contest=contest, title="Tuần 1", assessment__questions=QUESTIONS)
    round2 = RoundFactory(contest=contest, title="Tuần 2", assessment__questions=QUESTIONS)

    province = Province.objects.create(
        code=86, name="Vĩnh Long", division_type="tỉnh", codename="vinh_long"
    )
    commune = Commune.objects.create(
        code=29563,
        name="Phường Long Châu",
        division_type="phường",
        codename="long_chau",
        province=province,
    )

    def register(name, unit=None, **kwargs):
        return RegistrationFactory(
            contest=contest,
            unit=unit,
            user__full_name=name,
            province=province,
            commune=commune,
            birth_date=datetime.date(1990, 5, 17),
            **kwargs,
        )

    people = SimpleNamespace(
        a1=register("Nguyễn Văn An", units.a),
        a2=register("Trần Thị Bình", units.a),
        a3=register("Lê Văn Cường", units.a1),
        b1=register("Phạm Thị Dung", units.b1),
        c1=register("Hoàng Văn Em", units.c),
        c2=register("Võ Thị Giang", units.c),
        d1=register("Đặng Văn Hải", units.d),
        z1=register("Bùi Thị Lan"),
        z2=register("=2+3"),  # a name that a spreadsheet would run as a formula
    )
    take(round1, people.a1, correct=3)
    take(round1, people.a1, correct=5, prediction=3)
    take(round1, people.a2, correct=3)
    take(round1, people.b1, correct=2)
    take(round1, people.c1, correct=4)
    take(round1, people.c2, correct=4)
    take(round1, people.d1, correct=5, prediction=10)
    take(round1, people.z1, correct=5, prediction=3)
    take(round1, people.z2, correct=0)
    take(round2, people.z1, correct=1)
    return SimpleNamespace(
        contest=contest, round1=round1, round2=round2, units=units, people=people
    )


def _row(statistics, unit):
    return next(row for row in statistics.units if row.unit.pk == unit.pk)


def _close(round_):
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        opens_at=now - datetime.timedelta(hours=3), closes_at=now - datetime.timedelta(hours=1)
    )
    assert round_close(round_id=round_.pk)
    round_.refresh_from_db()


# Selectors ------------------------------------------------------------------------------------


def test_unit_figures_roll_up_along_the_tree(world):
    statistics = contest_statistics(contest=world.contest, round_=world.round1)
    units = world.units

    a = _row(statistics, units.a)
    assert (a.own.headcount, a.own.contestants, a.own.participants, a.own.attempts) == (6, 2, 2, 3)
    assert (a.total.headcount, a.total.contestants, a.total.participants) == (10, 3, 2)
    assert a.total.attempts == 3
    assert (a.total.results, a.total.score_total, a.total.max_score_total) == (2, 8, 10)
    assert a.total.participation_percent == 30.0
    assert a.total.average_score == 4.0 and a.total.average_percent == 80.0
    assert a.total.distribution == [0, 1, 0, 1]

    a1 = _row(statistics, units.a1)
    assert (a1.total.headcount, a1.total.contestants, a1.total.participants) == (4, 1, 0)
    assert a1.total.attempts == 0 and a1.total.average_score is None

    b = _row(statistics, units.b)
    assert (b.own.contestants, b.total.headcount, b.total.contestants) == (0, 10, 1)
    assert b.total.participation_percent == 10.0 and b.total.distribution == [1, 0, 0, 0]

    c = _row(statistics, units.c)
    assert (c.total.participation_percent, c.total.average_percent) == (50.0, 80.0)
    assert c.total.distribution == [0, 0, 2, 0]

    root = _row(statistics, units.root)
    assert (root.own.headcount, root.total.headcount) == (2, 28)
    assert (root.total.contestants, root.total.participants, root.total.attempts) == (7, 6, 7)
    assert root.total.participation_percent == 25.0
    assert (root.total.score_total, root.total.max_score_total) == (23, 30)
    assert root.total.distribution == [1, 1, 2, 2]

    citizens = statistics.citizens
    assert (citizens.headcount, citizens.contestants, citizens.participants) == (0, 2, 2)
    assert (citizens.attempts, citizens.results, citizens.score_total) == (2, 2, 5)
    assert citizens.participation_rate is None and citizens.average_score == 2.5
    assert citizens.distribution == [1, 0, 0, 1]

    overall = statistics.overall
    assert (overall.contestants, overall.participants, overall.attempts) == (9, 8, 9)
    assert (overall.results, overall.score_total, overall.max_score_total) == (8, 28, 40)
    assert overall.distribution == [2, 1, 2, 3]
    assert statistics.staff.contestants == 7
    assert [row.unit.code for row in statistics.units][:3] == ["ubnd-tinh", "so-a", "phong-a1"]


def test_contest_wide_figures_count_every_round(world):
    statistics = contest_statistics(contest=world.contest)
    citizens = statistics.citizens
    # z1 took part in both rounds: one participant, two counted results.
    assert (citizens.contestants, citizens.participants, citizens.results) == (2, 2, 3)
    assert (citizens.attempts, citizens.score_total, citizens.max_score_total) == (3, 6, 15)
    assert citizens.distribution == [2, 0, 0, 1]
    assert statistics.overall.attempts == 10
    # Round 2 alone: only z1.
    round2 = contest_statistics(contest=world.contest, round_=world.round2)
    assert (round2.citizens.participants, round2.citizens.score_total) == (1, 1)
    assert round2.overall.results == 1 and round2.overall.contestants == 9
    assert _row(round2, world.units.a).total.participants == 0


def test_a_round_of_another_contest_is_refused(world, contest_index):
    other = ContestPageFactory(parent=contest_index)
    with pytest.raises(ValueError):
        contest_statistics(contest=other, round_=world.round1)


def test_group_ranking_follows_the_bands(world):
    statistics = contest_statistics(contest=world.contest, round_=world.round1)
    ranking = contest_group_ranking(statistics=statistics)
    order = [(row.unit.unit.code, row.rank, row.eligible) for row in ranking]
    # C and D both reach exactly 50%: D's higher average score puts it first.
    assert order == [
        ("so-d", 1, True),
        ("so-c", 2, True),
        ("so-a", 3, True),
        ("so-b", None, False),
        ("so-e", None, False),
    ]
    by_code = {row.unit.unit.code: row for row in ranking}
    assert (by_code["so-a"].required_percent, by_code["so-c"].required_percent) == (25, 50)
    assert by_code["so-d"].reason == ""
    with translation.override("en"):
        assert by_code["so-b"].reason == (
            "Participation 10.0% is below the 25% required for a headcount of 10."
        )
        assert by_code["so-e"].reason == "No headcount recorded for this unit."


def test_group_ranking_without_bands_and_at_another_level(world):
    ParticipationBand.objects.filter(contest=world.contest).delete()
    statistics = contest_statistics(contest=world.contest, round_=world.round1)
    ranking = contest_group_ranking(statistics=statistics)
    assert [(row.unit.unit.code, row.rank) for row in ranking] == [
        ("so-d", 1),
        ("so-c", 2),
        ("so-a", 3),
        ("so-b", 4),
        ("so-e", None),
    ]
    offices = contest_group_ranking(statistics=statistics, depth=3)
    assert [(row.unit.unit.code, row.rank) for row in offices] == [
        ("phong-a1", 1),
        ("phong-b1", 2),
    ]


def test_equal_units_share_a_rank(world):
    unit = _unit("so-f", parent=world.units.root, headcount=2, name="Sở F")
    registration = RegistrationFactory(contest=world.contest, unit=unit)
    take(world.round1, registration, correct=5)
    statistics = contest_statistics(contest=world.contest, round_=world.round1)
    ranks = {row.unit.unit.code: row.rank for row in contest_group_ranking(statistics=statistics)}
    assert (ranks["so-d"], ranks["so-f"], ranks["so-c"], ranks["so-a"]) == (1, 1, 3, 4)


def test_statistics_run_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        statistics = contest_statistics(contest=world.contest, round_=world.round1)
        contest_group_ranking(statistics=statistics)
    with CaptureQueriesContext(connection) as before:
        contest_group_ranking(statistics=contest_statistics(contest=world.contest))
    for n in range(6):  # more units and contestants: the same number of queries
        unit = _unit(f"xa-{n}", parent=world.units.root, headcount=10, kind="commune")
        office = _unit(f"xa-{n}-vp", parent=unit, headcount=3, kind="office")
        take(world.round2, RegistrationFactory(contest=world.contest, unit=office), correct=n % 6)
    with CaptureQueriesContext(connection) as after:
        contest_group_ranking(statistics=contest_statistics(contest=world.contest))
    assert len(after) == len(before) <= 5


# Exports --------------------------------------------------------------------------------------


def _cells(workbook):
    return [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def _citizen_ids(world):
    return [
        personal_data_decrypt(registration.citizen_id_encrypted)
        for registration in vars(world.people).values()
    ]


def test_statistics_workbook(world):
    statistics = contest_statistics(contest=world.contest, round_=world.round1)
    ranking = contest_group_ranking(statistics=statistics)
    with translation.override("en"):
        content = contest_statistics_workbook(statistics=statistics, ranking=ranking)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["By unit", "Group ranking", "Information"]

    rows = list(workbook["By unit"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Unit", "Code", "Headcount", "Contestants", "Participation rate")
    by_code = {row[1]: row for row in rows[1:] if row[1]}
    # headcount, contestants, rate, took part, attempts, results, average, average %, buckets
    assert by_code["so-a"][2:] == (10, 3, 0.3, 2, 3, 2, 4.0, 0.8, 0, 1, 0, 1)
    assert by_code["ubnd-tinh"][2:5] == (28, 7, 0.25)
    assert len(by_code) == 8
    totals = {row[0]: row for row in rows[1:] if not row[1]}
    assert totals["Citizens"][2:] == (None, 2, None, 2, 2, 2, 2.5, 0.5, 1, 0, 0, 1)
    assert totals["Everyone"][3] == 9
    assert workbook["By unit"]["C3"].value == 10  # Sở A, in tree order after the root

    ranked = list(workbook["Group ranking"].iter_rows(values_only=True))[1:]
    assert [(row[0], row[1]) for row in ranked] == [
        (1, "Sở D"),
        (2, "Sở C"),
        (3, "Sở A"),
        (None, "Sở B"),
        (None, "Sở E"),
    ]
    assert ranked[3][5] == 0.25 and ranked[3][7].startswith("Participation 10.0%")
    assert not set(_citizen_ids(world)) & set(_cells(workbook))


def test_results_workbook_after_the_round_is_ranked(world):
    _close(world.round1)
    with translation.override("en"):
        content = round_results_workbook(round_=world.round1, top=2)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Individual prizes", "All results"]

    prizes = list(workbook["Individual prizes"].iter_rows(values_only=True))
    titles = [row[0] for row in prizes if row and row[0] in ("Staff member", "Citizen")]
    assert titles == ["Staff member", "Citizen"]
    staff_at = [row[0] for row in prizes].index("Staff member")
    # a1 and d1 both have full marks: a1's exact prediction ranks first.
    assert [row[1:3] for row in prizes[staff_at + 2 : staff_at + 4]] == [
        (1, "Nguyễn Văn An"),
        (2, "Đặng Văn Hải"),
    ]
    assert prizes[staff_at + 4] == (None,) * len(prizes[staff_at + 4])  # only the top 2
    citizen_at = [row[0] for row in prizes].index("Citizen")
    assert [row[1:3] for row in prizes[citizen_at + 2 : citizen_at + 4]] == [
        (1, "Bùi Thị Lan"),
        (2, "=2+3"),
    ]

    sheet = workbook["All results"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:6] == ("Rank", "Full name", "Date of birth", "Phone", "Email", "Citizen ID")
    assert len(body) == 8
    assert [(row[9], row[0]) for row in body] == [
        ("Citizen", 1),
        ("Citizen", 2),
        *[("Staff member", rank) for rank in range(1, 7)],
    ]
    people = world.people
    first = body[2]
    assert first[1:6] == (
        "Nguyễn Văn An",
        datetime.datetime(1990, 5, 17),
        people.a1.phone,
        people.a1.email,
        personal_data_decrypt(people.a1.citizen_id_encrypted),
    )
    assert first[6:] == (
        "Vĩnh Long",
        "Phường Long Châu",
        "Sở A",
        "Staff member",
        5,
        5,
        first[12],
        3,
        0,
        2,
        first[16],
    )
    assert re.fullmatch(r"\d+:\d{2}\.\d", first[12])  # same m:ss.t as the leaderboard
    standing = people.a1.standings.get(round=world.round1)
    vietnam = datetime.timezone(datetime.timedelta(hours=7))
    local = timezone.localtime(standing.submitted_at, vietnam).replace(tzinfo=None)
    assert abs(first[16] - local) < datetime.timedelta(seconds=1)
    assert sheet.cell(row=3, column=17).number_format == "DD/MM/YYYY HH:MM"
    assert body[0][8] == "Citizen (no unit)"
    # Every contestant's full citizen ID, each as text (leading zero kept).
    with_results = [people.a1, people.a2, people.b1, people.c1, people.c2, people.d1]
    expected = {personal_data_decrypt(r.citizen_id_encrypted) for r in with_results}
    expected |= {personal_data_decrypt(r.citizen_id_encrypted) for r in (people.z1, people.z2)}
    assert {row[5] for row in body} == expected
    # What a contestant typed stays text, never a formula.
    formula_row = next(i for i, row in enumerate(body, start=2) if row[1] == "=2+3")
    assert sheet.cell(row=formula_row, column=2).data_type == "s"


def test_results_workbook_of_an_open_round_uses_the_live_order(world):
    with translation.override("en"):
        content = round_results_workbook(round_=world.round1)
    workbook = load_workbook(io.BytesIO(content))
    body = list(workbook["All results"].iter_rows(values_only=True))[1:]
    assert [row[10] for row in body] == [5, 5, 5, 4, 4, 3, 2, 0]
    assert {row[0] for row in body} == {None}
    prizes = list(workbook["Individual prizes"].iter_rows(values_only=True))
    assert prizes[0][0].startswith("The round is not ranked yet")


# Admin screens --------------------------------------------------------------------------------


def _urls(world):
    contest_id = world.contest.pk
    return [
        reverse("quizzes_contests"),
        reverse("quizzes_contest_statistics", args=[contest_id]),
        reverse("quizzes_contest_statistics", args=[contest_id]) + f"?round={world.round1.pk}",
        reverse("quizzes_contest_statistics_xlsx", args=[contest_id]),
        reverse("quizzes_round_results_xlsx", args=[contest_id, world.round1.pk]),
        reverse("quizzes_contest_registrations", args=[contest_id]),
    ]


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _export_permission():
    return Permission.objects.get(
        content_type__app_label="quizzes", codename="export_contest_results"
    )


@pytest.fixture
def organiser(db):
    group = Group.objects.create(name="Ban Tổ chức cuộc thi")
    group.permissions.add(_admin_access(), _export_permission())
    return UserFactory(groups=[group])


@pytest.fixture
def editor(db):
    group = Group.objects.create(name="Biên tập viên")
    group.permissions.add(_admin_access())
    return UserFactory(is_staff=True, groups=[group])


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url


def test_users_without_the_permission_are_refused(client, world, editor):
    outsider = UserFactory()  # no admin access at all
    for user, status in ((editor, 403), (outsider, 302)):
        client.force_login(user)
        for url in _urls(world):
            response = client.get(url)
            assert response.status_code == status, (user, url)
            assert not response.get("Content-Disposition"), url


@pytest.mark.parametrize("who", ["superuser", "organiser"])
def test_organisers_and_superusers_open_every_screen(client, world, organiser, who):
    user = organiser
    if who == "superuser":
        user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        if ".xlsx" in url:
            assert response["Content-Type"] == XLSX_CONTENT_TYPE
            disposition = response["Content-Disposition"]
            assert disposition.startswith("attachment; filename=")
            assert disposition.isascii() and disposition.endswith('.xlsx"')
            load_workbook(io.BytesIO(response.content))


def test_exports_by_the_admin(client, world, organiser):
    client.force_login(organiser)
    statistics_url = reverse("quizzes_contest_statistics_xlsx", args=[world.contest.pk])
    response = client.get(statistics_url + f"?round={world.round1.pk}")
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 3
    assert not set(_citizen_ids(world)) & set(_cells(workbook))

    results_url = reverse("quizzes_round_results_xlsx", args=[world.contest.pk, world.round1.pk])
    response = client.get(results_url + "?top=1")
    assert 'filename="ket-qua-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    prizes, everyone = workbook.worksheets
    assert len(list(everyone.iter_rows())) == 1 + 8
    cells = set(_cells(workbook))
    assert {personal_data_decrypt(world.people.a1.citizen_id_encrypted)} <= cells
    # top=1: one contestant per audience on the prize sheet.
    assert sum(1 for row in prizes.iter_rows(values_only=True) if isinstance(row[0], int)) == 2


def test_statistics_screen(client, world, organiser):
    client.force_login(organiser)
    url = reverse("quizzes_contest_statistics", args=[world.contest.pk])
    response = client.get(url, {"round": world.round1.pk})
    html = response.content.decode()
    ranking = response.context["ranking"]
    assert [row.unit.unit.code for row in ranking if row.eligible] == ["so-d", "so-c", "so-a"]
    assert response.context["statistics"].round == world.round1
    assert 'data-unit="so-d" data-rank="1"' in html
    assert 'width="30.0%"' in html  # Sở A's participation bar
    assert "<script" not in html.split('id="units"')[1]  # charts are plain SVG
    assert reverse("quizzes_round_results_xlsx", args=[world.contest.pk, world.round2.pk]) in html
    for citizen_id in _citizen_ids(world):
        assert citizen_id not in html
    offices = client.get(url, {"depth": 3})
    assert [row.unit.unit.code for row in offices.context["ranking"]] == ["phong-a1", "phong-b1"]


def test_a_round_of_another_contest_is_not_found(client, world, organiser, contest_index):
    other = ContestPageFactory(parent=contest_index)
    other_round = RoundFactory(contest=other)
    client.force_login(organiser)
    url = reverse("quizzes_contest_statistics", args=[world.contest.pk])
    assert client.get(url, {"round": other_round.pk}).status_code == 404
    assert client.get(url, {"round": "abc"}).status_code == 200  # ignored: every round
    results = reverse("quizzes_round_results_xlsx", args=[world.contest.pk, other_round.pk])
    assert client.get(results).status_code == 404


def test_statistics_screen_queries_do_not_grow_with_units(client, world, organiser):
    client.force_login(organiser)
    url = reverse("quizzes_contest_statistics", args=[world.contest.pk])
    client.get(url)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        unit = _unit(f"xa-{n}", parent=world.units.root, headcount=10, kind="commune")
        RegistrationFactory(contest=world.contest, unit=unit)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= 20


def test_contest_list_counts_rounds_and_registrations(client, world, organiser, contest_index):
    empty = ContestPageFactory(parent=contest_index, title="Cuộc thi chưa có ai đăng ký")
    client.force_login(organiser)
    response = client.get(reverse("quizzes_contests"))
    counts = {c.pk: (c.round_count, c.registration_count) for c in response.context["contests"]}
    assert counts == {world.contest.pk: (2, 9), empty.pk: (0, 0)}
    html = response.content.decode()
    assert reverse("quizzes_contest_statistics", args=[world.contest.pk]) in html


def test_registrations_are_masked(client, world, organiser, monkeypatch):
    monkeypatch.setattr("quizzes.admin.statistics.REGISTRATIONS_PER_PAGE", 5)
    client.force_login(organiser)
    url = reverse("quizzes_contest_registrations", args=[world.contest.pk])
    html = client.get(url).content.decode() + client.get(url, {"p": 2}).content.decode()
    people = world.people
    assert "Nguyễn V. A." in html and "Nguyễn Văn An" not in html
    assert f"***{people.a1.phone[-4:]}" in html and people.a1.phone not in html
    assert f"***{people.a1.citizen_id_last4}" in html
    for citizen_id in _citizen_ids(world):
        assert citizen_id not in html
    staff_only = client.get(url, {"audience": "staff"})
    assert staff_only.context["page"].paginator.count == 7


def test_menu_item_only_for_organisers(client, world, organiser, editor):
    url = reverse("quizzes_contests")
    client.force_login(organiser)
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()
