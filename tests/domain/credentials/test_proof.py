"""eddsa-rdfc-2022 proofs: what is signed verifies; anything changed, or another key, does not."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import did, proof
from core.domain.credentials.errors import (
    InvalidSignature,
    MalformedCredential,
    UndefinedTerms,
    UnsupportedProof,
)
from core.domain.credentials.multikey import public_key_multibase
from tests.domain.credentials.test_canon import credential

ISSUER = "did:web:badges.example.com:ob:issuers:acme"


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def signed_by(key, document=None, **extra):
    method = did.verification_method_id(ISSUER, public_key_multibase(key))
    return proof.sign(
        document or credential(**extra),
        private_key=key,
        verification_method=method,
        created=datetime(2025, 1, 1, tzinfo=UTC),
    )


def resolver(*keys):
    document = did.did_document(ISSUER, [public_key_multibase(k) for k in keys])
    return lambda method: did.assertion_key(document, method)


def test_a_signed_credential_verifies(key):
    signed = signed_by(key)
    verified = proof.verify(signed, resolve_key=resolver(key))
    assert verified.issuer_did == ISSUER
    assert verified.created == "2025-01-01T00:00:00Z"
    assert signed["proof"]["type"] == "DataIntegrityProof"
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["proofPurpose"] == "assertionMethod"


def test_signing_is_deterministic(key):
    assert signed_by(key) == signed_by(key)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.update(name="Teamwork (forged)"),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
        lambda c: c["credentialSubject"]["achievement"].update(description="Anything"),
        lambda c: c["issuer"].update(name="Someone else"),
        lambda c: c["proof"].update(created="2025-01-02T00:00:00Z"),
    ],
)
def test_a_changed_credential_does_not_verify(key, change):
    signed = signed_by(key)
    change(signed)
    with pytest.raises(InvalidSignature):
        proof.verify(signed, resolve_key=resolver(key))


def test_a_credential_signed_by_another_key_claiming_ours_does_not_verify(key):
    forger = Ed25519PrivateKey.generate()
    forged = signed_by(forger)
    forged["proof"]["verificationMethod"] = did.verification_method_id(ISSUER, public_key_multibase(key))
    with pytest.raises(InvalidSignature):
        proof.verify(forged, resolve_key=resolver(key))


def test_a_credential_signed_by_an_older_key_still_verifies(key):
    new_key = Ed25519PrivateKey.generate()
    assert proof.verify(signed_by(key), resolve_key=resolver(new_key, key))


def test_a_credential_with_an_undefined_member_is_not_signed(key):
    with pytest.raises(UndefinedTerms):
        signed_by(key, nickname="Ace")


def test_any_previous_proof_is_replaced(key):
    once = signed_by(key)
    twice = signed_by(key, document=once)
    assert twice == once


def test_created_is_utc_in_whole_seconds():
    moment = datetime(2025, 6, 1, 14, 30, 15, 999, tzinfo=timezone(timedelta(hours=2)))
    assert proof.xsd_datetime(moment) == "2025-06-01T12:30:15Z"
    with pytest.raises(ValueError, match="time zone"):
        proof.xsd_datetime(datetime(2025, 6, 1))


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.update(cryptosuite="ecdsa-rdfc-2019"),
        lambda p: p.update(type="Ed25519Signature2020"),
        lambda p: p.update(proofPurpose="authentication"),
    ],
)
def test_other_proofs_are_unsupported(key, change):
    signed = signed_by(key)
    change(signed["proof"])
    with pytest.raises(UnsupportedProof):
        proof.verify(signed, resolve_key=resolver(key))


def test_a_credential_without_proof_is_unsupported(key):
    signed = signed_by(key)
    del signed["proof"]
    with pytest.raises(UnsupportedProof):
        proof.verify(signed, resolve_key=resolver(key))


@pytest.mark.parametrize("value", ["zzz", "u" + "A" * 86, "z" + "1" * 10, 42])
def test_a_proof_value_that_is_no_signature_is_invalid(key, value):
    signed = signed_by(key)
    signed["proof"]["proofValue"] = value
    with pytest.raises(InvalidSignature):
        proof.verify(signed, resolve_key=resolver(key))


def test_a_proof_context_that_is_not_the_credentials_is_refused(key):
    signed = signed_by(key)
    signed["proof"]["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    with pytest.raises(MalformedCredential):
        proof.verify(signed, resolve_key=resolver(key))


def test_a_proof_context_that_starts_the_credentials_is_accepted(key):
    signed = signed_by(key)
    signed["proof"]["@context"] = signed["@context"][:1]
    assert proof.verify(signed, resolve_key=resolver(key))


def test_a_single_proof_in_a_list_is_read(key):
    signed = signed_by(key)
    signed["proof"] = [signed["proof"]]
    assert proof.verify(signed, resolve_key=resolver(key))
