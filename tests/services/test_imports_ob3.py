"""Importing Open Badges 3.0 credentials: pasted, baked or by URL; each refusal says why.

The issuer is a foreign one on a local server (``tests/support/fake_ob3_issuer.py``):
its did:web document is fetched through the bounded fetcher, its status list too.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from core.domain.credentials import proof
from core.domain.credentials.multikey import public_key_multibase
from core.domain.openbadges.checks import BadgeRejected, Reason
from core.models import ImportedBadge, ImportSource, OpenBadgesVersion, Status
from core.services.imports import imported_badge_create, imported_badge_recheck

pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"


@pytest.fixture
def owner():
    return User.objects.create(username="bob")


def paste(owner, credential, emails=(BOB,)):
    text = credential if isinstance(credential, str) else json.dumps(credential)
    return imported_badge_create(owner=owner, emails=list(emails), credential=text)


def rejected(call, *args, **kwargs) -> BadgeRejected:
    with pytest.raises(BadgeRejected) as caught:
        call(*args, **kwargs)
    assert not ImportedBadge.objects.exists()
    return caught.value


def test_a_pasted_credential_is_verified_and_kept(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    imported = paste(owner, credential)
    assert imported.version == OpenBadgesVersion.V3
    assert imported.source == ImportSource.JSON
    assert imported.assertion == credential
    assert imported.assertion_url == credential["id"]
    assert (imported.badge_name, imported.issuer_name) == ("Rust Programming", "Acme Academy")
    assert imported.issuer_url == "https://acme.example"
    assert imported.recipient_email == BOB and imported.status == Status.ACTIVE
    assert imported.image.read() == ob3_issuer.server.image  # the achievement's image, fetched
    assert "/issuers/acme/did.json" in ob3_issuer.server.requests
    assert "/status/0" in ob3_issuer.server.requests


def test_a_credential_for_another_of_my_emails_is_mine(ob3_issuer, owner):
    imported = paste(owner, ob3_issuer.credential("bob@home.example"), emails=(BOB, "bob@home.example"))
    assert imported.recipient_email == "bob@home.example"


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_baked_image_is_verified_and_kept_as_it_came(ob3_issuer, owner, kind):
    credential = ob3_issuer.credential(BOB)
    content = ob3_issuer.baked_png(credential) if kind == "png" else ob3_issuer.baked_svg(credential)
    upload = SimpleUploadedFile(f"badge.{kind}", content)
    imported = imported_badge_create(owner=owner, emails=[BOB], image=upload)
    assert (imported.version, imported.source) == (OpenBadgesVersion.V3, kind)
    assert imported.image.read() == content


def test_a_credential_by_url_is_verified_and_kept(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    url = ob3_issuer.host(credential)
    imported = imported_badge_create(owner=owner, emails=[BOB], assertion_url=url)
    assert (imported.version, imported.source) == (OpenBadgesVersion.V3, ImportSource.URL)
    assert imported.assertion == credential


def test_the_same_credential_twice_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    paste(owner, credential)
    assert rejected_keeping(paste, owner, credential).reason == Reason.DUPLICATE


def rejected_keeping(call, *args, **kwargs) -> BadgeRejected:
    with pytest.raises(BadgeRejected) as caught:
        call(*args, **kwargs)
    return caught.value


# --- Each failure, its own reason and message ----------------------------------------


def test_a_tampered_credential_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    credential["credentialSubject"]["achievement"]["name"] = "Rust Grandmaster"
    error = rejected(paste, owner, credential)
    assert error.reason == Reason.TAMPERED
    assert "signature does not match" in error.message


def test_a_key_the_issuer_does_not_list_is_refused(ob3_issuer, owner):
    error = rejected(paste, owner, ob3_issuer.credential(BOB, key=Ed25519PrivateKey.generate()))
    assert error.reason == "key_not_authorised"
    assert "does not list" in error.message


def test_a_key_the_issuer_retired_but_still_lists_is_accepted(ob3_issuer, owner):
    old = ob3_issuer.key
    credential = ob3_issuer.credential(BOB)
    ob3_issuer.key = Ed25519PrivateKey.generate()
    ob3_issuer.publish(keys=[ob3_issuer.key, old])
    assert paste(owner, credential).status == Status.ACTIVE


def test_a_credential_signed_by_someone_else_claiming_the_issuer_is_refused(ob3_issuer, owner):
    forger = Ed25519PrivateKey.generate()
    did_key = f"did:key:{public_key_multibase(forger)}"
    unsigned = ob3_issuer.credential(BOB, sign=False)
    forged = proof.sign(
        unsigned,
        private_key=forger,
        verification_method=f"{did_key}#{public_key_multibase(forger)}",
        created="2025-03-01T00:00:00Z",
    )
    error = rejected(paste, owner, forged)
    assert error.reason == "issuer_mismatch"
    assert "did not sign it" in error.message


def test_a_did_key_issuer_needs_no_fetch(ob3_issuer, owner):
    key = Ed25519PrivateKey.generate()
    did_key = f"did:key:{public_key_multibase(key)}"
    unsigned = ob3_issuer.credential(BOB, sign=False, status=None)
    unsigned["issuer"]["id"] = did_key
    signed = proof.sign(
        unsigned,
        private_key=key,
        verification_method=f"{did_key}#{public_key_multibase(key)}",
        created="2025-03-01T00:00:00Z",
    )
    assert paste(owner, signed).assertion["issuer"]["id"] == did_key
    assert "/issuers/acme/did.json" not in ob3_issuer.server.requests


def test_a_revoked_credential_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    ob3_issuer.revoke(credential)
    error = rejected(paste, owner, credential)
    assert error.reason == Reason.REVOKED
    assert "revoked" in error.message


def test_an_expired_credential_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB, valid_until=datetime.now(UTC) - timedelta(days=1))
    error = rejected(paste, owner, credential)
    assert error.reason == Reason.EXPIRED
    assert "expired" in error.message


def test_a_credential_not_valid_yet_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB, valid_from=datetime.now(UTC) + timedelta(days=3))
    error = rejected(paste, owner, credential)
    assert error.reason == "not_yet_valid"
    assert "not valid yet" in error.message


def test_someone_elses_credential_is_refused(ob3_issuer, owner):
    error = rejected(paste, owner, ob3_issuer.credential("carol@cowork.net"))
    assert error.reason == Reason.NOT_YOURS
    assert BOB in error.message


def test_an_unreachable_did_document_is_said(ob3_issuer, owner):
    ob3_issuer.server.route("/issuers/acme/did.json", status=404, body=b"gone", content_type="text/plain")
    error = rejected(paste, owner, ob3_issuer.credential(BOB))
    assert error.reason == Reason.UNREACHABLE
    assert "answered 404" in error.message


def test_a_did_web_on_a_private_address_is_not_fetched_outside_tests(ob3_issuer, owner, settings):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    error = rejected(paste, owner, ob3_issuer.credential(BOB))
    assert error.reason == Reason.UNREACHABLE
    assert "/issuers/acme/did.json" not in ob3_issuer.server.requests


def test_did_web_resolves_only_over_https_unless_development_allows_http(ob3_issuer, owner, settings):
    settings.OB3_DID_WEB_HTTP = False
    error = rejected(paste, owner, ob3_issuer.credential(BOB))
    assert error.reason == Reason.UNREACHABLE
    assert "https://127.0.0.1" in error.message


def test_an_unreadable_status_list_is_said(ob3_issuer, owner):
    ob3_issuer.server.route("/status/0", status=500, body=b"oops", content_type="text/plain")
    error = rejected(paste, owner, ob3_issuer.credential(BOB))
    assert error.reason == "status_unavailable"
    assert "could not check whether this credential is revoked" in error.message


def test_a_member_no_context_defines_is_refused(ob3_issuer, owner):
    # JSON-LD drops a member no context defines, so adding one after signing leaves the
    # signature matching: the member would be shown without being signed.
    credential = ob3_issuer.credential(BOB)
    credential["credentialSubject"]["grade"] = "A+"
    error = rejected(paste, owner, credential)
    assert error.reason == "undefined_terms"
    assert "'grade'" in error.message


def test_another_kind_of_proof_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    credential["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    error = rejected(paste, owner, credential)
    assert error.reason == "unsupported_proof"
    assert "eddsa-rdfc-2022" in error.message


@pytest.mark.parametrize("text", ["not json", "[]", '{"type": "Assertion"}'])
def test_what_is_not_a_credential_is_refused(owner, text):
    assert rejected(paste, owner, text).reason == Reason.NOT_BADGE


def test_a_credential_with_an_unknown_context_is_refused(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    credential["@context"].append("https://evil.example/context.jsonld")
    error = rejected(paste, owner, credential)
    assert error.reason == "unknown_context"
    assert "https://evil.example/context.jsonld" in error.message


def test_exactly_one_source_is_needed(owner):
    error = rejected(
        imported_badge_create, owner=owner, emails=[BOB], credential="{}", assertion_url="https://x.example/a"
    )
    assert error.reason == Reason.BAD_UPLOAD and "one of the three" in error.message


# --- Checking again later --------------------------------------------------------------


def test_a_recheck_marks_a_credential_revoked_since(ob3_issuer, owner):
    credential = ob3_issuer.credential(BOB)
    imported = paste(owner, credential)
    assert not imported_badge_recheck(imported=imported).changed
    ob3_issuer.revoke(credential)
    result = imported_badge_recheck(imported=imported)
    assert result.changed and imported.status == Status.REVOKED


def test_a_recheck_keeps_the_status_when_the_issuer_is_down(ob3_issuer, owner):
    imported = paste(owner, ob3_issuer.credential(BOB))
    ob3_issuer.server.route("/status/0", status=503, body=b"", content_type="text/plain")
    result = imported_badge_recheck(imported=imported)
    assert not result.changed and imported.status == Status.ACTIVE and result.problem
