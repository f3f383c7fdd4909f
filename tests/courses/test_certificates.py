import datetime
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from courses import certificates_pdf
from courses.certificates_pdf import certificate_storage_root, certificate_verify_url
from courses.models import Certificate
from courses.selectors.certificates import certificate_for_verification
from courses.services import certificates as certificate_services
from courses.services.certificates import (
    SERIAL_ALPHABET,
    certificate_email,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificate_serial_new,
)
from tests.factories.courses import EnrolmentFactory
from tests.factories.users import OrganisationUnitFactory, UserFactory

SERIAL_RE = re.compile(r"^CDS-\d{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$")
HOLDER = "Nguyễn Thị Hồng Nhung"
COMPLETED_AT = datetime.datetime(2026, 3, 14, 18, 30, tzinfo=datetime.UTC)  # 15/03 in Hanoi


@pytest.fixture
def learner(db):
    unit = OrganisationUnitFactory(name="Sở Thông tin và Truyền thông")
    return UserFactory(full_name=HOLDER, email="nhung@example.vn", phone="0987654321", unit=unit)


@pytest.fixture
def enrolment(course, learner):
    return EnrolmentFactory(
        user=learner,
        course=course,
        status="completed",
        progress_percent=100,
        completed_at=COMPLETED_AT,
    )


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issues like the task does: commit callbacks (the email task) run."""

    def run(enrolment_id):
        with django_capture_on_commit_callbacks(execute=True):
            return certificate_issue(enrolment_id=enrolment_id)

    return run


@pytest.fixture
def certificate(enrolment, issue):
    return issue(enrolment.pk)


@pytest.fixture
def admin_user(db):
    return UserFactory(email="quantri@example.vn", is_staff=True, is_superuser=True)


def _pdf_bytes(certificate):
    return (certificate_storage_root() / certificate.pdf_path).read_bytes()


def _pdf_media_boxes(content: bytes) -> list[list[float]]:
    """MediaBox arrays of a PDF, looking inside compressed (object) streams too."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    boxes = []
    for chunk in chunks:
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", chunk):
            boxes.append([float(number) for number in box.split()])
    return boxes


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


# Serials


def test_serial_format_is_readable_and_has_no_ambiguous_characters():
    serials = {certificate_serial_new(year=2026) for _ in range(300)}
    assert len(serials) == 300
    for serial in serials:
        assert SERIAL_RE.match(serial), serial
        assert not set(serial[9:]) & set("0O1I")
    assert not set(SERIAL_ALPHABET) & set("0O1I")


def test_serial_collision_is_retried(enrolment, issue, course, monkeypatch):
    other = EnrolmentFactory(course=course, status="completed", completed_at=COMPLETED_AT)
    taken = issue(other.pk).serial
    draws = iter([taken, taken, "CDS-2026-ABCDEFGH"])
    monkeypatch.setattr(certificate_services, "certificate_serial_new", lambda **kw: next(draws))

    certificate = issue(enrolment.pk)

    assert certificate.serial == "CDS-2026-ABCDEFGH"
    assert Certificate.objects.count() == 2


# Issue


def test_issue_snapshots_the_certificate_and_stores_the_pdf(certificate, enrolment, course):
    assert SERIAL_RE.match(certificate.serial)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.enrolment == enrolment
    assert certificate.holder_name == HOLDER
    assert certificate.unit_name == "Sở Thông tin và Truyền thông"
    assert certificate.course_title == course.title
    assert certificate.hours == Decimal("4.0")
    assert certificate.completed_on == datetime.date(2026, 3, 15)
    year = timezone.localdate(certificate.issued_at).year
    assert certificate.serial.startswith(f"CDS-{year}-")
    assert certificate.pdf_path == f"{year}/{certificate.serial}.pdf"
    path = certificate_storage_root() / certificate.pdf_path
    assert path.is_file()
    assert path.read_bytes().startswith(b"%PDF-")
    # No temporary file is left beside it.
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_issue_is_idempotent(certificate, enrolment, issue):
    again = issue(enrolment.pk)

    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert len(mail.outbox) == 1


def test_issue_task_issues_on_completion(enrolment, django_capture_on_commit_callbacks):
    from courses.tasks import certificate_issue_task

    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue_task.delay(enrolment.pk)
        certificate_issue_task.delay(enrolment.pk)

    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", ["not_started", "in_progress"])
def test_issue_refuses_an_unfinished_enrolment(course, learner, issue, status):
    enrolment = EnrolmentFactory(user=learner, course=course, status=status)

    assert issue(enrolment.pk) is None
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_issue_refuses_a_course_without_certificate(enrolment, course, issue):
    course.certificate_enabled = False
    course.save()

    assert issue(enrolment.pk) is None
    assert not Certificate.objects.exists()


def test_issue_of_a_missing_enrolment_does_nothing(db, issue):
    assert issue(987654) is None
    assert not Certificate.objects.exists()


def test_issue_does_not_undo_a_managers_revoke(certificate, enrolment, admin_user, issue):
    certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason="Gian lận bài thi")

    assert issue(enrolment.pk) is None
    assert Certificate.objects.count() == 1


def test_snapshot_does_not_follow_later_renames(certificate, learner):
    learner.full_name = "Trần Văn Bình"
    learner.save()
    certificate.refresh_from_db()

    assert certificate.holder_name == HOLDER


# The PDF


def test_pdf_is_a4_landscape(certificate):
    content = _pdf_bytes(certificate)

    boxes = _pdf_media_boxes(content)
    assert boxes, "no MediaBox found"
    x0, y0, width, height = boxes[0]
    assert (x0, y0) == (0, 0)
    assert width == pytest.approx(841.89, abs=1)
    assert height == pytest.approx(595.28, abs=1)
    assert len(boxes) == 1  # one page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_pdf_text_keeps_vietnamese_diacritics(certificate, course, tmp_path):
    text = _pdf_text(_pdf_bytes(certificate), tmp_path)

    with translation.override("vi"):
        title = translation.gettext("Certificate of course completion")
    assert title.upper() in text
    assert HOLDER in text
    assert "Sở Thông tin và Truyền thông" in text
    assert course.title in text
    assert "15/03/2026" in text
    assert certificate.serial in text


def test_pdf_shows_the_issuer_from_site_contact(enrolment, issue, home, tmp_path):
    from portal.core.models import SiteContact

    SiteContact.objects.update_or_create(
        site=home.get_site(),
        defaults={"organisation_name": "Sở Nội vụ tỉnh Quảng Trị"},
    )

    assert certificates_pdf.certificate_issuer()["name"] == "Sở Nội vụ tỉnh Quảng Trị"
    certificate = issue(enrolment.pk)
    if shutil.which("pdftotext"):
        assert "Sở Nội vụ tỉnh Quảng Trị".upper() in _pdf_text(_pdf_bytes(certificate), tmp_path)


def test_qr_payload_is_the_absolute_verification_url(enrolment, issue, settings, monkeypatch):
    settings.SITE_BASE_URL = "https://cds.example.gov.vn/"
    payloads = []
    real = certificates_pdf.certificate_qr_data_uri

    def spy(payload):
        payloads.append(payload)
        return real(payload)

    monkeypatch.setattr(certificates_pdf, "certificate_qr_data_uri", spy)
    certificate = issue(enrolment.pk)

    expected = f"https://cds.example.gov.vn/chung-chi/{certificate.serial}/"
    assert certificate_verify_url(certificate.serial) == expected
    assert payloads == [expected]
    # The language of the request does not change the printed address.
    with translation.override("en"):
        assert certificate_verify_url(certificate.serial) == expected
    assert real(expected).startswith("data:image/svg+xml")


# Email


def test_email_carries_the_pdf_and_the_verification_link(certificate, learner):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert certificate.course_title in message.subject
    assert certificate_verify_url(certificate.serial) in message.body
    assert certificate.serial in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == f"{certificate.serial}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")
    html, html_type = message.alternatives[0]
    assert html_type == "text/html"
    assert certificate_verify_url(certificate.serial) in html
    certificate.refresh_from_db()
    assert certificate.emailed_at is not None


def test_email_is_sent_once(certificate):
    assert certificate_email(certificate_id=certificate.pk) is False
    assert len(mail.outbox) == 1


def test_email_skips_a_revoked_certificate(certificate, admin_user):
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)
    certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason="Sai thông tin")
    mail.outbox.clear()

    assert certificate_email(certificate_id=certificate.pk) is False
    assert mail.outbox == []


def test_email_renders_a_missing_pdf_again(certificate):
    (certificate_storage_root() / certificate.pdf_path).unlink()
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)
    mail.outbox.clear()

    assert certificate_email(certificate_id=certificate.pk) is True
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF-")


# Revoke and re-issue


def test_revoke_records_who_when_and_why(certificate, admin_user, client):
    revoked = certificate_revoke(
        certificate_id=certificate.pk, by=admin_user, reason="  Cấp nhầm người  "
    )

    certificate.refresh_from_db()
    assert revoked.pk == certificate.pk
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == admin_user
    assert certificate.revoke_reason == "Cấp nhầm người"
    assert certificate.revoked_at is not None
    response = client.get(reverse("certificate_verify", args=[certificate.serial]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "certificate-check--revoked" in page
    assert timezone.localdate(certificate.revoked_at).strftime("%d/%m/%Y") in page
    assert "Cấp nhầm người" not in page  # the reason stays internal


def test_revoke_twice_is_refused_and_changes_nothing(certificate, admin_user):
    certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason="Lý do thứ nhất")
    certificate.refresh_from_db()
    first = (certificate.revoked_at, certificate.revoke_reason)

    with pytest.raises(ValidationError):
        certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason="Lý do khác")

    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoke_reason) == first


@pytest.mark.parametrize("reason", ["", "   ", "x" * 256])
def test_revoke_needs_a_reason(certificate, admin_user, reason):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason=reason)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_revoke_of_a_missing_certificate_is_refused(db, admin_user):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate_id=424242, by=admin_user, reason="Không tồn tại")


def test_reissue_revokes_the_old_one_and_issues_a_fresh_snapshot(
    certificate, learner, admin_user, django_capture_on_commit_callbacks, client
):
    learner.full_name = "Nguyễn Thị Hồng Nhung Anh"
    learner.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate_id=certificate.pk, by=admin_user)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == admin_user
    assert certificate.revoke_reason
    assert new.status == Certificate.Status.VALID
    assert new.serial != certificate.serial
    assert SERIAL_RE.match(new.serial)
    assert new.replaces == certificate
    assert new.enrolment_id == certificate.enrolment_id
    assert new.holder_name == "Nguyễn Thị Hồng Nhung Anh"
    assert (certificate_storage_root() / new.pdf_path).read_bytes().startswith(b"%PDF-")
    assert [m.attachments[0][0] for m in mail.outbox] == [f"{new.serial}.pdf"]

    old_page = client.get(reverse("certificate_verify", args=[certificate.serial]))
    new_page = client.get(reverse("certificate_verify", args=[new.serial]))
    assert "certificate-check--revoked" in old_page.content.decode()
    assert certificate_for_verification(serial=certificate.serial).replaced is True
    assert "certificate-check--valid" in new_page.content.decode()


def test_reissue_of_a_revoked_certificate_gives_a_valid_one(certificate, admin_user):
    certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason="Sai tên")

    new = certificate_reissue(certificate_id=certificate.pk, by=admin_user)

    assert new.status == Certificate.Status.VALID
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Sai tên"  # the manager's reason is kept


def test_reissue_twice_is_refused(certificate, admin_user):
    certificate_reissue(certificate_id=certificate.pk, by=admin_user)

    with pytest.raises(ValidationError):
        certificate_reissue(certificate_id=certificate.pk, by=admin_user)
    assert Certificate.objects.count() == 2
    assert Certificate.objects.filter(status="valid").count() == 1


def test_reissue_refused_when_the_enrolment_is_no_longer_completed(
    certificate, enrolment, admin_user
):
    enrolment.status = "in_progress"
    enrolment.save()

    with pytest.raises(ValidationError):
        certificate_reissue(certificate_id=certificate.pk, by=admin_user)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


# Public verification page


def test_verify_page_shows_a_valid_certificate_with_minimal_personal_data(
    certificate, learner, client
):
    response = client.get(reverse("certificate_verify", args=[certificate.serial]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "certificate-check--valid" in page
    assert certificate.serial in page
    assert "Nguyễn T. H. N." in page
    assert certificate.course_title in page
    assert "15/03/2026" in page
    assert HOLDER not in page
    assert learner.email not in page
    assert learner.phone not in page
    assert "Sở Thông tin và Truyền thông" not in page
    assert "noindex" in response["X-Robots-Tag"]


def test_verify_page_accepts_a_serial_typed_in_lower_case(certificate, client):
    response = client.get(reverse("certificate_verify", args=[certificate.serial.lower()]))

    assert response.status_code == 200
    assert "certificate-check--valid" in response.content.decode()


@pytest.mark.parametrize("serial", ["CDS-2026-ZZZZZZZZ", "khong-hop-le", "<script>alert(1)"])
def test_verify_page_of_an_unknown_serial_is_a_friendly_404(db, client, serial):
    response = client.get(reverse("certificate_verify", args=[serial]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "certificate-check--unknown" in page
    assert "<script>alert(1)" not in page


# Download


def test_holder_downloads_their_certificate(certificate, learner, client):
    client.force_login(learner)

    response = client.get(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert f"{certificate.serial}.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_other_users_get_404(certificate, client):
    client.force_login(UserFactory())

    response = client.get(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 404


def test_anonymous_download_goes_to_login(certificate, client):
    url = reverse("certificate_download", args=[certificate.serial])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_admin_downloads_any_certificate(certificate, admin_user, client):
    client.force_login(admin_user)

    response = client.get(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 200


def test_user_with_view_permission_downloads(certificate, client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="courses", codename="view_certificate")
    )
    client.force_login(user)

    response = client.get(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 200


def test_holder_cannot_download_a_revoked_certificate(certificate, learner, admin_user, client):
    certificate_revoke(certificate_id=certificate.pk, by=admin_user, reason="Sai thông tin")
    client.force_login(learner)

    response = client.get(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 404


def test_download_renders_a_missing_file_again(certificate, learner, client):
    (certificate_storage_root() / certificate.pdf_path).unlink()
    client.force_login(learner)

    response = client.get(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_refuses_post(certificate, learner, client):
    client.force_login(learner)

    response = client.post(reverse("certificate_download", args=[certificate.serial]))

    assert response.status_code == 405


# Admin screens


def _admin_with(*codenames):
    user = UserFactory(is_staff=True)
    group = Group.objects.create(name="Quản lý chứng chỉ " + "-".join(codenames))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="courses", codename__in=codenames),
    )
    user.groups.add(group)
    return user


def test_admin_list_search_and_filter(certificate, admin_user, client, enrolment, course):
    other = EnrolmentFactory(course=course, status="completed", completed_at=COMPLETED_AT)
    other_certificate = certificate_issue(enrolment_id=other.pk)
    certificate_revoke(certificate_id=other_certificate.pk, by=admin_user, reason="Thử")
    client.force_login(admin_user)
    url = reverse("courses_certificates:index")

    listing = client.get(url)
    searched = client.get(url, {"q": certificate.serial})
    filtered = client.get(url, {"status": "revoked"})

    assert listing.status_code == 200
    assert certificate.serial in listing.content.decode()
    assert other_certificate.serial in listing.content.decode()
    assert certificate.serial in searched.content.decode()
    assert other_certificate.serial not in searched.content.decode()
    assert other_certificate.serial in filtered.content.decode()
    assert certificate.serial not in filtered.content.decode()
    inspect = client.get(reverse("courses_certificates:inspect", args=[certificate.pk]))
    assert inspect.status_code == 200
    assert reverse("courses_certificate_revoke", args=[certificate.pk]) in inspect.content.decode()


def test_admin_has_no_add_edit_or_delete_screens(db):
    from django.urls import NoReverseMatch

    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"courses_certificates:{name}", args=[] if name == "add" else [1])


def test_admin_revokes_with_a_reason(certificate, client):
    manager = _admin_with("change_certificate")
    client.force_login(manager)
    url = reverse("courses_certificate_revoke", args=[certificate.pk])

    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": "  "})
    certificate.refresh_from_db()
    assert empty.status_code == 400
    assert certificate.status == Certificate.Status.VALID

    done = client.post(url, {"reason": "Học viên gian lận"})
    certificate.refresh_from_db()
    assert done.status_code == 302
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == manager

    again = client.post(url, {"reason": "Lần hai"})
    certificate.refresh_from_db()
    assert again.status_code == 400
    assert certificate.revoke_reason == "Học viên gian lận"


def test_admin_reissues(certificate, client, django_capture_on_commit_callbacks):
    client.force_login(_admin_with("change_certificate"))
    url = reverse("courses_certificate_reissue", args=[certificate.pk])

    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert Certificate.objects.filter(replaces=certificate, status="valid").count() == 1
    again = client.post(url)
    assert again.status_code == 400
    assert Certificate.objects.count() == 2


def test_admin_actions_need_the_change_permission(certificate, client):
    client.force_login(_admin_with("view_certificate"))

    revoke = client.post(
        reverse("courses_certificate_revoke", args=[certificate.pk]), {"reason": "Không được"}
    )
    reissue = client.post(reverse("courses_certificate_reissue", args=[certificate.pk]))
    listing = client.get(reverse("courses_certificates:index"))

    assert revoke.status_code == 403
    assert reissue.status_code == 403
    assert listing.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1


def test_admin_actions_need_csrf(certificate, admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(
        reverse("courses_certificate_revoke", args=[certificate.pk]), {"reason": "Không có CSRF"}
    )

    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_admin_screens_refuse_learners(certificate, learner, client):
    client.force_login(learner)

    assert client.get(reverse("courses_certificates:index")).status_code in (302, 403)
    response = client.post(
        reverse("courses_certificate_revoke", args=[certificate.pk]), {"reason": "x"}
    )
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
