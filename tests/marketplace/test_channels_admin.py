"""Channel configuration in the Wagtail admin: the column mapping is checked against the known
product fields, secrets are never shown back, superusers configure and moderators only view."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from marketplace.channels.fields import CHANNEL_FIELDS, field_mapping_errors
from marketplace.channels.presets import CHANNEL_PRESETS
from marketplace.models import Channel, ChannelSyncLog
from marketplace.services.roles import marketplace_roles_ensure
from tests.factories.marketplace import ChannelFactory, ProductFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(email="quantri@example.vn", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def moderator(client):
    user = UserFactory(email="kiemduyet@example.vn", groups=[marketplace_roles_ensure()])
    client.force_login(user)
    return user


def _form(**overrides):
    data = {
        "name": "Chợ Quê",
        "slug": "cho-que",
        "kind": "file",
        "seller_portal_url": "https://seller.cho-que.example.vn/",
        "active": "on",
        "position": "0",
        "preset": "",
        "field_mapping": json.dumps(
            [{"column": "Tên sản phẩm", "field": "name"}, {"column": "Giá", "field": "price"}],
            ensure_ascii=False,
        ),
        "api_base_url": "",
        "api_key": "",
        "webhook_secret": "",
        "timeout_seconds": "10",
        "max_retries": "5",
    }
    data.update(overrides)
    return data


# -- the mapping check -------------------------------------------------------------------------


def test_mapping_errors():
    assert field_mapping_errors([{"column": "Tên", "field": "name"}]) == []
    assert field_mapping_errors([]) == []
    assert field_mapping_errors({"column": "Tên"})  # not a list
    assert field_mapping_errors([["Tên", "name"]])
    assert field_mapping_errors([{"column": "Tên", "field": "name", "extra": 1}])
    assert field_mapping_errors([{"column": "  ", "field": "name"}])
    assert field_mapping_errors([{"column": "x" * 101, "field": "name"}])
    duplicate = field_mapping_errors(
        [{"column": "Tên", "field": "name"}, {"column": "tên ", "field": "sku"}]
    )
    assert len(duplicate) == 1 and "tên" in duplicate[0].casefold()
    [unknown] = field_mapping_errors([{"column": "Cân nặng", "field": "weight_kg"}])
    assert "weight_kg" in unknown
    assert "certificate_expires_on" in unknown  # the message lists the known fields
    assert field_mapping_errors([{"column": "A", "field": None}])


def test_model_clean_requires_columns_for_files_and_settings_for_apis():
    with pytest.raises(ValidationError) as error:
        Channel(name="A", slug="a", kind="file", field_mapping=[]).full_clean()
    assert "field_mapping" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Channel(name="B", slug="b", kind="api", field_mapping=[]).full_clean()
    assert {"api_base_url", "api_key", "webhook_secret"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        Channel(
            name="C",
            slug="c",
            kind="api",
            api_base_url="http://api.example.vn/",
            api_key="k",
            webhook_secret="s",
        ).full_clean()
    assert "api_base_url" in error.value.message_dict  # plain http only to this machine
    Channel(
        name="D",
        slug="d",
        kind="api",
        api_base_url="http://127.0.0.1:8081/api",
        api_key="k",
        webhook_secret="s",
    ).full_clean()
    for preset in CHANNEL_PRESETS.values():
        assert field_mapping_errors(preset.field_mapping) == []
        assert preset.seller_portal_url.startswith("https://seller.")


# -- the admin screens -------------------------------------------------------------------------


def test_superuser_adds_a_channel(client, superuser):
    response = client.post(reverse("marketplace_channels:add"), _form())
    assert response.status_code == 302, response.context["form"].errors
    channel = Channel.objects.get(slug="cho-que")
    assert channel.field_mapping == [
        {"column": "Tên sản phẩm", "field": "name"},
        {"column": "Giá", "field": "price"},
    ]


def test_unknown_field_is_refused_with_a_clear_message(client, superuser):
    mapping = json.dumps([{"column": "Cân nặng", "field": "can_nang"}], ensure_ascii=False)
    response = client.post(reverse("marketplace_channels:add"), _form(field_mapping=mapping))
    assert response.status_code == 200
    errors = response.context["form"].errors["field_mapping"]
    assert any("can_nang" in error for error in errors)
    assert not Channel.objects.filter(slug="cho-que").exists()


@pytest.mark.parametrize("mapping", ["không phải JSON", '{"column": "A", "field": "name"}', "[]"])
def test_malformed_or_empty_mapping_is_refused(client, superuser, mapping):
    response = client.post(reverse("marketplace_channels:add"), _form(field_mapping=mapping))
    assert response.status_code == 200
    assert "field_mapping" in response.context["form"].errors
    assert not Channel.objects.exists()


def test_preset_fills_an_empty_mapping(client, superuser):
    response = client.post(
        reverse("marketplace_channels:add"),
        _form(slug="voso", name="Voso", preset="voso", field_mapping="", seller_portal_url=""),
    )
    assert response.status_code == 302
    channel = Channel.objects.get(slug="voso")
    assert channel.field_mapping == CHANNEL_PRESETS["voso"].field_mapping
    assert channel.seller_portal_url == "https://seller.voso.vn/"


def test_api_channel_secrets_are_kept_when_left_empty_and_never_shown(client, superuser):
    data = _form(
        kind="api",
        api_base_url="https://api.cho-que.example.vn/v1",
        api_key="khoa-bi-mat-123",
        webhook_secret="chu-ky-bi-mat-456",
    )
    assert client.post(reverse("marketplace_channels:add"), data).status_code == 302
    channel = Channel.objects.get(slug="cho-que")
    edit_url = reverse("marketplace_channels:edit", args=[channel.pk])
    page = client.get(edit_url).content.decode()
    assert "khoa-bi-mat-123" not in page and "chu-ky-bi-mat-456" not in page
    data.update(api_key="", webhook_secret="", name="Chợ Quê mới")
    assert client.post(edit_url, data).status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.api_key, channel.webhook_secret) == (
        "Chợ Quê mới",
        "khoa-bi-mat-123",
        "chu-ky-bi-mat-456",
    )
    data.update(api_key="khoa-moi")
    assert client.post(edit_url, data).status_code == 302
    channel.refresh_from_db()
    assert channel.api_key == "khoa-moi"


def test_api_channel_without_key_is_refused(client, superuser):
    response = client.post(
        reverse("marketplace_channels:add"),
        _form(kind="api", api_base_url="https://api.example.vn/"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "api_key" in errors and "webhook_secret" in errors


def test_moderator_views_but_does_not_configure(client, moderator):
    channel = ChannelFactory(
        kind="api",
        api_base_url="https://api.example.vn/",
        api_key="khoa-an",
        webhook_secret="bi-mat-an",
    )
    index = client.get(reverse("marketplace_channels:index"))
    assert index.status_code == 200
    assert "Voso" in index.content.decode()
    inspect = client.get(reverse("marketplace_channels:inspect", args=[channel.pk]))
    assert inspect.status_code == 200
    assert "khoa-an" not in inspect.content.decode()
    assert "bi-mat-an" not in inspect.content.decode()
    edit = client.get(reverse("marketplace_channels:edit", args=[channel.pk]))
    assert edit.status_code in (302, 403)
    response = client.post(reverse("marketplace_channels:add"), _form())
    assert response.status_code in (302, 403)
    assert not Channel.objects.filter(slug="cho-que").exists()
    delete = client.post(reverse("marketplace_channels:delete", args=[channel.pk]))
    assert delete.status_code in (302, 403)
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_sync_log_is_a_read_only_list_for_moderators(client, moderator):
    channel = ChannelFactory()
    product = ProductFactory()
    ChannelSyncLog.objects.create(
        channel=channel,
        producer=product.producer,
        product=product,
        action="push",
        attempt=2,
        outcome="retrying",
        http_status=503,
        message="Lỗi tạm thời: HTTP 503",
    )
    response = client.get(reverse("marketplace_channel_sync_log:index"))
    assert response.status_code == 200
    assert "Lỗi tạm thời: HTTP 503" in response.content.decode()
    from django.urls import NoReverseMatch

    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"marketplace_channel_sync_log:{name}", args=[1] if name != "add" else [])


def test_users_without_permissions_do_not_reach_the_screens(client):
    user = UserFactory(is_staff=False)
    client.force_login(user)
    for url in (
        reverse("marketplace_channels:index"),
        reverse("marketplace_channel_sync_log:index"),
        reverse("marketplace_channels:add"),
    ):
        assert client.get(url).status_code in (302, 403)


def test_all_fields_have_labels():
    assert all(str(field.label) for field in CHANNEL_FIELDS.values())


def test_only_superusers_configure_even_with_the_change_permission(client):
    from django.contrib.auth.models import Permission

    user = UserFactory(email="bientap@example.vn", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_channel"),
        Permission.objects.get(codename="add_channel"),
        Permission.objects.get(codename="view_channel"),
    )
    client.force_login(user)
    channel = ChannelFactory()
    assert client.get(reverse("marketplace_channels:index")).status_code == 200
    response = client.post(
        reverse("marketplace_channels:edit", args=[channel.pk]), _form(name="Đổi tên")
    )
    assert response.status_code in (302, 403)
    channel.refresh_from_db()
    assert channel.name == "Voso"
    client.post(reverse("marketplace_channels:add"), _form())
    assert not Channel.objects.filter(slug="cho-que").exists()
