"""The admin's H5P screens: upload validates and stores, a refused package shows the problem and
stores nothing; libraries are listed but cannot be added or edited."""

import pytest
from django.urls import reverse

from courses.h5p import storage
from courses.models import H5PContent, H5PLibrary
from tests.courses import h5p_builders as b
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def add_url():
    return reverse("wagtailsnippets_courses_h5pcontent:add")


def test_upload_form_is_shown(admin_client):
    response = admin_client.get(add_url())
    assert response.status_code == 200
    assert b'type="file"' in response.content


def test_upload_stores_the_activity(admin_client):
    response = admin_client.post(add_url(), {"file": b.package()})
    assert response.status_code == 302
    content = H5PContent.objects.get()
    assert content.title == "Bài tập nhỏ"
    assert (storage.content_dir(content.public_id) / "h5p.json").is_file()
    listing = admin_client.get(reverse("wagtailsnippets_courses_h5pcontent:list"))
    assert "Bài tập nhỏ" in listing.content.decode()
    assert "H5P.Tiny" in listing.content.decode()


def test_refused_upload_shows_the_problem_and_stores_nothing(admin_client):
    upload = b.with_files({"content/evil.php": b"<?php"})
    response = admin_client.post(add_url(), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "content/evil.php" in response.content.decode()
    assert not H5PContent.objects.exists()
    assert not H5PLibrary.objects.exists()
    assert not [p for p in storage.h5p_root().rglob("*") if p.is_file()]


def test_upload_needs_permission(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(add_url(), {"file": b.package()})
    assert response.status_code in (302, 403)
    assert not H5PContent.objects.exists()


def test_libraries_are_browse_only(admin_client):
    admin_client.post(add_url(), {"file": b.package()})
    listing = admin_client.get(reverse("wagtailsnippets_courses_h5plibrary:list"))
    assert listing.status_code == 200
    assert "H5P.Tiny" in listing.content.decode()
    assert admin_client.get(reverse("wagtailsnippets_courses_h5plibrary:add")).status_code in (
        302,
        403,
    )
    library = H5PLibrary.objects.get()
    edit = admin_client.get(reverse("wagtailsnippets_courses_h5plibrary:edit", args=[library.pk]))
    assert edit.status_code in (302, 403)
