"""A foreign Open Badges 3.0 issuer on the fake issuer's local server, for the import tests.

It publishes a ``did:web`` DID document (``did:web:127.0.0.1%3A<port>:issuers:acme``,
resolved over http, which only tests allow) and a Bitstring status list, and
signs ``OpenBadgeCredential`` s with its own Ed25519 key, as any other issuer's
software would: through the app's domain code for building documents, and a
key of its own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import baking, did, documents, proof, status_list
from core.domain.credentials.multikey import public_key_multibase
from tests.support.factories import SVG


class FakeOb3Issuer:
    def __init__(self, server):
        self.server = server
        self.key = Ed25519PrivateKey.generate()
        self.did = did.did_web(server.base, "issuers", "acme")
        self.list_url = server.url("/status/0")
        self.revoked: set[int] = set()
        self.next_index = 0
        self.publish()

    def publish(self, keys=None) -> None:
        keys = keys or [self.key]
        document = did.did_document(self.did, [public_key_multibase(k) for k in keys])
        self.server.json("/issuers/acme/did.json", document)
        self.publish_status()

    def publish_status(self) -> None:
        listed = status_list.list_credential(
            list_url=self.list_url,
            issuer=self.did,
            valid_from="2025-01-01T00:00:00Z",
            encoded_list=status_list.encode(self.revoked),
        )
        self.server.json("/status/0", self.sign(listed))

    def sign(self, document: dict, key=None) -> dict:
        key = key or self.key
        method = did.verification_method_id(self.did, public_key_multibase(key))
        return proof.sign(
            document, private_key=key, verification_method=method, created="2025-03-01T00:00:00Z"
        )

    def credential(self, email: str, *, key=None, sign: bool = True, **changes) -> dict:
        index = self.next_index
        self.next_index += 1
        facts = documents.CredentialFacts(
            id=self.server.url(f"/credentials/{index}"),
            issuer=documents.IssuerFacts(did=self.did, name="Acme Academy", url="https://acme.example"),
            achievement=documents.AchievementFacts(
                id=self.server.url("/achievements/rust"),
                name="Rust Programming",
                description="Writes safe systems code.",
                criteria_narrative="Passed the exam.",
                image_url=self.server.url("/badges/python/image.png"),
            ),
            recipient_email=email,
            salt=f"salt{index}",
            valid_from=datetime.now(UTC) - timedelta(days=10),
            status=status_list.status_entry(self.list_url, index),
        )
        facts = documents.CredentialFacts(**{**facts.__dict__, **changes})
        unsigned = documents.open_badge_credential(facts)
        return self.sign(unsigned, key) if sign else unsigned

    def host(self, credential: dict) -> str:
        return self.server.json(credential["id"].removeprefix(self.server.base), credential)

    def revoke(self, credential: dict) -> None:
        self.revoked.add(int(credential["credentialStatus"]["statusListIndex"]))
        self.publish_status()

    def baked_png(self, credential: dict) -> bytes:
        return baking.bake_png(self.server.image, json.dumps(credential))

    def baked_svg(self, credential: dict) -> bytes:
        return baking.bake_svg(SVG, json.dumps(credential))


@pytest.fixture
def ob3_issuer(fake_issuer, settings):
    """An Open Badges 3.0 issuer on ``fake_issuer``'s server; did:web resolves over http here."""
    settings.OB3_DID_WEB_HTTP = True
    return FakeOb3Issuer(fake_issuer)
