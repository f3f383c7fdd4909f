"""Who may reach what: producers only their own products, the scan only to members and
moderators, moderation only with the permission, anonymous users nowhere."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from marketplace.models import OcopGroup, Product
from marketplace.services.certificates import certificate_file_store
from marketplace.services.photos import product_photos_add
from tests.factories.users import UserFactory

from .shop_fixtures import *  # noqa: F403 - the shared fixtures
from .shop_fixtures import PDF_BYTES, make_product, pdf_upload, photo_upload, product_form_data

S = Product.Status


@pytest.fixture
def product(producer):
    """A submitted product of `producer` with its scan and a photo."""
    product = make_product(producer, status=S.SUBMITTED, ocop_active=False)
    product.certificate_file = certificate_file_store(producer_id=producer.pk, upload=pdf_upload())
    product.save()
    product_photos_add(product=product, uploads=[photo_upload()], by=None)
    return product


def _shop_urls(product) -> list[tuple[str, str]]:
    photo = product.photos.first()
    return [
        ("get", reverse("marketplace:shop_product_edit", args=[product.pk])),
        ("post", reverse("marketplace:shop_product_edit", args=[product.pk])),
        ("post", reverse("marketplace:shop_product_submit", args=[product.pk])),
        ("post", reverse("marketplace:shop_product_publish", args=[product.pk])),
        ("post", reverse("marketplace:shop_product_unpublish", args=[product.pk])),
        ("post", reverse("marketplace:shop_product_delete", args=[product.pk])),
        ("post", reverse("marketplace:shop_product_photo_move", args=[product.pk, photo.pk])),
        ("post", reverse("marketplace:shop_product_photo_delete", args=[product.pk, photo.pk])),
        ("get", reverse("marketplace:shop_product_certificate", args=[product.pk])),
    ]


def test_anonymous_users_are_sent_to_login(client, home, product):
    urls = [
        ("get", reverse("marketplace:shop_home")),
        ("get", reverse("marketplace:shop_products")),
        ("get", reverse("marketplace:shop_product_add")),
        ("get", reverse("marketplace:producer_edit")),
        ("get", reverse("marketplace:producer_members")),
        ("get", reverse("marketplace:producer_switch")),
        ("get", reverse("marketplace:producer_register")),
        *_shop_urls(product),
    ]
    before = Product.objects.values().get(pk=product.pk)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert Product.objects.values().get(pk=product.pk) == before
    assert product.photos.count() == 1


def test_another_producers_member_gets_404_and_changes_nothing(
    client, home, product, stranger_producer
):
    _other, stranger = stranger_producer
    client.force_login(stranger)
    before = Product.objects.values().get(pk=product.pk)
    for method, url in _shop_urls(product):
        data = product_form_data(price="1.000") if method == "post" else None
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, url
    assert Product.objects.values().get(pk=product.pk) == before
    assert product.photos.count() == 1


def test_another_producers_products_are_not_listed(client, home, product, stranger_producer):
    _other, stranger = stranger_producer
    client.force_login(stranger)
    listing = client.get(reverse("marketplace:shop_products"))
    assert product.name not in listing.content.decode()
    assert listing.context["page_obj"].paginator.count == 0


def test_owner_reaches_every_page_of_own_product(owner_client, product):
    assert (
        owner_client.get(reverse("marketplace:shop_product_edit", args=[product.pk])).status_code
        == 200
    )


def test_scan_served_to_members_with_safe_headers(owner_client, product):
    response = owner_client.get(reverse("marketplace:shop_product_certificate", args=[product.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_scan_served_to_moderators(client, home, product, moderator):
    client.force_login(moderator)
    url = reverse("marketplace:shop_product_certificate", args=[product.pk])
    assert client.get(url).status_code == 200


def test_scan_hidden_from_other_users(client, home, product):
    client.force_login(UserFactory(is_staff=True))
    url = reverse("marketplace:shop_product_certificate", args=[product.pk])
    assert client.get(url).status_code == 404


def test_scan_is_not_in_media(product, settings):
    assert not any(settings.MEDIA_ROOT.rglob("*.pdf")) if settings.MEDIA_ROOT.exists() else True


# --- Product moderation in the admin ---------------------------------------------------------


def test_moderation_queue_lists_waiting_products_first(client, product, producer, moderator):
    make_product(producer, status=S.PUBLISHED, name="Đã đăng bán")
    client.force_login(moderator)
    response = client.get(reverse("marketplace_products:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(product.name) < html.index("Đã đăng bán")
    assert reverse("marketplace:shop_product_certificate", args=[product.pk]) in html
    assert reverse("marketplace_product_moderate", args=[product.pk, "approve"]) in html
    assert (
        client.get(reverse("marketplace_products:index") + "?status=submitted").status_code == 200
    )
    inspect = client.get(reverse("marketplace_products:inspect", args=[product.pk]))
    assert inspect.status_code == 200


def test_moderator_approves_in_the_admin(
    client, product, moderator, owner, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    url = reverse("marketplace_product_moderate", args=[product.pk, "approve"])
    page = client.get(url)
    assert page.status_code == 200
    assert (
        reverse("marketplace:shop_product_certificate", args=[product.pk]) in page.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.status, product.ocop_active) == (S.APPROVED, True)
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_reject_in_the_admin_needs_a_reason(
    client, product, moderator, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    url = reverse("marketplace_product_moderate", args=[product.pk, "reject"])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Product.objects.get(pk=product.pk).status == S.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Số quyết định không khớp bản quét"}).status_code == 302
    product.refresh_from_db()
    assert (product.status, product.rejection_reason) == (
        S.REJECTED,
        "Số quyết định không khớp bản quét",
    )
    assert "Số quyết định không khớp bản quét" in mail.outbox[0].body


def test_illegal_admin_move_is_a_message_not_a_500(client, producer, moderator):
    published = make_product(producer, status=S.PUBLISHED)
    client.force_login(moderator)
    response = client.post(reverse("marketplace_product_moderate", args=[published.pk, "approve"]))
    assert response.status_code == 400
    assert Product.objects.get(pk=published.pk).status == S.PUBLISHED


def test_admin_user_without_the_permission_gets_403(client, product):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_product"),
    )
    client.force_login(editor)
    before = Product.objects.values().get(pk=product.pk)
    for action, data in (("approve", {}), ("reject", {"reason": "Không đạt"})):
        url = reverse("marketplace_product_moderate", args=[product.pk, action])
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert Product.objects.values().get(pk=product.pk) == before
    # The list is readable, without action buttons.
    html = client.get(reverse("marketplace_products:index")).content.decode()
    assert reverse("marketplace_product_moderate", args=[product.pk, "approve"]) not in html


def test_anonymous_cannot_reach_the_moderation_views(client, product):
    url = reverse("marketplace_product_moderate", args=[product.pk, "approve"])
    response = client.post(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Product.objects.get(pk=product.pk).status == S.SUBMITTED


def test_products_cannot_be_edited_or_deleted_in_the_admin(client, product, moderator):
    client.force_login(moderator)
    from django.urls import NoReverseMatch

    for name in ("edit", "delete", "add"):
        with pytest.raises(NoReverseMatch):
            reverse(f"marketplace_products:{name}", args=[product.pk] if name != "add" else [])


def test_ocop_groups_editable_by_superusers_only(client, db, moderator):
    group = OcopGroup.objects.get(code="1")
    url = reverse("marketplace_ocop_groups:edit", args=[group.pk])
    client.force_login(moderator)
    response = client.post(url, {"code": "1", "name": "Đổi tên", "position": 1})
    assert response.status_code in (302, 403)
    assert OcopGroup.objects.get(pk=group.pk).name == "Thực phẩm"
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "1", "name": "Thực phẩm (nhóm 1)", "position": 1})
    assert response.status_code == 302
    assert OcopGroup.objects.get(pk=group.pk).name == "Thực phẩm (nhóm 1)"
