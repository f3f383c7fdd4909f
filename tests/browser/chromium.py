"""Debian's Chromium driven by Playwright, shared by every browser test.

Fixtures are plain functions here; a test module takes them by assignment
(`chromium_page = chromium.chromium_page`). Browser tests skip themselves, before any database or
live server is set up, when Chromium is not installed.
"""

import shutil
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from wagtail.models import Site

CHROMIUM = shutil.which("chromium")
NO_CHROMIUM = "Debian's Chromium is not installed (`which chromium` finds nothing)"
MARKS = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium_browser(monkeypatch):
    """A headless Chromium; close what you open from it."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the test still queries the ORM.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def chromium_page(chromium_browser):
    """A fresh desktop-sized tab."""
    context = chromium_browser.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def point_site_at(live_server) -> str:
    """Makes the default (only) site the live server's, so page URLs work; returns its URL."""
    site = Site.objects.get(is_default_site=True)
    site.hostname = "localhost"
    site.port = int(live_server.url.rsplit(":", 1)[1])
    site.save()
    assert Site.objects.count() == 1  # one site: page URLs are relative, any host works
    return live_server.url


def signed_in_tab(browser, base_url, user, *, viewport=PHONE, session_data=None):
    """A tab signed in as `user` through a session made server-side (phone-sized by default);
    `session_data` is added to that session."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(session_data or {})
    session.create()
    context = browser.new_context(
        viewport=viewport, locale="vi-VN", is_mobile=viewport["width"] < 600
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}]
    )
    return context.new_page()
