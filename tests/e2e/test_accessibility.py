"""axe-core on every page state of the app, as each role that can see it, at 1366 and 390
pixels wide, in every shipped language (Arabic right to left): any violation fails.

The list of pages comes from the URL conf: every route is either in ``PAGES`` (its states,
who sees them) or in ``NOT_PAGES`` (why nothing there is a page), so a new route without an
entry fails ``test_every_route_is_swept_or_said_not_to_be_a_page``. The demo data
(``seed_demo``) gives the objects and the states (valid, expired and revoked awards, archived
badges, holders to page through, names in every script).

Time: one browser; one context per role and language, its page reused from state to state.
Each state is loaded once and checked at both widths: the server renders the same HTML for
either, and the browser re-applies the media queries when the viewport shrinks, so axe sees
the phone layout (at 390 px the collapsed navigation is opened first).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.domain.mockups import load_mockup_sessions
from core.models import Award, AwardBatch, EmailAddress, ImportedBadge, ImportSource
from core.services.people import confirmation_token
from core.services.profiles import profile_update
from tests.support.a11y import axe_source, axe_violations, describe, install_axe
from tests.support.factories import png_bytes
from tests.support.sessions import mint_cookie
from tests.test_url_coverage import route_names

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _languages() -> list[str]:
    """Every shipped language (English first), or those AXE_LANGUAGES names (comma-separated).

    CI's second pass, on PostgreSQL, sweeps en only: what axe checks (markup, colours,
    layout) does not depend on the database, and the first pass swept every language.
    """
    shipped = [code for code, _name in settings.LANGUAGES]
    wanted = [code.strip() for code in os.environ.get("AXE_LANGUAGES", "").split(",") if code.strip()]
    if unknown := set(wanted) - set(shipped):
        raise ValueError(f"AXE_LANGUAGES: {sorted(unknown)} not in {shipped}")
    return [code for code in shipped if code in wanted] if wanted else shipped


LANGUAGES = _languages()
# The roles: nobody signed in, an employee who manages nothing, a manager, and a person with
# only a personal profile (the mockup users of tests/conftest.py).
ANON, EMPLOYEE, MANAGER, PERSONAL = "anon", "bob", "alice", "xia"
SIGNED_IN = (EMPLOYEE, MANAGER, PERSONAL)
EVERYONE = (ANON, *SIGNED_IN)
# README's right-to-left screenshot, rewritten only when asked (normal runs leave git clean).
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "award-ar.png"


@dataclass(frozen=True)
class State:
    """A page in one state: where to go (from the demo objects), what to do there first,
    who sees it, and the status the page answers with."""

    name: str
    url: Callable[[dict], str]
    roles: tuple[str, ...]
    act: Callable | None = None
    status: int = 200
    ready: str = "main"  # what must be visible before axe looks (pages drawn by script)
    english_only: bool = False  # a page in English whatever the chosen language
    # The same page for every role and language (no navigation, no session in it): checked
    # once, by its first role in the first language.
    same_for_all: bool = False
    # axe rules that this page cannot pass, each with why; the sweep fails if one stops
    # failing, so the exemption goes when its reason does.
    known: dict[str, str] = field(default_factory=dict)


def _submit(form: str):
    def act(page):
        page.locator(form).locator("button[type=submit]").last.click()
        page.wait_for_load_state()

    return act


def _preview(page):
    page.locator("textarea[name=recipients]").fill(
        "zoe.odegard@cowork.net, Zoë Ødegård\nnew.person@cowork.net\nnot-an-email"
    )
    _submit("[data-testid=award-form]")(page)


def _check_email(address: str):
    def act(page):
        page.locator("#check-heading + form input[name=email]").fill(address)
        _submit("#check-heading + form")(page)

    return act


def _badge(slug: str, view: str = "badge-detail", org: str = "cowork"):
    return lambda objects: reverse(view, args=[org, slug])


# Every route that renders a page, and its states. Keys are route names.
PAGES: dict[str, list[State]] = {
    "login": [State("login", lambda o: reverse("login"), EVERYONE)],
    "home": [
        State("home", lambda o: reverse("home"), SIGNED_IN),
        State(
            "home-filtered", lambda o: reverse("home") + "?organisation=cowork&status=expired", (EMPLOYEE,)
        ),
        State("no-session-403", lambda o: reverse("home"), (ANON,), status=403),
    ],
    "verify": [
        State("verify", lambda o: reverse("verify"), SIGNED_IN),
        State(
            "verify-errors", lambda o: reverse("verify"), (EMPLOYEE,), _submit("[data-testid=verify-form]")
        ),
    ],
    "badge-list": [
        State("badge-list", lambda o: reverse("badge-list", args=["cowork"]), (MANAGER,)),
        State(
            "badge-list-filtered",
            lambda o: reverse("badge-list", args=["cowork"]) + "?q=o&archived=all&sort=holders",
            (MANAGER,),
        ),
        State(
            "badge-list-none",
            lambda o: reverse("badge-list", args=["cowork"]) + "?q=nothing-at-all",
            (MANAGER,),
        ),
    ],
    "dashboard": [State("dashboard", lambda o: reverse("dashboard", args=["cowork"]), (MANAGER,))],
    "my-profile": [
        State("my-profile", lambda o: reverse("my-profile"), SIGNED_IN),
    ],
    "profile-public": [
        State("profile-public", lambda o: reverse("profile-public", args=[o["profile"].token]), EVERYONE),
    ],
    "badge-create": [
        State("badge-create", lambda o: reverse("badge-create", args=["cowork"]), (MANAGER,)),
        State(
            "badge-create-errors",
            lambda o: reverse("badge-create", args=["cowork"]),
            (MANAGER,),
            _submit("[data-testid=badge-form]"),
        ),
    ],
    "badge-detail": [
        State("badge-holders", _badge("python-foundations"), (MANAGER,)),
        State("badge-holders-page-2", lambda o: _badge("python-foundations")(o) + "?page=2", (MANAGER,)),
        State(
            "badge-search-empty", lambda o: _badge("python-foundations")(o) + "?q=nobody-at-all", (MANAGER,)
        ),
        State("badge-archived", _badge("open-day-volunteer-2025"), (MANAGER,)),
        State("badge-member", _badge("python-foundations"), (EMPLOYEE,)),
        State("badge-learning", _badge("fire-warden"), (EMPLOYEE,)),
        State("not-found-404", _badge("no-such-badge"), (EMPLOYEE,), status=404),
    ],
    "badge-edit": [State("badge-edit", _badge("mentor", "badge-edit"), (MANAGER,))],
    "badge-progress": [State("badge-progress", _badge("fire-warden", "badge-progress"), (MANAGER,))],
    "award-create": [
        State("award-create", _badge("python-foundations", "award-create"), (MANAGER,)),
        State(
            "award-create-errors",
            _badge("python-foundations", "award-create"),
            (MANAGER,),
            _submit("[data-testid=award-form]"),
        ),
        State("award-preview", _badge("python-foundations", "award-create"), (MANAGER,), _preview),
    ],
    "award-revoke": [
        State("award-revoke", lambda o: reverse("award-revoke", args=["cowork", o["valid"].pk]), (MANAGER,))
    ],
    "award-batch": [
        State("award-batch", lambda o: reverse("award-batch", args=["cowork", o["batch"].pk]), (MANAGER,))
    ],
    "awards-export": [
        State("awards-export", lambda o: reverse("awards-export", args=["cowork"]), (MANAGER,))
    ],
    "notifications": [
        State("notifications", lambda o: reverse("notifications", args=["cowork"]), (MANAGER,))
    ],
    "people-search": [
        State("people-search", lambda o: reverse("people-search", args=["cowork"]) + "?q=bob", (MANAGER,)),
        State(
            "people-search-empty",
            lambda o: reverse("people-search", args=["cowork"]) + "?q=nobody-at-all",
            (MANAGER,),
        ),
    ],
    "person-detail": [
        State(
            "person-detail",
            lambda o: reverse("person-detail", args=["cowork"]) + "?email=bob%40cowork.net",
            (MANAGER,),
        )
    ],
    "award-detail": [
        State("award-valid", lambda o: o["valid"].get_absolute_url(), EVERYONE),
        State("award-expired", lambda o: o["expired"].get_absolute_url(), (ANON, EMPLOYEE)),
        State("award-revoked", lambda o: o["revoked"].get_absolute_url(), (ANON, MANAGER)),
        State(
            "award-missing-404",
            lambda o: "/awards/00000000-0000-0000-0000-000000000000/",
            (ANON,),
            status=404,
        ),
    ],
    # A POST from the award's page that answers with the page and its result.
    "award-check-email": [
        State(
            "award-email-invalid",
            lambda o: o["valid"].get_absolute_url(),
            (ANON,),
            _check_email("not-an-email"),
        ),
        State(
            "award-email-matches",
            lambda o: o["valid"].get_absolute_url(),
            (ANON,),
            _check_email("alice@cowork.net"),
        ),
    ],
    "my-emails": [
        State("my-emails", lambda o: reverse("my-emails"), SIGNED_IN),
        State(
            "my-emails-error",
            lambda o: reverse("my-emails"),
            (PERSONAL,),
            _submit("[data-testid=add-email-form]"),
        ),
    ],
    "email-confirm": [
        State("email-confirm", lambda o: reverse("email-confirm", args=[o["confirm_token"]]), (EMPLOYEE,))
    ],
    "imports": [
        State("imports", lambda o: reverse("imports"), SIGNED_IN),
        State("imports-errors", lambda o: reverse("imports"), (PERSONAL,), _submit("main form")),
    ],
    # Swagger UI draws the page from the schema with its own script: wait for it.
    "api-docs": [
        State(
            "api-docs",
            lambda o: reverse("api-docs"),
            SIGNED_IN,
            ready=".swagger-ui .info",
            english_only=True,
            same_for_all=True,  # Swagger UI reads one public schema; the page has no header
            known={
                # Both are axe best practices, not WCAG criteria; the markup is Swagger UI's
                # own React output, which its settings cannot change.
                "heading-order": "Swagger UI titles the page h1 and each tag of operations h3",
                "region": "Swagger UI wraps only its operations in <main>, its title in no landmark",
            },
        )
    ],
}

# Every other route, and why there is no page to check there.
NOT_PAGES: dict[str, str] = {
    "logout": "POST, then a redirect",
    "set_language": "POST, then a redirect back",
    "app-entry": "a redirect (home)",
    "app-organisation": "a redirect (home or the organisation's badges)",
    "badge-archive": "POST, then a redirect",
    "notifications-resend": "POST, then a redirect",
    "my-email-resend": "POST, then a redirect",
    "my-email-remove": "POST, then a redirect",
    "import-delete": "POST, then a redirect",
    "import-request-retry": "POST, then a redirect",
    "import-request-dismiss": "POST, then a redirect",
    "awards-export-download": "a CSV file",
    "dashboard-csv": "a CSV file",
    "me-export": "a zip file",
    "import-image": "an image",
    "award-baked-png": "an image",
    "award-baked-svg": "an image",
    "award-credential-png": "an image",
    "award-credential-svg": "an image",
    "ob-badgeclass-image": "an image",
    "media": "uploaded images",
    "favicon": "a redirect to an icon",
    "ob-issuer": "JSON-LD",
    "ob-revocation-list": "JSON-LD",
    "ob-badgeclass": "JSON-LD",
    "ob-assertion": "JSON-LD",
    "ob-credential": "JSON-LD",
    "ob-did": "JSON",
    "ob-status-list": "JSON",
    "xapi-statements": "JSON",
    "api-me": "JSON",
    "api-my-import-request": "JSON",
    "api-my-awards": "JSON",
    "api-my-progress": "JSON",
    "api-my-imports": "JSON",
    "api-badges": "JSON",
    "api-badge": "JSON",
    "api-badge-awards": "JSON",
    "api-org-awards": "JSON",
    "api-award": "JSON",
    "api-award-revoke": "JSON",
    "api-schema": "YAML (what api-docs reads)",
}


def test_every_route_is_swept_or_said_not_to_be_a_page():
    """A new page fails here until its states are in PAGES (or it is said not to be one)."""
    assert not set(PAGES) & set(NOT_PAGES)
    assert route_names() - (set(PAGES) | set(NOT_PAGES)) == set()
    assert (set(PAGES) | set(NOT_PAGES)) - route_names() == set()


def _award(email: str, slug: str) -> Award:
    return Award.objects.with_badge().filter(recipient_email=email, badge__slug=slug).latest("issued_on")


def _objects() -> dict:
    """The demo objects the states need, and the few states the demo does not hold."""
    bob = User.objects.get(username="bob")
    pending = EmailAddress.objects.create(user=bob, email="bob@old-job.example")
    ImportedBadge.objects.create(  # bob's imports page lists one
        owner=bob,
        recipient_email="bob@cowork.net",
        source=ImportSource.URL,
        assertion_url="https://issuer.example/assertions/1",
        assertion={},
        badge_class={},
        issuer={},
        image=ContentFile(png_bytes(), name="badge.png"),
        badge_name="Fluent in Ελληνικά",
        issuer_name="Another issuer",
        issued_on=timezone.now(),
    )
    valid = _award("alice@cowork.net", "python-foundations")
    profile = profile_update(  # alice's public profile, showing one award
        user=User.objects.get(username="alice"),
        emails=["alice@cowork.net"],
        published=True,
        name="Alice Martin",
        award_ids=[valid.pk],
    )
    return {
        "valid": valid,
        "profile": profile,
        "expired": _award("bob@cowork.net", "first-aid-at-work"),
        "revoked": _award("bob@cowork.net", "fire-warden"),
        "batch": AwardBatch.objects.filter(badge__organisation__slug="cowork").latest("created_at"),
        "confirm_token": confirmation_token(pending),
    }


@pytest.fixture
def seeded(site, media_root):
    call_command("seed_demo", verbosity=0)
    return site


def _context(browser, site, role: str, language: str):
    context = browser.new_context(
        base_url=site.url, viewport=DESKTOP, locale="en-GB", reduced_motion="reduce"
    )
    install_axe(context)
    host = site.url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    if role != ANON:
        session = load_mockup_sessions()[role]
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": mint_cookie(session), "domain": host, "path": "/"}
        )
    context.add_cookies(cookies)
    return context


def _open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false":
        toggler.click()
        expect(page.locator("#main-nav")).to_be_visible()


def _sweep_order(language: str) -> dict[str, list[State]]:
    by_role: dict[str, list[State]] = {role: [] for role in EVERYONE}
    for states in PAGES.values():
        for state in states:
            if state.same_for_all and language != LANGUAGES[0]:
                continue
            for role in state.roles[:1] if state.same_for_all else state.roles:
                by_role[role].append(state)
    return by_role


def _sweep(browser, site, language: str, objects: dict, shot, js_errors) -> tuple[list[str], int]:
    failures, checked = [], 0
    for role, states in _sweep_order(language).items():
        context = _context(browser, site, role, language)
        page = context.new_page()
        page.on("pageerror", lambda err, page=page: js_errors.append(f"{page.url}: {err}"))
        for state in states:
            page.set_viewport_size(DESKTOP)
            response = page.goto(state.url(objects))
            assert response.status == state.status, f"{role} {state.name}: {response.status} at {page.url}"
            if state.act:
                state.act(page)
            expect(page.locator(state.ready).first).to_be_visible()
            lang = "en" if state.english_only else language
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                if viewport is PHONE:
                    _open_menu(page)
                checked += 1
                label = f"{language} {role} {state.name} {viewport['width']}px"
                violations = axe_violations(page)
                unexplained = [v for v in violations if v["id"] not in state.known]
                gone = set(state.known) - {v["id"] for v in violations}
                if unexplained:
                    failures.append(f"{label} ({page.url}):\n{describe(unexplained)}")
                    shot(page, f"axe-{language}-{role}-{state.name}-{viewport['width']}")
                if gone:
                    failures.append(f"{label}: {sorted(gone)} pass now: remove the exemption")
            if language == "ar" and role == ANON and state.name == "award-valid":
                _readme_screenshot(page)
        context.close()
    return failures, checked


def test_every_page_state_passes_axe_for_each_role_at_both_widths(browser, seeded, shot, js_errors):
    """Both languages in one test: the demo is seeded once (a live server's test flushes it)."""
    axe_source()  # skip (fail in CI) before any work when axe-core is not installed
    objects = _objects()
    failures, checked = [], 0
    for language in LANGUAGES:
        started = time.monotonic()
        found, count = _sweep(browser, seeded, language, objects, shot, js_errors)
        failures += found
        checked += count
        seconds = time.monotonic() - started
        print(f"axe: {count} checks (page state x role x width) in {language}, {seconds:.0f} s")
    assert not failures, f"{len(failures)} of {checked} checks fail axe:\n" + "\n".join(failures)
    assert not js_errors


def _readme_screenshot(page) -> None:
    """README's right-to-left page, written only with UPDATE_SCREENSHOTS=1."""
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return
    page.set_viewport_size(DESKTOP)
    README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(README_SCREENSHOT))
