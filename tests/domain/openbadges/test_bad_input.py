"""Malformed input from users and foreign issuers is refused with a reason, never a server error."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.domain.openbadges.checks import BadgeRejected, Reason, is_url
from core.models import ImportedBadge
from core.services.imports import imported_badge_create

pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"
CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture
def owner():
    return User.objects.create(username="bob")


def rejected(**kwargs) -> BadgeRejected:
    with pytest.raises(BadgeRejected) as caught:
        imported_badge_create(emails=[BOB], **kwargs)
    return caught.value


def svg_carrying(text: str, verify: str = "") -> bytes:
    """An SVG baked by hand, so its assertion can be anything."""
    attribute = f' verify="{verify}"' if verify else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        'width="10" height="10">'
        f"<openbadges:assertion{attribute}><![CDATA[{text}]]></openbadges:assertion>"
        '<rect width="10" height="10" fill="#a30"/></svg>'
    ).encode()


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:port/a", "https://example.com:99999999/a"])
def test_an_unparseable_url_is_a_400_not_a_server_error(bob, url):
    assert not is_url(url)

    response = bob.post(reverse("api-my-imports"), {"assertion_url": url}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "refused"}
    assert "valid http(s) link" in response.json()["message"]


@pytest.mark.parametrize("verify", ["str", 42, ["https://example.com/a"]])
def test_a_baked_svg_whose_verify_is_not_an_object_is_not_a_badge(owner, verify):
    assertion = json.dumps({"@context": CONTEXT, "type": "Assertion", "verify": verify})

    error = rejected(owner=owner, image=SimpleUploadedFile("b.svg", svg_carrying(assertion)))

    assert error.reason == Reason.NOT_BADGE
    assert error.message.startswith("This is not an Open Badge")
    assert "“verify” is not an object" in error.message


def test_a_baked_png_whose_verify_is_not_an_object_is_not_a_badge(fake_issuer, owner):
    baked = fake_issuer.baked_png({"type": "Assertion", "verify": "str"})

    assert rejected(owner=owner, image=SimpleUploadedFile("b.png", baked)).reason == Reason.NOT_BADGE


DEEP = '{"a":' * 5000 + "1" + "}" * 5000


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "Assertion", "id": "x", "score": NaN}',
        b'{"type": "Assertion", "id": "x", "score": -Infinity}',
        DEEP.encode(),
        b'{"type": "Assertion", "id": "x", "narrative": "a\\u0000b"}',
    ],
    ids=["NaN", "Infinity", "nested", "NUL"],
)
def test_json_no_database_can_keep_is_not_a_badge(fake_issuer, owner, body):
    url = fake_issuer.route("/assertions/odd", body=body)

    error = rejected(owner=owner, assertion_url=url)

    assert error.reason == Reason.NOT_BADGE
    assert "not JSON" in error.message


def test_a_badge_class_name_with_a_nul_character_is_not_a_badge(fake_issuer, owner):
    badge_class = json.loads(fake_issuer.server.routes["/badges/python"].body)
    fake_issuer.json("/badges/python", {**badge_class, "name": "Py\u0000thon"})
    document = fake_issuer.assertion("nul", BOB)

    assert rejected(owner=owner, assertion_url=document["id"]).reason == Reason.NOT_BADGE
    assert not ImportedBadge.objects.exists()


def test_a_deeply_nested_baked_assertion_is_refused(owner):
    baked = svg_carrying(DEEP)

    error = rejected(owner=owner, image=SimpleUploadedFile("b.svg", baked))

    assert error.reason == Reason.TAMPERED
    assert "not valid JSON" in error.message


def test_an_assertion_url_too_long_to_keep_is_not_a_badge(fake_issuer, owner):
    document = fake_issuer.assertion("long-" + "x" * 2100, BOB)

    error = rejected(owner=owner, assertion_url=document["id"])

    assert error.reason == Reason.NOT_BADGE
    assert "longer than 2000 characters" in error.message
