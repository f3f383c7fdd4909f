"""Producer registration, profile editing, members and the producer switch ("My shop")."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model

from marketplace.models import Producer, ProducerMember
from marketplace.selectors.shop import SESSION_KEY
from marketplace.services.photos import PRODUCER_PHOTO_COLLECTION
from tests.factories.marketplace import ProducerFactory, ProducerMemberFactory
from tests.factories.users import UserFactory

from .shop_fixtures import *  # noqa: F403 - the shared fixtures
from .shop_fixtures import pdf_upload, photo_upload

REGISTER = reverse("marketplace:producer_register")
EDIT = reverse("marketplace:producer_edit")
MEMBERS = reverse("marketplace:producer_members")


def registration(place, **overrides):
    data = {
        "name": "Hợp tác xã Bưởi Da Xanh Mỹ Thạnh",
        "kind": "cooperative",
        "tax_code": "0300588569",
        "province": place.province_id,
        "commune": place.pk,
        "street_address": "Ấp Phú Thạnh",
        "phone": "0912 345 678".replace(" ", ""),
        "email": "htx.mythanh@example.vn",
        "description": "Bưởi da xanh đạt chuẩn VietGAP.",
        "bank_bin": "970436",
        "bank_account_number": "0071 0012 34567",
        "bank_account_name": "Hợp tác xã Bưởi Đà Xanh",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def user_client(client, home, db):
    user = UserFactory(email="nong.dan@example.vn")
    client.force_login(user)
    client.user = user
    return client


def test_anonymous_is_sent_to_login(client, home):
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get(reverse("marketplace:shop_home")).status_code == 302


def test_user_without_producer_is_sent_to_registration(user_client):
    response = user_client.get(reverse("marketplace:shop_home"))
    assert response.status_code == 302
    assert response["Location"] == REGISTER


def test_register_creates_pending_producer_owned_by_user(user_client, commune):
    data = registration(commune, photos=[photo_upload("vuon-buoi.png")])
    response = user_client.post(REGISTER, data)
    assert response.status_code == 302, response.context["form"].errors
    producer = Producer.objects.get()
    assert producer.status == Producer.Status.PENDING
    assert producer.slug == "hop-tac-xa-buoi-da-xanh-my-thanh"
    assert producer.tax_code == "0300588569"
    assert producer.bank_account_number == "0071001234567"
    assert producer.bank_account_name == "HOP TAC XA BUOI DA XANH"
    assert producer.created_by == user_client.user
    member = producer.members.get()
    assert (member.user, member.role) == (user_client.user, ProducerMember.Role.OWNER)
    assert user_client.session[SESSION_KEY] == producer.pk
    photo = producer.photos.get()
    assert photo.image.collection.name == PRODUCER_PHOTO_COLLECTION
    home_page = user_client.get(reverse("marketplace:shop_home"))
    assert home_page.status_code == 200
    assert "Hợp tác xã Bưởi Da Xanh Mỹ Thạnh" in home_page.content.decode()


def test_register_without_tax_code_or_bank(user_client, commune):
    data = registration(
        commune, tax_code="", bank_bin="", bank_account_number="", bank_account_name=""
    )
    assert user_client.post(REGISTER, data).status_code == 302
    producer = Producer.objects.get()
    assert (producer.tax_code, producer.accepts_vietqr) == ("", False)


def test_branch_tax_code_accepted(user_client, commune):
    assert (
        user_client.post(REGISTER, registration(commune, tax_code="0300588569-012")).status_code
        == 302
    )
    assert Producer.objects.get().tax_code == "0300588569-012"


def test_household_business_registers_with_its_owners_personal_id(user_client, commune):
    data = registration(commune, kind="household", tax_code="086 095 001 234")
    assert user_client.post(REGISTER, data).status_code == 302
    producer = Producer.objects.get()
    assert producer.tax_code == "086095001234"
    # A personal identification number is personal data: the public page leaves it out.
    Producer.objects.filter(pk=producer.pk).update(status=Producer.Status.VERIFIED)
    page = Client().get(reverse("marketplace:producer", args=[producer.slug]))
    assert page.status_code == 200
    assert "086095001234" not in page.content.decode()


@pytest.mark.parametrize(
    ("kind", "tax_code"),
    [
        ("cooperative", "086095001234"),  # a 12-digit number is for household businesses only
        ("household", "999095001234"),  # 999 is no province code
        ("household", "08609500123"),  # 11 digits
    ],
)
def test_personal_ids_that_cannot_be_tax_codes_are_refused(user_client, commune, kind, tax_code):
    response = user_client.post(REGISTER, registration(commune, kind=kind, tax_code=tax_code))
    assert response.status_code == 400
    assert "tax_code" in response.context["form"].errors
    assert not Producer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_code", "0300588568", "check digit"),
        ("tax_code", "12345", "10 digits"),
        ("tax_code", "0300588569-000", "001"),
        ("phone", "12345", None),
        ("bank_account_number", "12AB", None),
        ("bank_account_number", "123", None),
        ("bank_account_name", "HTX 2025", None),
        ("bank_bin", "970444", None),  # CB Bank: receive-only, not in the VietQR transfer list
        ("kind", "company", None),
    ],
)
def test_bad_input_is_refused_and_nothing_created(user_client, commune, field, value, message):
    # The English pages, so that the messages can be compared whatever the catalogue holds.
    with translation.override("en"):
        url = reverse("marketplace:producer_register")
    assert url.startswith("/en/")
    response = user_client.post(url, registration(commune, **{field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])
    assert not Producer.objects.exists()
    assert not ProducerMember.objects.exists()


def test_commune_of_another_province_is_refused(user_client, commune, other_commune):
    response = user_client.post(REGISTER, registration(commune, commune=other_commune.pk))
    assert response.status_code == 400
    assert "commune" in response.context["form"].errors
    assert not Producer.objects.exists()


def test_half_filled_bank_account_is_refused(user_client, commune):
    response = user_client.post(
        REGISTER, registration(commune, bank_account_number="", bank_account_name="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"bank_account_number", "bank_account_name"} <= set(errors)
    assert not Producer.objects.exists()


def test_duplicate_tax_code_is_refused(user_client, commune):
    ProducerFactory(commune=commune, tax_code="0300588569")
    response = user_client.post(REGISTER, registration(commune))
    assert response.status_code == 400
    assert "tax_code" in response.context["form"].errors
    assert Producer.objects.count() == 1


def test_non_image_photo_is_refused(user_client, commune):
    fake = photo_upload("anh.jpg", content=b"not an image at all" * 10)
    response = user_client.post(REGISTER, registration(commune, photos=[fake]))
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not Producer.objects.exists()
    assert not get_image_model().objects.exists()


def test_pdf_as_photo_is_refused(user_client, commune):
    response = user_client.post(REGISTER, registration(commune, photos=[pdf_upload("anh.png")]))
    assert response.status_code == 400
    assert not Producer.objects.exists()


# --- Profile ---------------------------------------------------------------------------------


def test_owner_edits_profile_keeping_verified_status_and_members_hear_of_bank_change(
    owner_client, producer, commune, django_capture_on_commit_callbacks
):
    staff = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.STAFF).user
    data = registration(
        commune,
        name="HTX Bưởi Mỹ Thạnh",
        tax_code="0101248141",
        bank_bin="970405",
        bank_account_number="1234567890",
        bank_account_name="htx buoi my thanh",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(EDIT, data)
    assert response.status_code == 302, response.context["form"].errors
    producer.refresh_from_db()
    assert producer.status == Producer.Status.VERIFIED  # documented: kept
    assert (producer.name, producer.tax_code, producer.bank_bin) == (
        "HTX Bưởi Mỹ Thạnh",
        "0101248141",
        "970405",
    )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([staff.email, "chu.htx@example.vn", "htx.mythanh@example.vn"])
    assert "7890" in mail.outbox[0].body


def test_profile_edit_without_bank_change_sends_nothing(
    owner_client, producer, commune, django_capture_on_commit_callbacks
):
    data = registration(
        commune,
        tax_code="",
        bank_bin=producer.bank_bin,
        bank_account_number=producer.bank_account_number,
        bank_account_name=producer.bank_account_name,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(EDIT, data).status_code == 302
    assert mail.outbox == []


def test_rejected_producer_goes_back_to_pending_when_edited(owner_client, producer, commune):
    Producer.objects.filter(pk=producer.pk).update(
        status=Producer.Status.REJECTED, rejection_reason="Thiếu mã số thuế"
    )
    assert owner_client.post(EDIT, registration(commune)).status_code == 302
    producer.refresh_from_db()
    assert producer.status == Producer.Status.PENDING


def test_edit_refuses_bad_tax_code_and_changes_nothing(owner_client, producer, commune):
    before = Producer.objects.values().get(pk=producer.pk)
    response = owner_client.post(EDIT, registration(commune, tax_code="0100109107"))
    assert response.status_code == 400
    assert Producer.objects.values().get(pk=producer.pk) == before


def test_staff_member_sees_profile_read_only_and_cannot_post(client, home, producer, commune):
    staff = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.STAFF).user
    client.force_login(staff)
    page = client.get(EDIT)
    assert page.status_code == 200
    assert page.context["form"].fields["name"].disabled
    before = Producer.objects.values().get(pk=producer.pk)
    assert client.post(EDIT, registration(commune, name="Chiếm quyền")).status_code == 403
    assert Producer.objects.values().get(pk=producer.pk) == before


def test_producer_photo_removed_by_owner_only(owner_client, producer, client):
    from marketplace.services.photos import producer_photos_add

    photo = producer_photos_add(producer=producer, uploads=[photo_upload()], by=None)[0]
    url = reverse("marketplace:producer_photo_delete", args=[photo.pk])
    assert owner_client.post(url).status_code == 302
    assert not producer.photos.exists()
    assert not get_image_model().objects.filter(pk=photo.image_id).exists()


# --- Members ---------------------------------------------------------------------------------


def test_owner_adds_and_removes_a_member(owner_client, producer):
    colleague = UserFactory(email="Ke.Toan@example.vn")
    response = owner_client.post(MEMBERS, {"email": "ke.toan@EXAMPLE.vn", "role": "staff"})
    assert response.status_code == 302
    member = producer.members.get(user=colleague)
    assert member.role == ProducerMember.Role.STAFF
    response = owner_client.post(reverse("marketplace:producer_member_remove", args=[member.pk]))
    assert response.status_code == 302
    assert not producer.members.filter(user=colleague).exists()


def test_member_add_refuses_unknown_and_duplicate_addresses(owner_client, producer, owner):
    response = owner_client.post(MEMBERS, {"email": "khong.co@example.vn", "role": "staff"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    response = owner_client.post(MEMBERS, {"email": owner.email, "role": "staff"})
    assert response.status_code == 400
    assert producer.members.count() == 1


def test_last_owner_cannot_be_removed(owner_client, producer, owner):
    member = producer.members.get(user=owner)
    response = owner_client.post(reverse("marketplace:producer_member_remove", args=[member.pk]))
    assert response.status_code == 302
    assert producer.members.filter(pk=member.pk).exists()


def test_staff_cannot_manage_members(client, home, producer):
    staff = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.STAFF).user
    other = UserFactory()
    client.force_login(staff)
    assert client.get(MEMBERS).status_code == 200
    assert client.post(MEMBERS, {"email": other.email, "role": "owner"}).status_code == 403
    owner_member = producer.members.get(role=ProducerMember.Role.OWNER)
    url = reverse("marketplace:producer_member_remove", args=[owner_member.pk])
    assert client.post(url).status_code == 403
    assert producer.members.count() == 2


def test_member_of_another_producer_cannot_be_removed(owner_client, producer, stranger_producer):
    other, _user = stranger_producer
    member = other.members.get()
    url = reverse("marketplace:producer_member_remove", args=[member.pk])
    assert owner_client.post(url).status_code == 404
    assert other.members.filter(pk=member.pk).exists()


def test_several_users_manage_one_producer(client, home, producer):
    staff = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.STAFF).user
    client.force_login(staff)
    page = client.get(reverse("marketplace:shop_home"))
    assert page.status_code == 200
    assert page.context["request"].producer == producer


# --- Switch ----------------------------------------------------------------------------------


def test_switch_between_producers(owner_client, producer, owner, commune):
    second = ProducerFactory(commune=commune, name="Cơ sở Mật ong Hoa Nhãn")
    ProducerMemberFactory(producer=second, user=owner)
    page = owner_client.get(reverse("marketplace:producer_switch"))
    assert page.status_code == 200
    assert "Cơ sở Mật ong Hoa Nhãn" in page.content.decode()
    response = owner_client.post(reverse("marketplace:producer_switch"), {"producer": second.pk})
    assert response.status_code == 302
    assert owner_client.session[SESSION_KEY] == second.pk
    assert owner_client.get(reverse("marketplace:shop_home")).context["request"].producer == second


def test_switch_to_a_producer_one_does_not_manage_is_404(owner_client, producer, stranger_producer):
    other, _user = stranger_producer
    url = reverse("marketplace:producer_switch")
    assert owner_client.post(url, {"producer": other.pk}).status_code == 404
    assert owner_client.post(url, {"producer": "abc"}).status_code == 404
    assert owner_client.session.get(SESSION_KEY) != other.pk
