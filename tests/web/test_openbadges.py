"""Hosted Open Badges 2.0 JSON-LD: issuer, revocation list, badge class, assertion."""

import hashlib
import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.services.awards import award_revoke
from tests.support.factories import award as make_award
from tests.support.factories import make_badge, svg_upload

pytestmark = pytest.mark.django_db

BASE = "https://badges.example.com"
CONTEXT = "https://w3id.org/openbadges/v2"
BOB = "bob@cowork.net"


@pytest.fixture
def badge():
    return make_badge(
        name="First Aid at Work", tags=["safety", "health"], criteria_url="https://cowork.net/fa"
    )


@pytest.fixture
def award(badge):
    return make_award(badge, BOB, name="Bob")


def get_json(url: str, status: int = 200, **headers) -> dict:
    response = Client().get(url, **headers)  # no session: these are public
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def assert_iso_datetime_with_zone(value: str) -> None:
    parsed = datetime.fromisoformat(value)
    assert "T" in value and parsed.tzinfo is not None


def test_the_issuer_profile_has_the_required_fields(award):
    document = get_json(reverse("ob-issuer", args=["cowork"]))

    assert document["@context"] == CONTEXT
    assert document["type"] == "Issuer"
    assert document["id"] == f"{BASE}/ob/issuers/cowork"
    assert document["name"] == "Chamoix Coworking"
    assert document["url"].startswith(BASE)
    assert document["email"] == "support@cowork.net"
    assert document["revocationList"] == f"{BASE}/ob/issuers/cowork/revocations"


def test_the_badge_class_has_the_required_fields(award, badge):
    document = get_json(reverse("ob-badgeclass", args=["cowork", badge.slug]))

    assert document["@context"] == CONTEXT
    assert document["type"] == "BadgeClass"
    assert document["id"] == f"{BASE}/ob/badges/cowork/{badge.slug}"
    assert document["name"] == "First Aid at Work"
    assert isinstance(document["description"], str) and document["description"]
    assert document["image"] == f"{BASE}/ob/badges/cowork/{badge.slug}/image.png"
    assert document["criteria"] == {"id": "https://cowork.net/fa", "narrative": badge.criteria_narrative}
    assert document["issuer"] == f"{BASE}/ob/issuers/cowork"
    assert document["tags"] == ["safety", "health"]


def test_the_assertion_has_the_required_fields_and_a_salted_email_hash(award, badge):
    document = get_json(reverse("ob-assertion", args=[award.pk]))

    assert document["@context"] == CONTEXT
    assert document["type"] == "Assertion"
    assert document["id"] == f"{BASE}/ob/assertions/{award.pk}"
    assert document["badge"] == f"{BASE}/ob/badges/cowork/{badge.slug}"
    assert document["verification"] == {"type": "HostedBadge"}
    assert document["image"] == f"{BASE}/awards/{award.pk}/badge.png"
    recipient = document["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert recipient["salt"] == award.salt and len(award.salt) >= 16
    assert recipient["identity"] == "sha256$" + hashlib.sha256((BOB + award.salt).encode()).hexdigest()
    assert BOB not in json.dumps(document)
    assert_iso_datetime_with_zone(document["issuedOn"])
    assert "expires" not in document and "evidence" not in document


def test_each_award_has_its_own_salt(badge):
    first, second = make_award(badge, "a@example.com"), make_award(badge, "b@example.com")

    assert first.salt != second.salt


def test_an_expiring_award_carries_expires():
    expiring = make_award(make_badge(name="Fire Warden", validity_days=365), BOB)

    document = get_json(reverse("ob-assertion", args=[expiring.pk]))

    assert_iso_datetime_with_zone(document["expires"])
    assert datetime.fromisoformat(document["expires"]) == expiring.expires_on.replace(microsecond=0)


def test_an_expired_award_is_still_served_with_its_past_expires(badge):
    expired = make_award(make_badge(name="Fire Warden", validity_days=1), BOB)
    expired.expires_on = timezone.now() - timedelta(days=1)
    expired.save()

    document = get_json(reverse("ob-assertion", args=[expired.pk]))

    assert datetime.fromisoformat(document["expires"]) < timezone.now()


def test_evidence_carries_its_url_and_the_narrative(badge):
    awarded = make_award(badge, BOB, evidence_url="https://cowork.net/evidence/1", narrative="Saved the day.")

    document = get_json(reverse("ob-assertion", args=[awarded.pk]))

    assert document["evidence"] == {"id": "https://cowork.net/evidence/1", "narrative": "Saved the day."}
    assert document["narrative"] == "Saved the day."


def test_a_revoked_assertion_answers_410_with_revoked_and_its_reason(award):
    award_revoke(award=award, actor=None, reason="Certificate withdrawn")

    document = get_json(reverse("ob-assertion", args=[award.pk]), status=410)

    assert document == {
        "@context": CONTEXT,
        "id": f"{BASE}/ob/assertions/{award.pk}",
        "revoked": True,
        "revocationReason": "Certificate withdrawn",
    }


def test_the_revocation_list_names_revoked_assertions_only(badge):
    kept, revoked = make_award(badge, "a@example.com"), make_award(badge, "b@example.com")
    award_revoke(award=revoked, actor=None, reason="Left before the exam")

    document = get_json(reverse("ob-revocation-list", args=["cowork"]))

    assert document["type"] == "RevocationList"
    assert document["issuer"] == f"{BASE}/ob/issuers/cowork"
    assert document["revokedAssertions"] == [
        {"id": f"{BASE}/ob/assertions/{revoked.pk}", "revocationReason": "Left before the exam"}
    ]
    assert str(kept.pk) not in json.dumps(document)


def test_the_revocation_list_answers_304_until_another_award_is_revoked(badge):
    first, second = make_award(badge, "a@example.com"), make_award(badge, "b@example.com")
    award_revoke(award=first, actor=None, reason="Left before the exam")
    url = reverse("ob-revocation-list", args=["cowork"])
    response = Client().get(url)
    etag, last_modified = response["ETag"], response["Last-Modified"]

    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert Client().get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    award_revoke(award=second, actor=None, reason="Mistake")
    again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert [entry["revocationReason"] for entry in json.loads(again.content)["revokedAssertions"]] == [
        "Left before the exam",
        "Mistake",
    ]


@pytest.mark.parametrize("name", ["ob-assertion", "award-baked-png"])
def test_an_award_document_answers_304_to_its_etag_until_it_is_revoked(
    award, name, django_capture_on_commit_callbacks
):
    url = reverse(name, args=[award.pk])
    etag = Client().get(url)["ETag"]

    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        award_revoke(award=award, actor=None, reason="Certificate withdrawn")
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 410


@pytest.mark.parametrize("name", ["ob-assertion", "award-baked-png", "ob-badgeclass", "ob-issuer"])
def test_a_document_asked_for_again_is_served_without_a_database_read(award, name):
    args = {"ob-badgeclass": ["cowork", award.badge.slug], "ob-issuer": ["cowork"]}.get(name, [award.pk])
    url = reverse(name, args=args)
    first = Client().get(url)
    with CaptureQueriesContext(connection) as ctx:
        again = Client().get(url)
    assert again.status_code == 200 and again.content == first.content
    assert ctx.captured_queries == []


def test_ids_come_from_the_configured_base_url_not_the_host_header(award):
    document = get_json(reverse("ob-assertion", args=[award.pk]), HTTP_HOST="localhost")

    assert document["id"].startswith(f"{BASE}/")


def test_the_badge_image_is_served_as_png_even_for_an_svg_badge():
    svg_badge = make_badge(name="Drawn", image=svg_upload())
    make_award(svg_badge, BOB)

    response = Client().get(reverse("ob-badgeclass-image", args=["cowork", svg_badge.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_an_unknown_assertion_is_404():
    assert Client().get(reverse("ob-assertion", args=[uuid.uuid4()])).status_code == 404


def test_a_badge_never_awarded_and_its_issuer_stay_private(badge):
    client = Client()

    assert client.get(reverse("ob-badgeclass", args=["cowork", badge.slug])).status_code == 404
    assert client.get(reverse("ob-badgeclass-image", args=["cowork", badge.slug])).status_code == 404
    assert client.get(reverse("ob-issuer", args=["cowork"])).status_code == 404


@pytest.mark.parametrize("name", ["ob-issuer", "ob-revocation-list"])
def test_issuer_documents_answer_only_get(award, name):
    response = Client().post(reverse(name, args=["cowork"]))

    assert response.status_code == 405


def test_the_assertion_answers_only_get(award):
    assert Client().post(reverse("ob-assertion", args=[award.pk])).status_code == 405


@pytest.mark.parametrize(
    ("from_email", "expected"),
    [("Badge Desk <desk@cowork.net>", "desk@cowork.net"), ("plain@cowork.net", "plain@cowork.net")],
)
def test_an_issuer_without_an_email_falls_back_to_the_sender_address(award, settings, from_email, expected):
    settings.DEFAULT_FROM_EMAIL = from_email
    award.badge.organisation.email = ""
    award.badge.organisation.save()

    document = get_json(reverse("ob-issuer", args=["cowork"]))

    assert document["email"] == expected
