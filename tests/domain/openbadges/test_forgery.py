"""Forged imports: hosted verification trusts only documents fetched from their own ids.

``fake_issuer`` plays a well-known issuer (think https://www.credly.com/org/amazon);
``other_host`` plays a forger's server, another origin, or a host the issuer allows.
"""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from core.domain.openbadges.checks import BadgeRejected, Reason
from core.models import ImportedBadge
from core.services.imports import imported_badge_create

pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"
CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture
def owner():
    return User.objects.create(username="bob")


def import_url(owner, url):
    return imported_badge_create(owner=owner, emails=[BOB], assertion_url=url)


def import_image(owner, content: bytes):
    return imported_badge_create(owner=owner, emails=[BOB], image=SimpleUploadedFile("badge.png", content))


def rejected(call, *args) -> BadgeRejected:
    with pytest.raises(BadgeRejected) as caught:
        call(*args)
    return caught.value


def host_of(server) -> str:
    return urlsplit(server.base).netloc  # "127.0.0.1:port": what allowedOrigins names


def famous_issuer_copy(famous, forger) -> dict:
    """The famous issuer's profile as a forger would embed it: its id, and rules letting the forger in."""
    return {
        "type": "Issuer",
        "id": famous.url("/issuer"),
        "name": "Globex Academy",
        "url": "https://globex.example",
        "email": "badges@globex.example",
        "verification": {"type": "HostedBadge", "allowedOrigins": [host_of(forger)]},
    }


def badge_class_copy(famous, forger, badge_id: str) -> dict:
    return {
        "type": "BadgeClass",
        "id": badge_id,
        "name": "Python Programming",
        "description": "Writes idiomatic Python.",
        "image": famous.url("/badges/python/image.png"),
        "criteria": {"narrative": "Passed the exam."},
        "issuer": famous_issuer_copy(famous, forger),
    }


@pytest.mark.parametrize("badge_class_on", ["famous issuer", "forger"])
def test_an_embedded_issuer_that_allows_the_forgers_host_is_not_trusted(
    fake_issuer, other_host, owner, badge_class_on
):
    famous, forger = fake_issuer, other_host
    badge_id = famous.url("/badges/python")
    if badge_class_on == "forger":  # the forger's own badge class, naming the famous issuer
        badge_id = forger.url("/badges/aws")
        forger.json(
            "/badges/aws", {**badge_class_copy(famous, forger, badge_id), "issuer": famous.url("/issuer")}
        )
    document = forger.assertion("forged", BOB, badge=badge_class_copy(famous, forger, badge_id))

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.TAMPERED
    assert error.message == (
        f"This badge cannot be trusted: its assertion ({document['id']}) is not hosted by its issuer "
        f"({famous.url('/issuer')}), nor anywhere that issuer allows."
    )
    assert "/issuer" in famous.requests  # the issuer's rules were read from the issuer itself
    assert not ImportedBadge.objects.exists()


def test_an_issuer_profile_served_by_the_forger_under_the_famous_id_is_not_trusted(
    fake_issuer, other_host, owner
):
    famous, forger = fake_issuer, other_host
    forger.json("/issuer-copy", famous_issuer_copy(famous, forger))  # says it is famous's /issuer
    forger.json("/badges/python", {**badge_class_copy(famous, forger, forger.url("/badges/python")),
                                   "issuer": forger.url("/issuer-copy")})  # fmt: skip
    document = forger.assertion("forged", BOB)

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.TAMPERED
    assert f"not hosted by its issuer ({famous.url('/issuer')})" in error.message


def test_a_baked_image_embedding_the_famous_issuer_is_refused_too(fake_issuer, other_host, owner):
    famous, forger = fake_issuer, other_host
    document = forger.assertion(
        "forged", BOB, badge=badge_class_copy(famous, forger, famous.url("/badges/python"))
    )

    error = rejected(import_image, owner, famous.baked_png(document))

    assert error.reason == Reason.TAMPERED
    assert "not hosted by its issuer" in error.message


def test_embedded_copies_are_never_kept_the_hosted_documents_are(fake_issuer, other_host, owner):
    famous, forger = fake_issuer, other_host
    # The forger's badge class names the forger's own issuer: a badge the forger really issued.
    document = forger.assertion(
        "own", BOB, badge=badge_class_copy(famous, forger, forger.url("/badges/python"))
    )

    imported = import_url(owner, document["id"])

    assert imported.badge_class["id"] == forger.url("/badges/python")
    assert imported.issuer == json.loads(forger.server.routes["/issuer"].body)  # not the embedded copy
    assert imported.issuer["id"] == forger.url("/issuer") != famous.url("/issuer")
    assert "verification" not in imported.issuer


def test_an_issuer_that_itself_allows_another_host_is_honoured(fake_issuer, other_host, owner):
    profile = json.loads(fake_issuer.server.routes["/issuer"].body)
    profile["verification"] = {"type": "HostedBadge", "allowedOrigins": [host_of(other_host)]}
    fake_issuer.json("/issuer", profile)
    document = other_host.assertion("cdn", BOB, badge=fake_issuer.url("/badges/python"))

    imported = import_url(owner, document["id"])

    assert imported.issuer["id"] == fake_issuer.url("/issuer")


def test_an_embedded_badge_class_without_an_id_cannot_be_verified(fake_issuer, owner):
    embedded = {k: v for k, v in badge_class_copy(fake_issuer, fake_issuer, "").items() if k != "id"}
    document = fake_issuer.assertion("anonymous", BOB, badge=embedded)

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.NOT_BADGE
    assert "the badge class has no http(s) id" in error.message


def test_a_badge_class_hosted_under_another_id_is_read_from_that_id(fake_issuer, owner):
    real = json.loads(fake_issuer.server.routes["/badges/python"].body)
    fake_issuer.json("/badges/alias", {**real, "name": "Not the real name"})  # says id: /badges/python
    document = fake_issuer.assertion("alias", BOB, badge=fake_issuer.url("/badges/alias"))

    imported = import_url(owner, document["id"])

    assert imported.badge_class == real


# --- A baked image carries the hosted assertion, all of it ----------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("narrative", "Led the whole team."), ("evidence", {"id": "https://evil.example/e"}), ("expires", None)],
)
def test_a_baked_assertion_differing_from_the_hosted_one_in_any_field_is_tampered(
    fake_issuer, owner, field, value
):
    expires = datetime.now(UTC) + timedelta(days=365)
    hosted = fake_issuer.assertion(f"edit-{field}", BOB, narrative="Passed.", expires=expires)
    baked = {**hosted, field: value} if value is not None else {k: v for k, v in hosted.items() if k != field}

    error = rejected(import_image, owner, fake_issuer.baked_png(baked))

    assert error.reason == Reason.TAMPERED
    assert f"its “{field}” differs from the issuer's hosted assertion" in error.message


def test_a_baked_assertion_may_order_keys_and_spell_its_context_differently(fake_issuer, owner):
    hosted = fake_issuer.assertion("reordered", BOB)
    baked = dict(reversed(list({**hosted, "@context": [CONTEXT]}.items())))

    imported = import_image(owner, fake_issuer.baked_png(baked))

    assert imported.assertion == hosted
