"""Leaderboards: live order and one contestant's place agree; personal data is masked."""

import datetime

import pytest
from django.utils import timezone

from quizzes.models import Standing
from quizzes.selectors.leaderboard import contest_leaderboard, round_leaderboard, round_position
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.factories.quizzes import RegistrationFactory

pytestmark = pytest.mark.django_db

# (score, duration ms, seconds after the first submission)
RESULTS = [(9, 50_000, 5), (10, 90_000, 1), (10, 60_000, 3), (10, 60_000, 2), (7, 10_000, 0)]


@pytest.fixture
def standings(contest):
    round_ = contest.rounds.get()
    start = timezone.now()
    people = []
    for score, duration, offset in RESULTS:
        registration = RegistrationFactory(contest=contest, full_name="Nguyễn Văn An")
        attempt, _ = attempt_start(assessment=round_.assessment, user=registration.user)
        attempt_submit(public_id=attempt.public_id, user=registration.user)
        Standing.objects.filter(registration=registration).update(
            score=score,
            duration_ms=duration,
            submitted_at=start + datetime.timedelta(seconds=offset),
        )
        people.append(registration)
    return round_, people


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("score,prediction,duration,submitted", [3, 2, 1, 0, 4]),
        ("score,submitted,duration", [1, 3, 2, 0, 4]),
        ("duration,score", [4, 0, 2, 3, 1]),
    ],
)
def test_live_order_and_place_follow_the_contest_keys(standings, keys, expected):
    round_, people = standings
    round_.contest.ranking_keys = keys
    round_.contest.save()
    rows = round_leaderboard(round_=round_)
    phones = [row["phone"] for row in rows]
    assert phones == ["***" + people[i].phone[-4:] for i in expected]
    for place, index in enumerate(expected, start=1):
        assert round_position(round_=round_, registration=people[index]) == place


def test_rows_are_masked_and_overall_sums_rounds(standings):
    round_, people = standings
    row = round_leaderboard(round_=round_)[0]
    assert row["name"] == "Nguyễn V. A."
    assert row["phone"].startswith("***") and len(row["phone"]) == 7
    overall = contest_leaderboard(contest=round_.contest)
    assert [r["score"] for r in overall] == [10, 10, 10, 9, 7]
    assert "citizen_id" not in str(overall)


def test_leaderboard_page_queries_do_not_grow_with_contestants(client, standings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_, _people = standings
    url = round_.contest.url + f"xep-hang/{round_.pk}/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert "Nguyễn V. A." in response.content.decode()
        return len(queries)

    count()  # the first request fills per-process caches (site root, menu)
    before = count()
    for _ in range(10):
        registration = RegistrationFactory(contest=round_.contest)
        attempt, _ = attempt_start(assessment=round_.assessment, user=registration.user)
        attempt_submit(public_id=attempt.public_id, user=registration.user)
    assert count() == before
