"""A contestant's whole way through a contest over HTTP, and the refusals along it."""

import datetime
import io
import json

import pytest
from django.utils import timezone

from quizzes.models import Attempt, AttemptAnswer, AttemptEvent, Choice, Registration, Standing
from quizzes.services.rounds import round_close
from tests.factories.quizzes import RegistrationFactory

pytestmark = pytest.mark.django_db

VALID_ID = "086095001234"  # Vĩnh Long code 086, male born 1995


def register(client, contest, **overrides):
    data = {
        "full_name": "Trần Thị Bình",
        "birth_date": "1995-04-12",
        "phone": "0912000111",
        "email": "binh@example.vn",
        "password": "Mat-khau-du-thi-2026",
        "citizen_id": VALID_ID,
        "province": "",
        "commune": "",
        "unit": "",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(contest.url + "dang-ky/", data)


@pytest.fixture
def contest_no_address(contest):
    contest.ask_address = False
    contest.save()
    return contest


def start(client, contest):
    round_ = contest.rounds.get()
    response = client.post(contest.url + f"vong/{round_.pk}/bat-dau/")
    assert response.status_code == 302, response
    return Attempt.objects.get(), response["Location"]


def put(client, url, payload):
    return client.put(url, json.dumps(payload), content_type="application/json")


def test_register_start_save_reload_submit(client, contest_no_address):
    contest = contest_no_address
    response = register(client, contest)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.audience == "citizen" and registration.citizen_id_last4 == "1234"
    assert VALID_ID not in registration.citizen_id_encrypted + registration.citizen_id_hash
    assert registration.consent_text == contest.consent_text

    attempt, location = start(client, contest)
    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200
    assert "is_correct" not in html and "explanation" not in html.lower()
    api = f"/api/quizzes/attempts/{attempt.public_id}"
    for question_id in attempt.question_ids[:7]:
        choice = Choice.objects.get(question_id=question_id, is_correct=True)
        assert (
            put(
                client, api + "/answers", {"question": question_id, "choices": [choice.pk]}
            ).status_code
            == 200
        )
    assert put(client, api + "/prediction", {"value": 12}).status_code == 200
    reloaded = client.get(location).content.decode()
    assert reloaded.count(" checked") == 7
    state = client.get(api).json()
    assert len(state["answers"]) == 7 and state["prediction"] == 12
    assert 0 < state["remaining_seconds"] <= 20 * 60

    done = client.post(api + "/submit")
    again = client.post(api + "/submit")
    assert done.json()["score"] == 7 == again.json()["score"]
    result = client.get(location, follow=True)
    assert "7/10" in result.content.decode()
    assert Standing.objects.get().score == 7


def test_form_submit_without_javascript_saves_every_answer(client, contest_no_address):
    register(client, contest_no_address)
    attempt, location = start(client, contest_no_address)
    data = {}
    for question_id in attempt.question_ids:
        data[f"q{question_id}"] = Choice.objects.get(question_id=question_id, is_correct=True).pk
    data["prediction"] = "5"
    response = client.post(location, data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.prediction) == ("submitted", 10, 5)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"citizen_id": "999095001234"}, "citizen_id"),  # no such province code
        ({"citizen_id": "086085001234"}, "citizen_id"),  # born 1985 by the ID, 1995 by the form
        ({"phone": "12345"}, "phone"),
        ({"consent": ""}, "consent"),
    ],
)
def test_bad_registration_changes_nothing(client, contest_no_address, overrides, field):
    response = register(client, contest_no_address, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Registration.objects.exists()


@pytest.mark.parametrize("field", ["email", "phone", "citizen_id"])
def test_one_registration_per_person(client, contest_no_address, field):
    assert register(client, contest_no_address).status_code == 302
    client.logout()
    other = {
        "email": "khac@example.vn",
        "phone": "0933000222",
        "citizen_id": "086095009999",
    }
    other.pop(field)
    response = register(client, contest_no_address, **other)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Registration.objects.count() == 1


def test_restricted_contest_takes_the_unit_of_the_staff_account(client, contest_no_address):
    from tests.factories.users import OrganisationUnitFactory, UserFactory

    allowed = OrganisationUnitFactory()
    office = OrganisationUnitFactory(parent=allowed)
    elsewhere = OrganisationUnitFactory()
    contest_no_address.access = "units"
    contest_no_address.save()
    contest_no_address.allowed_units.add(allowed)
    contest_no_address.save()

    response = register(client, contest_no_address)  # a visitor: sign in first
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]

    outsider = UserFactory(email="ngoai@example.vn", unit=elsewhere)
    client.force_login(outsider)
    response = register(client, contest_no_address, unit=allowed.pk, email=outsider.email)
    assert response.status_code == 400  # the unit claimed in the form does not count
    assert not Registration.objects.exists()

    staff = UserFactory(email="canbo@example.vn", unit=office)
    client.force_login(staff)
    response = register(client, contest_no_address, unit=elsewhere.pk, email=staff.email)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.unit, registration.audience) == (office, "staff")


def test_api_refuses_bad_input_and_others(client, contest_no_address, django_user_model):
    register(client, contest_no_address)
    attempt, _ = start(client, contest_no_address)
    api = f"/api/quizzes/attempts/{attempt.public_id}"
    assert client.put(
        api + "/answers", "{not json", content_type="application/json"
    ).status_code in (400, 422)
    assert put(client, api + "/answers", {"question": 10**9, "choices": []}).status_code == 400
    assert (
        put(
            client,
            api + "/answers",
            {"question": attempt.question_ids[0], "choices": list(range(50))},
        ).status_code
        == 422
    )
    huge = {"question": attempt.question_ids[0], "choices": [], "x": "a" * 10_000}
    assert put(client, api + "/answers", huge).status_code == 413
    client.logout()
    assert (
        put(
            client, api + "/answers", {"question": attempt.question_ids[0], "choices": []}
        ).status_code
        == 401
    )
    other = RegistrationFactory(contest=contest_no_address)
    client.force_login(other.user)
    assert (
        put(
            client, api + "/answers", {"question": attempt.question_ids[0], "choices": []}
        ).status_code
        == 404
    )
    assert client.post(api + "/submit").status_code == 404
    assert not AttemptAnswer.objects.exists()
    assert Attempt.objects.get().status == "in_progress"


def test_round_close_ranks_with_prediction_tie_break(contest_no_address):
    from quizzes.services.attempts import attempt_prediction_save, attempt_start, attempt_submit

    round_ = contest_no_address.rounds.get()
    people = RegistrationFactory.create_batch(3, contest=contest_no_address)
    for registration, prediction in zip(people, [100, 2, 3], strict=True):
        attempt, _ = attempt_start(assessment=round_.assessment, user=registration.user)
        attempt_prediction_save(
            public_id=attempt.public_id, user=registration.user, prediction=prediction
        )
        attempt_submit(public_id=attempt.public_id, user=registration.user)
    # everyone scored 0/10 of 10, so full marks = 0: |2-0| < |3-0| < |100-0|
    round_.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    round_.save()
    Attempt.objects.update(grace_seconds=0)
    assert round_close(round_id=round_.pk) is True
    assert round_close(round_id=round_.pk) is False
    round_.refresh_from_db()
    assert round_.prediction_actual == 0
    ranks = dict(Standing.objects.values_list("registration_id", "rank"))
    assert [ranks[p.pk] for p in people] == [3, 1, 2]


def test_rebuild_standings_recomputes_from_attempts(contest_no_address):
    from django.core.management import call_command

    from quizzes.services.attempts import attempt_start, attempt_submit

    round_ = contest_no_address.rounds.get()
    registration = RegistrationFactory(contest=contest_no_address)
    for _ in range(2):
        attempt, _ = attempt_start(assessment=round_.assessment, user=registration.user)
        attempt_submit(public_id=attempt.public_id, user=registration.user)
    best = Standing.objects.get()
    Standing.objects.all().delete()
    call_command("rebuild_standings", stdout=io.StringIO())
    rebuilt = Standing.objects.get()
    assert (rebuilt.attempt_id, rebuilt.attempts_count, rebuilt.score) == (
        best.attempt_id,
        2,
        best.score,
    )


def test_saves_and_registrations_are_rate_limited(client, contest_no_address, settings):
    settings.QUIZ_RATE_LIMITS = {**settings.QUIZ_RATE_LIMITS, "save_user": (3, 60)}
    register(client, contest_no_address)
    attempt, _ = start(client, contest_no_address)
    api = f"/api/quizzes/attempts/{attempt.public_id}/answers"
    payload = {"question": attempt.question_ids[0], "choices": []}
    statuses = [put(client, api, payload).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Quá nhiều yêu cầu" in put(client, api, payload).json()["detail"]

    settings.QUIZ_RATE_LIMITS = {**settings.QUIZ_RATE_LIMITS, "register_ip": (0, 3600)}
    client.logout()
    response = register(client, contest_no_address, email="x@example.vn", phone="0933111222")
    assert response.status_code == 429
    assert Registration.objects.count() == 1


def test_after_the_round_closes_an_overdue_attempt_is_graded_and_no_new_one_starts(
    contest_no_address,
):
    from quizzes.errors import AssessmentNotOpen
    from quizzes.services.contests import contest_attempt_start

    round_ = contest_no_address.rounds.get()
    registration = RegistrationFactory(contest=contest_no_address)
    attempt, _ = contest_attempt_start(round_=round_, user=registration.user)
    past = timezone.now() - datetime.timedelta(minutes=5)
    Attempt.objects.update(deadline=past, started_at=past - datetime.timedelta(minutes=20))
    type(round_).objects.filter(pk=round_.pk).update(closes_at=past)
    round_.refresh_from_db()
    with pytest.raises(AssessmentNotOpen):  # RoundNotOpen is one too
        contest_attempt_start(round_=round_, user=registration.user)
    assert list(Attempt.objects.values_list("status", flat=True)) == ["expired"]


def test_review_waits_until_no_attempt_is_left_or_the_round_closes(client, contest_no_address):
    register(client, contest_no_address)
    round_ = contest_no_address.rounds.get()
    round_.assessment.attempts_allowed = 2
    round_.assessment.save()
    attempt, location = start(client, contest_no_address)
    client.post(f"/api/quizzes/attempts/{attempt.public_id}/submit")
    explanation = "Theo Quyết định 749/QĐ-TTg."
    first = client.get(location, follow=True).content.decode()
    assert "0/10" in first and explanation not in first  # one attempt left: no answers yet
    response = client.post(contest_no_address.url + f"vong/{round_.pk}/bat-dau/")
    second = Attempt.objects.exclude(pk=attempt.pk).get()
    client.post(f"/api/quizzes/attempts/{second.public_id}/submit")
    assert explanation in client.get(response["Location"], follow=True).content.decode()
    assert explanation in client.get(location, follow=True).content.decode()


def test_bad_form_values_give_messages_not_errors(client, contest_no_address):
    register(client, contest_no_address)
    attempt, location = start(client, contest_no_address)
    response = client.post(location, {"prediction": "²"}, follow=True)
    assert response.status_code == 200
    assert "số nguyên" in response.content.decode()
    assert Attempt.objects.get().status == "in_progress"
    assert client.get(contest_no_address.url + "bai-thi/" + "-" * 36 + "/").status_code == 404
    client.logout()
    contest_no_address.ask_address = True
    contest_no_address.save()
    response = register(client, contest_no_address, email="k@example.vn", province="abc")
    assert response.status_code == 400 and "province" in response.context["form"].errors


def test_phone_numbers_are_compared_in_one_spelling(client, contest_no_address):
    assert register(client, contest_no_address, phone="+84912000111").status_code == 302
    assert Registration.objects.get().phone == "0912000111"
    client.logout()
    response = register(
        client, contest_no_address, email="b2@example.vn", citizen_id="086095009999"
    )
    assert response.status_code == 400 and "phone" in response.context["form"].errors


def test_late_saves_are_logged_as_refused(client, contest_no_address):
    register(client, contest_no_address)
    attempt, _ = start(client, contest_no_address)
    Attempt.objects.update(deadline=timezone.now() - datetime.timedelta(minutes=2))
    api = f"/api/quizzes/attempts/{attempt.public_id}/answers"
    response = put(client, api, {"question": attempt.question_ids[0], "choices": []})
    assert response.status_code == 409
    kinds = list(AttemptEvent.objects.values_list("kind", flat=True))
    assert kinds[-2:] == ["auto_close", "refused"]


def test_live_leaderboard_hides_predictions(client, contest_no_address):
    from quizzes.services.attempts import attempt_prediction_save, attempt_start, attempt_submit

    round_ = contest_no_address.rounds.get()
    registration = RegistrationFactory(contest=contest_no_address)
    attempt, _ = attempt_start(assessment=round_.assessment, user=registration.user)
    attempt_prediction_save(public_id=attempt.public_id, user=registration.user, prediction=987654)
    attempt_submit(public_id=attempt.public_id, user=registration.user)
    url = contest_no_address.url + f"xep-hang/{round_.pk}/"
    assert "987654" not in client.get(url).content.decode()
    type(round_).objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    Attempt.objects.update(grace_seconds=0)
    round_close(round_id=round_.pk)
    assert "987654" in client.get(url).content.decode()


def test_separate_staff_get_their_own_test_and_ranking(contest_no_address):
    from quizzes.services.contests import contest_attempt_start
    from tests.factories.quizzes import AssessmentFactory
    from tests.factories.users import OrganisationUnitFactory

    contest = contest_no_address
    contest.separate_staff = True
    contest.save()
    round_ = contest.rounds.get()
    round_.staff_assessment = AssessmentFactory(questions=5)
    round_.save()
    unit = OrganisationUnitFactory()
    people = [
        RegistrationFactory(contest=contest),
        RegistrationFactory(contest=contest),
        RegistrationFactory(contest=contest, unit=unit),
    ]
    for registration in people:
        attempt, _ = contest_attempt_start(round_=round_, user=registration.user)
        expected = round_.staff_assessment if registration.unit else round_.assessment
        assert attempt.assessment == expected and attempt.max_score == expected.question_count
        attempt_submit_for(registration.user, attempt)
    type(round_).objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    Attempt.objects.update(grace_seconds=0)
    round_close(round_id=round_.pk)
    ranks = dict(Standing.objects.values_list("registration__audience", "rank").filter(rank=1))
    assert ranks == {"citizen": 1, "staff": 1}  # one winner per prize block
    assert Standing.objects.filter(audience="staff").get().rank == 1


def attempt_submit_for(user, attempt):
    from quizzes.services.attempts import attempt_submit

    return attempt_submit(public_id=attempt.public_id, user=user)
