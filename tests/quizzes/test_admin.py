"""Organisers build the bank, tests and contests in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from quizzes.models import Assessment, ContestPage, Question
from tests.factories.quizzes import QuestionCategoryFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = UserFactory(email="btc@example.vn", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def question_data(kind, correct_flags):
    return nested_form_data(
        {
            "category": QuestionCategoryFactory().pk,
            "kind": kind,
            "text": "Ngày Chuyển đổi số quốc gia là ngày nào?",
            "explanation": "Quyết định 505/QĐ-TTg.",
            "difficulty": 2,
            "is_active": "on",
            "choices": inline_formset(
                [
                    {"text": f"Đáp án {i}", "is_correct": "on" if flag else ""}
                    for i, flag in enumerate(correct_flags)
                ]
            ),
        }
    )


@pytest.mark.parametrize(
    ("kind", "flags", "created"),
    [
        ("single", [True, False, False], True),
        ("single", [True, True, False], False),
        ("multiple", [True, True, False], True),
        ("multiple", [False, False], False),
        ("true_false", [False, True], True),
        ("true_false", [True, False, False], False),
    ],
)
def test_question_form_checks_correct_answers(client, organiser, kind, flags, created):
    url = reverse("wagtailsnippets_quizzes_question:add")
    response = client.post(url, question_data(kind, flags))
    assert Question.objects.exists() is created, response.content.decode()[:500]
    if created:
        assert (
            list(
                Question.objects.get()
                .choices.order_by("sort_order")
                .values_list("is_correct", flat=True)
            )
            == flags
        )


def round_row(assessment, title="Tuần 1"):
    return {
        "title": title,
        "opens_at": "2026-12-07 16:00",
        "closes_at": "2026-12-14 15:00",
        "assessment": assessment.pk,
        "staff_assessment": "",
        "prediction_prompt": "Bao nhiêu người đạt điểm tối đa?",
        "prediction_target": "full_marks",
    }


@pytest.mark.parametrize("reuse", [False, True])
def test_contest_page_created_in_admin_with_rounds(client, organiser, contest_index, reuse):
    assessment = Assessment.objects.create(title="Đề tuần 1")
    second = assessment if reuse else Assessment.objects.create(title="Đề tuần 2")
    url = reverse("wagtailadmin_pages:add", args=("quizzes", "contestpage", contest_index.pk))
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Tìm hiểu thương mại điện tử",
            "slug": "tim-hieu-tmdt",
            "intro": "Cuộc thi trực tuyến.",
            "rules": rich_text("<p>Thể lệ</p>"),
            "prizes": rich_text("<p>Giải thưởng</p>"),
            "access": "public",
            "ask_birth_date": "on",
            "ask_phone": "on",
            "ask_citizen_id": "on",
            "ask_unit": "on",
            "consent_text": "Tôi đồng ý.",
            "ranking_keys": "score,prediction,duration,submitted",
            "rounds": inline_formset([round_row(assessment), round_row(second, "Tuần 2")]),
            "participation_bands": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)
    if reuse:  # one test cannot serve two rounds: refused with a message, nothing saved
        assert response.status_code == 200
        assert "Đề tuần 1" in response.content.decode()
        assert not ContestPage.objects.filter(slug="tim-hieu-tmdt").exists()
        return
    assert response.status_code == 302, response.content.decode()[-3000:]
    contest = ContestPage.objects.get(slug="tim-hieu-tmdt")
    assert contest.live
    assert [r.assessment for r in contest.rounds.order_by("sort_order")] == [assessment, second]


def test_contest_refuses_unknown_ranking_key(client, organiser, contest):
    from django.core.exceptions import ValidationError

    contest.ranking_keys = "score,luck"
    with pytest.raises(ValidationError):
        contest.full_clean()


def test_organiser_reads_a_contestants_audit_log(client, contest):
    from portal.core.http import ClientInfo
    from quizzes.services.attempts import attempt_answer_save, attempt_start, attempt_submit
    from tests.factories.quizzes import RegistrationFactory

    registration = RegistrationFactory(contest=contest)
    where = ClientInfo(ip="203.0.113.7", user_agent="Mozilla/5.0 (Thí sinh)")
    attempt, _ = attempt_start(
        assessment=contest.rounds.get().assessment, user=registration.user, client=where
    )
    attempt_answer_save(
        public_id=attempt.public_id,
        user=registration.user,
        question_id=attempt.question_ids[0],
        choice_ids=[],
        client=where,
    )
    attempt_submit(public_id=attempt.public_id, user=registration.user, client=where)
    url = reverse("quizzes_registration_attempts", args=(contest.pk, registration.pk))

    client.force_login(UserFactory(email="nv@example.vn", is_staff=True, is_superuser=False))
    assert client.get(url).status_code in (302, 403)

    client.force_login(UserFactory(email="btc2@example.vn", is_staff=True, is_superuser=True))
    html = client.get(url).content.decode()
    assert html.count("203.0.113.7") == 3  # start, save, submit
    assert "Mozilla/5.0 (Thí sinh)" in html
    assert registration.full_name not in html  # masked
