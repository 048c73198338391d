"""A badge's holders on a phone and a desk, filtered by status; the public earner profile.

Both at 1366 and 390 pixels, checked by axe-core. Screenshots: tests/screenshots/3N-*.png.
"""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.a11y import assert_accessible, axe_source, install_axe

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(site, media_root):
    call_command("seed_demo", verbosity=0)
    return site


@pytest.fixture
def signed_in(new_page):
    def make(username: str, viewport: dict):
        page = new_page(viewport=viewport)
        install_axe(page.context)
        page.goto("/login/")
        page.get_by_test_id(f"login-{username}").click()
        expect(page.get_by_role("heading", name=re.compile(r"^Hello, "))).to_be_visible()
        return page

    return make


def _sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_holders_fit_a_phone_nothing_cut_off(seeded, signed_in, shot, js_errors):
    axe_source()
    page = signed_in("alice", PHONE)
    page.goto(reverse("badge-detail", args=["cowork", "python-foundations"]))
    cards = page.get_by_test_id("holder-cards")
    expect(cards).to_be_visible()
    expect(page.get_by_test_id("holders")).to_be_hidden()  # the wide table is for wide screens
    assert _sideways(page) <= 0, "the holders scroll sideways on a phone"
    first = cards.locator("li").first
    for part in (first.locator("[data-status]"), first.get_by_role("link", name=re.compile("^Revoke"))):
        box = part.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "cut off"
    for email in cards.locator(".text-break").all()[:10]:
        line = float(email.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert email.bounding_box()["height"] <= 2 * line + 1, "an email broken over more than two lines"
    shot(page, "30-phone-holders")
    assert_accessible(page, "holders at 390 px")

    # Only the valid ones: the filter is a form; its counts say how many of each.
    page.get_by_label(re.compile(r"^Valid \(\d+\)$")).check()
    page.get_by_test_id("holder-filters").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"status=active"))
    statuses = cards.locator("[data-status]")
    expect(statuses.first).to_be_visible()
    assert set(statuses.evaluate_all("els => els.map(e => e.dataset.status)")) == {"active"}
    expect(cards.get_by_role("link", name=re.compile("^Revoke"))).to_have_count(statuses.count())
    shot(page, "31-phone-holders-valid")
    assert_accessible(page, "valid holders at 390 px")
    assert js_errors == []


def test_the_holders_table_at_desk_width_filters_by_status_across_pages(seeded, signed_in, shot, js_errors):
    axe_source()
    page = signed_in("alice", DESKTOP)
    page.goto(reverse("badge-detail", args=["cowork", "python-foundations"]) + "?status=active")
    table = page.get_by_test_id("holders")
    expect(table).to_be_visible()
    expect(page.get_by_test_id("holder-cards")).to_be_hidden()
    expect(table.get_by_role("columnheader", name="Status")).to_be_visible()
    assert set(table.locator("[data-status]").evaluate_all("els => els.map(e => e.dataset.status)")) == {
        "active"
    }
    next_page = page.get_by_role("link", name="Next")
    if next_page.count():  # a second page keeps the filter
        next_page.click()
        expect(page).to_have_url(re.compile(r"status=active&page=2"))
    page.goto(reverse("badge-detail", args=["cowork", "fire-warden"]) + "?status=revoked")
    statuses = table.locator("[data-status]").evaluate_all("els => els.map(e => e.dataset.status)")
    assert statuses and set(statuses) == {"revoked"}
    expect(table.get_by_role("link", name=re.compile("^Revoke"))).to_have_count(0)
    shot(page, "32-desktop-holders-revoked")
    assert_accessible(page, "holders at 1366 px")
    assert js_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_an_employee_publishes_a_profile_shares_it_and_hides_it(
    seeded, signed_in, new_page, shot, js_errors, viewport
):
    axe_source()
    bob = signed_in("bob", viewport)
    bob.get_by_test_id("my-profile-link").click()
    expect(bob.get_by_role("heading", name="My public profile")).to_be_visible()
    assert_accessible(bob, "profile settings, new")
    bob.get_by_label("Publish my profile").check()
    bob.get_by_label(re.compile(r"^Python Foundations")).check()
    bob.get_by_test_id("profile-form").get_by_role("button", name="Save").click()
    expect(bob.get_by_test_id("profile-link")).to_contain_text("Published")
    link = bob.locator("#profile-link").input_value()
    assert re.search(r"/awards/of/[\w-]{22,}/$", link)
    shot(bob, f"33-profile-settings-{viewport['width']}")
    assert_accessible(bob, "profile settings, published")

    visitor = new_page(viewport=viewport)
    install_axe(visitor.context)
    visitor.goto(link)
    shown = visitor.get_by_test_id("profile-awards")
    expect(shown).to_contain_text("Python Foundations")
    expect(shown.locator(".card")).to_have_count(1)
    assert _sideways(visitor) <= 0
    shot(visitor, f"34-public-profile-{viewport['width']}")
    assert_accessible(visitor, "public profile")

    bob.get_by_label("Publish my profile").uncheck()
    bob.get_by_test_id("profile-form").get_by_role("button", name="Save").click()
    expect(bob.get_by_test_id("profile-link")).to_contain_text("Hidden")
    response = visitor.goto(link)
    assert response.status == 404  # hidden at once: nothing cached it
    assert js_errors == []
