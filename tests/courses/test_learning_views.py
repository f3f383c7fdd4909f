"""The learner's pages: catalogue, course page, enrol, lessons, tests, my training."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate, Enrolment, LessonActivity, LessonProgress
from quizzes.models import Attempt, Choice
from tests.factories.courses import (
    EnrolmentFactory,
    learning_block,
    learning_lesson,
    learning_video_document,
)
from tests.factories.quizzes import AssessmentFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-Thu-nghiem-1"


def _client(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _lessons(course):
    return [p.specific for p in course.get_children().live().order_by("path")]


def _sub(page, name, *args):
    return page.url + page.reverse_subpage(name, args=list(args))


def test_catalogue_lists_live_courses_with_lesson_count(course, course_index):
    response = Client().get(course_index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert course.title in html and "2" in html


def test_course_page_for_visitor_and_learner(course):
    response = Client().get(course.url)
    assert response.status_code == 200
    assert "Bài 1: Chuyển đổi số là gì" in response.content.decode()
    user = UserFactory()
    html = _client(user).get(course.url).content.decode()
    assert "data-enrol" in html


def test_enrol_then_resume(course):
    user = UserFactory()
    client = _client(user)
    assert client.get(_sub(course, "enrol")).status_code == 302  # GET does nothing
    assert not Enrolment.objects.exists()
    response = client.post(_sub(course, "enrol"))
    first, second = _lessons(course)
    assert response.status_code == 302 and response["Location"] == first.url
    assert Enrolment.objects.filter(user=user, course=course).count() == 1

    client.get(first.url)
    html = client.get(course.url).content.decode()
    assert "data-resume" in html and second.title in html
    assert 'value="50"' in html


def test_enrol_refused_shows_the_message(course):
    course.self_enrolment = False
    course.save()
    client = _client(UserFactory())
    response = client.post(_sub(course, "enrol"), follow=True)
    assert not Enrolment.objects.exists()
    assert response.status_code == 200 and "alert--error" in response.content.decode()


def test_lesson_needs_sign_in_and_enrolment(course):
    lesson = _lessons(course)[0]
    response = Client().get(lesson.url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    response = _client(UserFactory()).get(lesson.url)
    assert response.status_code == 302 and response["Location"] == course.url
    assert not LessonProgress.objects.exists()


def test_lesson_records_the_view_and_links_neighbours(course):
    enrolment = EnrolmentFactory(course=course)
    first, second = _lessons(course)
    client = _client(enrolment.user)
    html = client.get(second.url).content.decode()
    assert "Nộp hồ sơ trực tuyến toàn trình" in html
    assert f'href="{first.url}"' in html and 'rel="prev"' in html and 'rel="next"' not in html
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == second.pk and enrolment.progress_percent == 50


def test_lesson_with_video_and_knowledge_check_renders_tracking_hooks(course, question_bank):
    doc = learning_video_document()
    assessment = AssessmentFactory(questions=3, pass_percent=60)
    lesson = learning_lesson(
        course,
        [
            learning_block(
                "video",
                {
                    "title": "Video",
                    "file": doc.pk,
                    "poster": None,
                    "embed": None,
                    "complete_percent": 80,
                },
            ),
            learning_block("knowledge_check", {"assessment": assessment.pk, "intro": "Ôn tập"}),
        ],
    )
    video = LessonActivity.objects.get(lesson=lesson, kind="video")
    enrolment = EnrolmentFactory(course=course)
    html = _client(enrolment.user).get(lesson.url).content.decode()
    assert reverse("api:courses_video_progress", args=[video.pk]) in html
    assert "data-knowledge-check-start" in html and "courses/lesson.js" in html


def test_video_progress_endpoint(course):
    doc = learning_video_document()
    lesson = learning_lesson(
        course,
        [
            learning_block(
                "video",
                {
                    "title": "Video",
                    "file": doc.pk,
                    "poster": None,
                    "embed": None,
                    "complete_percent": 50,
                },
            )
        ],
    )
    video = LessonActivity.objects.get(lesson=lesson)
    url = reverse("api:courses_video_progress", args=[video.pk])
    enrolment = EnrolmentFactory(course=course)
    client = _client(enrolment.user)
    client.get(lesson.url)
    response = client.post(
        url, {"seconds": [[0, 31]], "duration": 60.4}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["activity_complete"] and response.json()["lesson_complete"]
    assert (
        client.post(
            url, {"seconds": [[0, 300]], "duration": 60}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"seconds": "all", "duration": 60}, content_type="application/json"
        ).status_code
        == 422
    )
    assert (
        client.post(
            url, {"seconds": [1] * 5000, "duration": 60}, content_type="application/json"
        ).status_code
        == 413
    )
    stranger = _client(UserFactory())
    assert (
        stranger.post(
            url, {"seconds": [1], "duration": 60}, content_type="application/json"
        ).status_code
        == 404
    )


def _answer_all(client, attempt_url, attempt):
    data = {}
    for item in attempt.draw:
        correct = Choice.objects.get(pk__in=item["c"], is_correct=True)
        data[f"q{item['q']}"] = [str(correct.pk)]
    return client.post(attempt_url, data)


def test_knowledge_check_flow(course, question_bank):
    assessment = AssessmentFactory(questions=3, pass_percent=60)
    lesson = learning_lesson(
        course, [learning_block("knowledge_check", {"assessment": assessment.pk, "intro": ""})]
    )
    check = LessonActivity.objects.get(lesson=lesson)
    enrolment = EnrolmentFactory(course=course)
    client = _client(enrolment.user)
    client.get(lesson.url)

    response = client.post(_sub(course, "knowledge_check_start", check.pk))
    assert response.status_code == 302
    attempt = Attempt.objects.get(user=enrolment.user, assessment=assessment)
    assert response["Location"] == _sub(course, "test_attempt", attempt.public_id)
    html = client.get(response["Location"]).content.decode()
    assert "data-attempt" in html and reverse("api:attempt", args=[attempt.public_id]) in html

    response = _answer_all(client, response["Location"], attempt)
    assert response["Location"] == _sub(course, "test_result", attempt.public_id)
    html = client.get(response["Location"]).content.decode()
    assert "data-passed" in html and lesson.url in html
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at

    # Someone else's attempt is not shown.
    other = _client(UserFactory())
    assert other.get(_sub(course, "test_result", attempt.public_id)).status_code == 404


def test_knowledge_check_of_another_course_is_404(course, course_index, question_bank):
    from tests.factories.courses import CoursePageFactory

    other_course = CoursePageFactory(parent=course_index)
    assessment = AssessmentFactory(questions=3)
    lesson = learning_lesson(
        other_course,
        [learning_block("knowledge_check", {"assessment": assessment.pk, "intro": ""})],
    )
    check = LessonActivity.objects.get(lesson=lesson)
    enrolment = EnrolmentFactory(course=course)
    response = _client(enrolment.user).post(_sub(course, "knowledge_check_start", check.pk))
    assert response.status_code == 404
    assert not Attempt.objects.exists()


def test_final_test_opens_after_the_lessons_and_completes_the_course(course, question_bank):
    course.final_test = AssessmentFactory(questions=4, attempts_allowed=2)
    course.save()
    enrolment = EnrolmentFactory(course=course)
    client = _client(enrolment.user)

    response = client.post(_sub(course, "test_start"), follow=True)
    assert not Attempt.objects.exists()
    assert "alert--error" in response.content.decode()

    for lesson in _lessons(course):
        client.get(lesson.url)
    assert "data-test-start" in client.get(course.url).content.decode()
    response = client.post(_sub(course, "test_start"))
    attempt = Attempt.objects.get()
    assert response["Location"] == _sub(course, "test_attempt", attempt.public_id)
    response = _answer_all(client, response["Location"], attempt)
    html = client.get(response["Location"]).content.decode()
    assert "data-passed" in html
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_my_training_lists_due_dates_overdue_and_certificates(course, course_index):
    from tests.factories.courses import CoursePageFactory

    user = UserFactory()
    today = timezone.localdate()
    overdue = EnrolmentFactory(user=user, course=course, due_date=today - datetime.timedelta(1))
    done_course = CoursePageFactory(parent=course_index, title="An toàn thông tin")
    done = EnrolmentFactory(
        user=user,
        course=done_course,
        due_date=today - datetime.timedelta(5),
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
        progress_percent=100,
    )
    Certificate.objects.create(
        serial="CDS-2026-000123",
        enrolment=done,
        holder_name=user.full_name,
        course_title=done_course.title,
        hours=Decimal("4.0"),
        completed_on=today,
        issued_at=timezone.now(),
    )
    EnrolmentFactory(course=course)  # someone else's

    response = _client(user).get(reverse("my_training"))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr class="training__row[^"]*" data-enrolment="(\d+)"', html)
    assert sorted(map(int, rows)) == sorted([overdue.pk, done.pk])
    assert f'training__row--overdue" data-enrolment="{overdue.pk}"' in html
    assert html.count("data-overdue") == 1  # the completed one is not overdue
    assert reverse("certificate_download", args=["CDS-2026-000123"]) in html
    assert reverse("certificate_verify", args=["CDS-2026-000123"]) in html


def test_my_training_needs_sign_in():
    response = Client().get(reverse("my_training"))
    assert response.status_code == 302


def test_editor_preview_renders_without_an_enrolment(course):
    lesson = _lessons(course)[0]
    response = lesson.make_preview_request()
    assert response.status_code == 200
    assert "Chuyển đổi số là quá trình" in response.rendered_content
    assert not LessonProgress.objects.exists()
