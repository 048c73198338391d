"""The product's main journey, in a real browser.

A manager designs a badge and awards it to two people; an employee finds it,
opens its public page and its LinkedIn link; anyone with the link can check it;
a revoked award says so. Screenshots: tests/screenshots/NN-*.png.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.support import factories

pytestmark = pytest.mark.e2e

BADGE_NAME = "Café Barista ☕ Level 2"
BADGE_SLUG = "cafe-barista-level-2"  # what badge-form.js suggests from the name
ZOE_EMAIL = "zoe.odegard@example.org"
ZOE_NAME = "Zoë Ødegård 🌸"
REASON = "Awarded to the wrong person by mistake 🙈"
PHONE = {"width": 390, "height": 844}
AWARD_URL = re.compile(r"/awards/([0-9a-f-]{36})/$")


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_test_id(f"login-{username}").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Hello, "))).to_be_visible()


def field(page, label: str):
    """A form field by its label; required fields' labels end with an asterisk."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def image_loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_award_journey_design_award_share_verify_revoke(new_page, shot, js_errors, mailoutbox):
    # 1. The manager signs in on the mockup page and designs a badge.
    manager = new_page()
    manager.goto("/login/")
    expect(manager.get_by_role("heading", name="Sign in as a mockup user")).to_be_visible()
    shot(manager, "01-login-page")
    manager.get_by_test_id("login-alice").click()
    expect(manager.get_by_role("heading", name="Hello, Alice Martin")).to_be_visible()
    expect(manager.get_by_test_id("current-user")).to_contain_text("Alice Martin")
    shot(manager, "02-manager-home")

    manager.get_by_role("link", name="Manage Chamoix Coworking", exact=True).click()
    expect(manager.get_by_role("heading", name="Chamoix Coworking badges")).to_be_visible()
    manager.get_by_role("link", name="Design a badge").first.click()
    expect(manager.get_by_role("heading", name="Design a badge")).to_be_visible()

    field(manager, "Name").fill(BADGE_NAME)
    expect(field(manager, "Slug")).to_have_value(BADGE_SLUG)
    field(manager, "Description").fill("Pulls a balanced espresso and pours latte art.")
    field(manager, "Criteria").fill("Served 50 customers with a rosetta on top.")
    field(manager, "Tags").fill("coffee, hospitality")
    field(manager, "Image").set_input_files(
        {"name": "barista.png", "mimeType": "image/png", "buffer": factories.png_bytes(128, "#8b5a2b")}
    )
    shot(manager, "03-manager-badge-form")
    manager.get_by_role("button", name="Create badge").click()

    expect(manager).to_have_url(re.compile(rf"/orgs/cowork/badges/{BADGE_SLUG}/$"))
    expect(manager.get_by_role("heading", name=BADGE_NAME)).to_be_visible()
    expect(manager.get_by_role("alert")).to_contain_text(f"“{BADGE_NAME}” is ready to award.")
    expect(manager.get_by_text("Served 50 customers with a rosetta on top.")).to_be_visible()
    badge_image = manager.get_by_role("img", name=BADGE_NAME)
    expect(badge_image).to_be_visible()
    assert image_loaded(badge_image), "the uploaded badge image does not display"
    expect(manager.get_by_text("Nobody holds this badge yet.")).to_be_visible()
    shot(manager, "04-manager-badge-created")

    # 2. ...and awards it to two people at once, one with a Unicode name.
    manager.get_by_role("link", name="Award this badge").click()
    expect(manager.get_by_role("heading", name=f"Award “{BADGE_NAME}”")).to_be_visible()
    field(manager, "Recipients").fill(f"bob@cowork.net, Bob Lefèvre\n{ZOE_EMAIL}, {ZOE_NAME}")
    field(manager, "Narrative").fill("Best flat white of the season.")
    shot(manager, "05-manager-award-form")
    manager.get_by_role("button", name="Preview", exact=True).click()
    # Nothing is awarded yet: the preview says who would be.
    preview = manager.get_by_test_id("award-preview")
    expect(preview).to_contain_text("2 people will be awarded it for the first time")
    expect(preview).to_contain_text("0 lines are not valid")
    shot(manager, "05b-manager-award-preview")
    manager.get_by_role("button", name="Award 2 people", exact=True).click()

    expect(manager.get_by_role("alert")).to_contain_text(f"Awarded “{BADGE_NAME}” to 2 people.")
    expect(manager.get_by_test_id("batch-summary")).to_contain_text("2 people awarded")
    shot(manager, "05c-manager-award-batch")
    manager.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=BADGE_NAME).click()
    holders = manager.get_by_test_id("holders")
    expect(holders.get_by_role("row")).to_have_count(3)  # header + two holders
    for name, email in (("Bob Lefèvre", "bob@cowork.net"), (ZOE_NAME, ZOE_EMAIL)):
        row = holders.get_by_role("row").filter(has_text=email)
        expect(row).to_contain_text(name)
        expect(row).to_contain_text("Valid")
    shot(manager, "06-manager-awarded-two")

    # Each recipient got an email whose link points at this site.
    assert sorted(m.to[0] for m in mailoutbox) == ["bob@cowork.net", ZOE_EMAIL]
    zoe_mail = next(m for m in mailoutbox if m.to == [ZOE_EMAIL])
    assert f"Hello {ZOE_NAME}," in zoe_mail.body
    zoe_award_url = re.search(r"^(http\S+/awards/\S+/)$", zoe_mail.body, re.M).group(1)
    assert zoe_award_url.startswith(manager.url.split("/orgs/")[0])

    # 3. The manager signs out; the employee signs in, in the same browser.
    manager.get_by_role("button", name="Sign out").click()
    expect(manager.get_by_role("alert")).to_contain_text("You are signed out.")
    expect(manager.get_by_test_id("current-user")).to_have_count(0)
    shot(manager, "07-signed-out")

    employee = manager
    employee.get_by_test_id("login-bob").click()
    expect(employee.get_by_role("heading", name="Hello, Bob Lefèvre")).to_be_visible()
    my_awards = employee.get_by_test_id("my-awards")
    card = my_awards.get_by_role("link").filter(has_text=BADGE_NAME)
    expect(card).to_contain_text("Chamoix Coworking")
    expect(card.locator("[data-status]")).to_have_text("Valid")
    shot(employee, "08-employee-home")

    card.click()
    expect(employee).to_have_url(AWARD_URL)
    bob_award_url = employee.url
    bob_award_id = AWARD_URL.search(bob_award_url).group(1)
    expect(employee.get_by_role("heading", name=BADGE_NAME)).to_be_visible()
    expect(employee.get_by_text("Awarded to Bob Lefèvre")).to_be_visible()
    expect(employee.get_by_test_id("award-status")).to_have_text("Valid")
    expect(employee.get_by_label("Link to this award")).to_have_value(bob_award_url)

    linkedin = employee.get_by_test_id("linkedin")
    expect(linkedin).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?startTask=CERTIFICATION_NAME&")
    )
    href = linkedin.get_attribute("href")
    assert "name=" in href and "certId=" in href
    query = parse_qs(urlsplit(href).query)
    assert query["name"] == [BADGE_NAME]
    assert query["organizationName"] == ["Chamoix Coworking"]
    assert query["certId"] == [bob_award_id]
    assert query["certUrl"] == [bob_award_url]
    expect(linkedin).to_have_attribute("target", "_blank")

    employee.get_by_role("button", name="Copy link").click()
    expect(employee.get_by_role("button", name="Copied")).to_be_visible()
    shot(employee, "09-employee-award-page")

    # 4. Anyone with the link (here: Zoë's email link) sees the award with no session at all.
    visitor = new_page()
    assert visitor.context.cookies() == []
    visitor.goto(zoe_award_url)
    expect(visitor.get_by_role("heading", name=BADGE_NAME)).to_be_visible()
    expect(visitor.get_by_text(f"Awarded to {ZOE_NAME}")).to_be_visible()
    expect(visitor.get_by_test_id("award-status")).to_have_text("Valid")
    expect(visitor.get_by_text("This award is valid.")).to_be_visible()
    expect(visitor.get_by_test_id("current-user")).to_have_count(0)
    expect(visitor.get_by_text(ZOE_EMAIL)).to_have_count(0)  # the page never shows the email
    assert image_loaded(visitor.get_by_role("img", name=BADGE_NAME))
    shot(visitor, "10-public-award-valid")

    # 5. The manager revokes Zoë's award with a reason; the public page says so.
    manager = new_page()
    sign_in(manager, "alice")
    manager.goto(f"/orgs/cowork/badges/{BADGE_SLUG}/")
    zoe_row = manager.get_by_test_id("holders").get_by_role("row").filter(has_text=ZOE_EMAIL)
    zoe_row.get_by_role("link", name="Revoke").click()
    expect(manager.get_by_role("heading", name=f"Revoke “{BADGE_NAME}” from {ZOE_NAME}")).to_be_visible()
    field(manager, "Reason").fill(REASON)
    shot(manager, "11-manager-revoke-form")
    manager.get_by_role("button", name="Revoke", exact=True).click()

    expect(manager.get_by_role("alert")).to_contain_text(f"The award to {ZOE_EMAIL} is revoked.")
    expect(zoe_row.locator("[data-status]")).to_have_text("Revoked")
    expect(zoe_row.get_by_role("link", name="Revoke")).to_have_count(0)
    bob_row = manager.get_by_test_id("holders").get_by_role("row").filter(has_text="bob@cowork.net")
    expect(bob_row.locator("[data-status]")).to_have_text("Valid")
    shot(manager, "12-manager-award-revoked")

    visitor.reload()
    expect(visitor.get_by_test_id("award-status")).to_have_text("Revoked")
    expect(visitor.get_by_test_id("revoked-notice")).to_contain_text(f"Reason: {REASON}")
    expect(visitor.get_by_test_id("linkedin")).to_have_count(0)  # nothing to add to a profile
    shot(visitor, "13-public-award-revoked")

    assert js_errors == []


def test_public_award_page_and_menu_fit_a_phone(new_page, shot, js_errors):
    badge = factories.make_badge(name="Forklift Safety 🚜")
    award = factories.award(badge, "hana.sato@example.org", "Hana Sato 🌸")

    visitor = new_page(viewport=PHONE)
    visitor.goto(f"/awards/{award.pk}/")
    expect(visitor.get_by_test_id("award-status")).to_have_text("Valid")
    expect(visitor.get_by_text("Awarded to Hana Sato 🌸")).to_be_visible()
    overflow = visitor.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the public award page scrolls sideways on a phone by {overflow}px"
    shot(visitor, "20-phone-public-award")

    manager = new_page(viewport=PHONE)
    sign_in(manager, "alice")
    sign_out = manager.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()  # folded into the menu
    manager.get_by_role("button", name="Toggle navigation").click()
    # Bootstrap's JavaScript opens the menu; "show" comes once its animation is over.
    expect(manager.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(sign_out).to_be_visible()
    expect(manager.get_by_role("link", name="Manage Chamoix Coworking", exact=True)).to_be_visible()
    overflow = manager.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the home page scrolls sideways on a phone by {overflow}px"
    shot(manager, "21-phone-manager-menu")

    assert js_errors == []
