"""Serving H5P files: only to users who may take a lesson using the content, only from inside its
folder, and with headers that keep uploaded files from running in the site's origin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courses.h5p import storage
from courses.models import LessonActivity, LessonPage
from courses.selectors.h5p import h5p_content_viewable
from courses.services.h5p import h5p_package_import
from tests.courses import h5p_builders as b
from tests.factories.courses import CoursePageFactory, EnrolmentFactory, LessonPageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db):
    return h5p_package_import(
        upload=b.package(
            **{
                "content/notes.txt": b"ghi chu",
                "content/doc.pdf": b"%PDF-1.4",
                "H5P.Tiny-1.2/lang.xml": b"<x/>",
            }
        ),
        user=None,
    )


@pytest.fixture
def lesson_activity(course, content):
    lesson = LessonPage.objects.child_of(course).first()
    return LessonActivity.objects.create(
        lesson=lesson, block_id="x", kind="h5p", h5p_content=content, title="H5P"
    )


@pytest.fixture
def learner(course, lesson_activity):
    user = UserFactory()
    EnrolmentFactory(user=user, course=course)
    return user


def content_url(content, path):
    return reverse("h5p_content_file", args=[content.public_id, path])


def library_url(folder, path):
    return reverse("h5p_library_file", args=[folder, path])


def body(response):
    return b"".join(response.streaming_content)


def test_anonymous_is_refused(client, content, lesson_activity):
    response = client.get(content_url(content, "content/content.json"))
    assert response.status_code == 403
    assert client.get(library_url("H5P.Tiny-1.2", "js/tiny.js")).status_code == 403


def test_enrolled_learner_gets_the_content(client, learner, content):
    client.force_login(learner)
    response = client.get(content_url(content, "content/content.json"))
    assert response.status_code == 200
    assert b"Ch\xe1\xbb\xaf k\xc3\xbd s\xe1\xbb\x91" in body(response)
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    h5p_json = client.get(content_url(content, "h5p.json"))
    assert h5p_json.status_code == 200
    assert b"H5P.Tiny" in body(h5p_json)


def test_learner_of_another_course_is_refused(client, course_index, content, lesson_activity):
    other_course = CoursePageFactory(parent=course_index)
    LessonPageFactory(parent=other_course)
    outsider = UserFactory()
    EnrolmentFactory(user=outsider, course=other_course)
    client.force_login(outsider)
    assert client.get(content_url(content, "content/content.json")).status_code == 404
    assert not h5p_content_viewable(user=outsider, content=content)


def test_activity_no_longer_live_is_refused(client, learner, content, lesson_activity):
    lesson_activity.is_live = False
    lesson_activity.save()
    client.force_login(learner)
    assert client.get(content_url(content, "content/content.json")).status_code == 404


def test_signed_in_user_without_enrolment_is_refused(client, content, lesson_activity):
    client.force_login(UserFactory())
    assert client.get(content_url(content, "h5p.json")).status_code == 404


def test_h5p_editor_may_preview(client, content):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_h5pcontent"))
    client.force_login(editor)
    assert client.get(content_url(content, "content/content.json")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "content/../h5p.json",
        "content/../../libraries/H5P.Tiny-1.2/library.json",
        "content//content.json",
        "content/./content.json",
        "content/%2e%2e/h5p.json",
        "content/missing.json",
        "content/images",
        "content/images/",
        "other.json",
        "content/.hidden",
        "content\\content.json",
    ],
)
def test_paths_outside_or_unsafe_are_refused(client, learner, content, path):
    client.force_login(learner)
    response = client.get(f"/h5p/noi-dung/{content.public_id}/{path}")
    assert response.status_code == 404


def test_symlink_inside_the_folder_is_not_followed(client, learner, content, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"secret": 1}')
    link = storage.h5p_content_dir(content.public_id) / "content" / "link.json"
    link.symlink_to(secret)
    client.force_login(learner)
    assert client.get(content_url(content, "content/link.json")).status_code == 404


@pytest.mark.parametrize(
    ("path", "content_type", "attachment"),
    [
        ("content/images/picture.png", "image/png", False),
        ("content/notes.txt", "text/plain; charset=utf-8", False),
        ("content/doc.pdf", "application/octet-stream", True),
    ],
)
def test_content_types(client, learner, content, path, content_type, attachment):
    client.force_login(learner)
    response = client.get(content_url(content, path))
    assert response["Content-Type"] == content_type
    assert response.get("Content-Disposition", "").startswith("attachment") is attachment


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("js/tiny.js", "text/javascript; charset=utf-8"),
        ("css/tiny.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
        ("library.json", "application/json"),
        ("lang.xml", "application/octet-stream"),
    ],
)
def test_library_files_for_any_signed_in_user(client, content, path, content_type):
    client.force_login(UserFactory())
    response = client.get(library_url("H5P.Tiny-1.2", path))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize(
    ("folder", "path"),
    [
        ("H5P.Tiny-1.2", "../H5P.Tiny-1.2/library.json"),
        ("H5P.Tiny-1.2", "missing.js"),
        ("H5P.Tiny-9.9", "library.json"),
        ("H5P.Tiny", "library.json"),
        ("..", "content"),
    ],
)
def test_library_paths_refused(client, content, folder, path):
    client.force_login(UserFactory())
    response = client.get(f"/h5p/thu-vien/{folder}/{path}")
    assert response.status_code == 404


def test_only_safe_methods(client, learner, content):
    client.force_login(learner)
    assert client.post(content_url(content, "h5p.json")).status_code == 405
