"""Importing an Open Badges 3.0 credential from the import page and the API; it shows on home."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportedBadge
from core.services.credentials import credential_for_award
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"


def test_a_pasted_credential_is_imported_and_shows_on_home(bob, ob3_issuer, committed):
    credential = ob3_issuer.credential(BOB)

    with committed():
        response = bob.post(reverse("imports"), {"credential": json.dumps(credential)})

    assert response.status_code == 302, response.content.decode()[:2000]
    imported = ImportedBadge.objects.get()
    assert imported.version == "3.0"
    home = bob.get(reverse("home")).content.decode()
    assert "Rust Programming" in home and "Acme Academy" in home
    assert 'data-testid="ob3"' in home
    assert reverse("import-image", args=[imported.pk]) in home


def test_a_baked_credential_image_is_imported_from_the_page(bob, ob3_issuer, committed):
    upload = SimpleUploadedFile("badge.png", ob3_issuer.baked_png(ob3_issuer.credential(BOB)))
    with committed():
        assert bob.post(reverse("imports"), {"image": upload}).status_code == 302
    assert ImportedBadge.objects.get().source == "png"


def test_the_page_says_why_a_credential_is_refused(bob, ob3_issuer, committed):
    credential = ob3_issuer.credential(BOB)
    credential["name"] = "Forged"
    with committed():
        response = bob.post(reverse("imports"), {"credential": json.dumps(credential)})
    assert response.status_code == 302
    assert "signature does not match" in bob.get(reverse("imports")).content.decode()
    assert not ImportedBadge.objects.exists()


def test_the_page_offers_the_credential_field(bob):
    page = bob.get(reverse("imports")).content.decode()
    assert 'name="credential"' in page and "<textarea" in page


def test_the_api_imports_a_credential_given_as_an_object(jwt_client_as, ob3_issuer, committed):
    client = jwt_client_as("bob")
    with committed():
        body = {"credential": ob3_issuer.credential(BOB)}
        response = client.post(reverse("api-my-imports"), body, content_type="application/json")
    assert response.status_code == 202, response.json()
    body = client.get(response["Location"]).json()["imported"]
    assert (body["version"], body["source"], body["badge_name"]) == ("3.0", "json", "Rust Programming")


def test_the_api_says_why_a_credential_is_refused(jwt_client_as, ob3_issuer, committed):
    client = jwt_client_as("bob")
    credential = ob3_issuer.credential(BOB)
    ob3_issuer.revoke(credential)
    with committed():
        response = client.post(
            reverse("api-my-imports"), {"credential": json.dumps(credential)}, content_type="application/json"
        )
    assert response.status_code == 202
    status = client.get(response["Location"]).json()
    assert (status["status"], status["reason"]) == ("refused", "revoked")


@pytest.mark.django_db(transaction=True)
def test_a_credential_this_app_issued_imports_here_too(live_server, settings, client_as):
    # The app as issuer (its did:web and status list served by a live server) and as importer.
    settings.BADGEAPP_BASE_URL = live_server.url
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = True
    settings.OB3_DID_WEB_HTTP = True
    credential = credential_for_award(award=award(make_badge(name="Home Grown"), BOB))
    bob = client_as("bob")

    response = bob.post(reverse("imports"), {"credential": json.dumps(credential)})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImportedBadge.objects.get().issuer_name == "Chamoix Coworking"
