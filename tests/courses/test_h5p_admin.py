"""The admin's H5P screens: upload validates and stores, a refused package shows the problem and
stores nothing; libraries are listed but cannot be added or edited."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from courses.h5p import storage
from courses.models import H5PContent, H5PLibrary
from courses.services.roles import COURSE_MANAGERS_GROUP, training_roles_ensure
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
    assert (storage.h5p_content_dir(content.public_id) / "h5p.json").is_file()
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


@pytest.fixture
def course_manager_client(client):
    training_roles_ensure()
    user = UserFactory(is_staff=True, groups=[Group.objects.get(name=COURSE_MANAGERS_GROUP)])
    client.force_login(user)
    return client


def test_course_manager_cannot_install_new_libraries(course_manager_client):
    """Library JavaScript runs on the site's origin: only administrators bring new libraries."""
    response = course_manager_client.post(
        add_url(), {"file": b.package()}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "H5P.Tiny-1.2" in response.content.decode()
    assert not H5PContent.objects.exists()
    assert not H5PLibrary.objects.exists()


def test_course_manager_uploads_content_for_installed_libraries(admin_client):
    admin_client.post(add_url(), {"file": b.package()})  # the administrator installs them
    training_roles_ensure()
    manager = UserFactory(is_staff=True, groups=[Group.objects.get(name=COURSE_MANAGERS_GROUP)])
    other = Client()
    other.force_login(manager)
    response = other.post(add_url(), {"file": b.package()})
    assert response.status_code == 302
    assert H5PContent.objects.count() == 2
    assert H5PLibrary.objects.count() == 1
