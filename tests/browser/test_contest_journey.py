"""A contestant's journey through an online contest in a real browser (Chromium via Playwright).

The contest page in Vietnamese, the registration form (with the province and commune selects
fed by the communes API), the start of a round, answers saved one click at a time and still
there after a reload (rendered by the server), the prediction, the submission and the result.
Screenshots are taken only when SCREENSHOT_DIR names a directory to put them in.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.db import connections

from portal.locations.models import Commune
from portal.locations.services import administrative_units_load
from quizzes.models import Attempt, AttemptAnswer, Registration, Standing
from tests.browser import chromium
from tests.browser import test_portal_journey as portal_journey

# The same browser set-up as the portal journey (Debian's Chromium, launch arguments, tab).
pytestmark = chromium.MARKS
chromium_browser = chromium.chromium_browser
chromium_page = chromium.chromium_page

FULL_NAME = "Trần Thị Bích Ngọc"
EMAIL = "ngoc.tran@example.vn"
PASSWORD = "Mat-khau-du-thi-2026"
CITIZEN_ID = "086095001234"  # 086 Vĩnh Long, 0 = born in the 1900s, 95 = 1995
PREDICTION = 1234
CORRECT = "Đáp án A"  # the factories make the first choice (sort_order 0) the correct one
SAVED_FIRST = 5
OTHER_PROVINCE_CODE = 79  # Thành phố Hồ Chí Minh: switching to it reloads the communes
ATTEMPT_PATH = re.compile(r"/bai-thi/([0-9a-f-]{36})/$")  # plain group: JavaScript reads it too


@pytest.fixture
def contest_site(live_server, settings, contest):
    """The default site served by the live server, the provinces and communes loaded."""
    chromium.point_site_at(live_server)
    administrative_units_load()
    home_commune = (
        Commune.objects.filter(province_id=settings.PORTAL_PROVINCE_CODE).order_by("code").first()
    )
    assert home_commune is not None, "no commune loaded for the portal's province"
    assert Commune.objects.filter(province_id=OTHER_PROVINCE_CODE).exists()
    return {"base_url": live_server.url, "contest": contest, "commune": home_commune}


class _Shots:
    """Screenshots in SCREENSHOT_DIR when it is set; nothing otherwise."""

    def __init__(self):
        directory = os.environ.get("SCREENSHOT_DIR")
        self.directory = Path(directory) if directory else None
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name):
        if self.directory is not None:
            portal_journey._screenshot(page, self.directory, name)


def _is_put(path):
    return lambda response: (
        response.request.method == "PUT" and response.url.split("?")[0].endswith(path)
    )


def _communes_of(province_code):
    return lambda response: f"/provinces/{province_code}/communes" in response.url


def _answer_correctly(page, fieldset):
    """Clicks the correct choice of one question and waits for the server to store it."""
    choice = fieldset.get_by_label(CORRECT, exact=True)
    with page.expect_response(_is_put("/answers")) as saved:
        choice.check()
    response = saved.value
    assert response.ok, f"answer not saved: {response.status} {response.text()}"
    assert response.json()["saved"] is True
    return int(choice.get_attribute("value"))


def _checked_in_html(html):
    """Choice ids the server rendered as checked (not the browser's restored form state)."""
    checked = set()
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(r"\schecked\b", tag):
            found = re.search(r'\bid="c(\d+)"', tag)
            if found:
                checked.add(int(found.group(1)))
    return checked


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_contestant_registers_answers_reloads_and_scores_full_marks(contest_site, chromium_page):
    from playwright.sync_api import expect

    page = chromium_page
    base_url = contest_site["base_url"]
    contest = contest_site["contest"]
    commune = contest_site["commune"]
    round_ = contest.rounds.get()
    shots = _Shots()
    started = time.monotonic()
    page.on("dialog", lambda dialog: dialog.accept())  # the "submit now?" confirmation

    # 1. The contest page, in Vietnamese, not registered yet.
    response = page.goto(base_url + contest.url)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(contest.title)
    status = page.locator(".contest__status")
    expect(status).not_to_contain_text(FULL_NAME)
    expect(page.locator(f"form[action$='/vong/{round_.pk}/bat-dau/']")).to_have_count(0)
    shots(page, "1-contest")

    # 2. The registration form.
    register = status.locator("a[href$='dang-ky/']")
    expect(register).to_have_count(1)
    register.click()
    expect(page).to_have_url(base_url + contest.url + "dang-ky/")
    form = page.locator("main form")
    form.locator("[name=full_name]").fill(FULL_NAME)
    form.locator("input[type=date][name=birth_date]").fill("1995-04-12")
    form.locator("[name=phone]").fill("0912000111")
    form.locator("[name=email]").fill(EMAIL)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=citizen_id]").fill(CITIZEN_ID)

    # The portal's province comes preselected with its communes; another province reloads them.
    province = form.locator("select[name=province]")
    commune_select = form.locator("select[name=commune]")
    expect(province).to_have_value(str(commune.province_id))
    expect(commune_select.locator(f"option[value='{commune.code}']")).to_have_count(1)
    with page.expect_response(_communes_of(OTHER_PROVINCE_CODE)) as other:
        province.select_option(str(OTHER_PROVINCE_CODE))
    assert other.value.ok
    expect(commune_select.locator(f"option[value='{commune.code}']")).to_have_count(0)
    with page.expect_response(_communes_of(commune.province_id)) as back:
        province.select_option(str(commune.province_id))
    assert back.value.ok
    commune_select.select_option(str(commune.code))

    unit = form.locator("select[name=unit]")
    if unit.count():
        expect(unit).to_have_value("")  # left as a citizen
    form.locator("input[type=checkbox][name=consent]").check()
    shots(page, "2-register-filled")
    form.locator("button[type=submit]").click()

    # 3. Back on the contest page, registered, the round can be started.
    expect(page).to_have_url(base_url + contest.url)
    expect(status).to_contain_text(FULL_NAME)
    start = page.locator(f"form[action$='/vong/{round_.pk}/bat-dau/']")
    expect(start).to_have_count(1)
    shots(page, "3-registered")
    start.locator("button[type=submit]").click()

    # 4. The attempt page: ten questions, a countdown.
    expect(page).to_have_url(ATTEMPT_PATH)
    attempt_url = page.url
    public_id = ATTEMPT_PATH.search(attempt_url)[1]
    questions = page.locator("fieldset[data-question]")
    expect(questions).to_have_count(10)
    countdown = page.locator("[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^\d+:\d{2}$"))

    # 5. Five answers, each acknowledged by the server before the next.
    first_choices = {}
    for index in range(SAVED_FIRST):
        fieldset = questions.nth(index)
        first_choices[int(fieldset.get_attribute("data-question"))] = _answer_correctly(
            page, fieldset
        )
    save_status = page.locator("[data-save-status]")
    expect(save_status).to_have_text(re.compile(r"^(Đã lưu|Saved)$"))
    assert AttemptAnswer.objects.filter(attempt__public_id=public_id).count() == SAVED_FIRST
    shots(page, "4-five-answered")

    # 6. Reload: the five answers are still checked, as rendered by the server, the others not.
    page.reload()
    expect(page).to_have_url(attempt_url)
    expect(questions).to_have_count(10)
    for question_id, choice_id in first_choices.items():
        expect(page.locator(f"#c{choice_id}")).to_be_checked()
        fieldset = page.locator(f"fieldset[data-question='{question_id}']")
        expect(fieldset.locator("input:checked")).to_have_count(1)
    expect(page.locator("fieldset[data-question] input:checked")).to_have_count(SAVED_FIRST)
    served = page.request.get(attempt_url)
    assert served.ok
    assert _checked_in_html(served.text()) == set(first_choices.values())
    expect(countdown).to_have_text(re.compile(r"^\d+:\d{2}$"))
    minutes, seconds = (int(part) for part in countdown.inner_text().split(":"))
    limit = round_.assessment.time_limit_minutes * 60
    assert 0 < minutes * 60 + seconds <= limit
    shots(page, "5-reloaded")

    # 7. The other five answers, the prediction, the submission (confirmed in the dialog).
    answered = dict(first_choices)
    for index in range(SAVED_FIRST, 10):
        fieldset = questions.nth(index)
        answered[int(fieldset.get_attribute("data-question"))] = _answer_correctly(page, fieldset)
    assert len(answered) == 10
    prediction = page.locator("[data-prediction]")
    with page.expect_response(_is_put("/prediction")) as predicted:
        prediction.fill(str(PREDICTION))
        prediction.press("Tab")  # the change event saves it
    assert predicted.value.ok
    shots(page, "6-all-answered")
    page.locator("[data-submit]").click()

    # 8. The result page.
    expect(page).to_have_url(re.compile(r"/bai-thi/" + public_id + r"/ket-qua/$"))
    expect(page.locator("[data-score]")).to_contain_text("10/10")
    shots(page, "7-result")

    # 9. What the database holds.
    registration = Registration.objects.get()
    assert registration.contest_id == contest.pk
    assert registration.full_name == FULL_NAME
    assert registration.email == EMAIL
    assert registration.citizen_id_last4 == CITIZEN_ID[-4:]
    assert CITIZEN_ID not in registration.citizen_id_encrypted
    assert registration.commune_id == commune.code
    assert registration.unit_id is None
    assert registration.audience == Registration.Audience.CITIZEN
    assert registration.user.check_password(PASSWORD)

    attempt = Attempt.objects.get()
    assert str(attempt.public_id) == public_id
    assert attempt.user_id == registration.user_id
    assert attempt.status == Attempt.Status.SUBMITTED
    assert (attempt.score, attempt.max_score) == (10, 10)
    assert attempt.prediction == PREDICTION
    answers = AttemptAnswer.objects.filter(attempt=attempt)
    assert answers.count() == 10
    assert {a.question_id: a.choice_ids for a in answers} == {
        question_id: [choice_id] for question_id, choice_id in answered.items()
    }
    assert all(a.is_correct for a in answers)

    standing = Standing.objects.get()
    assert (standing.round_id, standing.registration_id) == (round_.pk, registration.pk)
    assert standing.attempt_id == attempt.pk
    assert (standing.score, standing.max_score) == (10, 10)
    assert standing.prediction == PREDICTION
    # Under Playwright's sync API this code runs with its own context, hence its own database
    # connection (Django keys connections by context); close it or the test DB cannot be dropped.
    connections.close_all()
    print(f"contest journey took {time.monotonic() - started:.1f}s")
