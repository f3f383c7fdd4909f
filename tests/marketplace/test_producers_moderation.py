"""Producer moderation in the admin: verify, reject with a reason, suspend; permission checks."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marketplace.models import Producer
from marketplace.services.producers import producer_reject, producer_suspend, producer_verify
from tests.factories.users import UserFactory

from .shop_fixtures import *  # noqa: F403 - the shared fixtures


def _moderate_url(producer, action):
    return reverse("marketplace_producer_moderate", args=[producer.pk, action])


def test_producers_list_with_status_filter(client, moderator, pending_producer, producer):
    client.force_login(moderator)
    index = reverse("marketplace_producers:index")
    response = client.get(index + "?status=pending")
    assert response.status_code == 200
    listed = list(response.context["object_list"])
    assert listed == [pending_producer]
    html = response.content.decode()
    assert _moderate_url(pending_producer, "verify") in html
    assert _moderate_url(pending_producer, "reject") in html
    assert (
        client.get(reverse("marketplace_producers:inspect", args=[producer.pk])).status_code == 200
    )


def test_verify_emails_members(
    client, moderator, pending_producer, owner, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_moderate_url(pending_producer, "verify"))
    assert response.status_code == 302
    pending_producer.refresh_from_db()
    assert pending_producer.status == Producer.Status.VERIFIED
    assert pending_producer.verified_by == moderator
    assert owner.email in [m.to[0] for m in mail.outbox]


def test_reject_needs_a_reason(
    client, moderator, pending_producer, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    url = _moderate_url(pending_producer, "reject")
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Producer.objects.get(pk=pending_producer.pk).status == Producer.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Mã số thuế không khớp tên hợp tác xã"})
    assert response.status_code == 302
    pending_producer.refresh_from_db()
    assert pending_producer.status == Producer.Status.REJECTED
    assert pending_producer.rejection_reason == "Mã số thuế không khớp tên hợp tác xã"
    assert "Mã số thuế không khớp tên hợp tác xã" in mail.outbox[0].body


def test_suspend_and_reinstate(moderator, producer):
    producer_suspend(producer_id=producer.pk, by=moderator, reason="Bán hàng giả")
    producer.refresh_from_db()
    assert (producer.status, producer.rejection_reason) == (
        Producer.Status.SUSPENDED,
        "Bán hàng giả",
    )
    producer_verify(producer_id=producer.pk, by=moderator)
    producer.refresh_from_db()
    assert (producer.status, producer.rejection_reason) == (Producer.Status.VERIFIED, "")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Producer.Status.VERIFIED, "verify"),
        (Producer.Status.VERIFIED, "reject"),
        (Producer.Status.PENDING, "suspend"),
        (Producer.Status.REJECTED, "suspend"),
        (Producer.Status.SUSPENDED, "reject"),
    ],
)
def test_illegal_producer_moves_refused(moderator, producer, status, action):
    Producer.objects.filter(pk=producer.pk).update(status=status)
    services = {"verify": producer_verify, "reject": producer_reject, "suspend": producer_suspend}
    kwargs = {} if action == "verify" else {"reason": "Lý do"}
    with pytest.raises(ValidationError):
        services[action](producer_id=producer.pk, by=moderator, **kwargs)
    assert Producer.objects.get(pk=producer.pk).status == status


def test_illegal_move_in_the_admin_is_400_not_500(client, moderator, producer):
    client.force_login(moderator)
    assert client.post(_moderate_url(producer, "verify")).status_code == 400


def test_user_without_permission_gets_403_and_nothing_changes(client, pending_producer):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_producer"),
    )
    client.force_login(editor)
    for action in ("verify", "reject", "suspend"):
        assert (
            client.post(_moderate_url(pending_producer, action), {"reason": "x"}).status_code == 403
        )
    assert Producer.objects.get(pk=pending_producer.pk).status == Producer.Status.PENDING
    with pytest.raises(PermissionDenied):
        producer_verify(producer_id=pending_producer.pk, by=editor)


def test_unknown_action_is_404(client, moderator, pending_producer):
    client.force_login(moderator)
    response = client.post(f"/admin/marketplace/producers/{pending_producer.pk}/delete-all/")
    assert response.status_code == 404
