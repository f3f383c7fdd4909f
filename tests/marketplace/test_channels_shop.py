"""The producer's "Sales channels" pages (listings, sync buttons, sync log), the public "Also on
Voso / Postmart" buttons, and the demo seed."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from marketplace.channels.demo import channels_demo_seed
from marketplace.models import Channel, ChannelListing, ChannelSyncLog, Product
from marketplace.selectors.channels import product_channel_links
from tests.factories.marketplace import (
    ChannelFactory,
    ProducerFactory,
    ProducerMemberFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = ProducerMemberFactory()
    client.force_login(member.user)
    return member


@pytest.fixture
def voso(db):
    return ChannelFactory()


@pytest.fixture
def api_channel(db):
    return ChannelFactory(
        name="Chợ API",
        slug="cho-api",
        kind=Channel.Kind.API,
        field_mapping=[],
        api_base_url="https://api.cho.example.vn/v1",
        api_key="khoa",
        webhook_secret="bi-mat",
    )


def _listing_url(channel, product):
    return reverse("marketplace:shop_channel_listing", args=[channel.slug, product.pk])


# -- overview and channel page -----------------------------------------------------------------


def test_overview_lists_active_channels_with_counts(client, member, voso):
    product = ProductFactory(producer=member.producer)
    ProductFactory(producer=member.producer)
    ChannelListing.objects.create(channel=voso, product=product, listing_url="https://voso.vn/a")
    ChannelListing.objects.create(
        channel=voso, product=ProductFactory(), listing_url="https://voso.vn/b"
    )  # another producer's listing is not counted
    ChannelFactory(name="Kênh tắt", slug="kenh-tat", active=False)
    response = client.get(reverse("marketplace:shop_channels"))
    assert response.status_code == 200
    [summary] = response.context["summaries"]
    assert (summary.channel, summary.listed, summary.products) == (voso, 1, 2)
    page = response.content.decode()
    assert "Kênh tắt" not in page
    assert reverse("marketplace:shop_channel_file", args=["voso", "xlsx"]) in page
    assert 'href="https://seller.voso.vn/"' in page


def test_channel_page_shows_own_products_and_own_log_paginated(client, member, voso):
    own = ProductFactory(producer=member.producer, name="Kẹo dừa sáp Cầu Kè")
    other = ProductFactory(name="Chả lụa của hộ khác")
    for number in range(25):
        ChannelSyncLog.objects.create(
            channel=voso,
            producer=member.producer,
            product=own,
            action="order",
            outcome="success",
            http_status=200,
            message=f"Đơn số {number:02d}",
        )
    ChannelSyncLog.objects.create(
        channel=voso,
        producer=other.producer,
        action="order",
        outcome="success",
        message="Của người khác",
    )
    response = client.get(reverse("marketplace:shop_channel", args=["voso"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kẹo dừa sáp Cầu Kè" in page and "Chả lụa của hộ khác" not in page
    assert "Của người khác" not in page
    log = response.context["sync_log"]
    assert log.paginator.count == 25
    assert [entry.message for entry in log][:2] == ["Đơn số 24", "Đơn số 23"]
    second = client.get(reverse("marketplace:shop_channel", args=["voso"]) + "?page=2")
    assert [entry.message for entry in second.context["sync_log"]] == [
        "Đơn số 04",
        "Đơn số 03",
        "Đơn số 02",
        "Đơn số 01",
        "Đơn số 00",
    ]
    assert (
        client.get(reverse("marketplace:shop_channel", args=["voso"]) + "?page=x").status_code
        == 200
    )


def test_unknown_or_inactive_channel_is_404(client, member, voso):
    assert client.get(reverse("marketplace:shop_channel", args=["khong-co"])).status_code == 404
    Channel.objects.filter(pk=voso.pk).update(active=False)
    assert client.get(reverse("marketplace:shop_channel", args=["voso"])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, voso):
    product = ProductFactory()
    for url in (
        reverse("marketplace:shop_channels"),
        reverse("marketplace:shop_channel", args=["voso"]),
        _listing_url(voso, product),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


# -- listings on file channels -----------------------------------------------------------------


def test_record_edit_and_remove_a_listing(client, member, voso):
    product = ProductFactory(producer=member.producer)
    url = _listing_url(voso, product)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"listing_url": "https://voso.vn/keo-dua-sap-123", "external_sku": " VS-123 "}
    )
    assert response.status_code == 302
    listing = ChannelListing.objects.get()
    assert (listing.listing_url, listing.external_sku, listing.sync_status) == (
        "https://voso.vn/keo-dua-sap-123",
        "VS-123",
        "manual",
    )
    client.post(url, {"listing_url": "https://voso.vn/keo-dua-sap-456", "external_sku": ""})
    listing.refresh_from_db()
    assert listing.listing_url == "https://voso.vn/keo-dua-sap-456" and listing.external_sku == ""
    remove = reverse("marketplace:shop_channel_listing_remove", args=["voso", product.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not ChannelListing.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "http://voso.vn/keo-dua",
        "javascript:alert(1)",
        "ftp://voso.vn/a",
        "voso",
        "",
        "https://user:pass@voso.vn/a",
        "https://voso.vn/" + "a" * 300,
    ],
)
def test_bad_listing_addresses_are_refused(client, member, voso, address):
    product = ProductFactory(producer=member.producer)
    response = client.post(
        _listing_url(voso, product), {"listing_url": address, "external_sku": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ChannelListing.objects.exists()


def test_control_characters_in_the_sku_are_refused(client, member, voso):
    product = ProductFactory(producer=member.producer)
    response = client.post(
        _listing_url(voso, product), {"listing_url": "https://voso.vn/a", "external_sku": "A\x07B"}
    )
    assert response.status_code == 400
    assert not ChannelListing.objects.exists()


def test_another_producers_product_is_404_everywhere(client, member, voso, api_channel):
    other = ProductFactory()
    ChannelListing.objects.create(channel=voso, product=other, listing_url="https://voso.vn/x")
    assert client.get(_listing_url(voso, other)).status_code == 404
    assert (
        client.post(_listing_url(voso, other), {"listing_url": "https://voso.vn/y"}).status_code
        == 404
    )
    remove = reverse("marketplace:shop_channel_listing_remove", args=["voso", other.pk])
    assert client.post(remove).status_code == 404
    sync = reverse("marketplace:shop_channel_sync", args=["cho-api", other.pk])
    assert client.post(sync, {"action": "push"}).status_code == 404
    assert ChannelListing.objects.get().listing_url == "https://voso.vn/x"
    assert ChannelListing.objects.count() == 1


# -- API channels ------------------------------------------------------------------------------


def test_push_button_queues_a_sync_on_commit(
    client, member, api_channel, django_capture_on_commit_callbacks, monkeypatch
):
    from marketplace.tasks import channel_listing_sync_task

    queued = []
    monkeypatch.setattr(channel_listing_sync_task, "delay", lambda *args: queued.append(args))
    product = ProductFactory(producer=member.producer)
    sync = reverse("marketplace:shop_channel_sync", args=["cho-api", product.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync, {"action": "push"})
    assert response.status_code == 302
    listing = ChannelListing.objects.get()
    assert listing.sync_status == "pending" and listing.sync_version == 1
    assert queued == [(listing.pk, "push", f"cds-listing-{listing.pk}-push-v1")]
    page = client.get(reverse("marketplace:shop_channel", args=["cho-api"])).content.decode()
    assert "csrfmiddlewaretoken" in page


def test_sync_buttons_refuse_bad_actions_and_unlisted_products(
    client, member, api_channel, django_capture_on_commit_callbacks
):
    product = ProductFactory(producer=member.producer)
    sync = reverse("marketplace:shop_channel_sync", args=["cho-api", product.pk])
    draft = ProductFactory(producer=member.producer, status=Product.Status.DRAFT)
    draft_sync = reverse("marketplace:shop_channel_sync", args=["cho-api", draft.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(sync, {"action": "xoa-het"}).status_code == 302
        assert client.post(sync, {"action": "update"}).status_code == 302  # not pushed yet
        assert client.post(draft_sync, {"action": "push"}).status_code == 302
    assert callbacks == []
    assert not ChannelListing.objects.exists()
    assert client.get(sync).status_code == 405


def test_listing_form_of_an_api_channel_sends_back(client, member, api_channel):
    product = ProductFactory(producer=member.producer)
    response = client.post(_listing_url(api_channel, product), {"listing_url": "https://x.vn/a"})
    assert response.status_code == 302
    assert not ChannelListing.objects.exists()


def test_file_channel_has_no_sync(client, member, voso, django_capture_on_commit_callbacks):
    product = ProductFactory(producer=member.producer)
    sync = reverse("marketplace:shop_channel_sync", args=["voso", product.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(sync, {"action": "push"}).status_code == 302
    assert callbacks == []


# -- public buttons ----------------------------------------------------------------------------


def test_channel_buttons_link_listings_externally(voso):
    product = ProductFactory()
    postmart = ChannelFactory(name="Postmart", slug="postmart", position=5)
    ChannelListing.objects.create(channel=voso, product=product, listing_url="https://voso.vn/a")
    ChannelListing.objects.create(
        channel=postmart, product=product, listing_url="https://postmart.vn/b"
    )
    ChannelListing.objects.create(
        channel=ChannelFactory(name="Tắt", slug="tat", active=False),
        product=product,
        listing_url="https://tat.vn/c",
    )
    ChannelListing.objects.create(
        channel=ChannelFactory(name="Gỡ", slug="go"),
        product=product,
        listing_url="https://go.vn/d",
        sync_status="delisted",
    )
    links = product_channel_links(product=product)
    assert [link.channel_name for link in links] == ["Voso", "Postmart"]  # by position
    html = render_to_string("marketplace/includes/channel_buttons.html", {"product": product})
    assert 'href="https://voso.vn/a"' in html and 'href="https://postmart.vn/b"' in html
    assert html.count('rel="external noopener"') == 2
    assert html.count('target="_blank"') == 2
    assert "tat.vn" not in html and "go.vn" not in html
    assert "Voso" in html and "Postmart" in html


def test_channel_buttons_render_nothing_without_listings(voso):
    product = ProductFactory()
    ChannelListing.objects.create(channel=voso, product=product, listing_url="")
    html = render_to_string("marketplace/includes/channel_buttons.html", {"product": product})
    assert html.strip() == ""
    assert render_to_string("marketplace/includes/channel_buttons.html", {}).strip() == ""


def test_channel_buttons_are_escaped(voso):
    product = ProductFactory()
    ChannelListing.objects.create(
        channel=voso, product=product, listing_url='https://voso.vn/a"onmouseover="x'
    )
    html = render_to_string("marketplace/includes/channel_buttons.html", {"product": product})
    assert 'a"onmouseover' not in html


# -- demo --------------------------------------------------------------------------------------


def test_demo_seed_is_idempotent():
    producer = ProducerFactory()
    products = ProductFactory.create_batch(4, producer=producer)
    ProductFactory()  # another producer
    created = channels_demo_seed()
    assert created == {"channels": 2, "listings": 5}
    assert set(Channel.objects.values_list("slug", flat=True)) == {"voso", "postmart"}
    for channel in Channel.objects.all():
        channel.full_clean()
    assert ChannelListing.objects.filter(channel__slug="voso").count() == 3
    assert {listing.product.producer_id for listing in ChannelListing.objects.all()} == {
        producer.pk
    }
    assert product_channel_links(product=products[0])
    Channel.objects.filter(slug="voso").update(name="Voso (đã sửa)")
    assert channels_demo_seed() == {"channels": 0, "listings": 0}
    assert Channel.objects.get(slug="voso").name == "Voso (đã sửa)"
    assert ChannelListing.objects.count() == 5


def test_demo_seed_without_producers_makes_only_channels():
    assert channels_demo_seed() == {"channels": 2, "listings": 0}


def test_overview_and_channel_page_show_failed_syncs(client, member, api_channel):
    product = ProductFactory(producer=member.producer)
    ChannelListing.objects.create(
        channel=api_channel,
        product=product,
        external_sku="CHO-1",
        listing_url="https://cho.example.vn/1",
        sync_status="failed",
        last_error="Kênh từ chối: HTTP 400",
    )
    response = client.get(reverse("marketplace:shop_channels"))
    assert response.context["summaries"][0].failed == 1
    page = client.get(reverse("marketplace:shop_channel", args=["cho-api"])).content.decode()
    assert "Kênh từ chối: HTTP 400" in page
    assert 'value="update"' in page and 'value="delist"' in page
