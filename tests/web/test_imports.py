"""The Open Badges parts of the pages: the award page's links and previews, the import page, home."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportedBadge, ImportRequest, ImportState
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


def test_the_import_page_imports_a_badge_by_url(bob, fake_issuer, committed):
    document = fake_issuer.assertion("page", BOB)

    with committed():  # the check runs once the request commits (at once in the suite)
        response = bob.post(reverse("imports"), {"assertion_url": document["id"]})

    assert response.status_code == 302 and response["Location"] == reverse("imports")
    html = bob.get(response["Location"]).content.decode()
    assert "“Python Programming” from Globex Academy is verified and added." in html
    assert ImportedBadge.objects.get().assertion_url == document["id"]
    assert ImportRequest.objects.get().state == ImportState.VERIFIED


def test_the_import_page_says_why_a_badge_is_refused(bob, fake_issuer, committed):
    document = fake_issuer.assertion("not-bob", "mallory@example.com")

    with committed():
        bob.post(reverse("imports"), {"assertion_url": document["id"]})

    html = bob.get(reverse("imports")).content.decode()
    assert "Refused: This badge was issued to someone else" in html
    assert 'data-state="refused"' in html
    assert not ImportedBadge.objects.exists()


def test_a_pending_import_shows_until_checked_with_a_refresh_and_no_inline_script(bob, fake_issuer):
    document = fake_issuer.assertion("later", BOB)

    response = bob.post(reverse("imports"), {"assertion_url": document["id"]}, follow=True)

    # Not committed in this test: the check never ran, and the peer was never asked.
    assert fake_issuer.requests == []
    html = response.content.decode()
    pending = ImportRequest.objects.get()
    assert "We are checking your badge with its issuer" in html
    assert 'data-state="pending"' in html and "Checking with its issuer…" in html
    assert f'data-import-status-url="{reverse("api-my-import-request", args=[pending.pk])}"' in html
    assert f'<a href="{reverse("imports")}" class="ms-2">Refresh</a>' in html
    assert '<script src="/static/core/import-status.js">' in html
    assert "<script>" not in html  # the policy forbids inline script: the poll is a static file


def test_an_import_nobody_finished_shows_as_failed_and_can_be_tried_again(
    bob, fake_issuer, committed, settings
):
    document = fake_issuer.assertion("stuck", BOB)
    bob.post(reverse("imports"), {"assertion_url": document["id"]})  # its worker died: never checked
    stuck = ImportRequest.objects.get()
    ImportRequest.objects.filter(pk=stuck.pk).update(
        queued_at=stuck.queued_at - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
    )

    html = bob.get(reverse("imports")).content.decode()
    assert 'data-state="failed"' in html and "did not finish in time" in html
    with committed():
        bob.post(reverse("import-request-retry", args=[stuck.pk]))

    assert "is verified and added" in bob.get(reverse("imports")).content.decode()
    assert ImportedBadge.objects.get().assertion_url == document["id"]


def test_a_finished_import_can_be_dismissed(bob, fake_issuer, committed):
    with committed():
        bob.post(reverse("imports"), {"assertion_url": fake_issuer.assertion("x", "eve@example.com")["id"]})

    response = bob.post(reverse("import-request-dismiss", args=[ImportRequest.objects.get().pk]))

    assert response.status_code == 302
    assert not ImportRequest.objects.exists()
    assert 'data-testid="import-requests"' not in bob.get(reverse("imports")).content.decode()


def test_a_third_import_in_flight_is_refused(bob, fake_issuer):
    for name in ("one", "two"):  # never committed: both stay in flight
        bob.post(reverse("imports"), {"assertion_url": fake_issuer.assertion(name, BOB)["id"]})

    response = bob.post(reverse("imports"), {"assertion_url": fake_issuer.assertion("three", BOB)["id"]})

    assert response.status_code == 429
    assert "You already have 2 imports being checked" in response.content.decode()
    assert ImportRequest.objects.count() == 2


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
def bobs_import(bob, fake_issuer, committed):
    document = fake_issuer.assertion("bobs", BOB)
    with committed():
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
