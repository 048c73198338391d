"""The organisation dashboard in a real Chromium: Chart.js draws every chart under the
pages' Content-Security-Policy, the page passes axe at both widths, and it is the
README's screenshot (``UPDATE_SCREENSHOTS=1`` writes ``docs/screenshots/dashboard.png``)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from core.domain.mockups import load_mockup_sessions
from tests.support.a11y import assert_accessible, install_axe
from tests.support.sessions import mint_cookie

pytestmark = pytest.mark.e2e

README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "dashboard.png"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(site, media_root):
    call_command("seed_demo", verbosity=0)
    return site


def _as_alice(browser, site, viewport):
    context = browser.new_context(base_url=site.url, viewport=viewport, locale="en-GB")
    install_axe(context)
    host = site.url.split("//", 1)[1].split(":")[0]
    cookie = mint_cookie(load_mockup_sessions()["alice"])
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    return context


def test_a_manager_opens_the_dashboard_and_every_chart_is_drawn(browser, seeded, shot, js_errors):
    csp_errors = []
    for viewport in (DESKTOP, PHONE):
        context = _as_alice(browser, seeded, viewport)
        page = context.new_page()
        page.on("pageerror", lambda err: js_errors.append(str(err)))
        page.on(
            "console",
            lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        page.goto(reverse("home"))
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        page.get_by_role("link", name="Dashboard", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("dashboard")
        canvases = page.locator("[data-chart] canvas")
        assert canvases.count() == 5  # months, status, most held, learning, expiring
        for index in range(canvases.count()):
            # Chart.js attached and drew: it registers each chart by its canvas.
            drawn = canvases.nth(index).evaluate("(canvas) => !!Chart.getChart(canvas) && canvas.width > 0")
            assert drawn, f"chart {index} was not drawn"
        expect(page.get_by_test_id("status-table")).to_contain_text("Valid")
        expect(page.get_by_test_id("learning-table")).to_be_visible()
        assert_accessible(page, f"dashboard at {viewport['width']} px")
        path = shot(page, f"dashboard-{viewport['width']}")
        if viewport is DESKTOP and os.environ.get("UPDATE_SCREENSHOTS") == "1":
            README_SHOT.parent.mkdir(parents=True, exist_ok=True)
            README_SHOT.write_bytes(path.read_bytes())
        context.close()
    assert not js_errors
    assert not csp_errors


def test_a_manager_finds_a_person_in_one_search_and_sees_what_they_hold(browser, seeded, js_errors):
    for viewport in (DESKTOP, PHONE):
        context = _as_alice(browser, seeded, viewport)
        page = context.new_page()
        page.on("pageerror", lambda err: js_errors.append(str(err)))
        page.goto(reverse("dashboard", args=["cowork"]))
        page.get_by_role("searchbox", name="Name or email").fill("bob@cowork")
        page.get_by_role("button", name="Find a person").click()
        results = page.get_by_test_id("people-results")
        expect(results).to_contain_text("bob@cowork.net")
        assert_accessible(page, f"person search at {viewport['width']} px")
        results.get_by_role("link").first.click()
        awards = page.get_by_test_id("person-awards")
        expect(awards).to_contain_text("First Aid at Work")
        expect(awards.locator("[data-status=revoked]").first).to_be_visible()
        assert_accessible(page, f"person page at {viewport['width']} px")
        context.close()
    assert not js_errors
