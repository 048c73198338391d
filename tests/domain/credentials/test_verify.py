"""Verifying a credential earned elsewhere: each failure has its own reason."""

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import did, documents, proof, status_list
from core.domain.credentials.multikey import public_key_multibase
from core.domain.credentials.verify import CredentialRejected, Unreachable, verify_credential
from tests.domain.credentials.test_documents import ACHIEVEMENT, facts

ISSUER_DID = "did:web:issuer.example:ob:issuers:acme"
LIST_URL = "https://issuer.example/ob/issuers/acme/status/0"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
EMAILS = ["ana@example.com", "ana@home.example"]


class World:
    """What the network holds: DID documents and status lists, by URL."""

    def __init__(self):
        self.key = Ed25519PrivateKey.generate()
        self.documents = {
            "https://issuer.example/ob/issuers/acme/did.json": did.did_document(
                ISSUER_DID, [public_key_multibase(self.key)]
            )
        }
        self.publish_list(set())

    def publish_list(self, revoked: set[int], key=None):
        listed = status_list.list_credential(
            list_url=LIST_URL,
            issuer=ISSUER_DID,
            valid_from="2025-01-01T00:00:00Z",
            encoded_list=status_list.encode(revoked),
        )
        self.documents[LIST_URL] = self.sign(listed, key)

    def sign(self, document, key=None, issuer=ISSUER_DID):
        key = key or self.key
        method = did.verification_method_id(issuer, public_key_multibase(key))
        return proof.sign(
            document, private_key=key, verification_method=method, created="2025-03-01T00:00:00Z"
        )

    def fetch_json(self, url):
        if url not in self.documents:
            raise Unreachable(f"{url} answered 404")
        return self.documents[url]

    def credential(self, **changes):
        issuer = documents.IssuerFacts(did=ISSUER_DID, name="Acme")
        values = {
            "issuer": issuer,
            "achievement": ACHIEVEMENT,
            "status": status_list.status_entry(LIST_URL, 5),
        }
        return self.sign(documents.open_badge_credential(facts(**{**values, **changes})))

    def verify(self, credential, emails=EMAILS, now=NOW):
        return verify_credential(credential, emails=emails, now=now, fetch_json=self.fetch_json)


@pytest.fixture
def world():
    return World()


def reason(world, credential, **kwargs) -> str:
    with pytest.raises(CredentialRejected) as caught:
        world.verify(credential, **kwargs)
    return caught.value.reason


def test_a_credential_for_one_of_my_emails_verifies(world):
    verified = world.verify(world.credential())
    assert verified.recipient_email == "ana@example.com"
    assert verified.issuer_did == ISSUER_DID
    assert verified.issuer_name == "Acme"
    assert verified.achievement_name == ACHIEVEMENT.name
    assert verified.image_url == ACHIEVEMENT.image_url
    assert verified.valid_until == datetime(2027, 3, 1, tzinfo=UTC)


def test_a_credential_for_my_other_email_verifies(world):
    assert (
        world.verify(world.credential(recipient_email="ana@home.example")).recipient_email
        == "ana@home.example"
    )


def test_someone_elses_credential_is_not_mine(world):
    assert reason(world, world.credential(recipient_email="bob@example.com")) == "not_yours"


def test_a_changed_credential_fails_its_signature(world):
    credential = world.credential()
    credential["credentialSubject"]["achievement"]["name"] = "Grand Master"
    assert reason(world, credential) == "invalid_signature"


def test_a_key_the_issuer_does_not_list_is_refused(world):
    credential = world.sign(world.credential(), key=Ed25519PrivateKey.generate())
    assert reason(world, credential) == "key_not_authorised"


def test_an_issuer_another_key_controls_is_refused(world):
    # Signed correctly, by a did:key, but claiming the did:web issuer.
    forger = Ed25519PrivateKey.generate()
    did_key = f"did:key:{public_key_multibase(forger)}"
    credential = proof.sign(
        {k: v for k, v in world.credential().items() if k != "proof"},
        private_key=forger,
        verification_method=f"{did_key}#{public_key_multibase(forger)}",
        created="2025-03-01T00:00:00Z",
    )
    assert reason(world, credential) == "issuer_mismatch"


def test_a_did_key_issuer_is_verified_without_fetching(world):
    key = Ed25519PrivateKey.generate()
    did_key = f"did:key:{public_key_multibase(key)}"
    unsigned = documents.open_badge_credential(
        facts(issuer=documents.IssuerFacts(did=did_key, name="Solo"), status=None)
    )
    credential = proof.sign(
        unsigned, private_key=key, verification_method=f"{did_key}#{public_key_multibase(key)}", created=NOW
    )
    world.documents.clear()
    assert world.verify(credential).issuer_did == did_key


def test_an_unreachable_did_document_says_so(world):
    world.documents.pop("https://issuer.example/ob/issuers/acme/did.json")
    assert reason(world, world.credential()) == "unreachable"


def test_an_expired_credential_is_refused(world):
    credential = world.credential(valid_until=datetime(2025, 12, 31, tzinfo=UTC))
    assert reason(world, credential) == "expired"


def test_a_credential_not_yet_valid_is_refused(world):
    credential = world.credential(valid_from=datetime(2026, 6, 1, tzinfo=UTC))
    assert reason(world, credential) == "not_yet_valid"


def test_a_revoked_credential_is_refused(world):
    world.publish_list({5})
    assert reason(world, world.credential()) == "revoked"


def test_a_status_list_signed_by_someone_else_cannot_be_trusted(world):
    world.publish_list(set(), key=Ed25519PrivateKey.generate())
    assert reason(world, world.credential()) == "status_unavailable"


def test_an_unreachable_status_list_says_so(world):
    world.documents.pop(LIST_URL)
    assert reason(world, world.credential()) == "status_unavailable"


def test_an_undefined_member_is_refused(world):
    credential = world.credential()
    credential["favouriteColour"] = "green"
    assert reason(world, credential) == "undefined_terms"


def test_another_proof_kind_is_unsupported(world):
    credential = world.credential()
    credential["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    assert reason(world, credential) == "unsupported_proof"


@pytest.mark.parametrize(
    "credential",
    [[], "x", {"type": ["VerifiableCredential"]}, {"type": ["VerifiableCredential", "OpenBadgeCredential"]}],
)
def test_what_is_not_an_open_badge_credential_is_refused(world, credential):
    assert reason(world, credential) == "not_credential"
