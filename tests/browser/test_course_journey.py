"""A civil servant's journey through the training courses in a real browser (Chromium, Playwright).

1. A lesson with an H5P activity imported through the real package service: the learner signs in,
   plays the activity in the h5p-standalone player (our own CDS.ChoiceQuiz content type, and the
   real exported H5P.MultiChoice package when `../shared/fixtures/h5p/` is there), first below the
   pass mark, then right; the xAPI statements reach the server and the lesson turns complete on
   the page without a reload and in the database, with the score the server computed.
2. A course with a text lesson and a final test: the learner enrols, reads the lesson, passes the
   test, downloads the certificate PDF from "My training" and sees it valid on the public
   verification page.

Screenshots are taken only when SCREENSHOT_DIR names a directory to put them in.
"""

import html
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from courses.models import (
    ActivityProgress,
    Certificate,
    Enrolment,
    H5PAttempt,
    LessonActivity,
    LessonProgress,
    XapiStatement,
)
from tests.browser import chromium
from tests.browser import test_contest_journey as contest_journey
from tests.factories.courses import (
    CourseIndexPageFactory,
    CoursePageFactory,
    EnrolmentFactory,
    learning_block,
    learning_lesson,
)
from tests.factories.quizzes import AssessmentFactory
from tests.factories.users import UserFactory

chromium_browser = chromium.chromium_browser
chromium_page = chromium.chromium_page

PLAYER_DIST = Path(settings.BASE_DIR) / "node_modules" / "h5p-standalone" / "dist"
NO_PLAYER = "the h5p-standalone player is not installed (run `make install`)"

pytestmark = chromium.MARKS

FULL_NAME = "Lê Thị Thu Hà"
EMAIL = "thuha.le@example.vn"
PASSWORD = "Mat-khau-hoc-tap-2026"
XAPI_PATH = "/api/courses/xapi/statements"
LUMI_MULTICHOICE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "h5p"
LUMI_MULTICHOICE = LUMI_MULTICHOICE / "lumi__H5P.MultiChoice.h5p"
# Our own content type: three questions, the correct answer at a different place in each.
DEMO_QUESTIONS = [
    {"text": "Chữ ký số có giá trị pháp lý không?", "answers": ["Có", "Không"], "correct": 0},
    {
        "text": "Cổng Dịch vụ công quốc gia ở địa chỉ nào?",
        "answers": ["dichvucong.vn", "congdichvu.gov.vn", "dichvucong.gov.vn"],
        "correct": 2,
    },
    {
        "text": "Mật khẩu nào mạnh nhất?",
        "answers": ["123456", "Vinh-Long@2026!xanh", "matkhau"],
        "correct": 1,
    },
]
DEMO_PASS_PERCENT = 80  # two right out of three (67%) is not enough
TEST_QUESTIONS = 5
CORRECT = contest_journey.CORRECT  # the factories make the first choice the correct one
ATTEMPT_PATH = re.compile(r"/bai-kiem-tra/([0-9a-f-]{36})/$")
RESULT_PATH = re.compile(r"/bai-kiem-tra/([0-9a-f-]{36})/ket-qua/$")


@pytest.fixture
def learning_site(live_server, home):
    """The default site served by the live server, a course index and a learner."""
    chromium.point_site_at(live_server)
    learner = UserFactory(full_name=FULL_NAME, email=EMAIL, password=PASSWORD)
    return {
        "base_url": live_server.url,
        "course_index": CourseIndexPageFactory(parent=home),
        "learner": learner,
    }


def _import_package(data: bytes, name: str):
    from courses.services.h5p import h5p_package_import

    upload = SimpleUploadedFile(name, data, content_type="application/zip")
    return h5p_package_import(upload=upload, user=None)


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _multichoice_answers(package: Path) -> tuple[str, str]:
    """(a correct answer, a wrong answer) of the MultiChoice package, read from its content."""
    with zipfile.ZipFile(package) as archive:
        content = json.loads(archive.read("content/content.json"))
    answers = [(_strip_tags(a["text"]), bool(a.get("correct"))) for a in content["answers"]]
    right = [text for text, correct in answers if correct]
    wrong = [text for text, correct in answers if not correct]
    assert len(right) == 1 and wrong, f"unexpected MultiChoice answers: {answers}"
    return right[0], wrong[0]


def _is_xapi(verb: str):
    """A predicate for the player's POST of a statement with `verb` to the xAPI endpoint."""

    def predicate(response):
        request = response.request
        if request.method != "POST" or not response.url.split("?")[0].endswith(XAPI_PATH):
            return False
        body = json.loads(request.post_data or "{}")
        verb_id = ((body.get("statement") or {}).get("verb") or {}).get("id") or ""
        return verb_id.rsplit("/", 1)[-1] == verb

    return predicate


def _sign_in(page, base_url, next_path):
    """Signs in through the public login page, then lands on `next_path`."""
    from playwright.sync_api import expect

    response = page.goto(f"{base_url}/dang-nhap/?next={next_path}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    form = page.locator("form:has(#id_password)")  # the header's search form has a button too
    form.locator("[name=username]").fill(EMAIL)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(base_url + next_path)


def _lesson_markers(page):
    return {
        "complete": page.locator("[data-lesson-complete]"),
        "incomplete": page.locator("[data-lesson-incomplete]"),
        "activity_done": page.locator("[data-h5p-block] [data-activity-status]"),
        "percent": page.locator("[data-course-percent]").first,
    }


def _wait_for_player(page):
    """The player booted (not failed), and its iframe."""
    from playwright.sync_api import expect

    player = page.locator("[data-h5p-player]")
    expect(player).to_have_attribute("data-h5p-ready", "true")
    expect(page.locator("[data-h5p-error]")).to_be_hidden()
    iframe = player.locator("iframe.h5p-iframe")
    expect(iframe).to_have_count(1)
    return page.frame_locator("[data-h5p-player] iframe.h5p-iframe")


def _play_demo(page, frame, choices):
    """Answers the CDS.ChoiceQuiz questions with `choices` (one index each). The last answer
    makes the quiz report "answered" then "completed"; returns both API responses."""
    from playwright.sync_api import expect

    for index, choice in enumerate(choices[:-1]):
        button = frame.locator(f"button[data-question='{index}'][data-choice='{choice}']")
        button.click()
        expect(button).to_be_disabled()
    last = len(choices) - 1
    with (
        page.expect_response(_is_xapi("answered")) as answered,
        page.expect_response(_is_xapi("completed")) as completed,
    ):
        frame.locator(f"button[data-question='{last}'][data-choice='{choices[last]}']").click()
    return answered.value, completed.value


def _play_multichoice(page, frame, answer_text):
    """Chooses `answer_text` in H5P.MultiChoice, presses Check; returns the "answered" response."""
    from playwright.sync_api import expect

    answer = frame.locator(".h5p-answer", has_text=answer_text)
    expect(answer).to_have_count(1)
    answer.click()
    check = frame.locator(".h5p-question-check-answer")
    expect(check).to_be_visible()
    with page.expect_response(_is_xapi("answered")) as answered:
        check.click()
    return answered.value


def _json_of(response):
    assert response.status == 200, f"xAPI refused: {response.status} {response.text()}"
    return response.json()


def _demo_variant():
    from courses.h5p_demo import h5p_demo_package_build

    data = h5p_demo_package_build(title="Kiểm tra nhanh: an toàn số", questions=DEMO_QUESTIONS)
    return data, "kiem-tra-nhanh.h5p"


DEMO = "cds-choicequiz"
LUMI = "lumi-multichoice"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "variant",
    [
        DEMO,
        pytest.param(
            LUMI,
            marks=pytest.mark.skipif(
                not LUMI_MULTICHOICE.is_file(),
                reason="../shared/fixtures/h5p/lumi__H5P.MultiChoice.h5p is not there",
            ),
        ),
    ],
)
def test_learner_plays_h5p_activity_and_lesson_turns_complete(
    variant, learning_site, chromium_page
):
    from playwright.sync_api import expect

    if not (PLAYER_DIST / "main.bundle.js").is_file():
        pytest.skip(NO_PLAYER)
    page = chromium_page
    base_url = learning_site["base_url"]
    learner = learning_site["learner"]
    shots = contest_journey._Shots()
    started = time.monotonic()

    # The content, imported through the real package service.
    if variant == DEMO:
        data, name = _demo_variant()
        pass_percent = DEMO_PASS_PERCENT
    else:
        data, name = LUMI_MULTICHOICE.read_bytes(), LUMI_MULTICHOICE.name
        pass_percent = 100
        right_answer, wrong_answer = _multichoice_answers(LUMI_MULTICHOICE)
    content = _import_package(data, name)

    # A course of two lessons: the H5P one, then a text one (so the course stays in progress).
    course = CoursePageFactory(parent=learning_site["course_index"], certificate_enabled=False)
    h5p_block = learning_block(
        "h5p",
        {
            "content": content.pk,
            "completion": "passed",
            "pass_percent": pass_percent,
            "grading": "highest",
        },
    )
    lesson = learning_lesson(
        course,
        [
            learning_block("paragraph", "<p>Làm bài tập dưới đây để hoàn thành bài học.</p>"),
            h5p_block,
        ],
        title="Bài 1: An toàn thông tin cơ bản",
        slug="bai-1-an-toan",
    )
    learning_lesson(
        course,
        [learning_block("paragraph", "<p>Dịch vụ công trực tuyến toàn trình.</p>")],
        title="Bài 2: Dịch vụ công",
        slug="bai-2-dich-vu-cong",
    )
    activity = LessonActivity.objects.get(lesson=lesson, is_live=True)  # synced on publish
    assert activity.kind == LessonActivity.Kind.H5P
    assert activity.block_id == h5p_block["id"]
    assert activity.h5p_content_id == content.pk
    assert activity.rule["pass_percent"] == pass_percent
    enrolment = EnrolmentFactory(user=learner, course=course)

    # 1. Sign in, straight to the lesson; the player boots inside its iframe.
    _sign_in(page, base_url, lesson.url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    section = page.locator(f"[data-activity-id='{activity.pk}']")
    expect(section).to_have_count(1)
    marks = _lesson_markers(page)
    frame = _wait_for_player(page)
    if variant == DEMO:
        expect(frame.locator(".cds-quiz__question")).to_have_count(len(DEMO_QUESTIONS))
    else:
        expect(frame.locator(".h5p-answer")).to_have_count(3)  # the three berries' colours
    expect(marks["incomplete"]).to_be_visible()
    expect(marks["complete"]).to_be_hidden()
    expect(marks["activity_done"]).to_be_hidden()
    shots(page, f"h5p-{variant}-1-lesson")

    # 2. A first attempt below the pass mark: recorded, the activity not complete.
    if variant == DEMO:
        choices = [q["correct"] for q in DEMO_QUESTIONS]
        choices[1] = (choices[1] + 1) % len(DEMO_QUESTIONS[1]["answers"])
        answered, completed = _play_demo(page, frame, choices)
        first = _json_of(completed)
        assert _json_of(answered)["recorded"] is True
        expect(frame.locator(".cds-quiz__result")).to_contain_text("2/3")
        first_raw, first_max = 2, 3
    else:
        first = _json_of(_play_multichoice(page, frame, wrong_answer))
        first_raw, first_max = 0, 1
    assert first["recorded"] is True
    assert first["activity_complete"] is False
    assert first["lesson_complete"] is False
    expect(page.locator("[data-h5p-status]")).to_have_text("Đã lưu kết quả.")
    expect(marks["activity_done"]).to_be_hidden()
    expect(marks["incomplete"]).to_be_visible()
    expect(marks["complete"]).to_be_hidden()
    shots(page, f"h5p-{variant}-2-below-pass-mark")

    attempt = H5PAttempt.objects.filter(enrolment=enrolment, activity=activity).last()
    assert attempt is not None and attempt.finished_at is not None
    assert (attempt.score_raw, attempt.score_max) == (first_raw, first_max)
    # Computed by the server from raw/max, not the player's rounded `scaled` (0.6667 for 2/3).
    assert attempt.score_scaled == pytest.approx(first_raw / first_max, abs=1e-9)
    progress = ActivityProgress.objects.get(enrolment=enrolment, activity=activity)
    assert progress.passed is False and progress.completed_at is None
    assert not LessonProgress.objects.filter(
        enrolment=enrolment, lesson=lesson, completed_at__isnull=False
    ).exists()

    # 3. Another attempt, all right: the lesson turns complete without a reload.
    if variant == DEMO:
        page.reload()  # the quiz has no retry button: a new play is a new attempt
        frame = _wait_for_player(page)
        answered, completed = _play_demo(page, frame, [q["correct"] for q in DEMO_QUESTIONS])
        assert _json_of(answered)["recorded"] is True
        second = _json_of(completed)
        expect(frame.locator(".cds-quiz__result")).to_contain_text("3/3")
        second_max = 3
    else:
        retry = frame.locator(".h5p-question-try-again")
        expect(retry).to_be_visible()
        retry.click()
        second = _json_of(_play_multichoice(page, frame, right_answer))
        second_max = 1
    assert second["activity_complete"] is True
    assert second["lesson_complete"] is True
    expect(marks["activity_done"]).to_be_visible()
    expect(section).to_have_class(re.compile(r"\blesson-section--complete\b"))
    expect(marks["complete"]).to_be_visible()
    expect(marks["complete"]).to_contain_text("Đã hoàn thành bài học")
    expect(marks["incomplete"]).to_be_hidden()
    expect(marks["percent"]).to_have_text(str(second["course_percent"]))
    shots(page, f"h5p-{variant}-3-complete")

    # 4. What the database holds.
    attempts = list(H5PAttempt.objects.filter(enrolment=enrolment, activity=activity))
    assert all(a.finished_at is not None for a in attempts)
    best = attempts[-1]
    assert best.finished_at is not None
    assert (best.score_raw, best.score_max, best.score_scaled) == (second_max, second_max, 1.0)
    assert best.success is True
    progress.refresh_from_db()
    assert progress.passed is True and progress.completed_at is not None
    assert progress.score_scaled == 1.0
    lesson_progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert lesson_progress.completed_at is not None
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS  # the second lesson is still to do
    assert 0 < enrolment.progress_percent < 100
    assert second["course_percent"] == enrolment.progress_percent
    statements = XapiStatement.objects.filter(attempt__enrolment=enrolment)
    assert statements.filter(attempt=best).exists()
    assert all(s.object_id.startswith(f"{settings.SITE_BASE_URL}/xapi/") for s in statements)

    # 5. The course outline after a reload shows the lesson complete too (rendered by the server).
    page.reload()
    expect(marks["complete"]).to_be_visible()
    expect(page.locator(".course-outline__item--completed")).to_have_count(1)
    # Under Playwright's sync API this code runs with its own context, hence its own database
    # connection (Django keys connections by context); close it or the test DB cannot be dropped.
    played = [(a.number, a.score_raw, a.score_max) for a in attempts]
    connections.close_all()
    print(f"H5P journey ({variant}) took {time.monotonic() - started:.1f}s")

    # 6. Two plays make two attempts in the history, whatever statements each play sent.
    assert played == [(1, first_raw, first_max), (2, second_max, second_max)], played


@pytest.fixture
def certificate_course(learning_site, question_bank):
    """A course with one text lesson and a final test of five questions, with a certificate."""
    assessment = AssessmentFactory(
        title="Bài kiểm tra cuối khóa", questions=TEST_QUESTIONS, attempts_allowed=2
    )
    course = CoursePageFactory(
        parent=learning_site["course_index"],
        title="Kỹ năng số cho cán bộ, công chức",
        slug="ky-nang-so-can-bo",
        final_test=assessment,
        pass_percent=70,
        certificate_enabled=True,
        self_enrolment=True,
    )
    lesson = learning_lesson(
        course,
        [
            learning_block(
                "paragraph",
                "<p>Chuyển đổi số là quá trình thay đổi tổng thể và toàn diện của cá nhân, tổ "
                "chức về cách sống, cách làm việc và phương thức sản xuất.</p>",
            )
        ],
        title="Bài 1: Chuyển đổi số là gì",
        slug="bai-1-chuyen-doi-so",
    )
    return {**learning_site, "course": course, "lesson": lesson}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_learner_completes_course_downloads_and_verifies_certificate(
    certificate_course, chromium_page
):
    from playwright.sync_api import expect

    page = chromium_page
    base_url = certificate_course["base_url"]
    course = certificate_course["course"]
    lesson = certificate_course["lesson"]
    learner = certificate_course["learner"]
    shots = contest_journey._Shots()
    started = time.monotonic()
    page.on("dialog", lambda dialog: dialog.accept())  # the "submit now?" confirmation

    # 1. Sign in, open the course and enrol.
    _sign_in(page, base_url, course.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    enrol = page.locator("[data-enrol]")
    expect(enrol).to_have_text("Đăng ký khóa học")
    shots(page, "course-1-before-enrolling")
    enrol.click()

    # 2. Enrolling leads to the first lesson; a text lesson completes on view.
    expect(page).to_have_url(base_url + lesson.url)
    expect(page.get_by_role("status").first).to_contain_text("Bạn đã đăng ký thành công")
    enrolment = Enrolment.objects.get(user=learner, course=course)
    expect(page.locator("[data-lesson-complete]")).to_be_visible()
    expect(page.locator("[data-lesson-incomplete]")).to_be_hidden()
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at is not None
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS  # the final test is still to pass
    shots(page, "course-2-lesson")

    # 3. Back on the course page, the final test opens.
    lesson_nav = page.get_by_role("navigation", name="Điều hướng bài học")
    lesson_nav.get_by_role("link", name="Nội dung khóa học").click()
    expect(page).to_have_url(base_url + course.url)
    expect(page.locator("[data-lesson-status='completed']")).to_have_count(1)
    start = page.locator("[data-test-start]")
    expect(start).to_have_text("Làm bài kiểm tra cuối khóa")
    shots(page, "course-3-test-open")
    start.click()

    # 4. The attempt page: every question answered right, each click saved, then submitted.
    expect(page).to_have_url(ATTEMPT_PATH)
    questions = page.locator("fieldset[data-question]")
    expect(questions).to_have_count(TEST_QUESTIONS)
    # attempt.js (deferred) has taken over once the countdown reads m:ss; clicks are saved then.
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^\d+:\d{2}$"))
    for index in range(TEST_QUESTIONS):
        contest_journey._answer_correctly(page, questions.nth(index))
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    shots(page, "course-4-answered")
    page.locator("[data-submit]").click()

    # 5. The result page: passed, the course complete.
    expect(page).to_have_url(RESULT_PATH)
    expect(page.locator("[data-score]")).to_contain_text(f"{TEST_QUESTIONS}/{TEST_QUESTIONS}")
    expect(page.locator("[data-passed]")).to_be_visible()
    expect(page.locator("[data-failed]")).to_have_count(0)
    shots(page, "course-5-result")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.progress_percent == 100
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(enrolment=enrolment)  # rendered on completion (eager)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.holder_name == FULL_NAME
    assert certificate.course_title == course.title

    # 6. "My training": the completed course with its certificate; the PDF downloads.
    page.goto(base_url + "/ca-nhan/dao-tao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khóa học của tôi")
    row = page.locator(f"tr[data-enrolment='{enrolment.pk}']")
    expect(row).to_have_class(re.compile(r"\btraining__row--completed\b"))
    download_link = row.get_by_role("link", name="Tải về (PDF)")
    expect(download_link).to_have_attribute("href", f"/ca-nhan/chung-chi/{certificate.serial}.pdf")
    shots(page, "course-6-my-training")
    with page.expect_download() as downloaded:
        download_link.click()
    download = downloaded.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:32]
    assert len(pdf) > 1000

    # 7. The public verification page reports it valid.
    verify = row.locator(f"a[href='/chung-chi/{certificate.serial}/']")
    expect(verify).to_contain_text(certificate.serial)
    verify.click()
    expect(page).to_have_url(f"{base_url}/chung-chi/{certificate.serial}/")
    check = page.locator(".certificate-check")
    expect(check).to_have_class(re.compile(r"\bcertificate-check--valid\b"))
    expect(check.get_by_role("status")).to_have_text(re.compile(r"còn hiệu lực"))
    expect(check).to_contain_text(certificate.serial)
    expect(check).to_contain_text(course.title)
    expect(check).not_to_contain_text(FULL_NAME)  # the holder's name is shortened
    expect(check).not_to_contain_text(EMAIL)
    shots(page, "course-7-verified")
    connections.close_all()
    print(f"certificate journey took {time.monotonic() - started:.1f}s")
