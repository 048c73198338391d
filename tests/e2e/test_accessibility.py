"""Every page, as each persona sees it, passes axe-core: at desktop and phone widths, in
English, French and Arabic (right to left). Keyboard journeys: the skip link, visible
focus, the error summary a failed submit leads to.

One browser and one seeded database per language: the demo data (``seed_demo``) gives
every state a page can be in (valid, expired and revoked awards, archived badges,
holders to page through, Unicode names in every script).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from core.domain.mockups import load_mockup_sessions
from core.models import Award, AwardBatch
from tests.support.a11y import assert_accessible, axe_source, axe_violations, describe, install_axe
from tests.support.sessions import mint_cookie

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ["en", "fr", "ar"]


@dataclass(frozen=True)
class State:
    """A page in one state: where to go, and what to do there before checking it."""

    name: str
    url: str
    act: Callable | None = None


def _submit_empty(form_testid: str):
    def act(page):
        page.get_by_test_id(form_testid).locator("button[type=submit]").click()
        page.wait_for_load_state()

    return act


def _preview(lines: str):
    def act(page):
        page.locator("textarea[name=recipients]").fill(lines)
        page.get_by_test_id("award-form").locator("button[type=submit]").click()
        page.wait_for_load_state()

    return act


def _submit_first_form_empty(page):
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _check_email(page):
    page.locator("#check-heading + form input[name=email]").fill("not-an-email")
    page.locator("#check-heading + form button[type=submit]").click()
    page.wait_for_load_state()


def _open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#main-nav")).to_be_visible()


def _award(email: str, slug: str) -> Award:
    return Award.objects.with_badge().filter(recipient_email=email, badge__slug=slug).latest("issued_on")


def states() -> dict[str, list[State]]:
    """The page states to check, per persona (``anon`` has no session)."""
    valid, expired, revoked = (
        _award("alice@cowork.net", "python-foundations"),
        _award("bob@cowork.net", "first-aid-at-work"),
        _award("bob@cowork.net", "fire-warden"),
    )
    detail = reverse("badge-detail", args=["cowork", "python-foundations"])
    batch = AwardBatch.objects.filter(badge__organisation__slug="cowork").latest("created_at")
    return {
        "anon": [
            State("login", reverse("login")),
            State("award-valid", valid.get_absolute_url(), _open_menu),
            State("award-expired", expired.get_absolute_url()),
            State("award-revoked", revoked.get_absolute_url()),
            State("award-email-check-error", valid.get_absolute_url(), _check_email),
            State("no-session-403", reverse("home")),
            State("not-found-404", "/awards/00000000-0000-0000-0000-000000000000/"),
        ],
        "alice": [
            State("home", reverse("home"), _open_menu),
            State("badge-list", reverse("badge-list", args=["cowork"])),
            State(
                "badge-list-filtered", reverse("badge-list", args=["cowork"]) + "?archived=all&sort=holders"
            ),
            State("badge-list-no-match", reverse("badge-list", args=["cowork"]) + "?q=nothing-like-it"),
            State("badge-detail-holders", detail),
            State("badge-detail-holders-page-2", f"{detail}?page=2"),
            State("badge-detail-search-empty", f"{detail}?q=nobody-at-all"),
            State(
                "badge-detail-holders-revoked",
                reverse("badge-detail", args=["cowork", "fire-warden"]) + "?status=revoked",
            ),
            State("badge-archived", reverse("badge-detail", args=["cowork", "open-day-volunteer-2025"])),
            State("badge-create", reverse("badge-create", args=["cowork"])),
            State(
                "badge-create-errors", reverse("badge-create", args=["cowork"]), _submit_empty("badge-form")
            ),
            State("badge-edit", reverse("badge-edit", args=["cowork", "mentor"])),
            State("award-create", reverse("award-create", args=["cowork", "python-foundations"])),
            State(
                "award-create-errors",
                reverse("award-create", args=["cowork", "python-foundations"]),
                _submit_empty("award-form"),
            ),
            State("award-revoke", reverse("award-revoke", args=["cowork", valid.pk])),
            State("award-as-manager", valid.get_absolute_url()),
            State("verify", reverse("verify")),
            State("verify-errors", reverse("verify"), _submit_empty("verify-form")),
            State("imports", reverse("imports")),
            State("notifications", reverse("notifications", args=["cowork"])),
            State("dashboard", reverse("dashboard", args=["cowork"])),
            State("badge-progress", reverse("badge-progress", args=["cowork", "fire-warden"])),
            State("award-batch", reverse("award-batch", args=["cowork", batch.pk])),
            State(
                "award-preview",
                reverse("award-create", args=["cowork", "python-foundations"]),
                _preview("zoe.odegard@cowork.net, Zoë Ødegård\nnew.person@cowork.net\nnot-an-email"),
            ),
        ],
        "bob": [
            State("home", reverse("home")),
            State("badge-detail-member", detail),
            State("badge-detail-learning", reverse("badge-detail", args=["cowork", "fire-warden"])),
            State("award-recipient", expired.get_absolute_url()),
            State("verify", reverse("verify")),
            State("home-filtered", reverse("home") + "?status=expired"),
            State("my-profile", reverse("my-profile")),
        ],
        "hana": [State("home", reverse("home"))],
        "xia": [
            State("home", reverse("home")),
            State("my-emails", reverse("my-emails")),
            State("my-emails-error", reverse("my-emails"), _submit_first_form_empty),
            State("verify-no-organisation", reverse("verify")),
        ],
    }


@pytest.fixture
def seeded(site, media_root):
    call_command("seed_demo", verbosity=0)
    return site


def _context(browser, site, persona: str, language: str, viewport: dict):
    context = browser.new_context(base_url=site.url, viewport=viewport, locale="en-GB")
    install_axe(context)
    host = site.url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    if persona != "anon":
        session = load_mockup_sessions()[persona]
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": mint_cookie(session), "domain": host, "path": "/"}
        )
    context.add_cookies(cookies)
    return context


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe_for_every_persona_at_both_widths(browser, seeded, language, shot, js_errors):
    axe_source()  # skip (fail in CI) before any work when axe-core is not installed
    failures = []
    checked = 0
    for persona, persona_states in states().items():
        for viewport in (DESKTOP, PHONE):
            context = _context(browser, seeded, persona, language, viewport)
            page = context.new_page()
            page.on("pageerror", lambda err: js_errors.append(str(err)))
            for state in persona_states:
                page.goto(state.url)
                if state.act:
                    state.act(page)
                expect(page.locator("html")).to_have_attribute("lang", language)
                expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
                violations = axe_violations(page)
                checked += 1
                if violations:
                    label = f"{language} {persona} {state.name} {viewport['width']}px"
                    failures.append(f"{label} ({page.url}):\n{describe(violations)}")
                    shot(page, f"axe-{language}-{persona}-{state.name}-{viewport['width']}")
            context.close()
    assert not failures, f"{len(failures)} of {checked} page states fail axe:\n" + "\n".join(failures)
    assert not js_errors


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser, seeded):
    context = _context(browser, seeded, "alice", "en", DESKTOP)
    page = context.new_page()
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, past the navigation
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    context.close()


def _outline(page) -> tuple[str, str]:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )


def test_focus_is_visible_on_every_navbar_link_and_control(browser, seeded):
    context = _context(browser, seeded, "alice", "en", DESKTOP)
    page = context.new_page()
    page.goto(reverse("home"))
    page.keyboard.press("Tab")  # the skip link
    seen = []
    for _stop in range(8):  # brand, My badges, Manage..., Verify, sign out, language, change
        page.keyboard.press("Tab")
        style, width = _outline(page)
        name = page.evaluate("() => document.activeElement.textContent.trim() || document.activeElement.name")
        seen.append(name)
        assert style == "solid" and width == "3px", f"no visible focus on {name!r}: outline {style} {width}"
    assert "My badges" in seen and "Verify" in seen
    context.close()


def test_a_failed_submit_focuses_an_error_summary_that_links_to_each_field(browser, seeded):
    context = _context(browser, seeded, "alice", "en", DESKTOP)
    page = context.new_page()
    page.goto(reverse("badge-create", args=["cowork"]))
    page.get_by_test_id("badge-form").locator("button[type=submit]").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(re.compile(r"There are \d+ problems"))
    links = summary.get_by_role("link")
    assert links.count() >= 3  # name, description, criteria (and the image)
    name = page.get_by_label(re.compile(r"^Name"))
    expect(name).to_have_attribute("aria-invalid", "true")
    described = name.get_attribute("aria-describedby").split()
    assert "id_name_error" in described
    expect(page.locator("#id_name_error")).to_contain_text("This field is required.")
    summary.get_by_role("link", name=re.compile(r"^Name")).click()
    expect(name).to_be_focused()
    assert_accessible(page, "badge form with errors")
    context.close()


def test_repeated_actions_say_what_they_act_on(browser, seeded):
    context = _context(browser, seeded, "alice", "en", DESKTOP)
    page = context.new_page()
    page.goto(reverse("badge-detail", args=["cowork", "python-foundations"]))
    revoke = page.get_by_role("link", name="Revoke Zoë Ødegård’s award")
    expect(revoke).to_be_visible()
    expect(revoke).to_have_text("Revoke")
    expect(page.get_by_test_id("holders").get_by_role("columnheader", name="Actions")).to_have_count(1)
    context.close()


def test_copied_is_announced_to_screen_readers(browser, seeded):
    context = _context(browser, seeded, "anon", "fr", DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(_award("alice@cowork.net", "python-foundations").get_absolute_url())
    status = page.locator("#copy-status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.get_by_role("button", name="Copier le lien").click()
    expect(status).to_have_text("Copié")
    context.close()
