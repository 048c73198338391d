"""The Open Badges parts of the pages: the award page's links and previews, the import page, home."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportedBadge
from core.services.awards import award_revoke
from tests.support.factories import award as make_award
from tests.support.factories import make_badge, svg_upload

pytestmark = pytest.mark.django_db

BASE = "https://badges.example.com"
BOB = "bob@cowork.net"


def meta(html: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    assert found, f"no {name} meta tag"
    return found.group(1)


# --- The public award page ------------------------------------------------------------


def test_the_award_page_previews_with_the_badge_image_and_name():
    award = make_award(make_badge(name="First Aid at Work"), BOB)

    html = Client().get(reverse("award-detail", args=[award.pk])).content.decode()

    image = f"{BASE}/ob/badges/cowork/{award.badge.slug}/image.png"
    assert meta(html, "property", "og:title") == "First Aid at Work"
    assert meta(html, "property", "og:image") == image
    assert meta(html, "property", "og:url") == f"{BASE}/awards/{award.pk}/"
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "name", "twitter:title") == "First Aid at Work"
    assert meta(html, "name", "twitter:image") == image


def test_the_award_page_links_the_assertion_and_the_baked_images_and_explains_backpacks():
    award = make_award(make_badge(image=svg_upload()), BOB)

    html = Client().get(reverse("award-detail", args=[award.pk])).content.decode()

    assert f'href="{BASE}/ob/assertions/{award.pk}"' in html
    assert f'href="{BASE}/awards/{award.pk}/badge.png"' in html
    assert f'href="{BASE}/awards/{award.pk}/badge.svg"' in html
    assert "Add to a backpack" in html and "assertion URL" in html and "baked image" in html


def test_the_award_page_offers_the_export_to_its_recipient_only(client_as):
    award = make_award(make_badge(), BOB)
    url = reverse("award-detail", args=[award.pk])

    assert reverse("me-export") in client_as("bob").get(url).content.decode()
    assert reverse("me-export") not in client_as("alice").get(url).content.decode()


def test_a_revoked_award_page_offers_no_baked_image():
    award = make_award(make_badge(), BOB)
    award_revoke(award=award, actor=None, reason="Withdrawn")

    html = Client().get(reverse("award-detail", args=[award.pk])).content.decode()

    assert "badge.png" not in html.split('data-testid="openbadges"')[1]
    assert meta(html, "property", "og:title").endswith("(revoked)")


# --- The import page -------------------------------------------------------------------


def test_the_import_page_shows_a_form_with_csrf(bob):
    response = bob.get(reverse("imports"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert 'name="assertion_url"' in html and 'name="image"' in html
    assert BOB in html  # which email the badge must be issued to


def test_the_import_page_imports_a_badge_by_url(bob, fake_issuer):
    document = fake_issuer.assertion("page", BOB)

    response = bob.post(reverse("imports"), {"assertion_url": document["id"]}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("imports")
    html = response.content.decode()
    assert "is verified and added" in html and "Python Programming" in html
    assert ImportedBadge.objects.get().assertion_url == document["id"]


def test_the_import_page_says_why_a_badge_is_refused(bob, fake_issuer):
    document = fake_issuer.assertion("not-bob", "mallory@example.com")

    response = bob.post(reverse("imports"), {"assertion_url": document["id"]})

    assert response.status_code == 400
    assert "This badge was issued to someone else" in response.content.decode()
    assert not ImportedBadge.objects.exists()


def test_the_import_page_refuses_an_upload_that_is_not_an_image(bob):
    upload = SimpleUploadedFile("notes.txt", b"just some text")

    response = bob.post(reverse("imports"), {"image": upload})

    assert response.status_code == 400
    assert "not a PNG or SVG image" in response.content.decode()
    assert not ImportedBadge.objects.exists()


def test_the_import_page_asks_for_a_url_or_an_image(bob):
    response = bob.post(reverse("imports"), {})

    assert response.status_code == 400
    assert "one of the three" in response.content.decode()


def test_the_import_page_answers_only_get_and_post(bob):
    assert bob.put(reverse("imports")).status_code == 405


def test_the_import_page_needs_a_session():
    assert Client().get(reverse("imports")).status_code == 403


# --- Imported badges: home, image, removal ----------------------------------------------


@pytest.fixture
def bobs_import(bob, fake_issuer):
    document = fake_issuer.assertion("bobs", BOB)
    bob.post(reverse("imports"), {"assertion_url": document["id"]})
    return ImportedBadge.objects.get()


def test_home_shows_imported_badges_marked_external_with_their_issuer(bob, bobs_import):
    html = bob.get(reverse("home")).content.decode()

    section = html.split('data-testid="imported-badges"')[1]
    assert "Python Programming" in section
    assert "external" in section
    assert "Globex Academy" in section
    assert reverse("import-image", args=[bobs_import.pk]) in section


def test_others_do_not_see_someone_elses_imported_badges(bobs_import, hana):
    assert "Python Programming" not in hana.get(reverse("home")).content.decode()
    assert "Python Programming" not in hana.get(reverse("imports")).content.decode()


def test_the_owner_sees_the_imported_image_and_others_get_404(bob, hana, bobs_import, fake_issuer):
    url = reverse("import-image", args=[bobs_import.pk])

    response = bob.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == fake_issuer.image
    assert "sandbox" in response["Content-Security-Policy"]
    assert hana.get(url).status_code == 404


def test_the_owner_can_remove_an_imported_badge_and_others_cannot(bob, hana, bobs_import):
    url = reverse("import-delete", args=[bobs_import.pk])

    assert hana.post(url).status_code == 404
    assert ImportedBadge.objects.exists()
    assert bob.get(url).status_code == 405
    assert bob.post(url).status_code == 302
    assert not ImportedBadge.objects.exists()
