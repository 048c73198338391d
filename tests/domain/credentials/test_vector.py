"""badgeapp's eddsa-rdfc-2022 signing reproduces 1EdTech's published test vector byte for byte.

The vector (``fixtures/1edtech-ob3-eddsa-rdfc-2022.json``, source and commit
noted in it) is the Open Badges 3.0 Implementation Guide's: a VC 2.0
OpenBadgeCredential, its canonical N-Quads, both hashes, the Ed25519 signature
and the proof value.
"""

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import canon, proof
from core.domain.credentials.did import AssertionKey
from core.domain.credentials.errors import InvalidSignature
from core.domain.credentials.multikey import public_key_multibase, secret_key_from_multibase

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VECTOR = json.loads((FIXTURES / "1edtech-ob3-eddsa-rdfc-2022.json").read_text())


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTOR["privateKeyHex"])[:32])


def proof_options() -> dict:
    return {"@context": VECTOR["credential"]["@context"], **VECTOR["proofOptions"]}


def test_the_document_canonicalises_to_the_published_n_quads():
    expected = (FIXTURES / "1edtech-ob3-document-canon.nq").read_text()
    assert canon.canonicalize(VECTOR["credential"]) == expected


def test_the_proof_options_canonicalise_to_the_published_n_quads():
    expected = (FIXTURES / "1edtech-ob3-proof-canon.nq").read_text()
    assert canon.canonicalize(proof_options()) == expected


def test_the_hashes_are_the_published_ones():
    data = proof.hash_data(VECTOR["credential"], proof_options())
    assert data.hex() == VECTOR["dataToSignHex"]
    assert data[:32].hex() == VECTOR["proofHashHex"]
    assert data[32:].hex() == VECTOR["documentHashHex"]
    assert (
        hashlib.sha256(canon.canonicalize(VECTOR["credential"]).encode()).hexdigest()
        == (VECTOR["documentHashHex"])
    )


def test_signing_gives_the_published_signature_and_proof(key):
    signed = proof.sign(
        VECTOR["credential"],
        private_key=key,
        verification_method=VECTOR["proofOptions"]["verificationMethod"],
        created=VECTOR["proofOptions"]["created"],
    )
    assert signed["proof"] == {**VECTOR["proofOptions"], "proofValue": VECTOR["proofValue"]}
    assert key.sign(bytes.fromhex(VECTOR["dataToSignHex"])).hex() == VECTOR["signatureHex"]
    assert {k: v for k, v in signed.items() if k != "proof"} == VECTOR["credential"]


def test_the_published_keys_read_as_multikeys(key):
    assert public_key_multibase(key) == VECTOR["publicKeyMultibase"]
    assert (
        secret_key_from_multibase(VECTOR["secretKeyMultibase"]).private_bytes_raw() == key.private_bytes_raw()
    )


def test_the_published_signed_credential_verifies_and_a_changed_one_does_not(key):
    signed = {**VECTOR["credential"], "proof": {**VECTOR["proofOptions"], "proofValue": VECTOR["proofValue"]}}
    method = VECTOR["proofOptions"]["verificationMethod"]

    def resolve(vm: str) -> AssertionKey:
        assert vm == method
        return AssertionKey(vm, "https://example.edu/issuers/565049", key.public_key())

    assert proof.verify(signed, resolve_key=resolve).verification_method == method
    with pytest.raises(InvalidSignature):
        proof.verify({**signed, "name": "Teamwork Badge!"}, resolve_key=resolve)
