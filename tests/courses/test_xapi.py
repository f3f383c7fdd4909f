"""xAPI ingestion: only the signed-in learner's statements about an activity of a course they
are enrolled in; the server recomputes the score; attempts and grading methods."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import ActivityProgress, H5PAttempt, LessonActivity, XapiStatement
from courses.selectors.learning import activity_iri
from courses.services.progress import LearningRefused
from courses.services.xapi import xapi_statement_record
from tests.factories.courses import (
    CoursePageFactory,
    EnrolmentFactory,
    learning_block,
    learning_h5p_content,
    learning_lesson,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-Thu-nghiem-1"
VERB = "http://adlnet.gov/expapi/verbs/"


def _h5p_lesson(course, completion="passed", pass_percent=60, grading="highest"):
    content = learning_h5p_content()
    lesson = learning_lesson(
        course,
        [
            learning_block(
                "h5p",
                {
                    "content": content.pk,
                    "completion": completion,
                    "pass_percent": pass_percent,
                    "grading": grading,
                },
            )
        ],
    )
    return lesson, LessonActivity.objects.get(lesson=lesson)


@pytest.fixture
def setup(course):
    lesson, activity = _h5p_lesson(course)
    enrolment = EnrolmentFactory(course=course)
    return lesson, activity, enrolment, enrolment.user


def statement(
    user,
    activity,
    *,
    verb="answered",
    raw=3,
    max_=4,
    scaled=None,
    sub=None,
    statement_id=None,
    success=True,
):
    object_id = activity_iri(activity) + (f"?subContentId={sub}" if sub else "")
    data = {
        "actor": {"name": user.full_name, "mbox": f"mailto:{user.email}", "objectType": "Agent"},
        "verb": {"id": VERB + verb, "display": {"en-US": verb}},
        "object": {
            "id": object_id,
            "objectType": "Activity",
            "definition": {
                "extensions": {"http://h5p.org/x-api/h5p-local-content-id": 1},
                "name": {"en-US": "Đúng hay sai"},
                "interactionType": "true-false",
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "correctResponsesPattern": ["true"],
            },
        },
        "context": {
            "contextActivities": {
                "category": [
                    {"id": "http://h5p.org/libraries/H5P.TrueFalse-1.8", "objectType": "Activity"}
                ]
            }
        },
    }
    if raw is not None:
        data["result"] = {
            "score": {
                "min": 0,
                "max": max_,
                "raw": raw,
                "scaled": scaled if scaled is not None else (raw / max_ if max_ else 0),
            },
            "success": success,
            "completion": True,
            "duration": "PT4.2S",
            "response": "true",
        }
    if statement_id:
        data["id"] = statement_id
    return data


def _client(user, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _post(client, activity_id, data, csrf_token=None):
    headers = {"HTTP_X_CSRFTOKEN": csrf_token} if csrf_token else {}
    return client.post(
        reverse("api:courses_xapi"),
        data=json.dumps({"activity": activity_id, "statement": data}),
        content_type="application/json",
        **headers,
    )


def test_answered_statement_closes_an_attempt_and_completes(setup):
    lesson, activity, enrolment, user = setup
    response = _post(_client(user), activity.pk, statement(user, activity, raw=3, max_=4))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["recorded"] and body["activity_complete"] and body["lesson_complete"]
    assert body["course_percent"] == 33  # 1 of 3 lessons
    attempt = H5PAttempt.objects.get()
    assert attempt.number == 1 and attempt.finished_at and attempt.score_scaled == 0.75
    assert XapiStatement.objects.get().attempt == attempt
    progress = ActivityProgress.objects.get(enrolment=enrolment, activity=activity)
    assert progress.passed and progress.score_scaled == 0.75


def test_server_recomputes_scaled_ignoring_the_client(setup):
    _lesson, activity, enrolment, user = setup
    result = xapi_statement_record(
        user=user,
        activity_id=activity.pk,
        statement=statement(user, activity, raw=1, max_=4, scaled=1.0),
    )
    assert XapiStatement.objects.get().score_scaled == 0.25
    assert H5PAttempt.objects.get().score_scaled == 0.25
    assert not result.activity_complete  # 25 % < 60 %


def test_raw_above_max_clamps_to_one_and_negative_to_zero(setup):
    _lesson, activity, _enrolment, user = setup
    xapi_statement_record(
        user=user, activity_id=activity.pk, statement=statement(user, activity, raw=9, max_=4)
    )
    xapi_statement_record(
        user=user, activity_id=activity.pk, statement=statement(user, activity, raw=-3, max_=4)
    )
    assert list(H5PAttempt.objects.order_by("number").values_list("score_scaled", flat=True)) == [
        1.0,
        0.0,
    ]


def test_max_zero_is_stored_but_closes_nothing(setup):
    _lesson, activity, _enrolment, user = setup
    result = xapi_statement_record(
        user=user, activity_id=activity.pk, statement=statement(user, activity, raw=0, max_=0)
    )
    stored = XapiStatement.objects.get()
    assert stored.score_scaled is None and stored.attempt.finished_at is None
    assert not result.activity_complete


def test_sub_content_statements_are_stored_but_never_count(setup):
    _lesson, activity, _enrolment, user = setup
    result = xapi_statement_record(
        user=user,
        activity_id=activity.pk,
        statement=statement(user, activity, raw=4, max_=4, sub=str(uuid.uuid4())),
    )
    assert XapiStatement.objects.count() == 1
    attempt = H5PAttempt.objects.get()
    assert attempt.finished_at is None and not result.activity_complete
    assert not ActivityProgress.objects.filter(completed_at__isnull=False).exists()


def test_forged_actor_is_refused_403(setup, course):
    _lesson, activity, _enrolment, user = setup
    other = UserFactory()
    EnrolmentFactory(course=course, user=other)
    response = _post(_client(user), activity.pk, statement(other, activity))
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not XapiStatement.objects.exists()


def test_actor_email_case_does_not_matter(setup):
    _lesson, activity, _enrolment, user = setup
    data = statement(user, activity)
    data["actor"]["mbox"] = f"MAILTO:{user.email.upper()}"
    assert _post(_client(user), activity.pk, data).status_code == 200


def test_activity_of_a_course_not_enrolled_is_refused(setup, course_index):
    _lesson, _activity, _enrolment, user = setup
    other_course = CoursePageFactory(parent=course_index)
    _other_lesson, other_activity = _h5p_lesson(other_course)
    response = _post(_client(user), other_activity.pk, statement(user, other_activity))
    assert response.status_code == 403
    assert not XapiStatement.objects.exists()


def test_statement_about_another_activity_is_refused_400(setup, course):
    _lesson, activity, _enrolment, user = setup
    _second_lesson, second = _h5p_lesson(course)
    # Posted for `activity` but about `second` (another learner's IRI or a made-up one).
    response = _post(_client(user), activity.pk, statement(user, second))
    assert response.status_code == 400
    data = statement(user, activity)
    data["object"]["id"] = activity_iri(activity) + "0"
    assert _post(_client(user), activity.pk, data).status_code == 400
    assert not XapiStatement.objects.exists()


def test_unknown_or_removed_activity_is_404(setup):
    _lesson, activity, _enrolment, user = setup
    client = _client(user)
    assert _post(client, 999999, statement(user, activity)).status_code == 404
    LessonActivity.objects.filter(pk=activity.pk).update(is_live=False)
    assert _post(client, activity.pk, statement(user, activity)).status_code == 404


def test_bad_verb_and_bad_statement_id_are_400(setup):
    _lesson, activity, _enrolment, user = setup
    data = statement(user, activity)
    data["verb"]["id"] = "answered"
    client = _client(user)
    assert _post(client, activity.pk, data).status_code == 400
    data = statement(user, activity, statement_id="not-a-uuid")
    assert _post(client, activity.pk, data).status_code == 400
    assert not XapiStatement.objects.exists()


def test_replayed_statement_id_changes_nothing(setup):
    _lesson, activity, _enrolment, user = setup
    client = _client(user)
    statement_id = str(uuid.uuid4())
    first = _post(client, activity.pk, statement(user, activity, statement_id=statement_id))
    again = _post(client, activity.pk, statement(user, activity, statement_id=statement_id))
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert XapiStatement.objects.count() == 1 and H5PAttempt.objects.count() == 1


def test_oversized_body_is_413_and_malformed_body_is_422(setup):
    _lesson, activity, _enrolment, user = setup
    client = _client(user)
    data = statement(user, activity)
    data["object"]["definition"]["description"] = {"vi": "x" * (70 * 1024)}
    assert _post(client, activity.pk, data).status_code == 413
    response = client.post(
        reverse("api:courses_xapi"), data="{nope", content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"]
    response = client.post(
        reverse("api:courses_xapi"),
        data=json.dumps({"activity": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not XapiStatement.objects.exists()


def test_csrf_is_required(setup):
    _lesson, activity, _enrolment, user = setup
    client = _client(user, csrf=True)
    response = _post(client, activity.pk, statement(user, activity))
    assert response.status_code == 403
    assert not XapiStatement.objects.exists()
    client.get(activity.lesson.url)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert _post(client, activity.pk, statement(user, activity), token).status_code == 200


def test_anonymous_is_refused(setup):
    _lesson, activity, _enrolment, user = setup
    assert _post(Client(), activity.pk, statement(user, activity)).status_code == 401


def test_rate_limit(setup, settings):
    settings.COURSES_RATE_LIMITS = {"xapi": (2, 60), "video": (2, 60)}
    _lesson, activity, _enrolment, user = setup
    client = _client(user)
    codes = [
        _post(client, activity.pk, statement(user, activity, raw=None)).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_statements_without_score_go_to_the_open_attempt(setup):
    _lesson, activity, _enrolment, user = setup
    for verb in ("attempted", "interacted"):
        xapi_statement_record(
            user=user,
            activity_id=activity.pk,
            statement=statement(user, activity, verb=verb, raw=None),
        )
    xapi_statement_record(
        user=user, activity_id=activity.pk, statement=statement(user, activity, raw=4, max_=4)
    )
    xapi_statement_record(
        user=user,
        activity_id=activity.pk,
        statement=statement(user, activity, verb="attempted", raw=None),
    )
    attempts = list(H5PAttempt.objects.order_by("number"))
    assert [a.statements.count() for a in attempts] == [3, 1]
    assert attempts[0].finished_at and attempts[1].finished_at is None


def test_passed_failed_verbs_set_success(setup):
    _lesson, activity, _enrolment, user = setup
    xapi_statement_record(
        user=user,
        activity_id=activity.pk,
        statement=statement(user, activity, verb="failed", raw=1, max_=4, success=True),
    )
    assert H5PAttempt.objects.get().success is False


def test_service_refusals_carry_status(setup):
    _lesson, activity, _enrolment, user = setup
    with pytest.raises(LearningRefused) as excinfo:
        xapi_statement_record(user=user, activity_id=activity.pk, statement="nope")
    assert excinfo.value.status == 400
    with pytest.raises(LearningRefused) as excinfo:
        xapi_statement_record(
            user=user, activity_id=str(activity.pk), statement=statement(user, activity)
        )
    assert excinfo.value.status == 404


@pytest.mark.parametrize(
    ("grading", "expected", "passed"),
    [
        ("highest", 0.75, True),
        ("last", 0.5, False),
        ("first", 0.25, False),
        ("average", 0.5, False),
    ],
)
def test_grading_methods(course, grading, expected, passed):
    _lesson, activity = _h5p_lesson(course, pass_percent=60, grading=grading)
    enrolment = EnrolmentFactory(course=course)
    user = enrolment.user
    for raw in (1, 3, 2):
        xapi_statement_record(
            user=user, activity_id=activity.pk, statement=statement(user, activity, raw=raw, max_=4)
        )
    progress = ActivityProgress.objects.get(enrolment=enrolment, activity=activity)
    assert progress.score_scaled == pytest.approx(expected)
    assert progress.passed is passed
    assert bool(progress.completed_at) is passed
    assert H5PAttempt.objects.filter(finished_at__isnull=False).count() == 3


def test_completion_rule_completed_needs_only_a_finished_attempt(course):
    _lesson, activity = _h5p_lesson(course, completion="completed", pass_percent=90)
    enrolment = EnrolmentFactory(course=course)
    result = xapi_statement_record(
        user=enrolment.user,
        activity_id=activity.pk,
        statement=statement(enrolment.user, activity, verb="completed", raw=0, max_=4),
    )
    assert result.activity_complete


def test_h5p_alone_never_completes_a_course_with_a_final_test(course, question_bank):
    from courses.models import Enrolment
    from courses.services.progress import lesson_view_record
    from tests.factories.quizzes import AssessmentFactory

    course.final_test = AssessmentFactory(questions=3)
    course.save()
    lesson, activity = _h5p_lesson(course)
    enrolment = EnrolmentFactory(course=course)
    for page in course.get_children().live().specific():
        if page.pk != lesson.pk:
            lesson_view_record(enrolment=enrolment, lesson=page)
    result = xapi_statement_record(
        user=enrolment.user,
        activity_id=activity.pk,
        statement=statement(enrolment.user, activity, raw=4, max_=4),
    )
    enrolment.refresh_from_db()
    assert result.lesson_complete and enrolment.status != Enrolment.Status.COMPLETED
    assert enrolment.progress_percent == 75


def test_one_play_reported_twice_is_one_attempt(setup):
    """Content types often send `answered` then `completed` for the same play."""
    _lesson, activity, _enrolment, user = setup
    for verb in ("answered", "completed"):
        xapi_statement_record(
            user=user,
            activity_id=activity.pk,
            statement=statement(user, activity, verb=verb, raw=2, max_=4),
        )
    attempt = H5PAttempt.objects.get()
    assert attempt.statements.count() == 2 and attempt.score_scaled == 0.5


def test_a_later_play_with_the_same_score_is_a_new_attempt(setup):
    from datetime import timedelta

    from courses.services.xapi import FOLLOW_UP_SECONDS

    _lesson, activity, _enrolment, user = setup
    xapi_statement_record(
        user=user, activity_id=activity.pk, statement=statement(user, activity, raw=2, max_=4)
    )
    H5PAttempt.objects.update(finished_at=timezone.now() - timedelta(seconds=FOLLOW_UP_SECONDS + 1))
    xapi_statement_record(
        user=user, activity_id=activity.pk, statement=statement(user, activity, raw=2, max_=4)
    )
    assert list(H5PAttempt.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_unscored_completed_closes_an_attempt_for_the_completed_rule(course):
    _lesson, activity = _h5p_lesson(course, completion="completed")
    enrolment = EnrolmentFactory(course=course)
    user = enrolment.user
    result = xapi_statement_record(
        user=user,
        activity_id=activity.pk,
        statement=statement(user, activity, verb="completed", raw=None),
    )
    assert result.activity_complete
    attempt = H5PAttempt.objects.get()
    assert attempt.finished_at and attempt.score_scaled is None


@pytest.mark.parametrize(
    "body",
    [
        '{"activity": 1, "statement": {"result": {"score": {"raw": NaN}}}}',
        '{"activity": 1, "statement": {"result": {"score": {"raw": 1e400}}}}',
        '{"activity": 1, "statement": {"verb": {"id": "a\\u0000b"}}}',
        "[" * 3000 + "]" * 3000,
    ],
    ids=["nan", "overflow-float", "nul", "deep-nesting"],
)
def test_json_that_cannot_be_stored_is_422(setup, body):
    _lesson, _activity, _enrolment, user = setup
    response = _client(user).post(
        reverse("api:courses_xapi"), data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert not XapiStatement.objects.exists()


def test_huge_integer_score_is_not_a_score(setup):
    _lesson, activity, _enrolment, user = setup
    data = statement(user, activity, raw=1, max_=4)
    data["result"]["score"]["raw"] = 10**400
    response = _post(_client(user), activity.pk, data)
    assert response.status_code == 200
    assert H5PAttempt.objects.get().finished_at is None  # no usable score: nothing closed
