"""An award as an OpenBadgeCredential: every field the issue lists, signable as built."""

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import canon, documents, proof, status_list
from core.domain.credentials.loader import OB_V3P0, VC_V2

ISSUER = documents.IssuerFacts(
    did="did:web:badges.example.com:ob:issuers:snakeoil",
    name="Snake Oil Learning 🐍",
    url="https://badges.example.com/ob/issuers/snakeoil",
    email="badges@snakeoil.example",
)
ACHIEVEMENT = documents.AchievementFacts(
    id="https://badges.example.com/ob/badges/snakeoil/python",
    name="Python Wrangler",
    description="Tames snakes.",
    criteria_url="https://badges.example.com/badges/snakeoil/python",
    criteria_narrative="Wrangled three pythons.",
    image_url="https://badges.example.com/ob/badges/snakeoil/python/image.png",
    tags=("python", "snakes"),
)


def facts(**changes) -> documents.CredentialFacts:
    values = {
        "id": "https://badges.example.com/ob/credentials/0b0e",
        "issuer": ISSUER,
        "achievement": ACHIEVEMENT,
        "recipient_email": "ana@example.com",
        "salt": "f00d",
        "valid_from": datetime(2025, 3, 1, 9, 30, 12, 345, tzinfo=UTC),
        "valid_until": datetime(2027, 3, 1, tzinfo=UTC),
        "evidence_url": "https://lms.example.com/exam/7",
        "narrative": "Scored 92/100.",
        "status": status_list.status_entry("https://badges.example.com/ob/issuers/snakeoil/status/0", 12),
    }
    return documents.CredentialFacts(**{**values, **changes})


def test_the_credential_carries_every_field():
    credential = documents.open_badge_credential(facts())
    assert credential["@context"] == [VC_V2, OB_V3P0]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == "https://badges.example.com/ob/credentials/0b0e"
    assert credential["name"] == "Python Wrangler"
    assert credential["issuer"] == {
        "id": ISSUER.did,
        "type": ["Profile"],
        "name": "Snake Oil Learning 🐍",
        "url": ISSUER.url,
        "email": ISSUER.email,
    }
    assert credential["validFrom"] == "2025-03-01T09:30:12Z"
    assert credential["validUntil"] == "2027-03-01T00:00:00Z"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": "sha256$" + __import__("hashlib").sha256(b"ana@example.comf00d").hexdigest(),
            "salt": "f00d",
        }
    ]
    assert subject["achievement"] == {
        "id": ACHIEVEMENT.id,
        "type": ["Achievement"],
        "name": "Python Wrangler",
        "description": "Tames snakes.",
        "criteria": {"id": ACHIEVEMENT.criteria_url, "narrative": "Wrangled three pythons."},
        "image": {"id": ACHIEVEMENT.image_url, "type": "Image"},
        "tag": ["python", "snakes"],
    }
    assert credential["evidence"] == [
        {"id": "https://lms.example.com/exam/7", "type": ["Evidence"], "narrative": "Scored 92/100."}
    ]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert "ana@example.com" not in json.dumps(credential)


def test_optional_parts_are_left_out():
    credential = documents.open_badge_credential(
        facts(valid_until=None, evidence_url="", narrative="", status=None)
    )
    assert not {"validUntil", "evidence", "credentialStatus"} & set(credential)


def test_a_narrative_without_evidence_url_is_still_evidence():
    credential = documents.open_badge_credential(facts(evidence_url=""))
    assert credential["evidence"] == [{"type": ["Evidence"], "narrative": "Scored 92/100."}]


@pytest.mark.parametrize(
    "change", [{}, {"valid_until": None, "evidence_url": "", "narrative": "", "status": None}]
)
def test_every_member_is_defined_so_the_whole_credential_is_signed(change):
    credential = documents.open_badge_credential(facts(**change))
    canon.expand_checked(credential)  # raises UndefinedTerms otherwise
    signed = proof.sign(
        credential,
        private_key=Ed25519PrivateKey.generate(),
        verification_method=ISSUER.did + "#key",
        created=datetime(2025, 3, 1, tzinfo=UTC),
    )
    assert signed["proof"]["proofValue"].startswith("z")


def test_the_json_cannot_end_a_cdata_section():
    credential = documents.open_badge_credential(facts(narrative="a ]]> b"))
    text = documents.to_json(credential)
    assert "]]>" not in text
    assert json.loads(text) == credential
