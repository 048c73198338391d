"""Open Badges 3.0 over HTTP: each award's credential, baked images, DID documents and status lists.

Every credential the app serves is checked by Digital Bazaar's verifier
(npm, offline), with the DID document and status list the app serves.
"""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.domain.credentials import baking, status_list
from core.domain.credentials.keys import generate_secret, parse_keyring
from core.models import Award, SignedCredential
from core.services.awards import award_revoke
from core.services.credentials import credential_for_award
from tests.support.credentials import documents_for, fetch_json
from tests.support.factories import award, make_badge, svg_upload
from tests.support.vc_verifier import node_verify, require_verifier

require_verifier()
pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"


def get_credential(given: Award) -> dict:
    response = Client().get(reverse("ob-credential", args=[given.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def verify(*credentials: dict, now: str | None = None) -> list[dict]:
    cases = [
        {"credential": c, "documents": documents_for(c), **({"now": now} if now else {})} for c in credentials
    ]
    return node_verify(cases)


def test_a_fresh_awards_credential_json_and_baked_pass_the_independent_verifier():
    given = award(
        make_badge(image=svg_upload()), BOB, "Bob", evidence_url="https://lms.example/1", narrative="Led"
    )
    credential = get_credential(given)
    png = Client().get(reverse("award-credential-png", args=[given.pk]))
    svg = Client().get(reverse("award-credential-svg", args=[given.pk]))
    assert (png["Content-Type"], svg["Content-Type"]) == ("image/png", "image/svg+xml")
    from_png = json.loads(baking.unbake_png(png.content))
    from_svg = json.loads(baking.unbake_svg(svg.content))
    assert from_png == credential == from_svg
    results = verify(credential, from_png, from_svg)
    assert [r["verified"] for r in results] == [True, True, True], results


def test_the_credential_carries_what_the_award_says():
    badge = make_badge(name="Fire Warden 🔥", tags=["safety"], validity_days=365)
    given = award(badge, BOB, "Bob", evidence_url="https://drills.example/42", narrative="Led the drill.")
    credential = get_credential(given)
    base = "https://badges.example.com"
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == f"{base}/ob/credentials/{given.pk}"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:badges.example.com:ob:issuers:cowork"
    assert credential["issuer"]["type"] == ["Profile"]
    assert credential["issuer"]["name"] == "Chamoix Coworking"
    assert credential["validFrom"] == given.issued_on.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["validUntil"] == given.expires_on.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = credential["credentialSubject"]
    [identity] = subject["identifier"]
    assert identity["identityType"] == "emailAddress" and identity["hashed"] is True
    assert identity["salt"] == given.salt
    assert identity["identityHash"] == "sha256$" + hashlib.sha256((BOB + given.salt).encode()).hexdigest()
    achievement = subject["achievement"]
    assert achievement["id"] == f"{base}/ob/badges/cowork/{badge.slug}"
    assert achievement["name"] == "Fire Warden 🔥"
    assert achievement["criteria"]["narrative"] == badge.criteria_narrative
    assert achievement["image"]["id"] == f"{base}/ob/badges/cowork/{badge.slug}/image.png"
    assert credential["evidence"] == [
        {"id": "https://drills.example/42", "type": ["Evidence"], "narrative": "Led the drill."}
    ]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert BOB not in json.dumps(credential)


def test_a_credential_is_signed_once_and_kept():
    given = award(make_badge(), BOB)
    assert get_credential(given) == get_credential(given)
    assert SignedCredential.objects.filter(award=given).count() == 1


def test_a_revoked_award_fails_the_verifier_through_its_status_list():
    given, neighbour = award(make_badge(), BOB), award(make_badge(name="Other"), BOB)
    credential, other = get_credential(given), get_credential(neighbour)
    assert [r["verified"] for r in verify(credential, other)] == [True, True]

    award_revoke(award=given, actor=None, reason="Issued by mistake")

    result, still = verify(get_credential(given), other)
    assert not result["verified"] and result["revoked"]
    assert still["verified"]
    for name in ("award-credential-png", "award-credential-svg"):
        assert Client().get(reverse(name, args=[given.pk])).status_code == 410


def test_an_expired_award_fails_the_verifier():
    given = award(make_badge(validity_days=30), BOB)
    credential = get_credential(given)
    later = (timezone.now() + timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
    [result] = verify(credential, now=later)
    assert not result["verified"]
    assert any("validUntil" in error for error in result["errors"])


def test_a_tampered_credential_fails_the_verifier():
    credential = get_credential(award(make_badge(), BOB))
    credential["credentialSubject"]["achievement"]["name"] = "Chief Executive"
    [result] = verify(credential)
    assert not result["verified"] and "Invalid signature." in result["errors"]


def test_a_credential_signed_with_a_key_not_in_the_did_document_fails(settings):
    given = award(make_badge(), BOB)
    credential = get_credential(given)
    settings.OB3_SIGNING_KEY = generate_secret()  # the old key is dropped, not retired
    [result] = verify(credential)
    assert not result["verified"]


def test_after_rotation_old_credentials_still_verify_and_new_ones_use_the_new_key(settings):
    old = award(make_badge(), BOB)
    old_credential = get_credential(old)
    retired = parse_keyring(settings.OB3_SIGNING_KEY).current_public
    settings.OB3_SIGNING_KEY, settings.OB3_RETIRED_KEYS = generate_secret(), retired
    new_credential = get_credential(award(make_badge(name="New"), BOB))

    assert old_credential["proof"]["verificationMethod"].endswith("#" + retired)
    assert not new_credential["proof"]["verificationMethod"].endswith("#" + retired)
    assert [r["verified"] for r in verify(old_credential, new_credential)] == [True, True]
    did_document = fetch_json("https://badges.example.com/ob/issuers/cowork/did.json")
    assert len(did_document["assertionMethod"]) == 2


def test_the_did_document_is_served_with_its_media_type(settings):
    award(make_badge(), BOB)
    response = Client().get(reverse("ob-did", args=["cowork"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+ld+json"
    document = json.loads(response.content)
    assert document["id"] == "did:web:badges.example.com:ob:issuers:cowork"
    [method] = document["verificationMethod"]
    assert method["type"] == "Multikey" and method["controller"] == document["id"]
    assert document["assertionMethod"] == [method["id"]]
    assert reverse("ob-did", args=["cowork"]) == "/ob/issuers/cowork/did.json"


def test_a_port_in_the_base_url_is_encoded_in_the_did(settings):
    settings.BADGEAPP_BASE_URL = "http://127.0.0.1:8000"
    given = award(make_badge(), BOB)
    assert get_credential(given)["issuer"]["id"] == "did:web:127.0.0.1%3A8000:ob:issuers:cowork"


def test_an_issuer_without_awards_has_no_did_document():
    make_badge()
    assert Client().get(reverse("ob-did", args=["cowork"])).status_code == 404


def test_only_status_lists_that_cover_credentials_are_served():
    given = award(make_badge(), BOB)
    get_credential(given)
    assert Client().get(reverse("ob-status-list", args=["cowork", 0])).status_code == 200
    assert Client().get(reverse("ob-status-list", args=["cowork", 1])).status_code == 404


def test_a_status_list_sets_exactly_the_revoked_bits():
    kept, revoked = award(make_badge(), BOB), award(make_badge(name="Gone"), BOB)
    credential_for_award(award=kept), credential_for_award(award=revoked)
    award_revoke(award=revoked, actor=None, reason="No")
    listed = fetch_json("https://badges.example.com/ob/issuers/cowork/status/0")
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    assert status_list.is_set(bits, SignedCredential.objects.get(award=revoked).pk)
    assert not status_list.is_set(bits, SignedCredential.objects.get(award=kept).pk)


def test_the_baked_png_has_one_uncompressed_credential_chunk_and_still_draws():
    given = award(make_badge(), BOB)
    content = Client().get(reverse("award-credential-png", args=[given.pk])).content
    assert content.count(b"iTXt") == 1 and b"openbadgecredential\x00\x00\x00" in content
    assert Image.open(io.BytesIO(content)).format == "PNG"


def test_a_badge_not_drawn_in_svg_has_no_baked_svg_credential():
    given = award(make_badge(), BOB)
    assert Client().get(reverse("award-credential-svg", args=[given.pk])).status_code == 404


def test_the_award_page_offers_the_credential():
    given = award(make_badge(image=svg_upload()), BOB)
    page = Client().get(reverse("award-detail", args=[given.pk])).content.decode()
    for name in ("ob-credential", "award-credential-png", "award-credential-svg"):
        assert f'href="https://badges.example.com{reverse(name, args=[given.pk])}"' in page
