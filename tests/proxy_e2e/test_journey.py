"""The journey of the issue, through DjaoDjin's own forwarding engine.

The browser talks only to the test proxy (tests/djaodjin_proxy/: djaodjin-rules
forwarding, djaodjin-saas roles, djaodjin-signup login), which forwards to
badgeapp running under gunicorn in production mode. Run once with the session
in an encrypted cookie and once as a Bearer JWT. Screenshots:
tests/screenshots/proxy-<mode>-NN-*.png.

People (people.json): hana manages "Snake Oil Learning 🐍" and registered
with a personal profile; bob is a member with a personal profile (his session
has ``manager: [bob]`` and ``contributor: [snakeoil]``); carol is a member who
registered without one, so her session carries no email at all (dana, the
same, takes her place in JWT mode: both modes share the app's database).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.proxy_e2e.conftest import PEOPLE
from tests.support import factories
from tests.support.browser import NAVIGATION_TIMEOUT_MS

pytestmark = pytest.mark.e2e

ORG, ORG_NAME = "snakeoil", "Snake Oil Learning 🐍"
USERS = {user["username"]: user for user in json.loads(PEOPLE.read_text(encoding="utf-8"))["users"]}
HANA, BOB = USERS["hana"], USERS["bob"]
# Without a personal profile; one per mode, since the journeys share the app's database.
NO_PROFILE = {"cookie": USERS["carol"], "jwt": USERS["dana"]}
AWARD_PAGE = re.compile(r"/awards/([0-9a-f-]{36})/$")
POST_JSON = """async ([url, body]) => {
  const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token ? token.split("=")[1] : ""},
    body: JSON.stringify(body),
  });
  return {status: response.status, body: await response.json()};
}"""
GET_JSON = """async (url) => {
  const response = await fetch(url, {credentials: "same-origin"});
  return {status: response.status, body: await response.json()};
}"""


def full_name(user: dict) -> str:
    return f"{user['first_name']} {user['last_name']}"


def sign_in(page, user: dict) -> None:
    """The proxy's own login (djaodjin-signup): username, then password. No ?next=."""
    page.goto("/login/")
    expect(page.get_by_role("heading", name="Get started!")).to_be_visible()
    page.get_by_label("Username, e-mail address or phone number:").fill(user["username"])
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password:").fill(user["password"])
    page.get_by_role("button", name="Continue").click()


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def image_loaded(image) -> bool:
    """Whether the image displays, once it has finished loading (through the proxy it may not have yet)."""
    return image.evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise((done) => {
             img.addEventListener("load", () => done(img.naturalWidth > 0));
             img.addEventListener("error", () => done(false));
           })"""
    )


def test_journey_through_the_djaodjin_proxy(proxy, new_page, shot, js_errors):
    mode = proxy.mode
    badge_name = f"Proxy Pioneer 🐍 {mode.upper()}"
    badge_slug = f"proxy-pioneer-{mode}"
    carol = NO_PROFILE[mode]

    def snap(page, step: str) -> None:
        shot(page, f"proxy-{mode}-{step}")

    # 1. Anonymous: the proxy sends them to its login page.
    visitor = new_page()
    visitor.goto("/")
    expect(visitor).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(visitor.get_by_role("heading", name="Get started!")).to_be_visible()
    snap(visitor, "01-anonymous-to-login")

    # 2. The manager signs in (no ?next=: the proxy sends them to /app/) and
    #    lands on a page of the app, with their name and email.
    manager = new_page()
    sign_in(manager, HANA)
    expect(manager).to_have_url(re.compile(r"/$"))
    expect(manager.get_by_role("heading", name="Not found")).to_have_count(0)
    expect(manager.get_by_role("heading", name=f"Hello, {full_name(HANA)}")).to_be_visible()
    expect(manager.get_by_test_id("current-user")).to_contain_text(full_name(HANA))
    expect(manager.get_by_test_id("my-emails")).to_contain_text(HANA["email"])
    snap(manager, "02-manager-lands")

    # 3. ...opens their organisation from the proxy's own user menu (/app/<org>/),
    #    and designs a badge with an uploaded image (a multipart form post).
    proxy_menu = manager.get_by_test_id("proxy-user-menu")
    expect(proxy_menu).to_contain_text(HANA["username"])
    proxy_menu.get_by_role("link", name=ORG_NAME).click()
    expect(manager.get_by_role("heading", name=f"{ORG_NAME} badges")).to_be_visible()
    manager.get_by_role("link", name="Design a badge").first.click()
    # The form's script suggests a slug from the name once it has loaded: let it load
    # first, or on a busy machine it runs between fill()'s select-all and its typing.
    expect(manager.get_by_role("heading", name="Design a badge")).to_be_visible()
    manager.wait_for_load_state("load")
    field(manager, "Name").fill(badge_name)
    field(manager, "Slug").fill(badge_slug)
    expect(field(manager, "Slug")).to_have_value(badge_slug)
    field(manager, "Description").fill("Went through the real DjaoDjin proxy and back.")
    field(manager, "Criteria").fill("Signed in at the proxy and designed a badge.")
    field(manager, "Image").set_input_files(
        {"name": "pioneer.png", "mimeType": "image/png", "buffer": factories.png_bytes(96, "#2e7d32")}
    )
    manager.get_by_role("button", name="Create badge").click()
    expect(manager).to_have_url(re.compile(rf"/orgs/{ORG}/badges/{badge_slug}/$"))
    expect(manager.get_by_role("alert")).to_contain_text(f"“{badge_name}” is ready to award.")
    badge_image = manager.get_by_role("img", name=badge_name)
    expect(badge_image).to_be_visible()
    assert image_loaded(badge_image), "the uploaded image does not display through the proxy"
    media_url = badge_image.get_attribute("src")
    snap(manager, "03-badge-created")

    # 4. ...awards it to bob through the form; bob is emailed a link on the public host.
    manager.get_by_role("link", name="Award this badge").click()
    field(manager, "Recipients").fill(f"{BOB['email']}, {full_name(BOB)}")
    manager.get_by_role("button", name="Preview", exact=True).click()
    expect(manager.get_by_test_id("award-preview")).to_contain_text("1 person will be awarded it")
    manager.get_by_role("button", name="Award 1 person", exact=True).click()
    expect(manager.get_by_role("alert")).to_contain_text(f"Awarded “{badge_name}” to 1 person.")
    manager.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=badge_name).click()
    expect(
        manager.get_by_test_id("holders").get_by_role("row").filter(has_text=BOB["email"])
    ).to_contain_text("Valid")
    mail = proxy.mailbox.wait_for(BOB["email"], badge_name)
    assert f"{proxy.proxy.url}/awards/" in mail.get_content()
    snap(manager, "04-awarded-by-form")

    # 5. ...and to carol (dana in JWT mode) through the JSON API, as a script on the page would
    #    (session from the proxy, CSRF token from the cookie).
    body = {
        "recipients": [{"email": carol["email"], "name": full_name(carol)}],
        "narrative": "Through the API.",
    }
    answer = manager.evaluate(POST_JSON, [f"/api/orgs/{ORG}/badges/{badge_slug}/awards/", body])
    assert answer["status"] == 201, answer
    assert answer["body"]["awarded_count"] == 1
    made = manager.evaluate(GET_JSON, answer["body"]["awards_url"])
    (api_award,) = made["body"]["results"]
    assert api_award["recipient_email"] == carol["email"]
    assert api_award["status"] == "active"
    assert api_award["url"].startswith(f"{proxy.proxy.url}/awards/")

    # 6. A member signs in, sees the award, and gets 404 on manager pages.
    member = new_page()
    sign_in(member, BOB)
    expect(member.get_by_role("heading", name=f"Hello, {full_name(BOB)}")).to_be_visible()
    card = member.get_by_test_id("my-awards").get_by_role("link").filter(has_text=badge_name)
    expect(card).to_contain_text(ORG_NAME)
    snap(member, "05-member-home")
    manager_pages = ("badges/", "badges/new/", f"badges/{badge_slug}/award/", "exports/")
    for path in (f"/orgs/{ORG}/{page}" for page in manager_pages):
        response = member.goto(path)
        assert response.status == 404, path
        expect(member.get_by_role("heading", name="Not found")).to_be_visible()
    snap(member, "06-member-404-on-manager-page")

    # 7. A member whose session carries no email (no personal profile) adds
    #    her address, confirms it by the link mailed to it, and sees her award.
    no_profile = new_page()
    sign_in(no_profile, carol)
    # No profile: the session names her by her username only.
    expect(no_profile.get_by_role("heading", name=f"Hello, {carol['username']}")).to_be_visible()
    expect(no_profile.get_by_test_id("empty-awards")).to_be_visible()
    no_profile.get_by_role("link", name="Add your email address").click()
    no_profile.get_by_label(re.compile(r"^Email address")).fill(carol["email"])
    no_profile.get_by_role("button", name="Send a confirmation link").click()
    expect(no_profile.get_by_role("alert")).to_contain_text(f"We sent a link to {carol['email']}")
    expect(no_profile.get_by_test_id("email-addresses")).to_contain_text("Waiting for confirmation")
    snap(no_profile, "07-no-profile-adds-email")
    confirmation = proxy.mailbox.wait_for(carol["email"], "Confirm your email").get_content()
    link = re.search(rf"{re.escape(proxy.proxy.url)}/me/emails/confirm/[^/\s]+/", confirmation)
    assert link, f"the confirmation mail has no link on the public host:\n{confirmation}"
    no_profile.goto(link.group(0))
    no_profile.get_by_role("button", name="Confirm this address").click()
    expect(no_profile.get_by_role("alert")).to_contain_text(f"{carol['email']} is confirmed")
    expect(no_profile.get_by_test_id("my-emails")).to_contain_text(carol["email"])
    expect(
        no_profile.get_by_test_id("my-awards").get_by_role("link").filter(has_text=badge_name)
    ).to_be_visible()
    snap(no_profile, "08-no-profile-sees-award")

    # 8. Anyone, without signing in: the public award page, its Open Badges
    #    JSON, the baked image, and the uploaded image under /media/.
    anyone = new_page()
    anyone.goto(api_award["url"])
    expect(anyone).to_have_url(AWARD_PAGE)
    expect(anyone.get_by_role("heading", name=badge_name)).to_be_visible()
    expect(anyone.get_by_test_id("award-status")).to_have_text("Valid")
    snap(anyone, "09-public-award")
    # Plain fetches, each as patient as a page load (what a verifier or a
    # browser would wait): the stack serves them cold on a loaded machine.
    fetch = {"timeout": NAVIGATION_TIMEOUT_MS}
    assertion = anyone.request.get(api_award["assertion_url"], **fetch)
    assert assertion.status == 200
    assert assertion.headers["content-type"].startswith("application/ld+json")
    assert assertion.json()["id"] == api_award["assertion_url"]
    baked = anyone.request.get(api_award["image_url"], **fetch)
    assert baked.status == 200 and baked.body().startswith(b"\x89PNG"), baked.status
    # ...but not the API: the proxy refuses an anonymous call itself.
    assert anyone.request.get("/api/me/", headers={"Accept": "application/json"}, **fetch).status == 403
    media = anyone.request.get(media_url, **fetch)
    assert media.status == 200 and media.headers["content-type"].startswith("image/"), media.status

    # 9. A proxy whose key differs from the app's: the app's styled 403.
    proxy.configure_proxy(session_backend=mode, enc_key="not-the-key-the-app-shares-with-the-proxy")
    try:
        response = manager.goto("/")
        assert response.status == 403
        expect(manager.get_by_role("heading", name="Access denied")).to_be_visible()
        snap(manager, "10-wrong-key-403")
    finally:
        proxy.configure_proxy(session_backend=mode)

    # 10. Signing out (the proxy's menu, in the app's header) ends the session at the proxy.
    manager.goto("/")
    expect(manager.get_by_role("heading", name=f"Hello, {full_name(HANA)}")).to_be_visible()
    manager.get_by_role("navigation", name="Main").get_by_role("link", name="Sign out").click()
    expect(manager.get_by_role("heading", name="Get started!")).to_be_visible()
    manager.goto("/")
    expect(manager).to_have_url(re.compile(r"/login/\?next=/$"))
    snap(manager, "11-signed-out")

    assert js_errors == []
