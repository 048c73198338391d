"""End-to-end tests: the real pages in a real Chromium, against ``live_server``.

The browser, its screenshots and the skip-or-fail rule are in
``tests/support/browser.py`` (shared with ``tests/proxy_e2e/``).
"""

import pytest

from tests.support.browser import DEFAULT_TIMEOUT_MS, DESKTOP, NAVIGATION_TIMEOUT_MS


@pytest.fixture
def site(live_server, settings):
    """The live server, with absolute links (emails, share links) pointing at it."""
    settings.BADGEAPP_BASE_URL = live_server.url
    return live_server


@pytest.fixture
def js_errors() -> list[str]:
    """Uncaught JavaScript errors on any page of the test: tests assert it stays empty."""
    return []


@pytest.fixture
def new_page(browser, site, js_errors):
    """``new_page()``: a page in a fresh browser context (no cookies, no session)."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(base_url=site.url, viewport=viewport, locale="en-GB")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda err: js_errors.append(f"{page.url}: {err}"))
        return page

    yield make
    for context in contexts:
        context.close()
