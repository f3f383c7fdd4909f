"""The product status flow (marketplace.services.products): legal moves, refused moves, emails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Producer, ProducerMember, Product
from marketplace.services.products import (
    IllegalProductMove,
    ProductData,
    product_approve,
    product_delete_draft,
    product_publish,
    product_reject,
    product_submit,
    product_unpublish,
    product_update,
)
from tests.factories.marketplace import ProducerMemberFactory
from tests.factories.users import UserFactory

from .shop_fixtures import *  # noqa: F403 - the shared fixtures
from .shop_fixtures import make_product, pdf_upload, photo_upload, product_form_data, subgroup

S = Product.Status


@pytest.fixture
def draft(producer, owner):
    """A draft with its scanned certificate."""
    from marketplace.services.products import product_create

    data = ProductData(
        name="Mật ong hoa nhãn",
        subgroup=subgroup("1.3"),
        stars=4,
        certificate_number="55/QĐ-UBND",
        certificate_date=timezone.localdate() - datetime.timedelta(days=30),
        certificate_authority="UBND tỉnh Vĩnh Long",
        price=180_000,
        unit="chai",
        stock=20,
    )
    return product_create(producer=producer, by=owner, data=data, certificate_upload=pdf_upload())


def _status(product) -> str:
    return Product.objects.values_list("status", flat=True).get(pk=product.pk)


def _data_of(product, **changes) -> ProductData:
    values = {
        "name": product.name,
        "subgroup": product.subgroup,
        "stars": product.stars,
        "potential_five_star": product.potential_five_star,
        "certificate_number": product.certificate_number,
        "certificate_date": product.certificate_date,
        "certificate_authority": product.certificate_authority,
        "certificate_expires_on": product.certificate_expires_on,
        "price": product.price,
        "unit": product.unit,
        "stock": product.stock,
        "description": product.description,
    }
    values.update(changes)
    return ProductData(**values)


def test_full_flow_draft_to_published_and_back(
    draft, producer, owner, moderator, django_capture_on_commit_callbacks
):
    staff = ProducerMemberFactory(producer=producer, role=ProducerMember.Role.STAFF).user
    product_submit(producer=producer, product_id=draft.pk, by=owner)
    assert _status(draft) == S.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        product_approve(product_id=draft.pk, by=moderator)
    draft.refresh_from_db()
    assert (draft.status, draft.ocop_active, draft.moderated_by) == (S.APPROVED, True, moderator)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, staff.email])
    assert "Mật ong hoa nhãn" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert reverse("marketplace:shop_product_edit", args=[draft.pk]) in mail.outbox[0].body

    product_publish(producer=producer, product_id=draft.pk, by=owner)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    first_published = draft.published_at
    assert first_published is not None
    product_unpublish(producer=producer, product_id=draft.pk, by=owner)
    assert _status(draft) == S.UNPUBLISHED
    product_publish(producer=producer, product_id=draft.pk, by=owner)
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (S.PUBLISHED, first_published)


def test_reject_with_reason_emails_members_and_resubmit(
    draft, producer, owner, moderator, django_capture_on_commit_callbacks
):
    product_submit(producer=producer, product_id=draft.pk, by=owner)
    with pytest.raises(ValidationError):
        product_reject(product_id=draft.pk, by=moderator, reason="   ")
    assert _status(draft) == S.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        product_reject(product_id=draft.pk, by=moderator, reason="Ảnh giấy chứng nhận bị mờ")
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason) == (S.REJECTED, "Ảnh giấy chứng nhận bị mờ")
    assert len(mail.outbox) == 1
    assert "Ảnh giấy chứng nhận bị mờ" in mail.outbox[0].body
    assert "Ảnh giấy chứng nhận bị mờ" in mail.outbox[0].alternatives[0][0]
    product_submit(producer=producer, product_id=draft.pk, by=owner)
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason) == (S.SUBMITTED, "")


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.SUBMITTED, "submit"),
        (S.APPROVED, "submit"),
        (S.PUBLISHED, "submit"),
        (S.DRAFT, "publish"),
        (S.SUBMITTED, "publish"),
        (S.REJECTED, "publish"),
        (S.PUBLISHED, "publish"),
        (S.DRAFT, "unpublish"),
        (S.APPROVED, "unpublish"),
        (S.UNPUBLISHED, "unpublish"),
        (S.SUBMITTED, "delete"),
        (S.PUBLISHED, "delete"),
        (S.DRAFT, "approve"),
        (S.APPROVED, "approve"),
        (S.PUBLISHED, "approve"),
        (S.REJECTED, "approve"),
        (S.DRAFT, "reject"),
        (S.REJECTED, "reject"),
    ],
)
def test_illegal_moves_are_refused(producer, owner, moderator, status, move):
    product = make_product(producer, status=status, certificate_file="x/y.pdf")
    before = Product.objects.values().get(pk=product.pk)
    calls = {
        "submit": lambda: product_submit(producer=producer, product_id=product.pk, by=owner),
        "publish": lambda: product_publish(producer=producer, product_id=product.pk, by=owner),
        "unpublish": lambda: product_unpublish(producer=producer, product_id=product.pk, by=owner),
        "delete": lambda: product_delete_draft(producer=producer, product_id=product.pk, by=owner),
        "approve": lambda: product_approve(product_id=product.pk, by=moderator),
        "reject": lambda: product_reject(product_id=product.pk, by=moderator, reason="Không"),
    }
    with pytest.raises(IllegalProductMove) as error:
        calls[move]()
    assert error.value.code == "illegal_move"
    assert str(product.get_status_display()) in error.value.messages[0]
    assert Product.objects.values().get(pk=product.pk) == before


@pytest.mark.parametrize("status", [S.APPROVED, S.PUBLISHED, S.UNPUBLISHED])
def test_moderator_can_withdraw_an_approval(producer, moderator, status):
    product = make_product(producer, status=status)
    product_reject(product_id=product.pk, by=moderator, reason="Giấy chứng nhận bị thu hồi")
    product.refresh_from_db()
    assert (product.status, product.ocop_active) == (S.REJECTED, False)


def test_submit_needs_the_scanned_certificate(producer, owner):
    product = make_product(producer, status=S.DRAFT, certificate_file="")
    with pytest.raises(ValidationError) as error:
        product_submit(producer=producer, product_id=product.pk, by=owner)
    assert error.value.code == "certificate_missing"
    assert _status(product) == S.DRAFT


def test_submit_refuses_an_expired_certificate(producer, owner):
    product = make_product(
        producer,
        status=S.DRAFT,
        certificate_file="x/y.pdf",
        certificate_date=datetime.date(2021, 1, 10),
        certificate_expires_on=datetime.date(2024, 1, 10),
    )
    with pytest.raises(ValidationError) as error:
        product_submit(producer=producer, product_id=product.pk, by=owner)
    assert error.value.code == "certificate_expired"
    assert _status(product) == S.DRAFT


def test_approval_of_a_certificate_that_expired_meanwhile_shows_no_badge(producer, moderator):
    product = make_product(
        producer,
        status=S.SUBMITTED,
        ocop_active=False,
        certificate_expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    product_approve(product_id=product.pk, by=moderator)
    product.refresh_from_db()
    assert (product.status, product.ocop_active) == (S.APPROVED, False)


@pytest.mark.parametrize("status", [Producer.Status.PENDING, Producer.Status.SUSPENDED])
def test_only_verified_producers_publish(producer, owner, status):
    Producer.objects.filter(pk=producer.pk).update(status=status)
    producer.refresh_from_db()
    product = make_product(producer, status=S.APPROVED)
    with pytest.raises(ValidationError) as error:
        product_publish(producer=producer, product_id=product.pk, by=owner)
    assert error.value.code == "not_verified"
    assert _status(product) == S.APPROVED


def test_moderation_needs_the_permission(producer, owner):
    product = make_product(producer, status=S.SUBMITTED)
    someone = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        product_approve(product_id=product.pk, by=someone)
    with pytest.raises(PermissionDenied):
        product_reject(product_id=product.pk, by=owner, reason="Tự từ chối")
    assert _status(product) == S.SUBMITTED


def test_moves_on_another_producers_product_fail(producer, owner, commune):
    from tests.factories.marketplace import ProducerFactory

    other_product = make_product(ProducerFactory(commune=commune), status=S.APPROVED)
    with pytest.raises(Product.DoesNotExist):
        product_publish(producer=producer, product_id=other_product.pk, by=owner)
    assert _status(other_product) == S.APPROVED


# --- Edits after approval --------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"price": 99_000},
        {"stock": 3},
        {"description": "Mô tả mới"},
        {"name": "Kẹo dừa sáp (hộp 500 g)"},
        {"unit": "goi"},
    ],
)
def test_commercial_edits_keep_a_published_product_published(producer, owner, changes):
    product = make_product(producer, status=S.PUBLISHED)
    product_update(
        producer=producer, product_id=product.pk, by=owner, data=_data_of(product, **changes)
    )
    product.refresh_from_db()
    assert (product.status, product.ocop_active) == (S.PUBLISHED, True)
    field, value = next(iter(changes.items()))
    assert getattr(product, field) == value


def test_new_photos_keep_a_published_product_published(producer, owner):
    product = make_product(producer, status=S.PUBLISHED)
    product_update(
        producer=producer,
        product_id=product.pk,
        by=owner,
        data=_data_of(product),
        photos=[photo_upload()],
    )
    assert _status(product) == S.PUBLISHED
    assert product.photos.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"stars": 5},
        {"subgroup_code": "1.4"},
        {"certificate_number": "99/QĐ-UBND"},
        {"certificate_date": datetime.date(2024, 5, 1)},
        {"certificate_authority": "Bộ Nông nghiệp và Môi trường"},
        {"certificate_expires_on": datetime.date(2030, 1, 1)},
        {"potential_five_star": True},
    ],
)
@pytest.mark.parametrize("status", [S.APPROVED, S.PUBLISHED, S.UNPUBLISHED])
def test_ocop_edits_send_the_product_back_for_approval(producer, owner, status, changes):
    product = make_product(producer, status=status)
    if "subgroup_code" in changes:
        changes = {"subgroup": subgroup(changes["subgroup_code"])}
    product_update(
        producer=producer, product_id=product.pk, by=owner, data=_data_of(product, **changes)
    )
    product.refresh_from_db()
    assert (product.status, product.ocop_active) == (S.SUBMITTED, False)
    assert product.submitted_at is not None


def test_new_certificate_scan_sends_the_product_back(producer, owner):
    product = make_product(producer, status=S.PUBLISHED, certificate_file="")
    product_update(
        producer=producer,
        product_id=product.pk,
        by=owner,
        data=_data_of(product),
        certificate_upload=pdf_upload(),
    )
    product.refresh_from_db()
    assert product.status == S.SUBMITTED
    assert product.certificate_file


def test_ocop_edit_of_a_draft_keeps_it_a_draft(producer, owner):
    product = make_product(producer, status=S.DRAFT, ocop_active=False)
    product_update(
        producer=producer, product_id=product.pk, by=owner, data=_data_of(product, stars=3)
    )
    assert _status(product) == S.DRAFT


def test_replaced_certificate_scan_is_deleted_after_commit(
    draft, producer, owner, django_capture_on_commit_callbacks
):
    from marketplace.services.certificates import certificate_storage_root

    old = certificate_storage_root() / draft.certificate_file
    assert old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        product_update(
            producer=producer,
            product_id=draft.pk,
            by=owner,
            data=_data_of(draft),
            certificate_upload=pdf_upload(),
        )
    draft.refresh_from_db()
    assert not old.exists()
    assert (certificate_storage_root() / draft.certificate_file).exists()


def test_delete_draft_removes_photos_and_scan(
    draft, producer, owner, django_capture_on_commit_callbacks
):
    from wagtail.images import get_image_model

    from marketplace.services.certificates import certificate_storage_root
    from marketplace.services.photos import product_photos_add

    product_photos_add(product=draft, uploads=[photo_upload()], by=owner)
    scan = certificate_storage_root() / draft.certificate_file
    with django_capture_on_commit_callbacks(execute=True):
        product_delete_draft(producer=producer, product_id=draft.pk, by=owner)
    assert not Product.objects.filter(pk=draft.pk).exists()
    assert not get_image_model().objects.exists()
    assert not scan.exists()


# --- The same through the views --------------------------------------------------------------


def test_views_submit_publish_unpublish_delete(owner_client, producer, moderator):
    product = make_product(producer, status=S.DRAFT, certificate_file="", ocop_active=False)
    submit = reverse("marketplace:shop_product_submit", args=[product.pk])
    edit = reverse("marketplace:shop_product_edit", args=[product.pk])
    # Refused (no scan): a message, the status unchanged, no 500.
    response = owner_client.post(submit, follow=True)
    assert response.status_code == 200
    assert _status(product) == S.DRAFT
    assert len(list(response.context["messages"])) == 1
    Product.objects.filter(pk=product.pk).update(certificate_file="1/a.pdf")
    assert owner_client.post(submit)["Location"] == edit
    assert _status(product) == S.SUBMITTED
    # Publishing before approval is refused.
    owner_client.post(reverse("marketplace:shop_product_publish", args=[product.pk]))
    assert _status(product) == S.SUBMITTED
    product_approve(product_id=product.pk, by=moderator)
    owner_client.post(reverse("marketplace:shop_product_publish", args=[product.pk]))
    assert _status(product) == S.PUBLISHED
    owner_client.post(reverse("marketplace:shop_product_unpublish", args=[product.pk]))
    assert _status(product) == S.UNPUBLISHED
    # Only drafts can be deleted.
    owner_client.post(reverse("marketplace:shop_product_delete", args=[product.pk]))
    assert Product.objects.filter(pk=product.pk).exists()
    draft = make_product(producer, status=S.DRAFT)
    response = owner_client.post(reverse("marketplace:shop_product_delete", args=[draft.pk]))
    assert response["Location"] == reverse("marketplace:shop_products")
    assert not Product.objects.filter(pk=draft.pk).exists()


def test_actions_are_post_only(owner_client, producer):
    product = make_product(producer, status=S.PUBLISHED)
    for name in ("shop_product_submit", "shop_product_publish", "shop_product_unpublish",
                 "shop_product_delete"):  # fmt: skip
        assert (
            owner_client.get(reverse(f"marketplace:{name}", args=[product.pk])).status_code == 405
        )
    assert _status(product) == S.PUBLISHED


def test_edit_view_warns_when_ocop_change_sends_back(owner_client, producer):
    product = make_product(producer, status=S.PUBLISHED, price=150_000)
    url = reverse("marketplace:shop_product_edit", args=[product.pk])
    data = product_form_data(
        name=product.name,
        stars="5",
        certificate_number=product.certificate_number,
        certificate_date=product.certificate_date.isoformat(),
        certificate_expires_on=product.certificate_expires_on.isoformat(),
        certificate_authority=product.certificate_authority,
    )
    response = owner_client.post(url, data, follow=True)
    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.status, product.stars) == (S.SUBMITTED, 5)


def test_edit_view_price_change_keeps_published(owner_client, producer):
    product = make_product(producer, status=S.PUBLISHED, stars=4)
    url = reverse("marketplace:shop_product_edit", args=[product.pk])
    data = product_form_data(
        name=product.name,
        price="175.000",
        stock="12",
        certificate_number=product.certificate_number,
        certificate_date=product.certificate_date.isoformat(),
        certificate_expires_on=product.certificate_expires_on.isoformat(),
        certificate_authority=product.certificate_authority,
    )
    assert owner_client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert (product.status, product.price, product.stock) == (S.PUBLISHED, 175_000, 12)


def test_shop_pages_render(owner_client, producer):
    make_product(producer, status=S.PUBLISHED, name="Chả lụa Vĩnh Long", stock=2)
    make_product(producer, status=S.DRAFT, name="Bánh tráng")
    home = owner_client.get(reverse("marketplace:shop_home"))
    assert home.status_code == 200
    counts = {row.status: row.count for row in home.context["dashboard"].by_status}
    assert (counts[S.PUBLISHED], counts[S.DRAFT], counts[S.REJECTED]) == (1, 1, 0)
    assert "Chả lụa Vĩnh Long" in home.content.decode()  # running out of stock
    listing = owner_client.get(reverse("marketplace:shop_products"))
    assert listing.status_code == 200
    assert "150.000 ₫" in listing.content.decode()
    drafts = owner_client.get(reverse("marketplace:shop_products") + "?status=draft")
    assert [p.name for p in drafts.context["page_obj"].object_list] == ["Bánh tráng"]
    assert (
        owner_client.get(reverse("marketplace:shop_products") + "?status=bogus").status_code == 200
    )
