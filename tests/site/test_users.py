import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories.users import OrganisationUnitFactory, UserFactory


@pytest.mark.django_db
def test_login_by_email_is_case_insensitive(client):
    UserFactory(email="mai@example.vn")
    assert client.login(email="MAI@example.vn", password="mat-khau-Thu-nghiem-1")


@pytest.mark.django_db
def test_phone_must_be_vietnamese():
    user = UserFactory.build(email="x@example.vn", phone="12345")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "phone" in error.value.message_dict


@pytest.mark.django_db
def test_admin_creates_user_with_full_name_phone_and_unit(client):
    unit = OrganisationUnitFactory(name="Sở Y tế", code="so-y-te")
    client.force_login(UserFactory(email="root@example.vn", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "moi@example.vn",
            "full_name": "Phạm Minh Châu",
            "phone": "0987654321",
            "unit": unit.pk,
            "password1": "Mat-khau-rat-manh-2026",
            "password2": "Mat-khau-rat-manh-2026",
            "is_superuser": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(email="moi@example.vn")
    assert (user.full_name, user.phone, user.unit) == ("Phạm Minh Châu", "0987654321", unit)
    assert user.get_short_name() == "Châu"


@pytest.mark.django_db
def test_account_page_edits_full_name(client):
    user = UserFactory(email="bt@example.vn", is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_account"))
    assert response.status_code == 200
    assert 'name="name_email-full_name"' in response.content.decode()


@pytest.mark.django_db
def test_public_sign_in_and_out(client, home):
    UserFactory(email="thisinh@example.vn")
    assert client.get("/dang-nhap/").status_code == 200
    wrong = client.post("/dang-nhap/", {"username": "thisinh@example.vn", "password": "sai"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(
        "/dang-nhap/?next=/",
        {"username": "thisinh@example.vn", "password": "mat-khau-Thu-nghiem-1", "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "/ca-nhan/cuoc-thi/" in page and "/dang-xuat/" in page
    assert client.post("/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session
