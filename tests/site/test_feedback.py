"""The feedback form stores and emails good submissions and refuses spam, oversized or flooding
ones with a clear Vietnamese message, storing nothing."""

import pytest
from django.core import mail

from portal.feedback.models import FeedbackSubmission
from portal.feedback.services import feedback_submission_email


def good_data(**overrides):
    data = {
        "ho_va_ten": "Trần Thị Bích",
        "email": "bich@example.vn",
        "noi_dung_gop_y": "Đề nghị bổ sung hướng dẫn nộp hồ sơ đăng ký hộ kinh doanh.",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submission_is_stored_and_emailed_once(client, feedback_page):
    response = client.post(feedback_page.url, good_data())
    assert response.status_code == 200
    assert "Cảm ơn bạn đã gửi góp ý." in response.content.decode()
    submission = FeedbackSubmission.objects.get()
    assert submission.form_data["noi_dung_gop_y"].startswith("Đề nghị bổ sung")
    assert "website" not in submission.form_data
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bientap@example.vn"]
    assert message.subject == "Góp ý mới"
    assert "Nội dung góp ý: Đề nghị bổ sung hướng dẫn" in message.body
    submission.refresh_from_db()
    assert submission.emailed_at is not None
    # The task may run twice (a retried delivery): the second run sends nothing.
    assert feedback_submission_email(submission_id=submission.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_honeypot_spam_is_refused_and_nothing_stored(client, feedback_page):
    response = client.post(feedback_page.url, good_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "thư rác" in response.content.decode()
    assert not FeedbackSubmission.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_oversized_message_is_refused_with_its_limit(client, feedback_page):
    response = client.post(feedback_page.url, good_data(**{"noi_dung_gop_y": "a" * 5001}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "5000" in html and "5001" in html
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.django_db
def test_missing_required_field_keeps_what_was_typed(client, feedback_page):
    response = client.post(feedback_page.url, good_data(email=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in html
    assert "Đề nghị bổ sung hướng dẫn" in html
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.django_db
def test_request_body_over_the_limit_gets_a_400_page(client, feedback_page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(feedback_page.url, good_data(**{"noi_dung_gop_y": "b" * 20_000}))
    assert response.status_code == 400
    assert "Yêu cầu không được chấp nhận" in response.content.decode()
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.django_db
def test_flooding_is_rate_limited_per_address(client, feedback_page, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(feedback_page.url, good_data()).status_code == 200
    response = client.post(feedback_page.url, good_data())
    assert response.status_code == 429
    assert "quá nhiều góp ý" in response.content.decode()
    assert FeedbackSubmission.objects.count() == 2
    other = client.post(feedback_page.url, good_data(), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200
