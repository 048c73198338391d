"""Keyboard and screen-reader journeys in the browser: the skip link, visible focus on every
stop, the error summary a failed submit leads to, names on repeated actions, "Copied"
announced. The axe sweep of every page is in test_accessibility.py.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.domain.mockups import load_mockup_sessions
from core.models import EmailAddress, ImportedBadge, ImportSource
from tests.support.a11y import assert_accessible, install_axe
from tests.support.factories import award, make_badge, png_bytes
from tests.support.sessions import mint_cookie

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def data(site, media_root):
    """A badge with holders to revoke, bob's addresses and imports to remove: each action
    repeated, which is what their names must tell apart."""
    badge = make_badge(name="Python Foundations")
    zoe = award(badge, "zoe.odegard@cowork.net", "Zoë Ødegård")
    award(badge, "ana.lima@cowork.net", "Ana Lima")
    bob = User.objects.create(username="bob")
    for email in ("bob@old-job.example", "bob@elsewhere.example"):
        EmailAddress.objects.create(user=bob, email=email)
    for name in ("Fluent in Ελληνικά", "Safe Lifting"):
        ImportedBadge.objects.create(
            owner=bob,
            recipient_email="bob@cowork.net",
            source=ImportSource.URL,
            assertion_url=f"https://issuer.example/assertions/{name}",
            assertion={},
            badge_class={},
            issuer={},
            image=ContentFile(png_bytes(), name="badge.png"),
            badge_name=name,
            issuer_name="Another issuer",
            issued_on=timezone.now(),
        )
    return {"badge": badge, "zoe": zoe}


def _page(browser, site, persona: str, language: str = "en"):
    context = browser.new_context(
        base_url=site.url, viewport=DESKTOP, locale="en-GB", reduced_motion="reduce"
    )
    install_axe(context)
    host = site.url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    if persona != "anon":
        cookie = mint_cookie(load_mockup_sessions()[persona])
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"})
    context.add_cookies(cookies)
    return context.new_page()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser, data, site):
    page = _page(browser, site, "alice")
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, past the navigation
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    page.context.close()


# The focus indicator of an element: what :focus-visible may change.
STYLE_OF = """const styleOf = (el) => { const s = getComputedStyle(el);
  const ring = `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
  return {outline: s.outlineStyle === 'none' ? 'none' : ring,
          width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; };"""
FOCUSED_STOP = (
    "(index) => {"
    + STYLE_OF
    + """ const el = document.activeElement;
  if (!el || el === document.body || el.dataset.stop) return null;
  el.dataset.stop = index;
  const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id).trim().slice(0, 60);
  return {index, name, tag: el.tagName, visible: el.matches(':focus-visible'), style: styleOf(el)}; }"""
)
AT_REST = "(index) => {" + STYLE_OF + " return styleOf(document.querySelector(`[data-stop='${index}']`)); }"


def _tab_stops(page, limit: int = 200) -> list[dict]:
    """Tab from the top of the page until focus leaves it or comes back round: each stop
    with its focus style, marked so its style at rest can be read afterwards."""
    stops = []
    for index in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED_STOP, index)
        if stop is None:
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize(
    "persona, where",
    [
        ("alice", lambda data: reverse("home")),
        ("alice", lambda data: reverse("badge-detail", args=["cowork", data["badge"].slug])),
        ("alice", lambda data: reverse("badge-create", args=["cowork"])),
        ("bob", lambda data: reverse("my-emails")),
        ("anon", lambda data: data["zoe"].get_absolute_url()),
    ],
    ids=["home", "badge-holders", "badge-form", "my-emails", "award-public"],
)
def test_every_focus_stop_shows_a_visible_focus_indicator(browser, data, site, persona, where):
    page = _page(browser, site, persona)
    page.goto(where(data))
    stops = _tab_stops(page)
    assert len(stops) >= 5, stops
    page.evaluate("() => document.activeElement.blur()")
    unseen = []
    for stop in stops:
        rest = page.evaluate(AT_REST, stop["index"])
        focused = stop["style"]
        ring = focused["outline"] != "none" and focused["width"] >= 2
        if not stop["visible"] or focused == rest or not (ring or focused["shadow"] != rest["shadow"]):
            unseen.append(f"{stop['tag']} {stop['name']!r}: focused {focused}, at rest {rest}")
    assert not unseen, "focus is not visible on:\n" + "\n".join(unseen)
    page.context.close()


@pytest.mark.parametrize(
    "persona, where, form",
    [
        ("alice", lambda data: reverse("badge-create", args=["cowork"]), "[data-testid=badge-form]"),
        (
            "alice",
            lambda data: reverse("award-create", args=["cowork", data["badge"].slug]),
            "[data-testid=award-form]",
        ),
        ("bob", lambda data: reverse("my-emails"), "[data-testid=add-email-form]"),
        ("bob", lambda data: reverse("verify"), "[data-testid=verify-form]"),
    ],
    ids=["badge-form", "award-form", "add-email", "verify"],
)
def test_a_failed_submit_focuses_an_error_summary_that_links_to_each_invalid_field(
    browser, data, site, persona, where, form
):
    page = _page(browser, site, persona)
    page.goto(where(data))
    page.locator(form).locator("button[type=submit]").last.click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    invalid = page.locator(f"{form} [aria-invalid=true]")
    links = summary.get_by_role("link")
    assert invalid.count() >= 1
    assert links.count() == invalid.count(), "one link per invalid field"
    for i in range(invalid.count()):
        field = invalid.nth(i)
        field_id = field.get_attribute("id")
        # Each invalid field says why: its error is among what describes it.
        described = (field.get_attribute("aria-describedby") or "").split()
        assert f"{field_id}_error" in described, f"{field_id} is not described by its error"
        expect(page.locator(f"#{field_id}_error")).not_to_be_empty()
        # ...and the summary's link to it moves focus there.
        summary.locator(f"a[href='#{field_id}']").click()
        expect(field).to_be_focused()
    assert_accessible(page, f"{form} with errors")
    page.context.close()


def test_required_fields_say_they_are_required(browser, data, site):
    page = _page(browser, site, "alice")
    page.goto(reverse("badge-create", args=["cowork"]))
    for label in ("Name", "Description", "Criteria"):
        field = page.get_by_role("textbox", name=label, exact=True)
        expect(field).to_have_attribute("required", "")
    page.context.close()


def _controls_sharing_a_label(page) -> dict[str, list[str]]:
    """Visible buttons and links in the content grouped by their text, each with its
    accessible name (aria-label, else its text)."""
    return page.evaluate(
        """() => { const groups = {};
          document.querySelectorAll('main a, main button').forEach((el) => {
            if (!el.checkVisibility()) return;  // the holders' table or their cards, by width
            const text = el.textContent.trim();
            (groups[text] ||= []).push((el.getAttribute('aria-label') || text).trim()); });
          return groups; }"""
    )


@pytest.mark.parametrize(
    "persona, where, action",
    [
        ("alice", lambda data: reverse("badge-detail", args=["cowork", data["badge"].slug]), "Revoke"),
        ("bob", lambda data: reverse("my-emails"), "Remove"),
        ("bob", lambda data: reverse("imports"), "Remove"),
    ],
    ids=["revoke-holders", "remove-addresses", "remove-imports"],
)
def test_repeated_actions_say_what_they_act_on(browser, data, site, persona, where, action):
    page = _page(browser, site, persona)
    page.goto(where(data))
    names = _controls_sharing_a_label(page)[action]
    assert len(names) >= 2, names
    assert len(set(names)) == len(names), f"{action} buttons that cannot be told apart: {names}"
    assert all(name != action for name in names), names
    page.context.close()


def test_the_holders_revoke_links_name_the_holder(browser, data, site):
    page = _page(browser, site, "alice")
    page.goto(reverse("badge-detail", args=["cowork", data["badge"].slug]))
    revoke = page.get_by_role("link", name="Revoke Zoë Ødegård’s award")
    expect(revoke).to_be_visible()
    expect(revoke).to_have_text("Revoke")
    expect(page.get_by_test_id("holders").get_by_role("columnheader", name="Actions")).to_have_count(1)
    page.context.close()


def test_copied_is_announced_to_screen_readers(browser, data, site):
    page = _page(browser, site, "anon", "fr")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(data["zoe"].get_absolute_url())
    status = page.locator("#copy-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_attribute("role", "status")
    page.get_by_role("button", name="Copier le lien").click()
    expect(status).to_have_text("Copié")
    page.context.close()
